import Foundation
import MarginCore
import MarginStore
import Testing

@Suite("margin log filters and the ids and references of log and history JSON")
struct LogFilterTests {
    /// A seeded store with, on one report A: a tag on section 1, an annotation (added then edited) on section 2;
    /// on another report B: a tag. Then 20 more tags on report B, so that A's changes are far from the newest.
    struct Scene {
        let sandbox: CLISandbox
        let reportA: ReportSummary
        let reportB: ReportSummary
        let tagged: String
        let annotated: String
        let annotation: AnnotationView
    }

    static func scene() async throws -> Scene {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let reports = try store.reports().filter { $0.sections > 3 }
        let (a, b) = (reports[0], reports[1])
        let sectionsA = try store.outline(of: a.shortID).sections.map(\.reference)
        let sectionsB = try store.outline(of: b.shortID).sections.map(\.reference)
        #expect(await sandbox.run("tag", sectionsA[1], "重点").status == 0)
        let annotation = try await sandbox.run("annotate", sectionsA[2], "初稿", "--json").decode(AnnotationView.self)
        #expect(await sandbox.run("annotate", "--edit", annotation.shortID, "定稿").status == 0)
        #expect(await sandbox.run("tag", sectionsB[1], "other").status == 0)
        for index in 0..<20 { #expect(await sandbox.run("tag", sectionsB[2], "filler\(index)").status == 0) }
        return Scene(sandbox: sandbox, reportA: a, reportB: b, tagged: sectionsA[1], annotated: sectionsA[2], annotation: annotation)
    }

    @Test("log REF keeps a report's, a section's or an annotation's changes, filtered before the limit")
    func byReference() async throws {
        let scene = try await Self.scene()
        let sandbox = scene.sandbox

        let report = try await sandbox.run("log", scene.reportA.shortID, "--json").decode([ChangeLogEntry].self)
        #expect(report.map(\.kind) == [.annotation, .annotation, .tag, .report])
        #expect(report.last?.record == scene.reportA.id)
        #expect(report[2].summary == "tagged #重点 on \(scene.tagged)")

        let section = try await sandbox.run("log", scene.tagged, "--json").decode([ChangeLogEntry].self)
        #expect(section.map(\.summary) == ["tagged #重点 on \(scene.tagged)"])
        let annotatedSection = try await sandbox.run("log", scene.annotated, "--json").decode([ChangeLogEntry].self)
        #expect(annotatedSection.map(\.record) == [scene.annotation.id, scene.annotation.id])

        let annotation = await sandbox.run("log", scene.annotation.shortID)
        #expect(annotation.status == 0)
        #expect(annotation.lines.count == 2)
        #expect(annotation.lines[0].contains("edited annotation"))
        #expect(annotation.lines[1].contains("annotated “初稿”"))

        // The newest of report A's changes is older than 21 others: filtering happens before the limit.
        let newest = await sandbox.run("log", scene.reportA.shortID, "--limit", "1")
        #expect(newest.lines.count == 1)
        #expect(newest.lines.first?.contains("edited annotation") == true)
        #expect(try await sandbox.run("log", scene.reportB.shortID, "--limit", "100", "--json").decode([ChangeLogEntry].self).count == 22)
    }

    @Test("log of an unknown reference exits 1")
    func unknownReference() async throws {
        let sandbox = try await CLISandbox.seeded()
        let result = await sandbox.run("log", try ShowCommandTests.unusedPrefix(in: sandbox.open()))
        #expect(result.status == 1)
        #expect(result.errors.contains("Nothing matches"))
    }

    @Test("--author keeps one person's changes")
    func byAuthor() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let section = try store.someHeadingSection()
        // Another person's store holds the same reports and tags a section; its revisions arrive here.
        let other = try await CLISandbox.initialized(author: "王老师")
        let otherStore = try other.open()
        _ = try otherStore.receive(try Self.everything(in: store), source: "peer")
        #expect(await other.run("tag", section.reference, "来自王老师").status == 0)
        _ = try store.receive(try Self.everything(in: otherStore).filter { $0.author == "王老师" }, source: "peer")

        let theirs = try await sandbox.run("log", "--author", "王老师", "--json").decode([ChangeLogEntry].self)
        #expect(theirs.map(\.summary) == ["tagged #来自王老师 on \(section.reference)"])
        #expect(theirs.first?.source == "peer")
        let mine = try await sandbox.run("log", "--author", "tester", "--limit", "100", "--json").decode([ChangeLogEntry].self)
        #expect(mine.count == SeedFiles.reportCount)
        #expect(await sandbox.run("log", "--author", "nobody").output == "No changes match.\n")
    }

    @Test("--since takes a date or an ISO 8601 time and keeps changes made from then on")
    func since() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let section = try store.someHeadingSection()
        // A change made long ago (by a peer whose revision arrives now).
        let body = BodyCoding.encode(TagBody(report: section.report, section: section.id, tag: "old", present: true))
        let old = Revision(
            record: Identity.tag("old", on: section.id), kind: .tag, parents: [], origin: PeerID.random(), counter: 1,
            clock: 1, author: "peer", createdAt: Timestamp(Self.utc("2020-01-01T12:00:00Z")).milliseconds, body: body)
        _ = try store.receive([old], source: "peer")
        let all = try store.changeLog(limit: 1000)

        let recent = try await sandbox.run("log", "--since", "2021-01-01", "--limit", "1000", "--json").decode([ChangeLogEntry].self)
        #expect(recent.count == all.count - 1)
        #expect(!recent.contains { $0.revision == old.id })
        let older = try await sandbox.run("log", "--since", "2019-12-30", "--limit", "1000", "--json").decode([ChangeLogEntry].self)
        #expect(older.count == all.count)
        let exact = try await sandbox.run("log", "--since", "2020-01-01T12:00:00Z", "--limit", "1000", "--json").decode([ChangeLogEntry].self)
        #expect(exact.count == all.count)
        let after = try await sandbox.run("log", "--since", "2020-01-01T12:00:00.001Z", "--limit", "1000", "--json").decode([ChangeLogEntry].self)
        #expect(after.count == all.count - 1)

        // Combined with a reference and an author.
        let combined = try await sandbox.run(
            "log", section.reference, "--author", "peer", "--since", "2019-01-01", "--json").decode([ChangeLogEntry].self)
        #expect(combined.map(\.revision) == [old.id])
        #expect(await sandbox.run("log", "--since", "2999-01-01").output == "No changes match.\n")
    }

    @Test("--since refuses what is not a date", arguments: ["yesterday", "2026-13-01", "2026-02-30", "26-1-1", ""])
    func badSince(_ value: String) async throws {
        let sandbox = try await CLISandbox.seeded()
        let result = await sandbox.run("log", "--since", value)
        #expect(result.status == 64)
        #expect(result.errors.contains("--since takes a date such as 2026-11-25"))
    }

    @Test("every id and reference in log --json is accepted: references by show and history, ids by history")
    func logReferencesAreAccepted() async throws {
        let scene = try await Self.scene()
        let sandbox = scene.sandbox
        let entries = try await sandbox.run("log", "--limit", "1000", "--json").decode([LogJSON].self)
        #expect(entries.count == SeedFiles.reportCount + 24)
        let kinds = Set(entries.map(\.kind))
        #expect(kinds == ["report", "annotation", "tag"])
        for entry in entries {
            let reference = try #require(entry.reference)
            #expect(await sandbox.run("show", reference).status == 0, "show \(reference)")
            let history = try await sandbox.run("history", reference, "--json").decode([HistoryJSON].self)
            #expect(history.contains { $0.id == entry.id }, "history \(reference) holds \(entry.id)")
            for id in [entry.id, entry.record, String(entry.id.prefix(10))] {
                let byID = try await sandbox.run("history", id, "--json").decode([HistoryJSON].self)
                #expect(byID.contains { $0.id == entry.id }, "history \(id)")
                #expect(Set(byID.map(\.record)) == [entry.record])
            }
            #expect(Timestamp.parse(entry.createdAt) != nil, "ISO 8601: \(entry.createdAt)")
            if entry.kind == "tag" {
                #expect(entry.reference == entry.sectionReference)
                #expect(entry.tag != nil && entry.section != nil)
            }
            if entry.kind == "annotation" {
                #expect(entry.reference == scene.annotation.shortID)
                #expect(entry.sectionReference == scene.annotated)
            }
        }
    }

    @Test("history JSON has its own fields, with ISO times and the records' references")
    func historyJSON() async throws {
        let scene = try await Self.scene()
        let entries = try await scene.sandbox.run("history", scene.annotation.shortID, "--json").decode([HistoryJSON].self)
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0.record == scene.annotation.id.rawValue && $0.reference == scene.annotation.shortID })
        #expect(entries.allSatisfy { Timestamp.parse($0.createdAt) != nil })
        #expect(entries[1].parents == [entries[0].id])
        #expect(entries.map(\.isCurrent) == [false, true])
        // No field of the sync protocol's revision form leaks in (its body is the protocol's business).
        let raw = await scene.sandbox.run("history", scene.annotation.shortID, "--json").output
        #expect(!raw.contains("\"body\""))
    }

    // MARK: - Helpers

    static func everything(in store: MarginStore) throws -> [Revision] {
        let page = try store.revisions(missingFrom: [:], limit: 100_000, maxBytes: .max) { $0.body.utf8.count }
        return page.revisions
    }

    static func utc(_ text: String) -> Date { Timestamp.parse(text)! }
}

/// `margin log --json` as a script reads it.
struct LogJSON: Decodable {
    var sequence: Int64
    var id: String
    var record: String
    var reference: String?
    var kind: String
    var section: String?
    var sectionReference: String?
    var tag: String?
    var origin: String
    var author: String
    var createdAt: String
    var source: String
    var summary: String
}
