import MarginCore
import Testing
@testable import MarginStore

@Suite("A note too large for a revision")
struct TooLargeNoteTests {
    @Test("is refused with exact byte counts (a rounded size would equal the limit), and nothing is written")
    func refusedWithExactSizes() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try AnnotationAndTagTests.firstHeadingSection(store)
        let before = try store.changeLog(limit: 1_000).count
        let text = String(repeating: "字", count: RevisionLimits.maximumBodyBytes / 3 + 10)

        let error = try #require(throws: MarginStoreError.self) {
            try store.addAnnotation(on: section.reference, text: text)
        }
        guard case let .tooLarge(bytes, limit) = error.kind else {
            Issue.record("expected tooLarge, got \(error)")
            return
        }
        #expect(limit == RevisionLimits.maximumBodyBytes)
        #expect(bytes > limit)
        #expect(error.description.contains("would take \(bytes) bytes, \(bytes - limit) more than the \(limit)"))
        #expect(try store.changeLog(limit: 1_000).count == before)
    }
}
