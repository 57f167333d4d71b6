import Foundation
import MarginStore
import Testing

@Suite("margin log and margin history")
struct HistoryCommandTests {
    // MARK: - log

    @Test("log lists the newest entries first, up to --limit")
    func log() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("tag", section.reference, "latest").status == 0)

        let result = await sandbox.run("log", "--limit", "5")
        #expect(result.status == 0)
        #expect(result.lines.count == 5)
        let sequences = result.lines.map { line in Int(line.dropFirst().prefix { $0.isNumber }) }
        #expect(sequences == [21, 20, 19, 18, 17])
        #expect(result.lines[0].hasSuffix("  tester  tagged #latest on \(section.reference)"))
        #expect(result.lines.dropFirst().allSatisfy { $0.contains("  tester  imported “") })

        let all = await sandbox.run("log")
        #expect(all.lines.count == 20, "the default limit is 20")
        let many = await sandbox.run("log", "--limit", "1000")
        #expect(many.lines.count == SeedFiles.reportCount + 1)
    }

    @Test("log --json decodes to change-log entries, newest first")
    func logJSON() async throws {
        let sandbox = try await CLISandbox.seeded()
        let entries = try await sandbox.run("log", "--json", "--limit", "100").decode([ChangeLogEntry].self)
        #expect(entries.count == SeedFiles.reportCount)
        #expect(entries.map(\.sequence) == Array((1...Int64(SeedFiles.reportCount)).reversed()))
        #expect(entries.allSatisfy { $0.kind == .report && $0.source == "local" && $0.author == "tester" })
        #expect(entries == (try sandbox.open().changeLog(limit: 100)))
        let peer = try sandbox.open().peer.id
        #expect(entries.allSatisfy { $0.origin == peer })
    }

    @Test("log on an empty store says so; --limit 0 is a usage error")
    func logEmpty() async throws {
        let sandbox = try await CLISandbox.initialized()
        let result = await sandbox.run("log")
        #expect(result.status == 0)
        #expect(result.output == "The change log is empty.\n")
        #expect(try await sandbox.run("log", "--json").decode([ChangeLogEntry].self).isEmpty)
        let zero = await sandbox.run("log", "--limit", "0")
        #expect(zero.status == 64)
        #expect(zero.errors.contains("--limit must be at least 1."))
    }

    // MARK: - history of a report

    /// The seed changed by one line for the re-import test, and the line before and after.
    static let seed = SeedFiles.paths.first { $0.contains("003_") }!
    static let oldFragment = "“四有”教师不断涌现。"
    static let newFragment = "“四有”教师不断涌现并获表彰。"

    @Test("a changed re-import writes a new revision; history --diff shows the changed line; section ids keep their refs")
    func reportHistoryAfterChangedReimport() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let original = try SeedFiles.text(Self.seed)
        try #require(original.components(separatedBy: Self.oldFragment).count == 2)
        let modified = try sandbox.write(
            (Self.seed as NSString).lastPathComponent, text: original.replacingOccurrences(of: Self.oldFragment, with: Self.newFragment))

        let reportID = try #require(try store.reports().first { report in
            try store.outline(of: report.shortID).sections.contains { try store.section($0.reference).text.contains(Self.oldFragment) }
        }?.id)
        let outlineBefore = try store.outline(of: String(reportID.rawValue.prefix(8)))
        let changed = try #require(outlineBefore.sections.first { try store.section($0.reference).text.contains(Self.oldFragment) })
        let untouched = try #require(outlineBefore.sections.last { $0.id != changed.id && $0.level > 0 })
        #expect(await sandbox.run("tag", untouched.reference, "kept").status == 0)
        #expect(await sandbox.run("annotate", changed.reference, "仍在").status == 0)
        let before = try sandbox.changeCount()

        let reimport = await sandbox.run("import", modified)
        #expect(reimport.status == 0)
        #expect(reimport.lines.count == 1)
        #expect(reimport.lines.first?.hasSuffix(", 1 new revision") == true, "\(reimport.output)")
        #expect(try sandbox.changeCount() == before + 1)
        #expect(try store.changeLog(limit: 1).first?.summary.hasPrefix("re-imported “") == true)

        // Every section keeps its identity and its reference; tags and annotations stay on them.
        let outlineAfter = try store.outline(of: outlineBefore.shortID)
        #expect(outlineAfter.revision != outlineBefore.revision)
        #expect(outlineAfter.sections.map(\.id) == outlineBefore.sections.map(\.id))
        #expect(outlineAfter.sections.map(\.reference) == outlineBefore.sections.map(\.reference))
        #expect(try store.section(untouched.reference).tags == ["kept"])
        #expect(try store.section(changed.reference).annotations.map(\.text) == ["仍在"])
        #expect(try store.section(changed.reference).text.contains(Self.newFragment))

        // history: two revisions, the second one current, with the changed line in its diff.
        let history = await sandbox.run("history", outlineBefore.shortID, "--diff")
        #expect(history.status == 0)
        let lines = history.lines
        let heads = lines.filter { !$0.hasPrefix(" ") }
        #expect(heads.count == 2)
        #expect(heads[0].contains("  tester  imported “"))
        #expect(!heads[0].hasSuffix("(current)"))
        #expect(heads[1].contains("  tester  re-imported “"))
        #expect(heads[1].hasSuffix("  (current)"))
        #expect(lines.contains("    + created"))
        #expect(lines.contains("    parents: \(outlineBefore.revision.rawValue.prefix(10))"))
        #expect(lines.contains("    ~ section \(changed.label)\(changed.heading)"), "\(history.output)")
        let removed = lines.filter { $0.hasPrefix("        - ") }
        let added = lines.filter { $0.hasPrefix("        + ") }
        #expect(removed.count == 1 && added.count == 1, "exactly one line changed:\n\(history.output)")
        #expect(removed.first?.contains(Self.oldFragment) == true)
        #expect(added.first?.contains(Self.newFragment) == true)

        // Without --diff only the revision lines (and parents) are printed.
        let plain = await sandbox.run("history", outlineBefore.shortID)
        #expect(!plain.lines.contains { $0.hasPrefix("    ~") || $0.hasPrefix("    +") })
        #expect(plain.lines.filter { !$0.hasPrefix(" ") }.count == 2)

        let entries = try await sandbox.run("history", outlineBefore.shortID, "--json", "--diff").decode([HistoryJSON].self)
        #expect(entries.count == 2)
        #expect(entries.map(\.isHead) == [false, true])
        #expect(entries.map(\.isCurrent) == [false, true])
        #expect(entries[1].parents == [entries[0].id])
        #expect(entries[1].id == outlineAfter.revision.rawValue)
        #expect(entries.allSatisfy { $0.record == outlineBefore.id.rawValue && $0.reference == outlineBefore.shortID })
        #expect(entries[0].changes == ["+ created"])
        #expect(entries[1].changes?.first == "~ section \(changed.label)\(changed.heading)")
    }

    @Test("renaming a heading gives that section a new id; the others keep theirs")
    func renamedHeading() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let original = try SeedFiles.text(Self.seed)
        let heading = "(五)平安校园建设更有保障"
        try #require(original.components(separatedBy: heading).count == 2)
        // A changed version of the same file (its name is part of the report's identity).
        let modified = try sandbox.write(
            (Self.seed as NSString).lastPathComponent, text: original.replacingOccurrences(of: heading, with: "(五)平安校园建设全面加强"))
        let report = try #require(try store.reports().first { try store.outline(of: $0.shortID).sections.contains { $0.heading.hasPrefix("平安校园建设更有保障") } })
        let before = try store.outline(of: report.shortID)

        #expect(await sandbox.run("import", modified).status == 0)

        let after = try store.outline(of: report.shortID)
        #expect(after.sections.count == before.sections.count)
        let renamed = try #require(before.sections.firstIndex { $0.heading.hasPrefix("平安校园建设更有保障") })
        for (index, (old, new)) in zip(before.sections, after.sections).enumerated() {
            #expect(old.reference == new.reference)
            if index == renamed {
                #expect(old.id != new.id)
            } else {
                #expect(old.id == new.id, "\(old.reference) kept its id")
            }
        }
        let diff = await sandbox.run("history", report.shortID, "--diff")
        #expect(diff.lines.contains { $0.hasPrefix("    - section ") && $0.contains("平安校园建设更有保障") })
        #expect(diff.lines.contains { $0.hasPrefix("    + section ") && $0.contains("平安校园建设全面加强") })
    }

    // MARK: - history of an annotation or a section

    @Test("history of an annotation lists add, edit and delete with their diffs")
    func annotationHistory() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let annotation = try await sandbox.run("annotate", section.reference, "初稿", "--json").decode(AnnotationView.self)
        #expect(await sandbox.run("annotate", "--edit", annotation.shortID, "定稿").status == 0)
        #expect(await sandbox.run("annotate", "--delete", annotation.shortID).status == 0)

        let result = await sandbox.run("history", annotation.shortID, "--diff")
        #expect(result.status == 0)
        let heads = result.lines.filter { !$0.hasPrefix(" ") }
        #expect(heads.count == 3)
        #expect(heads[0].hasSuffix("  tester  annotated “初稿”"))
        #expect(heads[1].hasSuffix("  tester  edited annotation \(annotation.id.rawValue.prefix(8)): “定稿”"))
        #expect(heads[2].hasSuffix("  tester  deleted annotation \(annotation.id.rawValue.prefix(8))  (current)"))
        for line in ["    + created", "    - 初稿", "    + 定稿", "    - 定稿", "    (deleted)"] {
            #expect(result.lines.contains(line), "\(line) in\n\(result.output)")
        }

        let entries = try await sandbox.run("history", annotation.shortID, "--json").decode([HistoryJSON].self)
        #expect(entries.count == 3)
        #expect(entries.allSatisfy { $0.changes == nil }, "changes only with --diff")
        #expect(entries.map(\.sequence) == entries.map(\.sequence).sorted())
    }

    @Test("history of a section lists its tag changes")
    func sectionHistory() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("history", section.reference).output == "No revisions for \(section.reference).\n")

        #expect(await sandbox.run("tag", section.reference, "alpha").status == 0)
        #expect(await sandbox.run("tag", section.reference, "beta").status == 0)
        #expect(await sandbox.run("untag", section.reference, "alpha").status == 0)

        let result = await sandbox.run("history", section.reference, "--diff")
        #expect(result.status == 0)
        let heads = result.lines.filter { !$0.hasPrefix(" ") }
        #expect(heads.count == 3)
        #expect(heads[0].hasSuffix("  tester  tagged #alpha on \(section.reference)"))
        // Each tag of the section is its own record with its own current revision, and says which tag it is for.
        #expect(heads[1].hasSuffix("  tester  tagged #beta on \(section.reference)  (current for #beta)"))
        #expect(heads[2].hasSuffix("  tester  untagged #alpha on \(section.reference)  (current for #alpha)"))
        #expect(result.lines.filter { $0.contains("(current") }.count == 2)
        // A tag record's first revision reads "+ created"; taking the tag off reads "- #tag".
        #expect(result.lines.filter { $0 == "    + created" }.count == 2)
        #expect(result.lines.contains("    - #alpha"))

        // Tags of other sections do not leak into this one's history.
        let other = try #require(try sandbox.open().outline(of: String(section.reference.prefix { $0 != "/" })).sections.first { $0.id != section.id })
        #expect(await sandbox.run("tag", other.reference, "alpha").status == 0)
        let entries = try await sandbox.run("history", section.reference, "--json").decode([HistoryJSON].self)
        #expect(entries.count == 3)
        #expect(entries.map(\.tag) == ["alpha", "beta", "alpha"])
        #expect(entries.map(\.isCurrent) == [false, true, true])
        #expect(entries.allSatisfy { $0.reference == section.reference && $0.sectionReference == section.reference })
        #expect(entries.allSatisfy { $0.section == section.id.rawValue })
    }

    @Test("history of an unknown reference exits 1; without a reference exits 64")
    func historyErrors() async throws {
        let sandbox = try await CLISandbox.seeded()
        let unknown = await sandbox.run("history", try ShowCommandTests.unusedPrefix(in: sandbox.open()))
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("Nothing matches"))
        let missing = await sandbox.run("history")
        #expect(missing.status == 64)
        #expect(missing.errors.contains("Usage: margin history"))
    }
}

/// `margin history --json` as a script reads it: its own fields, not the sync protocol's revision.
struct HistoryJSON: Decodable {
    var sequence: Int64
    var id: String
    var record: String
    var reference: String?
    var kind: String
    var section: String?
    var sectionReference: String?
    var tag: String?
    var parents: [String]
    var origin: String
    var counter: Int64
    var clock: Int64
    var author: String
    var createdAt: String
    var source: String
    var summary: String
    var isHead: Bool
    var isCurrent: Bool
    var changes: [String]?
}
