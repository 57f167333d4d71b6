import Foundation
import MarginStore
import Testing

@Suite("margin notes")
struct NotesCommandTests {
    /// 2020-06-01T12:00:00Z and 2024-06-01T12:00:00Z, in milliseconds.
    static let earlier: Int64 = 1_591_012_800_000
    static let later: Int64 = 1_717_243_200_000

    /// A seeded store plus the report of our own, with three notes written at known times by `tester`:
    /// one on a seed report in 2020, then two on our report in 2024 (the second quoted, on a tagged section).
    static func notedStore() async throws -> (sandbox: CLISandbox, own: String, seeded: SectionDetail, notes: [AnnotationView]) {
        let sandbox = try await CLISandbox.seeded()
        let own = try await SkippingReport.imported(into: sandbox)
        let seeded = try sandbox.open().someHeadingSection()
        let research = try SkippingReport.section("1、教研活动", of: own, in: sandbox)
        #expect(await sandbox.run("tag", research, "#重点").status == 0)
        let old = try MarginStore.open(at: sandbox.storePath, clock: .counting(from: earlier))
        let first = try old.addAnnotation(on: seeded.reference, text: "2020 年的批注")
        let recent = try MarginStore.open(at: sandbox.storePath, clock: .counting(from: later))
        let second = try recent.addAnnotation(on: "\(own)/1", text: "课程方案\n需要跟进")
        let third = try recent.addAnnotation(on: research, text: "教研频次", quote: "每月组织一次全区教研活动")
        return (sandbox, own, seeded, [first, second, third])
    }

    @Test("notes lists every note newest first with its report, section, heading, quote, author and time")
    func listsAcrossReports() async throws {
        let (sandbox, own, seeded, notes) = try await Self.notedStore()
        let listing = try await sandbox.run("notes", "--json").decode(ListingPage<NoteEntry>.self)
        #expect(listing.total == 3)
        #expect(listing.items.map(\.id) == notes.reversed().map(\.id))
        let quoted = listing.items[0]
        #expect(quoted.shortID == notes[2].shortID)
        #expect(quoted.report.rawValue.hasPrefix(own) && quoted.reportReference == own)
        #expect(quoted.reportTitle == SkippingReport.title)
        #expect(quoted.sectionReference == "\(own)/1.1")
        #expect(quoted.heading == "1、教研活动")
        #expect(quoted.quote == "每月组织一次全区教研活动")
        #expect(quoted.placement == "exact")
        #expect(quoted.author == "tester")
        #expect(quoted.createdAt == Timestamp(milliseconds: Self.later + 2))
        #expect(quoted.text == "教研频次")
        let oldest = listing.items[2]
        #expect(oldest.sectionReference == seeded.reference)
        #expect(oldest.reportTitle == seeded.reportTitle)
        #expect(oldest.quote == nil)

        let text = await sandbox.run("notes")
        #expect(text.status == 0)
        let blocks = text.output.components(separatedBy: "\n\n")
        #expect(blocks.count == 3)
        let lines = blocks[0].components(separatedBy: "\n")
        #expect(lines[0].hasPrefix("\(quoted.shortID)  tester, 2024-06-0"))
        #expect(lines[1] == "  \(own)/1.1  1、教研活动  — \(SkippingReport.title)")
        #expect(lines[2] == "  on “每月组织一次全区教研活动”")
        #expect(lines[3] == "    教研频次")
        #expect(blocks[1].hasSuffix("    课程方案\n    需要跟进"))
        #expect(blocks[2].contains(seeded.reference))
        #expect(!text.output.contains("Showing"), "nothing was cut")
    }

    @Test("--author keeps only that author's notes, from any peer")
    func byAuthor() async throws {
        let (sandbox, _, seeded, _) = try await Self.notedStore()
        let other = try await CLISandbox.initialized(author: "王老师")
        #expect(await other.run(["import"] + SeedFiles.paths).status == 0)
        #expect(await other.run("annotate", seeded.reference, "王老师的批注").status == 0)
        try ConflictCommandTests.exchange(sandbox, other)

        let wang = try await sandbox.run("notes", "--author", "王老师", "--json").decode(ListingPage<NoteEntry>.self)
        #expect(wang.items.map(\.text) == ["王老师的批注"])
        #expect(wang.total == 1)
        let tester = try await sandbox.run("notes", "--author", "tester", "--json").decode(ListingPage<NoteEntry>.self)
        #expect(tester.total == 3 && tester.items.allSatisfy { $0.author == "tester" })
        let nobody = await sandbox.run("notes", "--author", "nobody")
        #expect(nobody.status == 0)
        #expect(nobody.output == "No notes match.\n")
    }

    @Test("--tag keeps notes on sections carrying the tag, typed with or without #", arguments: ["重点", "#重点", "＃重点"])
    func byTag(_ typed: String) async throws {
        let (sandbox, own, _, notes) = try await Self.notedStore()
        let listing = try await sandbox.run("notes", "--tag", typed, "--json").decode(ListingPage<NoteEntry>.self)
        #expect(listing.items.map(\.id) == [notes[2].id])
        // A tag in use on a section without notes lists nothing, and succeeds.
        #expect(await sandbox.run("tag", "\(own)/0", "其他").status == 0)
        let none = await sandbox.run("notes", "--tag", "其他")
        #expect(none.status == 0)
        #expect(none.output == "No notes match.\n")
    }

    @Test("--tag with a tag no section carries fails (exit 1), naming it and close tags in use")
    func unknownTag() async throws {
        let (sandbox, _, _, _) = try await Self.notedStore()
        for arguments in [["notes", "--tag", "其他"], ["notes", "--tag", "#其他", "--json"]] {
            let result = await sandbox.run(arguments)
            #expect(result.status == 1)
            #expect(result.output.isEmpty)
            #expect(result.errors == "error: No section carries the tag #其他; `margin tags` lists the tags in use.\n")
        }
        let close = await sandbox.run("notes", "--tag", "重要")
        #expect(close.status == 1)
        #expect(close.errors.contains("No section carries the tag #重要 (did you mean #重点?)"), "\(close.errors)")
    }

    @Test("--tag that is not a tag (empty, spaces, a comma) is a usage error", arguments: ["", " ", "#", "a b", "a,b"])
    func malformedTag(_ value: String) async throws {
        let (sandbox, _, _, _) = try await Self.notedStore()
        let result = await sandbox.run("notes", "--tag", value)
        #expect(result.status == 64)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("--tag: "), "\(result.errors)")
        #expect(result.errors.contains("is not a usable tag"), "\(result.errors)")
    }

    @Test("--since takes a date (local midnight) or an ISO 8601 time, and keeps notes written from then on")
    func since() async throws {
        let (sandbox, _, _, notes) = try await Self.notedStore()
        let fromDate = try await sandbox.run("notes", "--since", "2022-01-01", "--json").decode(ListingPage<NoteEntry>.self)
        #expect(fromDate.items.map(\.id) == [notes[2].id, notes[1].id])
        // The second note was written at later + 1: an ISO time at that millisecond includes it, one after does not.
        let atSecond = Timestamp(milliseconds: Self.later + 1).iso8601
        let fromTime = try await sandbox.run("notes", "--since", atSecond, "--json").decode(ListingPage<NoteEntry>.self)
        #expect(fromTime.items.map(\.id) == [notes[2].id, notes[1].id])
        let afterSecond = try await sandbox.run("notes", "--since", "2024-06-01T12:00:00.002Z", "--json").decode(ListingPage<NoteEntry>.self)
        #expect(afterSecond.items.map(\.id) == [notes[2].id])
        #expect(try await sandbox.run("notes", "--since", "2099-01-01", "--json").decode(ListingPage<NoteEntry>.self).total == 0)
    }

    @Test("a --since that is not a date is a usage error", arguments: ["yesterday", "2024-13-01", "2024-6-1", ""])
    func badSince(_ value: String) async throws {
        let (sandbox, _, _, _) = try await Self.notedStore()
        let result = await sandbox.run("notes", "--since", value)
        #expect(result.status == 64)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("--since takes a date such as 2026-11-25"))
    }

    @Test("--report keeps one report's notes; a section or unknown reference is refused")
    func byReport() async throws {
        let (sandbox, own, seeded, notes) = try await Self.notedStore()
        let listing = try await sandbox.run("notes", "--report", own, "--json").decode(ListingPage<NoteEntry>.self)
        #expect(listing.items.map(\.id) == [notes[2].id, notes[1].id])
        let onSeed = try await sandbox.run("notes", "--report", String(seeded.reference.prefix { $0 != "/" }), "--json")
            .decode(ListingPage<NoteEntry>.self)
        #expect(onSeed.items.map(\.id) == [notes[0].id])

        let section = await sandbox.run("notes", "--report", seeded.reference)
        #expect(section.status == 1)
        #expect(section.errors.contains("is a section, but a report is needed"))
        let unknown = await sandbox.run("notes", "--report", try ShowCommandTests.unusedPrefix(in: sandbox.open()))
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("Nothing matches"))
    }

    @Test("--orphaned keeps notes whose quote or section left the text, and they say so")
    func orphaned() async throws {
        let (sandbox, own, _, notes) = try await Self.notedStore()
        #expect(try await sandbox.run("notes", "--orphaned", "--json").decode(ListingPage<NoteEntry>.self).total == 0)
        let changed = SkippingReport.text.replacingOccurrences(of: "每月组织一次全区教研活动，", with: "教研改为每季度一次，")
        // The same report. Its short form may have grown since it was first read: short forms share one length,
        // which a note whose random identity starts like another identity raises.
        #expect(try await SkippingReport.imported(into: sandbox, text: changed).hasPrefix(own))

        let listing = try await sandbox.run("notes", "--orphaned", "--json").decode(ListingPage<NoteEntry>.self)
        #expect(listing.items.map(\.id) == [notes[2].id])
        #expect(listing.items.first?.placement == "orphaned")
        #expect(listing.items.first?.quote == "每月组织一次全区教研活动")
        let text = await sandbox.run("notes", "--orphaned")
        #expect(text.lines.first?.hasSuffix("⚠ orphaned") == true)
        #expect(text.lines.contains("  was on “每月组织一次全区教研活动”"))
    }

    @Test("--conflicted keeps notes with unresolved concurrent edits")
    func conflicted() async throws {
        let (a, _, annotation) = try await ConflictCommandTests.conflicted()
        #expect(await a.run("annotate", try a.open().someHeadingSection().reference, "没有冲突").status == 0)
        let listing = try await a.run("notes", "--conflicted", "--json").decode(ListingPage<NoteEntry>.self)
        #expect(listing.items.map(\.id.rawValue) == [annotation])
        #expect(listing.items.first?.conflicted == true)
        #expect(try await a.run("notes", "--json").decode(ListingPage<NoteEntry>.self).total == 2)
        #expect(await a.run("notes", "--conflicted").lines.first?.contains("⚠ in conflict") == true)
    }

    @Test("--limit keeps the newest notes and says how many there are in all")
    func limit() async throws {
        let (sandbox, _, _, notes) = try await Self.notedStore()
        let listing = try await sandbox.run("notes", "--limit", "2", "--json").decode(ListingPage<NoteEntry>.self)
        #expect(listing.items.map(\.id) == [notes[2].id, notes[1].id])
        #expect(listing.total == 3)
        let text = await sandbox.run("notes", "--limit", "1")
        #expect(text.status == 0)
        #expect(text.lines.last == "Notes 1–1 of 3, newest first; see the next 1 with --offset 1, or more at once with --limit.")
        #expect(await sandbox.run("notes", "--limit", "0").status == 64)
    }

    @Test("--offset pages through the rest, and says when it is past the end")
    func offset() async throws {
        let (sandbox, _, _, notes) = try await Self.notedStore()
        let page = try await sandbox.run("notes", "--offset", "1", "--limit", "1", "--json").decode(ListingPage<NoteEntry>.self)
        #expect(page.items.map(\.id) == [notes[1].id])
        #expect(page.total == 3 && page.offset == 1)
        let last = await sandbox.run("notes", "--offset", "2")
        #expect(last.lines.last == "Notes 3–3 of 3, newest first.")
        #expect(last.output.contains(notes[0].shortID))
        let past = await sandbox.run("notes", "--offset", "5")
        #expect(past.status == 0)
        #expect(past.output == "No notes past the first 5; there are 3 notes.\n")
        #expect(await sandbox.run("notes", "--offset", "-1").status == 64)
    }

    @Test("filters combine: every condition must hold")
    func combined() async throws {
        let (sandbox, own, _, notes) = try await Self.notedStore()
        let both = try await sandbox.run("notes", "--report", own, "--tag", "重点", "--since", "2024-01-01", "--json")
            .decode(ListingPage<NoteEntry>.self)
        #expect(both.items.map(\.id) == [notes[2].id])
        let none = try await sandbox.run("notes", "--tag", "重点", "--since", "2099-01-01", "--json").decode(ListingPage<NoteEntry>.self)
        #expect(none.total == 0)
    }

    @Test("deleted notes are left out; a store without notes says how to add one")
    func deletedAndEmpty() async throws {
        let sandbox = try await CLISandbox.seeded()
        let empty = await sandbox.run("notes")
        #expect(empty.status == 0)
        #expect(empty.output.hasPrefix("No notes yet"))
        let section = try sandbox.open().someHeadingSection()
        let added = try sandbox.open().addAnnotation(on: section.reference, text: "将被删除")
        #expect(await sandbox.run("annotate", "--delete", added.shortID).status == 0)
        #expect(try await sandbox.run("notes", "--json").decode(ListingPage<NoteEntry>.self).total == 0)
    }
}
