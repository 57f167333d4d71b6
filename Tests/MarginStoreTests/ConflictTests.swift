import Foundation
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("Conflicts: merged when possible, kept and resolvable when not")
struct ConflictTests {
    /// Two seeded peers sharing one annotation written by `a`.
    static func peersSharingAnAnnotation(_ text: String) throws -> (MarginStore, MarginStore, AnnotationView) {
        let a = try StoreTestSupport.seededStore(author: "a")
        let b = try StoreTestSupport.seededStore(author: "b")
        let section = try a.outline(of: try a.reports()[0].shortID).sections[0].reference
        let note = try a.addAnnotation(on: section, text: text)
        try ReceivedRevisionTests.copy(from: a, to: b)
        return (a, b, note)
    }

    static func exchange(_ a: MarginStore, _ b: MarginStore) throws {
        try ReceivedRevisionTests.copy(from: a, to: b)
        try ReceivedRevisionTests.copy(from: b, to: a)
    }

    @Test func editsOfDifferentPartsMergeSilentlyOnBothPeers() throws {
        let (a, b, note) = try Self.peersSharingAnAnnotation("师资建设需要加强,经费投入不足。")
        try a.editAnnotation(note.id.rawValue, text: "师资队伍建设需要加强,经费投入不足。")
        try b.editAnnotation(note.id.rawValue, text: "师资建设需要加强,经费投入明显不足。")
        try Self.exchange(a, b)
        for store in [a, b] {
            let merged = try store.annotation(note.id.rawValue)
            #expect(!merged.conflicted)
            #expect(merged.text == "师资队伍建设需要加强,经费投入明显不足。")
            #expect(try store.conflicts().isEmpty)
        }
    }

    @Test func overlappingEditsAreOneConflictShownAlikeOnBothPeers() throws {
        let (a, b, note) = try Self.peersSharingAnAnnotation("数据有误")
        try a.editAnnotation(note.id.rawValue, text: "数据正确")
        try b.editAnnotation(note.id.rawValue, text: "数据存疑")
        try Self.exchange(a, b)
        let onA = try a.conflicts()
        let onB = try b.conflicts()
        #expect(onA.count == 1)
        #expect(onA == onB)
        let conflict = try #require(onA.first)
        #expect(conflict.base?.text == "数据有误")
        #expect(Set(conflict.sides.map(\.text)) == ["数据正确", "数据存疑"])
        #expect(conflict.sides.allSatisfy { $0.differenceStart == 2 && $0.differenceEnd == 4 })
        // A plain edit is refused while the conflict is open.
        #expect(throws: MarginStoreError.self) { try a.editAnnotation(note.id.rawValue, text: "别的") }
    }

    @Test func resolvingOnOnePeerSettlesItEverywhereWithoutPingPong() throws {
        let (a, b, note) = try Self.peersSharingAnAnnotation("数据有误")
        try a.editAnnotation(note.id.rawValue, text: "数据正确")
        try b.editAnnotation(note.id.rawValue, text: "数据存疑")
        try Self.exchange(a, b)
        let keep = try #require(try b.conflicts().first?.sides.first { $0.text == "数据正确" })
        let resolved = try b.resolveConflict(note.shortID, keeping: keep.shortRevision)
        #expect(resolved.text == "数据正确")
        #expect(!resolved.conflicted)
        try Self.exchange(a, b)
        try Self.exchange(a, b)
        for store in [a, b] {
            #expect(try store.conflicts().isEmpty)
            #expect(try store.annotation(note.id.rawValue).text == "数据正确")
            let history = try store.history(of: note.id.rawValue)
            #expect(history.count == 4)
            #expect(history.last?.revision.parents.count == 2)
        }
        #expect(throws: MarginStoreError.self) { try a.resolveConflict(note.shortID, text: "再解决一次") }
    }

    @Test func editAgainstDeleteIsAConflictAndCanBeResolvedWithText() throws {
        let (a, b, note) = try Self.peersSharingAnAnnotation("原文")
        try a.editAnnotation(note.id.rawValue, text: "改过")
        try b.deleteAnnotation(note.id.rawValue)
        try Self.exchange(a, b)
        #expect(try a.conflicts().count == 1)
        #expect(try a.conflicts().first?.sides.contains { $0.deleted } == true)
        try a.resolveConflict(note.shortID, text: "改过,并保留")
        try Self.exchange(a, b)
        #expect(try b.annotation(note.id.rawValue).text == "改过,并保留")
        #expect(try b.conflicts().isEmpty)
    }

    @Test func deleteAgainstDeleteIsNotAConflict() throws {
        let (a, b, note) = try Self.peersSharingAnAnnotation("原文")
        try a.deleteAnnotation(note.id.rawValue)
        try b.deleteAnnotation(note.id.rawValue)
        try Self.exchange(a, b)
        #expect(try a.conflicts().isEmpty)
        #expect(try b.annotation(note.id.rawValue).deleted)
    }

    @Test func keepingARevisionThatIsNotInTheConflictIsRefused() throws {
        let (a, b, note) = try Self.peersSharingAnAnnotation("数据有误")
        try a.editAnnotation(note.id.rawValue, text: "数据正确")
        try b.editAnnotation(note.id.rawValue, text: "数据存疑")
        try Self.exchange(a, b)
        let before = try a.changeLog(limit: 1000).count
        #expect(throws: MarginStoreError.self) { try a.resolveConflict(note.shortID, keeping: "ffffffff") }
        #expect(try a.changeLog(limit: 1000).count == before)
    }
}

@Suite("Annotations survive report revisions")
struct ReanchorOnReimportTests {
    static let file = "002_91bd548f20111c10.txt"

    static func setUp() throws -> (MarginStore, String, String) {
        let store = try StoreTestSupport.seededStore()
        let (data, _) = try StoreTestSupport.seedData("002")
        let report = try #require(try store.reports().first { $0.title == "2016年11月教育局人事科工作总结" })
        let section = try #require(try store.outline(of: report.shortID).sections.first { $0.heading.contains("加强政治业务学习") })
        return (store, section.reference, String(decoding: data, as: UTF8.self))
    }

    @Test func movedQuoteIsFoundAgainAndApproximateMatchesAreAccepted() throws {
        let (store, section, text) = try Self.setUp()
        let exact = try store.addAnnotation(on: section, text: "注一", quote: "结合人事工作的性质")
        #expect(exact.placement == "exact")
        let changed = text.replacingOccurrences(of: "结合人事工作的性质", with: "首先,结合人事工作的性质")
        _ = try store.importReports(from: Data(changed.utf8), fileName: Self.file)
        let moved = try store.annotation(exact.shortID)
        #expect(moved.placement == "moved")
        #expect(moved.placedStart == exact.anchor!.start + 3)

        let edited = changed.replacingOccurrences(of: "结合人事工作的性质", with: "结合人事工作的特点")
        _ = try store.importReports(from: Data(edited.utf8), fileName: Self.file)
        #expect(try store.annotation(exact.shortID).placement == "approximate")
        #expect(try store.orphanedAnnotations().isEmpty)
    }

    @Test func unplaceableQuoteIsOrphanedKeptAndReanchorable() throws {
        let (store, section, text) = try Self.setUp()
        let detail = try store.section(section)
        let quote = "结合人事工作的性质"
        let note = try store.addAnnotation(on: section, text: "注二", quote: quote)
        let lines = detail.text.components(separatedBy: "\n")
        var changed = text
        for line in lines.dropFirst() where line.contains(quote) {
            changed = changed.replacingOccurrences(of: line, with: "本段已全部重写,内容与之前完全不同。")
        }
        _ = try store.importReports(from: Data(changed.utf8), fileName: Self.file)
        let orphan = try store.annotation(note.shortID)
        #expect(orphan.placement == "orphaned")
        #expect(orphan.anchor?.quote == quote)
        #expect(try store.orphanedAnnotations().map(\.id) == [note.id])

        let reanchored = try store.reanchorAnnotation(note.shortID, quote: "本段已全部重写")
        #expect(reanchored.placement == "exact")
        #expect(try store.orphanedAnnotations().isEmpty)
        #expect(try store.history(of: note.shortID).count == 2)
    }
}
