import Foundation
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("Unchanged edits and restoring deleted annotations")
struct AnnotationRestoreTests {
    @Test func anEditToTheCurrentTextWritesNothing() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try AnnotationAndTagTests.firstHeadingSection(store)
        let added = try store.addAnnotation(on: section.reference, text: "#重点 原文")
        let before = try store.changeLog(limit: 1_000).count

        let same = try store.changeAnnotationText(added.shortID, to: "  #重点 原文\n")
        #expect(!same.written, "surrounding blanks are trimmed, so the text is the same")
        #expect(same.annotation == added)
        #expect(try store.changeLog(limit: 1_000).count == before)
        #expect(try store.history(of: added.id.rawValue).count == 1)

        let changed = try store.changeAnnotationText(added.shortID, to: "#重点 新文")
        #expect(changed.written)
        #expect(changed.annotation.text == "#重点 新文")
        #expect(try store.changeLog(limit: 1_000).count == before + 1)
        // The plain edit call gets the same rule.
        try store.editAnnotation(added.shortID, text: "#重点 新文")
        #expect(try store.changeLog(limit: 1_000).count == before + 1)
    }

    @Test func reanchoringToTheCurrentAnchorWritesNothing() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try AnnotationAndTagTests.firstHeadingSection(store)
        let quote = String(section.text.dropFirst(2).prefix(6))
        let added = try store.addAnnotation(on: section.reference, text: "注", quote: quote)
        let before = try store.changeLog(limit: 1_000).count

        let same = try store.moveAnnotationAnchor(added.shortID, toQuote: quote)
        #expect(!same.written)
        #expect(same.annotation.anchor == added.anchor)
        #expect(try store.changeLog(limit: 1_000).count == before)

        let other = String(section.text.dropFirst(10).prefix(5))
        let moved = try store.moveAnnotationAnchor(added.shortID, toQuote: other)
        #expect(moved.written)
        #expect(moved.annotation.anchor?.quote == other)
        #expect(try store.changeLog(limit: 1_000).count == before + 1)
    }

    @Test func restoreBringsBackTheLastLiveTextAndAnchor() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try AnnotationAndTagTests.firstHeadingSection(store)
        let firstQuote = String(section.text.dropFirst(2).prefix(6))
        let secondQuote = String(section.text.dropFirst(10).prefix(5))
        let added = try store.addAnnotation(on: section.reference, text: "第一版", quote: firstQuote)
        try store.editAnnotation(added.shortID, text: "第二版")
        let moved = try store.reanchorAnnotation(added.shortID, quote: secondQuote)
        try store.deleteAnnotation(added.shortID)
        #expect(try store.section(section.reference).annotations.isEmpty)

        let restored = try store.restoreAnnotation(added.shortID)
        #expect(!restored.deleted)
        #expect(restored.text == "第二版")
        #expect(restored.anchor == moved.anchor)
        #expect(restored.anchor?.quote == secondQuote)
        #expect(try store.section(section.reference).annotations.map(\.id) == [added.id])
        let history = try store.history(of: added.id.rawValue)
        #expect(history.count == 5)
        #expect(history.last?.revision.parents == [history[3].revision.id], "a new revision on top of the delete")

        // Deleted again after an edit: the restore takes the newest live text, not the first.
        try store.editAnnotation(added.shortID, text: "第三版")
        try store.deleteAnnotation(added.shortID)
        #expect(try store.restoreAnnotation(added.shortID).text == "第三版")
    }

    @Test func restoringALiveAnnotationIsRefusedAndWritesNothing() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try AnnotationAndTagTests.firstHeadingSection(store)
        let added = try store.addAnnotation(on: section.reference, text: "还在")
        let before = try store.changeLog(limit: 1_000).count
        #expect {
            try store.restoreAnnotation(added.shortID)
        } throws: { error in
            guard let error = error as? MarginStoreError, case .annotationNotDeleted = error.kind else { return false }
            return error.description.contains("not deleted")
        }
        #expect(try store.changeLog(limit: 1_000).count == before)
        #expect(throws: MarginStoreError.self) { try store.restoreAnnotation("zzzz") }
    }
}
