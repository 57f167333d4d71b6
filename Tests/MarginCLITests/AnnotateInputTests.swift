import Foundation
import MarginCLI
import MarginStore
import Testing

/// Note text from the editor, standard input (`-`) and `--file`, and what is refused on the way in.
@Suite("margin annotate: text from the editor, stdin and files")
struct AnnotateInputTests {
    static let scissors = "# ------------------------ >8 ------------------------"

    /// About a megabyte of text: more than a command line may carry on Linux (one argument is capped at 128 KiB).
    static let longNote = "#长文 开头\n" + String(repeating: "第一段：教育经费执行情况与去年对比，增减原因分析。\n", count: 14_000) + "结尾"

    // MARK: - editor

    @Test func annotateWithoutTextOpensTheEditorAndKeepsLinesStartingWithHash() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let template = sandbox.folder.appendingPathComponent("template.txt").path
        let script = try sandbox.editorScript("editor.sh", """
            cp "$1" \(Shell.quote(template))
            { printf '%s\\n' '#重点 第一行' '# 第二行也保留' '#'; cat "$1"; printf '%s\\n' '# 剪刀线以下的都忽略'; } > "$1.new" && mv "$1.new" "$1"
            """)
        let before = try sandbox.changeCount()

        let result = await sandbox.run(["annotate", section.reference], input: CLISandbox.editor(script))

        #expect(result.status == 0, "\(result.errors)")
        let annotation = try #require(try sandbox.open().section(section.reference).annotations.first)
        #expect(annotation.text == "#重点 第一行\n# 第二行也保留\n#")
        #expect(result.output == "Added annotation \(annotation.shortID).\n")
        #expect(try sandbox.changeCount() == before + 1)
        let lines = try String(contentsOfFile: template, encoding: .utf8).components(separatedBy: "\n")
        #expect(lines.first == "", "the person writes on an empty first line, as in git commit")
        #expect(lines.dropFirst().first == Self.scissors)
        #expect(lines.contains("# Do not modify or remove the line above."))
        #expect(lines.contains { $0.contains(section.reference) })
    }

    @Test func anEmptyNoteFromTheEditorWritesNothing() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let untouched = try sandbox.editorScript("untouched.sh", "true")
        let before = try sandbox.changeCount()

        let result = await sandbox.run(["annotate", section.reference], input: CLISandbox.editor(untouched))

        #expect(result.status == 1)
        #expect(result.errors.contains("Nothing written: the note is empty."), "\(result.errors)")
        #expect(result.keptTextFile == nil, "nothing was written in the editor, so nothing is kept")
        #expect(try sandbox.changeCount() == before)
    }

    @Test func aSavedFileWithoutTheScissorsLineIsRefused() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let script = try sandbox.editorScript("overwrite.sh", "printf '%s\\n' '笔记' '# Everything below it will be ignored.' > \"$1\"")
        let before = try sandbox.changeCount()

        let result = await sandbox.run(["annotate", section.reference], input: CLISandbox.editor(script))

        #expect(result.status == 1)
        #expect(result.errors.contains("scissors"), "\(result.errors)")
        #expect(try sandbox.changeCount() == before)
        let kept = try #require(result.keptTextFile, "the person's text is not thrown away: \(result.errors)")
        defer { try? FileManager.default.removeItem(atPath: kept) }
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == "笔记\n# Everything below it will be ignored.\n")
    }

    @Test func anEditorThatSavesWithCRLFLineEndsStillFindsTheScissors() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let script = try sandbox.editorScript("crlf.sh", """
            { printf '%s\\n' '#第一行' '第二行'; cat "$1"; } | sed 's/$/\\r/' > "$1.new" && mv "$1.new" "$1"
            """)

        let result = await sandbox.run(["annotate", section.reference], input: CLISandbox.editor(script))

        #expect(result.status == 0, "\(result.errors)")
        #expect(try sandbox.open().section(section.reference).annotations.map(\.text) == ["#第一行\n第二行"], "CRLF line ends become LF: a note cannot hold CR")
    }

    @Test func visualComesBeforeEditor() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let visual = try sandbox.editorScript("visual.sh", "{ echo '来自 VISUAL'; cat \"$1\"; } > \"$1.new\" && mv \"$1.new\" \"$1\"")
        let editor = try sandbox.editorScript("editor.sh", "{ echo '来自 EDITOR'; cat \"$1\"; } > \"$1.new\" && mv \"$1.new\" \"$1\"")

        let result = await sandbox.run(
            ["annotate", section.reference], input: .fixed(variables: ["VISUAL": visual, "EDITOR": editor]))

        #expect(result.status == 0, "\(result.errors)")
        #expect(try sandbox.open().section(section.reference).annotations.map(\.text) == ["来自 VISUAL"])
    }

    @Test func withoutAnEditorAndWithoutATerminalNothingIsLaunched() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let added = try sandbox.open().addAnnotation(on: section.reference, text: "原文")
        let before = try sandbox.changeCount()

        for arguments in [["annotate", section.reference], ["annotate", "--edit", added.shortID]] {
            let result = await sandbox.run(arguments, input: .fixed(variables: ["EDITOR": "", "PATH": "/usr/bin:/bin"]))
            #expect(result.status == 64, "\(arguments)")
            #expect(result.errors.contains("No editor to open"), "\(result.errors)")
            #expect(result.errors.contains("- to read it from standard input"))
            #expect(result.errors.contains("--file PATH"))
        }
        #expect(try sandbox.changeCount() == before)
    }

    @Test func editOpensTheEditorOnTheCurrentText() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let added = try sandbox.open().addAnnotation(on: section.reference, text: "#待办 第一行")
        let appendLine = try sandbox.editorScript("append.sh", "sed -i '1a\\\n# 补充一行' \"$1\"")
        let unchanged = try sandbox.editorScript("unchanged.sh", "true")

        let edited = await sandbox.run(["annotate", "--edit", added.shortID], input: CLISandbox.editor(appendLine))
        #expect(edited.status == 0, "\(edited.errors)")
        #expect(edited.output == "Edited annotation \(added.shortID).\n")
        #expect(try sandbox.open().annotation(added.shortID).text == "#待办 第一行\n# 补充一行")

        let before = try sandbox.changeCount()
        let same = await sandbox.run(["annotate", "--edit", added.shortID], input: CLISandbox.editor(unchanged))
        #expect(same.status == 0, "\(same.errors)")
        #expect(same.output == "Nothing to do: the annotation already has that text.\n")
        #expect(try sandbox.changeCount() == before)
    }

    // MARK: - standard input and files

    @Test func aMegabyteNoteArrivesThroughStandardInputAndThroughAFile() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(Self.longNote.utf8.count > 1_000_000)

        let piped = await sandbox.run(["annotate", section.reference, "-", "--json"], input: .fixed(input: Data(Self.longNote.utf8)))
        #expect(piped.status == 0, "\(piped.errors)")
        let fromStdin = try piped.decode(AnnotationView.self)
        #expect(try sandbox.open().annotation(fromStdin.id.rawValue).text == Self.longNote)

        let path = try sandbox.write("long.md", text: "\u{FEFF}" + Self.longNote + "\n第二份")
        let filed = await sandbox.run(["annotate", section.reference, "--file", path, "--json"], input: .fixed())
        #expect(filed.status == 0, "\(filed.errors)")
        let fromFile = try filed.decode(AnnotationView.self)
        #expect(try sandbox.open().annotation(fromFile.id.rawValue).text == Self.longNote + "\n第二份", "without the byte order mark")
    }

    @Test func editTakesItsTextFromStandardInputOrAFile() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let added = try sandbox.open().addAnnotation(on: section.reference, text: "原文")

        let piped = await sandbox.run(["annotate", "--edit", added.shortID, "-"], input: .fixed(input: Data("#改 来自标准输入\n".utf8)))
        #expect(piped.status == 0, "\(piped.errors)")
        #expect(try sandbox.open().annotation(added.shortID).text == "#改 来自标准输入")

        let path = try sandbox.write("edit.md", text: Self.longNote)
        let filed = await sandbox.run(["annotate", "--edit", added.shortID, "--file", path], input: .fixed())
        #expect(filed.status == 0, "\(filed.errors)")
        #expect(try sandbox.open().annotation(added.shortID).text == Self.longNote)
    }

    @Test func textThatIsNotUTF8IsRefusedNotRepaired() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let added = try sandbox.open().addAnnotation(on: section.reference, text: "原文")
        // "教育" in UTF-8 with its last byte cut, then more text: a truncated sequence in the middle.
        let broken = Data([0xE6, 0x95, 0x99, 0xE8, 0x82, 0x20, 0x61]) // 教 + 2 of 3 bytes of 育 + " a"
        let path = try sandbox.write("broken.txt", broken)
        let gbk = try sandbox.write("gbk.txt", Data([0xBD, 0xCC, 0xD3, 0xFD])) // 教育 in GBK
        let before = try sandbox.changeCount()

        let runs: [([String], InputEnvironment)] = [
            (["annotate", section.reference, "--file", path], .fixed()),
            (["annotate", section.reference, "--file", gbk], .fixed()),
            (["annotate", section.reference, "-"], .fixed(input: broken)),
            (["annotate", "--edit", added.shortID, "--file", path], .fixed()),
            (["annotate", "--edit", added.shortID, "-"], .fixed(input: broken)),
        ]
        for (arguments, input) in runs {
            let result = await sandbox.run(arguments, input: input)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.errors.contains("is not valid UTF-8 text"), "\(result.errors)")
        }
        #expect(try sandbox.changeCount() == before)
        #expect(try sandbox.open().annotation(added.shortID).text == "原文")
        #expect(try sandbox.open().section(section.reference).annotations.count == 1)
    }

    @Test func aFileWithWindowsLineEndsIsANoteButOtherControlCharactersAreRefused() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let windows = try sandbox.write("windows.txt", text: "#待办\r\n第二行\r\n")
        let added = await sandbox.run(["annotate", section.reference, "--file", windows, "--json"], input: .fixed())
        #expect(added.status == 0, "\(added.errors)")
        #expect(try added.decode(AnnotationView.self).text == "#待办\n第二行")

        let before = try sandbox.changeCount()
        let bell = try sandbox.write("bell.txt", text: "第一行\n响\u{07}铃")
        let refused = await sandbox.run(["annotate", section.reference, "--file", bell], input: .fixed())
        #expect(refused.status == 64)
        #expect(refused.errors.contains("control character (U+0007 on line 2)"), "\(refused.errors)")
        #expect(try sandbox.changeCount() == before)
    }

    @Test func anUnreadableFileIsAnErrorAndTextWithFileIsAUsageError() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let before = try sandbox.changeCount()
        let missing = await sandbox.run(["annotate", section.reference, "--file", sandbox.folder.appendingPathComponent("nope.md").path], input: .fixed())
        #expect(missing.status == 1)
        #expect(missing.errors.contains("Cannot read"))
        let both = await sandbox.run(["annotate", section.reference, "文字", "--file", "x.md"], input: .fixed())
        #expect(both.status == 64)
        #expect(both.errors.contains("either as an argument or with --file"))
        #expect(try sandbox.changeCount() == before)
    }
}
