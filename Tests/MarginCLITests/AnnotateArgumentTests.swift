import Foundation
import MarginCLI
import MarginStore
import Testing

/// What annotate says about its arguments, unchanged edits, and `--restore`.
@Suite("margin annotate: arguments, unchanged edits, restore")
struct AnnotateArgumentTests {
    /// What `margin annotate … --json` prints: the annotation and whether anything was written.
    struct Written: Decodable { var written: Bool; var text: String }

    @Test func anEmptyNoteIsAUsageError() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let added = try sandbox.open().addAnnotation(on: section.reference, text: "原文")
        let before = try sandbox.changeCount()
        let runs: [([String], Data)] = [
            (["annotate", section.reference, ""], Data()),
            (["annotate", section.reference, " \n\t"], Data()),
            (["annotate", "--edit", added.shortID, ""], Data()),
            (["annotate", section.reference, "-"], Data("\n  \n".utf8)),
            (["annotate", "--edit", added.shortID, "-"], Data()),
        ]
        for (arguments, input) in runs {
            let result = await sandbox.run(arguments, input: .fixed(input: input))
            #expect(result.status == 64, "\(arguments)")
            #expect(result.errors.contains("The note is empty"), "\(result.errors)")
        }
        #expect(try sandbox.changeCount() == before)
    }

    @Test func reanchorWithoutQuoteSaysQuoteIsRequired() async throws {
        let sandbox = try await CLISandbox.seeded()
        let result = await sandbox.run("annotate", "--reanchor", "abcd")
        #expect(result.status == 64)
        #expect(result.errors.contains("--reanchor needs --quote"), "\(result.errors)")
        #expect(!result.errors.contains("takes no text"))
    }

    @Test func occurrenceMustBeOneOrMore() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let before = try sandbox.changeCount()
        for value in ["-1", "0"] {
            let result = await sandbox.run("annotate", section.reference, "注", "--quote", "教育", "--occurrence", value)
            #expect(result.status == 64)
            #expect(result.errors.contains("--occurrence must be 1 or more"), "\(value): \(result.errors)")
            #expect(!result.errors.contains("Missing value"))
        }
        #expect(try sandbox.changeCount() == before)
    }

    @Test func textStartingWithDashGoesAfterDoubleDash() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let before = try sandbox.changeCount()
        // Were the editor opened, it would leave this file behind.
        let marker = sandbox.folder.appendingPathComponent("editor-ran").path
        let editor = try sandbox.editorScript("editor.sh", "touch \(Shell.quote(marker)); echo 不该写入 > \"$1\"")

        for arguments in [["annotate", section.reference, "-3% 的降幅"], ["annotate", "-3% 的降幅"]] {
            let refused = await sandbox.run(arguments, input: CLISandbox.editor(editor))
            #expect(refused.status == 64)
            #expect(refused.errors.contains("-- \"-3%"), "the hint shows -- before the text: \(refused.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker), "an option-like text must not open the editor")
        #expect(try sandbox.changeCount() == before)

        let accepted = await CLISandbox.runBare(
            ["annotate", "--store", sandbox.storePath, section.reference, "--", "-3% 的降幅"], input: CLISandbox.editor(editor))
        #expect(accepted.status == 0, "\(accepted.errors)")
        #expect(try sandbox.open().section(section.reference).annotations.map(\.text) == ["-3% 的降幅"])
        let note = try #require(try sandbox.open().section(section.reference).annotations.first)
        let edited = await CLISandbox.runBare(
            ["annotate", "--store", sandbox.storePath, "--edit", note.shortID, "--", "-4% 的降幅"], input: CLISandbox.editor(editor))
        #expect(edited.status == 0, "\(edited.errors)")
        #expect(try sandbox.open().annotation(note.shortID).text == "-4% 的降幅")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    // MARK: - unchanged edits

    @Test func editingToTheCurrentTextWritesNothingAndSaysSo() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let added = try sandbox.open().addAnnotation(on: section.reference, text: "#重点 原文")
        let before = try sandbox.changeCount()

        let same = await sandbox.run("annotate", "--edit", added.shortID, "#重点 原文")
        #expect(same.status == 0)
        #expect(same.output == "Nothing to do: the annotation already has that text.\n")
        let sameJSON = await sandbox.run("annotate", "--edit", added.shortID, " #重点 原文 ", "--json")
        #expect(sameJSON.status == 0)
        #expect(try sameJSON.decode(Written.self).written == false)
        #expect(try sandbox.changeCount() == before)
        #expect(try sandbox.open().history(of: added.id.rawValue).count == 1)

        let changed = await sandbox.run("annotate", "--edit", added.shortID, "#重点 新文", "--json")
        #expect(changed.status == 0)
        let written = try changed.decode(Written.self)
        #expect(written.written && written.text == "#重点 新文")
        #expect(try sandbox.changeCount() == before + 1)
    }

    @Test func reanchoringWhereTheNoteIsAnchoredWritesNothingAndSaysSo() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let quote = Scalars.uniqueQuote(in: section.text).quote
        let added = try sandbox.open().addAnnotation(on: section.reference, text: "注", quote: quote)
        let before = try sandbox.changeCount()

        let same = await sandbox.run("annotate", "--reanchor", added.shortID, "--quote", quote)
        #expect(same.status == 0, "\(same.errors)")
        #expect(same.output == "Nothing to do: the annotation is anchored there already.\n")
        let json = await sandbox.run("annotate", "--reanchor", added.shortID, "--quote", quote, "--json")
        #expect(try json.decode(Written.self).written == false)
        #expect(try sandbox.changeCount() == before)
    }

    // MARK: - restore

    @Test func restoreBringsBackADeletedNote() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let quote = Scalars.uniqueQuote(in: section.text).quote
        let added = try sandbox.open().addAnnotation(on: section.reference, text: "#重点 别丢", quote: quote)

        let live = await sandbox.run("annotate", "--restore", added.shortID)
        #expect(live.status == 1)
        #expect(live.errors.contains("is not deleted, so there is nothing to restore"), "\(live.errors)")

        #expect(await sandbox.run("annotate", "--delete", added.shortID).status == 0)
        #expect(try sandbox.open().section(section.reference).annotations.isEmpty)
        let before = try sandbox.changeCount()
        let restored = await sandbox.run("annotate", "--restore", added.shortID)
        #expect(restored.status == 0, "\(restored.errors)")
        #expect(restored.output == "Restored annotation \(added.shortID).\n")
        #expect(try sandbox.changeCount() == before + 1)
        let back = try #require(try sandbox.open().section(section.reference).annotations.first)
        #expect(back.text == "#重点 别丢")
        #expect(back.anchor == added.anchor)

        let withText = await sandbox.run("annotate", "--restore", added.shortID, "文字")
        #expect(withText.status == 64)
        #expect(withText.errors.contains("--restore takes no text"))
    }
}
