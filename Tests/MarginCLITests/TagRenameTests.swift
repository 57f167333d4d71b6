import Foundation
import MarginStore
import Testing

@Suite("margin tags rename")
struct TagRenameTests {
    /// A seeded sandbox with three sections of one report: `fundng` on the first two, `funding` on the second and
    /// third, `other` on the third.
    static func tagged() async throws -> (sandbox: CLISandbox, references: [String]) {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let report = try #require(try store.reports().first { $0.sections > 3 })
        let references = Array(try store.outline(of: report.shortID).sections.map(\.reference)[1...3])
        #expect(await sandbox.run("tag", references[0], "fundng").status == 0)
        #expect(await sandbox.run("tag", references[1], "fundng", "funding").status == 0)
        #expect(await sandbox.run("tag", references[2], "funding", "other").status == 0)
        return (sandbox, references)
    }

    @Test("renames on every section in one go, merging where the new tag is there already")
    func renameAndMerge() async throws {
        let (sandbox, references) = try await Self.tagged()
        let before = try sandbox.changeCount()

        let result = await sandbox.run("tags", "rename", "fundng", "#funding")
        #expect(result.status == 0)
        #expect(result.output == "Renamed #fundng to #funding on 2 sections (1 already had #funding).\n")
        // Two untags and one tag: the section that had both keeps one #funding.
        #expect(try sandbox.changeCount() == before + 3)
        let store = try sandbox.open()
        #expect(try store.section(references[0]).tags == ["funding"])
        #expect(try store.section(references[1]).tags == ["funding"])
        #expect(try store.section(references[2]).tags == ["funding", "other"])
        #expect(try store.tagCounts().map(\.tag) == ["funding", "other"])

        // The revisions are ordinary tag revisions, which the log names by section.
        let summaries = try store.changeLog(limit: 3).map(\.summary)
        #expect(Set(summaries) == [
            "untagged #fundng on \(references[0])", "tagged #funding on \(references[0])",
            "untagged #fundng on \(references[1])",
        ])
    }

    @Test("--json lists the sections with their ids and references")
    func json() async throws {
        let (sandbox, references) = try await Self.tagged()
        let rename = try await sandbox.run("tags", "rename", "fundng", "funding", "--json").decode(TagRename.self)
        #expect(rename.from == "fundng")
        #expect(rename.to == "funding")
        #expect(rename.sections.map(\.reference) == [references[0], references[1]])
        #expect(rename.sections.map(\.merged) == [false, true])
        #expect(rename.revisions == 3)
        let store = try sandbox.open()
        for section in rename.sections {
            #expect(try store.section(try #require(section.reference)).id == section.id)
        }
    }

    @Test("a tag no section has is refused, exit 1, naming it and the tags it may have meant; nothing written")
    func unknownTagIsRefused() async throws {
        let (sandbox, _) = try await Self.tagged()
        let before = try sandbox.changeCount()
        let result = await sandbox.run("tags", "rename", "absent", "funding")
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("No section carries the tag #absent;"), "\(result.errors)")
        #expect(result.errors.contains("`margin tags` lists the tags in use"))
        #expect(!result.errors.contains("did you mean"), "nothing in use is close to absent")

        let close = await sandbox.run("tags", "rename", "fundin", "x")
        #expect(close.status == 1)
        #expect(close.errors.contains("#fundin (did you mean #funding or #fundng?)"), "\(close.errors)")
        let otherCase = await sandbox.run("tags", "rename", "Other", "x", "--json")
        #expect(otherCase.status == 1)
        #expect(otherCase.output.isEmpty)
        #expect(otherCase.errors.contains("#Other (did you mean #other?)"), "\(otherCase.errors)")
        #expect(await sandbox.run("tags", "rename", "absent", "absent").status == 1)

        let same = await sandbox.run("tags", "rename", "funding", "#funding")
        #expect(same.status == 0)
        #expect(same.output == "Nothing to do: both name #funding.\n")
        #expect(try sandbox.changeCount() == before)
        #expect(await sandbox.run("tags").lines == ["2\t#funding", "2\t#fundng", "1\t#other"])
    }

    @Test("case variants merge")
    func caseVariants() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("tag", section.reference, "Funding", "funding").status == 0)
        let result = await sandbox.run("tags", "rename", "Funding", "funding")
        #expect(result.output == "Renamed #Funding to #funding on 1 section (1 already had #funding).\n")
        #expect(try sandbox.open().section(section.reference).tags == ["funding"])
    }

    @Test("tags still lists, and its help names rename; rename without two tags is a usage error")
    func commandShape() async throws {
        let (sandbox, _) = try await Self.tagged()
        #expect(await sandbox.run("tags").lines == ["2\t#funding", "2\t#fundng", "1\t#other"])
        let help = await CLISandbox.runBare(["tags", "--help"])
        #expect(help.output.contains("rename"))
        #expect(help.output.contains("--json"))
        #expect(try await sandbox.run("tags", "--json").decode([TagCount].self).count == 3)
        let missing = await sandbox.run("tags", "rename", "fundng")
        #expect(missing.status == 64)
        #expect(missing.errors.contains("Usage: margin tags rename"))
    }
}
