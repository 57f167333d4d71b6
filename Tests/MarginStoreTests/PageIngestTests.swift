import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

/// A received page is checked revision by revision but materialized once per record: these tests pin down that
/// the result is the same as appending the revisions one at a time.
@Suite("Applying a received page")
struct PageIngestTests {
    /// A store holding the seed reports (as `a`'s revisions) and the first section of its first report.
    private static func seededPair() throws -> (a: MarginStore, b: MarginStore, section: String) {
        let a = try StoreTestSupport.seededStore(author: "a")
        let b = try StoreTestSupport.newStore(author: "b")
        try ReceivedRevisionTests.copy(from: a, to: b)
        return (a, b, try a.outline(of: try a.reports()[0].shortID).sections[0].reference)
    }

    @Test func anAnnotationCreatedAndEditedInOnePageShowsItsLastTextOnly() throws {
        let (a, b, section) = try Self.seededPair()
        let before = try b.versionVector()
        let note = try a.addAnnotation(on: section, text: "初稿批注")
        try a.editAnnotation(note.id.rawValue, text: "定稿批注")
        let page = try ReceivedRevisionTests.log(of: a).filter { $0.counter > before[$0.origin] ?? 0 }
        #expect(page.count == 2)
        let outcome = try b.receive(page, source: "test")
        #expect(outcome == ReceiveOutcome(accepted: 2, duplicates: 0))
        let received = try b.annotation(note.id.rawValue)
        #expect(received.text == "定稿批注")
        // Authorship and creation time are the first revision's, as when the two arrive in separate pages.
        #expect(received.createdAt == page[0].createdAt)
        #expect(received.updatedAt == page[1].createdAt)
        #expect(!received.conflicted)
        #expect(try b.history(of: note.id.rawValue).count == 2)
        #expect(try b.find(text: "定稿批注").contains { $0.annotation == received.shortID })
        #expect(try b.find(text: "初稿批注").isEmpty)
        let heads = try b.read { db in try RevisionLedger.heads(of: note.id, db) }
        #expect(heads == [page[1].id])
    }

    @Test func concurrentEditsArrivingInOnePageAreKeptAsAConflict() throws {
        let (a, b, section) = try Self.seededPair()
        let note = try a.addAnnotation(on: section, text: "原文")
        try ReceivedRevisionTests.copy(from: a, to: b)
        try a.editAnnotation(note.id.rawValue, text: "甲的修改")
        try b.editAnnotation(note.id.rawValue, text: "乙的修改")
        // A third peer gets everything in one page, B's log repeating revisions it already took from A's.
        let c = try StoreTestSupport.newStore(author: "c")
        let page = try ReceivedRevisionTests.log(of: a) + ReceivedRevisionTests.log(of: b)
        let outcome = try c.receive(page, source: "test")
        #expect(outcome.accepted + outcome.duplicates == page.count)
        #expect(outcome.accepted == Set(page.map(\.id)).count)
        try ReceivedRevisionTests.copy(from: b, to: a)
        let onA = try a.annotation(note.id.rawValue)
        let onC = try c.annotation(note.id.rawValue)
        #expect(onC.conflicted && onA.conflicted)
        #expect(onC.text == onA.text)
        #expect(try c.read { db in try RevisionLedger.heads(of: note.id, db) }.count == 2)
        #expect(try c.openConflictCount() == 1)
    }

    @Test func aReusedCounterIsRejectedAndThePageLeavesNothing() throws {
        let (a, b, section) = try Self.seededPair()
        let before = try b.changeLog(limit: 1000).count
        _ = try a.addAnnotation(on: section, text: "第一条")
        let genuine = try ReceivedRevisionTests.log(of: a).last!
        // Same origin and counter, different content: what a peer that lost its store and started over would send.
        let impostor = Revision(
            record: genuine.record, kind: genuine.kind, parents: [], origin: genuine.origin, counter: genuine.counter,
            clock: genuine.clock, author: genuine.author, createdAt: genuine.createdAt,
            body: genuine.body.replacingOccurrences(of: "第一条", with: "冒名"))
        try b.receive([genuine], source: "test")
        #expect {
            try b.receive([impostor], source: "test")
        } throws: { error in
            "\(error)".contains("already used counter \(genuine.counter)")
        }
        #expect(try b.changeLog(limit: 1000).count == before + 1)
        #expect(try b.integrityProblems().isEmpty)
    }

    @Test func editsOfOlderNotesBetweenNewOnesLeaveASoundSearchIndex() throws {
        let (a, b, section) = try Self.seededPair()
        let older = try (0..<4).map { try a.addAnnotation(on: section, text: "旧批注\($0)号") }
        try ReceivedRevisionTests.copy(from: a, to: b)
        let before = try b.versionVector()
        // One page that writes the search index out of row order: new notes, and edits and a deletion of the
        // older ones (lower rows) in between.
        let fresh = try a.addAnnotation(on: section, text: "新批注甲")
        _ = try a.editAnnotation(older[2].id.rawValue, text: "改过的二号")
        let later = try a.addAnnotation(on: section, text: "新批注乙")
        _ = try a.deleteAnnotation(older[1].id.rawValue)
        _ = try a.editAnnotation(older[0].id.rawValue, text: "改过的零号")
        _ = try a.editAnnotation(fresh.id.rawValue, text: "新批注甲又改")
        let page = try ReceivedRevisionTests.log(of: a).filter { $0.counter > before[$0.origin] ?? 0 }
        #expect(page.count == 6)
        try b.receive(page, source: "test")
        let problems = try AnnotationIndexAudit.problems(
            in: b, probes: older.map(\.text) + ["新批注甲", "改过的二号"])
        #expect(problems.isEmpty, "\(problems)")
        let expected = [
            "改过的零号": older[0].id, "旧批注3号": older[3].id, "改过的二号": older[2].id,
            "新批注甲又改": fresh.id, "新批注乙": later.id,
        ]
        for (text, id) in expected {
            let hits = try b.find(text: text)
            #expect(hits.count == 1, "\(text)")
            #expect(hits.first?.annotation == (try b.annotation(id.rawValue)).shortID, "\(text)")
        }
        for gone in ["旧批注0号", "旧批注1号", "旧批注2号"] {
            #expect(try b.find(text: gone).isEmpty, "\(gone)")
        }
        #expect(try b.find(text: "改过的").count == 2)
    }

    @Test func aTamperedRevisionDeepInALargePageRollsTheWholePageBack() throws {
        let (a, b, section) = try Self.seededPair()
        let before = (vector: try b.versionVector(), log: try b.changeLog(limit: 10_000).count)
        // Large enough that hashes are checked on another thread while the page is applied.
        for number in 0..<PageVerification.concurrentThreshold + 44 {
            _ = try a.addAnnotation(on: section, text: "批注\(number)")
        }
        var page = try ReceivedRevisionTests.log(of: a).filter { $0.counter > before.vector[$0.origin] ?? 0 }
        #expect(page.count >= PageVerification.concurrentThreshold)
        let victim = page.count - 10
        page[victim].body = page[victim].body.replacingOccurrences(of: "批注", with: "篡改")
        #expect {
            try b.receive(page, source: "test")
        } throws: { error in
            "\(error)".contains(page[victim].id.rawValue)
        }
        #expect(try b.versionVector() == before.vector)
        #expect(try b.changeLog(limit: 10_000).count == before.log)
        #expect(try b.find(text: "批注1").isEmpty)
        #expect(try b.integrityProblems().isEmpty)
        // The same page, tampered with and also out of order, is reported for the tampering.
        page.swapAt(0, 1)
        #expect {
            try b.receive(page, source: "test")
        } throws: { error in
            "\(error)".contains(page[victim].id.rawValue)
        }
    }

    /// A pulled page's notes are materialized from the bodies its check read (on the second thread for a page this
    /// large), or, for a body that reading declines (a member from a newer peer), from the body's text as before:
    /// either way B shows what A shows, and an edit on B keeps the newer peer's member.
    @Test func notesOfALargePulledPageShowWhatTheirAuthorShows() throws {
        let (a, b, section) = try Self.seededPair()
        let before = try b.versionVector()
        var notes: [AnnotationView] = []
        for number in 0..<PageVerification.concurrentThreshold + 20 {
            let quote = number % 3 == 0 ? String(try a.section(section).text.prefix(4)) : nil
            notes.append(try a.addAnnotation(on: section, text: "批注\(number)", quote: quote))
        }
        _ = try a.editAnnotation(notes[1].id.rawValue, text: "改过的一号")
        _ = try a.deleteAnnotation(notes[2].id.rawValue)
        var page = try ReceivedRevisionTests.log(of: a).filter { $0.counter > before[$0.origin] ?? 0 }
        #expect(page.count >= PageVerification.concurrentThreshold)

        // A note from a newer peer, whose body has a member this version does not know.
        let newer = PeerID(rawValue: "c0ffee00c0ffee00")
        let newerBody = page[0].body.replacingOccurrences(of: "{", with: #"{"color":"yellow","#, options: .anchored)
            .replacingOccurrences(of: "批注0", with: "新版本的批注")
        #expect(newerBody.hasPrefix(#"{"color":"yellow","#) && newerBody.contains("新版本的批注"))
        let newerNote = Revision(
            record: Identity.annotation(origin: newer, counter: 1), kind: .annotation, parents: [], origin: newer,
            counter: 1, clock: 1, author: "丙", createdAt: page[0].createdAt, body: newerBody)
        page.insert(newerNote, at: page.count / 2)
        #expect(try b.receive(page, source: "test").accepted == page.count)

        for note in notes {
            let (expected, received) = (try a.annotation(note.id.rawValue), try b.annotation(note.id.rawValue))
            #expect(received.text == expected.text && received.deleted == expected.deleted)
            #expect(received.anchor == expected.anchor && received.placement == expected.placement)
            #expect(received.updatedAt == expected.updatedAt && received.createdAt == expected.createdAt)
        }
        #expect(try b.annotation(newerNote.record.rawValue).text == "新版本的批注")
        let edited = try b.editAnnotation(newerNote.record.rawValue, text: "乙改过")
        let last = try #require(try ReceivedRevisionTests.log(of: b).last)
        #expect(last.record == edited.id && last.body.contains(#""color":"yellow""#) && last.body.contains("乙改过"))
        #expect(try b.integrityProblems().isEmpty)
    }

    @Test func aParentFromAnotherRecordInTheSamePageIsRejected() throws {
        let (a, b, section) = try Self.seededPair()
        let before = try b.versionVector()
        let first = try a.addAnnotation(on: section, text: "一")
        _ = try a.addAnnotation(on: section, text: "二")
        let page = try ReceivedRevisionTests.log(of: a).filter { $0.counter > before[$0.origin] ?? 0 }
        let firstRevision = page[0]
        // The second annotation's revision, rebuilt to name the first annotation's revision as its parent.
        let crossed = Revision(
            record: page[1].record, kind: page[1].kind, parents: [firstRevision.id], origin: page[1].origin,
            counter: page[1].counter, clock: page[1].clock, author: page[1].author, createdAt: page[1].createdAt,
            body: page[1].body)
        #expect {
            try b.receive([firstRevision, crossed], source: "test")
        } throws: { error in
            "\(error)".contains("belongs to another record")
        }
        #expect(throws: MarginStoreError.self) { try b.annotation(first.id.rawValue) }
        #expect(try b.versionVector() == before)
    }

    @Test func theVersionVectorAndHighestClockFollowEveryRevision() throws {
        let (a, b, section) = try Self.seededPair()
        let note = try a.addAnnotation(on: section, text: "甲")
        try a.tag(section, with: ["重点"])
        try ReceivedRevisionTests.copy(from: a, to: b)
        try b.editAnnotation(note.id.rawValue, text: "乙")
        for store in [a, b] {
            let (kept, derived) = try store.read { db in
                (
                    try Row.fetchAll(db, sql: "SELECT origin, counter, clock FROM sync_vector ORDER BY origin"),
                    try Row.fetchAll(db, sql: """
                        SELECT origin, MAX(counter) AS counter, MAX(clock) AS clock FROM revision
                        GROUP BY origin ORDER BY origin
                        """)
                )
            }
            #expect(kept == derived)
        }
        // B's edit comes after everything B received: its Lamport clock is higher than all of them.
        let edit = try ReceivedRevisionTests.log(of: b).last!
        #expect(try ReceivedRevisionTests.log(of: a).allSatisfy { $0.clock < edit.clock })
    }
}

@Suite("Short identities in a growing store")
struct ShortIdentityLengthTests {
    @Test func theKeptLengthEqualsAScanAfterLocalWritesAndAReceivedPage() throws {
        let a = try StoreTestSupport.seededStore(author: "a")
        let b = try StoreTestSupport.newStore(author: "b")
        let sections = try a.outline(of: try a.reports()[0].shortID).sections.map(\.reference)
        // 400 identities make a shared four-character prefix all but certain, so the length has to grow.
        for number in 0..<400 {
            _ = try a.addAnnotation(on: sections[number % sections.count], text: "批注 \(number)")
        }
        try ReceivedRevisionTests.copy(from: a, to: b)
        for store in [a, b] {
            let (kept, scanned) = try store.read { db in
                (try ShortIdentifiers.length(db), try ShortIdentifiers.scannedLength(db))
            }
            #expect(kept == scanned)
            #expect(kept >= ShortIdentifiers.minimumLength)
        }
        // Every short identity a listing prints still finds exactly its annotation.
        let listed = try b.outline(of: try b.reports()[0].shortID)
        #expect(listed.id.rawValue.hasPrefix(try b.reports()[0].shortID))
        let note = try a.read { db in try String.fetchOne(db, sql: "SELECT id FROM annotation ORDER BY id LIMIT 1")! }
        let length = try b.read { db in try ShortIdentifiers.length(db) }
        #expect(try b.annotation(String(note.prefix(length))).id.rawValue == note)
    }
}
