import Foundation
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("A conflict resolved two ways on two peers stays a conflict: no resolution is dropped, no text is made up")
struct CrissCrossTests {
    /// Two peers in conflict over one note (A's and B's edits), the same on both, and the two sides' revisions.
    static func peersInConflict() throws -> (MarginStore, MarginStore, AnnotationView, ConflictView) {
        let (a, b, note) = try ConflictTests.peersSharingAnAnnotation("数据有误")
        try a.editAnnotation(note.id.rawValue, text: "Alice view")
        try b.editAnnotation(note.id.rawValue, text: "Bob view")
        try ConflictTests.exchange(a, b)
        let conflict = try a.conflict(note.shortID)
        try #require(conflict.sides.count == 2)
        return (a, b, note, conflict)
    }

    @Test func aMergedTextOnOnePeerAndAKeptSideOnTheOtherAreAConflictOfThoseTwo() throws {
        let (a, b, note, conflict) = try Self.peersInConflict()
        let bobs = try #require(conflict.sides.first { $0.text == "Bob view" })
        try a.resolveConflict(note.shortID, text: "Alice view; Bob view")
        try b.resolveConflict(note.shortID, keeping: bobs.shortRevision)
        try ConflictTests.exchange(a, b)
        for store in [a, b] {
            let now = try store.conflict(note.shortID)
            #expect(Set(now.sides.map(\.text)) == ["Alice view; Bob view", "Bob view"])
            #expect(try store.annotation(note.shortID).conflicted)
        }
        #expect(try a.conflict(note.shortID) == b.conflict(note.shortID))
    }

    @Test func eachPeerKeepingItsOwnSideIsStillAConflict() throws {
        let (a, b, note, conflict) = try Self.peersInConflict()
        let alices = try #require(conflict.sides.first { $0.text == "Alice view" })
        let bobs = try #require(conflict.sides.first { $0.text == "Bob view" })
        try a.resolveConflict(note.shortID, keeping: alices.shortRevision)
        try b.resolveConflict(note.shortID, keeping: bobs.shortRevision)
        try ConflictTests.exchange(a, b)
        for store in [a, b] {
            #expect(Set(try store.conflict(note.shortID).sides.map(\.text)) == ["Alice view", "Bob view"])
        }
        // Settled once more, it is settled everywhere.
        try a.resolveConflict(note.shortID, text: "Alice and Bob")
        try ConflictTests.exchange(a, b)
        for store in [a, b] {
            #expect(try store.conflicts().isEmpty)
            #expect(try store.annotation(note.shortID).text == "Alice and Bob")
        }
    }

    @Test func editsAfterOneSharedResolutionStillMergeOnItsText() throws {
        // One resolution, seen by both, is the single latest common ancestor of later edits: they merge as before.
        let (a, b, note, _) = try Self.peersInConflict()
        try a.resolveConflict(note.shortID, text: "Alice 和 Bob 的看法都有道理")
        try ConflictTests.exchange(a, b)
        try a.editAnnotation(note.id.rawValue, text: "Alice 和 Bob 的看法都很有道理")
        try b.editAnnotation(note.id.rawValue, text: "Alice 和 Bob 的看法都有道理。")
        try ConflictTests.exchange(a, b)
        for store in [a, b] {
            #expect(try store.conflicts().isEmpty)
            #expect(try store.annotation(note.shortID).text == "Alice 和 Bob 的看法都很有道理。")
        }
    }
}
