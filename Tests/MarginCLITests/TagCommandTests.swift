import Foundation
import MarginStore
import Testing

@Suite("margin tag, untag and tags")
struct TagCommandTests {
    @Test("tag puts tags on a section, one revision per new tag")
    func tag() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let before = try sandbox.changeCount()

        let result = await sandbox.run("tag", section.reference, "重点", "funding")

        #expect(result.status == 0)
        #expect(result.output == "Tagged \(section.reference): #funding #重点\n")
        #expect(try sandbox.open().section(section.reference).tags == ["funding", "重点"])
        #expect(try sandbox.changeCount() == before + 2)
        let summaries = try sandbox.open().changeLog(limit: 2).map(\.summary)
        #expect(Set(summaries) == ["tagged #funding on \(section.reference)", "tagged #重点 on \(section.reference)"])
    }

    @Test("tagging twice writes one revision; a repeated tag in one call counts once")
    func tagIsIdempotent() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let before = try sandbox.changeCount()

        #expect(await sandbox.run("tag", section.reference, "review", "review").status == 0)
        #expect(try sandbox.changeCount() == before + 1)

        let again = await sandbox.run("tag", section.reference, "review")
        #expect(again.status == 0)
        #expect(again.output == "Nothing to do: \(section.reference) already has those tags.\n")
        #expect(try sandbox.changeCount() == before + 1)

        // Only the new tag of a mixed call is written.
        let mixed = await sandbox.run("tag", section.reference, "review", "new")
        #expect(mixed.output == "Tagged \(section.reference): #new\n")
        #expect(try sandbox.changeCount() == before + 2)
    }

    @Test("tags are trimmed before they are stored")
    func tagIsTrimmed() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("tag", section.reference, " padded ").status == 0)
        #expect(try sandbox.open().section(section.reference).tags == ["padded"])
        #expect(await sandbox.run("tag", section.reference, "padded").output.hasPrefix("Nothing to do"))
    }

    @Test("untag takes tags off; untagging an absent tag writes nothing")
    func untag() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("tag", section.reference, "a", "b").status == 0)
        let before = try sandbox.changeCount()

        let result = await sandbox.run("untag", section.reference, "a", "missing")
        #expect(result.status == 0)
        #expect(result.output == "Untagged \(section.reference): #a\n")
        #expect(try sandbox.open().section(section.reference).tags == ["b"])
        #expect(try sandbox.changeCount() == before + 1)
        #expect(try sandbox.open().changeLog(limit: 1).first?.summary == "untagged #a on \(section.reference)")

        let again = await sandbox.run("untag", section.reference, "a")
        #expect(again.status == 0)
        #expect(again.output == "Nothing to do: \(section.reference) has none of those tags.\n")
        #expect(try sandbox.changeCount() == before + 1)

        // A tag taken off can be put back: a new revision of the same tag record.
        #expect(await sandbox.run("tag", section.reference, "a").status == 0)
        #expect(try sandbox.open().section(section.reference).tags == ["a", "b"])
    }

    @Test("tags lists every tag with its count, most used first; --json decodes")
    func tagsListing() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let report = try #require(try store.reports().first { $0.sections > 3 })
        let references = try store.outline(of: report.shortID).sections.map(\.reference)
        #expect(await sandbox.run("tag", references[1], "common", "zeta").status == 0)
        #expect(await sandbox.run("tag", references[2], "common", "alpha").status == 0)
        #expect(await sandbox.run("tag", references[3], "common").status == 0)

        let result = await sandbox.run("tags")
        #expect(result.status == 0)
        #expect(result.lines == ["3\t#common", "1\t#alpha", "1\t#zeta"])

        let counts = try await sandbox.run("tags", "--json").decode([TagCount].self)
        #expect(counts.map(\.tag) == ["common", "alpha", "zeta"])
        #expect(counts.map(\.sections) == [3, 1, 1])
        #expect(try store.reports().first { $0.id == report.id }?.tags == 5)
    }

    @Test("tags on a store without tags says how to add some")
    func tagsEmpty() async throws {
        let sandbox = try await CLISandbox.seeded()
        let result = await sandbox.run("tags")
        #expect(result.status == 0)
        #expect(result.output.contains("No tags yet"))
        #expect(try await sandbox.run("tags", "--json").decode([TagCount].self).isEmpty)
    }

    @Test("an invalid tag is a usage error (64) and writes nothing, not even the valid tags beside it",
          arguments: ["has space", "a,b", "中文，逗号", String(repeating: "x", count: 65), "   "])
    func invalidTag(_ tag: String) async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let before = try sandbox.changeCount()

        let result = await sandbox.run("tag", section.reference, "valid", tag)

        #expect(result.status == 64)
        #expect(result.output.isEmpty)
        #expect(result.errorLines.first?.contains("“\(tag)” is not a usable tag") == true, "\(result.errors)")
        #expect(try sandbox.changeCount() == before)
        #expect(try sandbox.open().section(section.reference).tags.isEmpty)

        let untag = await sandbox.run("untag", section.reference, tag)
        #expect(untag.status == 64)
        #expect(try sandbox.changeCount() == before)
    }

    @Test("tagging a report or an unknown section exits 1")
    func tagWrongTarget() async throws {
        let sandbox = try await CLISandbox.seeded()
        let report = try #require(try sandbox.open().reports().first)
        let onReport = await sandbox.run("tag", report.shortID, "x")
        #expect(onReport.status == 1)
        #expect(onReport.errors.contains("is a report, but a section"))
        let missing = await sandbox.run("untag", "\(report.shortID)/77", "x")
        #expect(missing.status == 1)
        #expect(missing.errors.contains("has no section 77"))
        #expect(try sandbox.changeCount() == SeedFiles.reportCount)
    }

    @Test("tag or untag without tags is a usage error", arguments: ["tag", "untag"])
    func noTags(_ command: String) async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let result = await sandbox.run(command, section.reference)
        #expect(result.status == 64)
        #expect(result.errors.contains("Usage: margin \(command)"))
        #expect(try sandbox.changeCount() == SeedFiles.reportCount)
    }
}
