import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

/// Revisions received from another peer: the path sync uses, exercised here without a network.
@Suite("Receiving revisions from another peer")
struct ReceivedRevisionTests {
    /// Every revision `source` holds, in its log order.
    static func log(of source: MarginStore) throws -> [Revision] {
        try source.read { db in
            try Revision.fetchAll(db, sql: "SELECT * FROM revision ORDER BY seq")
        }
    }

    /// Copies every revision `source` has and `target` lacks, in `source`'s log order, as one page.
    static func copy(from source: MarginStore, to target: MarginStore) throws {
        try target.receive(try log(of: source), source: "test")
    }

    @Test func concurrentEditsOfOneAnnotationAreBothKeptAndMarked() throws {
        let a = try StoreTestSupport.seededStore(author: "a")
        let b = try StoreTestSupport.seededStore(author: "b")
        let section = try a.outline(of: try a.reports()[0].shortID).sections[0].reference
        let note = try a.addAnnotation(on: section, text: "原文")
        try Self.copy(from: a, to: b)
        try a.editAnnotation(note.id.rawValue, text: "A 的修改")
        try b.editAnnotation(note.id.rawValue, text: "B 的修改")
        try Self.copy(from: a, to: b)
        try Self.copy(from: b, to: a)
        let onA = try a.annotation(note.id.rawValue)
        let onB = try b.annotation(note.id.rawValue)
        #expect(onA.conflicted && onB.conflicted)
        #expect(onA.text == onB.text)
        #expect(try a.history(of: note.id.rawValue).count == 3)
        #expect(try b.history(of: note.id.rawValue).count == 3)
    }

    @Test func concurrentTagAndUntagKeepTheTag() throws {
        let a = try StoreTestSupport.seededStore(author: "a")
        let b = try StoreTestSupport.seededStore(author: "b")
        let section = try a.outline(of: try a.reports()[0].shortID).sections[0].reference
        try a.tag(section, with: ["x"])
        try Self.copy(from: a, to: b)
        try b.untag(section, removing: ["x"])
        try a.untag(section, removing: ["x"])
        try a.tag(section, with: ["x"])
        try Self.copy(from: a, to: b)
        try Self.copy(from: b, to: a)
        #expect(try a.section(section).tags == ["x"])
        #expect(try b.section(section).tags == ["x"])
    }

    @Test func receivingTwiceIsANoOpAndIdenticalImportsDoNotConflict() throws {
        let a = try StoreTestSupport.seededStore(author: "a")
        let b = try StoreTestSupport.seededStore(author: "b")
        try Self.copy(from: a, to: b)
        let count = try b.changeLog(limit: 1000).count
        try Self.copy(from: a, to: b)
        #expect(try b.changeLog(limit: 1000).count == count)
        #expect(count == 40)
        #expect(try b.reports().count == 20)
        #expect(try b.reports().allSatisfy { $0.conflicts == 0 })
        // Both peers show the same current report revision.
        try Self.copy(from: b, to: a)
        #expect(try a.reports().map(\.id) == b.reports().map(\.id))
        for report in try a.reports() {
            #expect(try a.outline(of: report.id.rawValue).revision == b.outline(of: report.id.rawValue).revision)
        }
    }

    @Test func tamperedOrOrphanRevisionsAreRejectedAndNothingIsWritten() throws {
        let a = try StoreTestSupport.seededStore(author: "a")
        let b = try StoreTestSupport.newStore(author: "b")
        let section = try a.outline(of: try a.reports()[0].shortID).sections[0].reference
        let note = try a.addAnnotation(on: section, text: "原文")
        try a.editAnnotation(note.id.rawValue, text: "改")
        let revisions = try a.history(of: note.id.rawValue).map(\.revision)

        var tampered = revisions[0]
        tampered.body = tampered.body.replacingOccurrences(of: "原文", with: "篡改")
        #expect(throws: MarginStoreError.self) { try b.receive([tampered], source: "test") }
        #expect(throws: MarginStoreError.self) { try b.receive([revisions[1]], source: "test") }
        #expect(try b.changeLog(limit: 10).isEmpty)
        #expect(try b.integrityProblems().isEmpty)
    }
}
