import Foundation
import MarginCLI
import MarginStore
import Testing

@Suite("margin remove: a report out of the list and of find, brought back with --restore or a re-import")
struct RemoveCommandTests {
    struct Removal: Decodable {
        var reference: String
        var removed: Bool
        var changed: Bool
        var notes: Int
    }

    struct Listing: Decodable {
        struct Item: Decodable { var reference: String }
        var items: [Item]
        var total: Int
    }

    struct Shown: Decodable { var removed: Bool }

    /// A sandbox with `EditCommandTests.report` imported and a note on its first section; the report's reference.
    static func sandboxWithNote() async throws -> (CLISandbox, String) {
        let (sandbox, reference) = try await EditCommandTests.sandboxWithReport()
        let annotated = await sandbox.run("annotate", reference + "/1", "校舍面积要核实")
        try #require(annotated.status == 0, "\(annotated.errors)")
        return (sandbox, reference)
    }

    @Test func removeSaysWhatStaysAndTheListFindAndShowAgree() async throws {
        let (sandbox, reference) = try await Self.sandboxWithNote()
        let removed = await sandbox.run("remove", reference)
        #expect(removed.status == 0, "\(removed.errors)")
        #expect(removed.output.contains("Removed \(reference) “2024年教育局工作总结”"))
        #expect(removed.output.contains("margin remove --restore \(reference)"))
        #expect(removed.output.contains("Its 1 note stay"))

        #expect(try await sandbox.run("reports", "--json").decode(Listing.self).total == 0)
        #expect(await sandbox.run("reports").output == "No reports; 1 removed (margin reports --removed lists it).\n")
        let listed = try await sandbox.run("reports", "--removed", "--json").decode(Listing.self)
        #expect(listed.items.map(\.reference) == [reference])
        // Its text is not found; the note on it is.
        #expect(await sandbox.run("find", "班额").output.contains("2024年教育局工作总结") == false)
        #expect(await sandbox.run("find", "核实").output.contains("校舍面积要[核实]"))
        #expect(try await sandbox.run("show", reference, "--json").decode(Shown.self).removed)
        #expect(await sandbox.run("show", reference).output.contains("(removed:"))
        #expect(await sandbox.run("notes").output.contains("校舍面积要核实"))
        #expect(await sandbox.run("history", reference).output.contains("removed report “2024年教育局工作总结”"))

        let again = await sandbox.run("remove", reference)
        #expect(again.status == 0)
        #expect(again.output.hasPrefix("Nothing to do: \(reference)"))

        let restored = try await sandbox.run("remove", "--restore", reference, "--json").decode(Removal.self)
        #expect(restored.changed && !restored.removed && restored.notes == 1)
        #expect(try await sandbox.run("reports", "--json").decode(Listing.self).items.map(\.reference) == [reference])
        #expect(await sandbox.run("find", "班额").output.contains("2024年教育局工作总结"))
    }

    @Test func onlyAReportCanBeRemovedAndTheStoreStaysAsItWas() async throws {
        let (sandbox, reference) = try await Self.sandboxWithNote()
        let note = try #require(await sandbox.run("notes", "--json").output
            .firstMatch(of: /"reference" : "([0-9a-f]+)"/).map { String($0.1) })
        let before = await sandbox.run("log").output
        let onNote = await sandbox.run("remove", note)
        #expect(onNote.status == 1)
        #expect(onNote.errors.hasPrefix("error:"))
        let onSection = await sandbox.run("remove", reference + "/1")
        #expect(onSection.status == 1)
        #expect(onSection.errors.contains("report"))
        let unknown = await sandbox.run("remove", "ffffff")
        #expect(unknown.status == 1)
        #expect(await sandbox.run("remove").status == 64)
        #expect(await sandbox.run("log").output == before)
    }

    @Test func aChangedTitleSaysHowToRemoveTheDuplicate() async throws {
        let (sandbox, reference) = try await EditCommandTests.sandboxWithReport()
        let renamed = EditCommandTests.report.replacingOccurrences(of: "2024年教育局工作总结", with: "2024年度教育局工作总结")
        let file = try sandbox.write("东城区.txt", text: renamed)
        let imported = await sandbox.run("import", file)
        #expect(imported.status == 0, "\(imported.errors)")
        let duplicate = try #require(imported.output.firstMatch(of: /new report: ([0-9a-f]+)\)/).map { String($0.1) })
        #expect(imported.output.contains(
            "if \(duplicate) is its new version, run margin remove \(duplicate), then margin import 东城区.txt --as \(reference)"))
        // Following it leaves one report, revised, and a later import of the file revises that one.
        #expect(await sandbox.run("remove", duplicate).status == 0)
        #expect(await sandbox.run("import", file, "--as", reference).status == 0)
        let again = await sandbox.run("import", file)
        #expect(again.status == 0)
        #expect(!again.output.contains("was not matched"))
        #expect(try await sandbox.run("reports", "--json").decode(Listing.self).items.map(\.reference) == [reference])
    }
}
