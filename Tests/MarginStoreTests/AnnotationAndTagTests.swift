import Foundation
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("Annotations and tags")
struct AnnotationAndTagTests {
    static func firstHeadingSection(_ store: MarginStore) throws -> SectionDetail {
        let report = try #require(try store.reports().first { $0.title.hasPrefix("第3篇") })
        let entry = try #require(try store.outline(of: report.shortID).sections.first { $0.level == 1 })
        return try store.section(entry.reference)
    }

    @Test func annotationRevisionsChainThroughEditAndDelete() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try Self.firstHeadingSection(store)
        let added = try store.addAnnotation(on: section.reference, text: "第一版")
        let edited = try store.editAnnotation(added.shortID, text: "第二版")
        #expect(edited.id == added.id)
        #expect(edited.text == "第二版")
        try store.deleteAnnotation(added.shortID)

        let history = try store.history(of: added.id.rawValue)
        #expect(history.map(\.revision.parents.count) == [0, 1, 1])
        #expect(history[1].revision.parents == [history[0].revision.id])
        #expect(history[2].revision.parents == [history[1].revision.id])
        #expect(history.map(\.revision.counter) == history.map(\.revision.counter).sorted())
        #expect(try store.section(section.reference).annotations.isEmpty)
        #expect(throws: MarginStoreError.self) { try store.editAnnotation(added.shortID, text: "太晚了") }
    }

    @Test func quotedAnnotationStoresItsAnchor() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try Self.firstHeadingSection(store)
        let quote = String(section.text.dropFirst(2).prefix(6))
        let annotation = try store.addAnnotation(on: section.reference, text: "注", quote: quote)
        let anchor = try #require(annotation.anchor)
        #expect(anchor.quote == quote)
        #expect(anchor.matches(section.text))
        #expect(try store.section(section.reference).annotations.map(\.id) == [annotation.id])
    }

    @Test func emptyAnnotationTextIsRefused() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try Self.firstHeadingSection(store)
        #expect(throws: MarginStoreError.self) { try store.addAnnotation(on: section.reference, text: "  ") }
    }

    @Test func taggingIsIdempotentAndUntagRemoves() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try Self.firstHeadingSection(store)
        #expect(try store.tag(section.reference, with: ["重点", "review", "重点"]) == ["review", "重点"])
        #expect(try store.tag(section.reference, with: ["重点"]).isEmpty)
        #expect(try store.section(section.reference).tags == ["review", "重点"])
        #expect(try store.tagCounts().map(\.tag).sorted() == ["review", "重点"])
        #expect(try store.untag(section.reference, removing: ["重点", "absent"]) == ["重点"])
        #expect(try store.section(section.reference).tags == ["review"])
        #expect(try store.changeLog(limit: 100).count == 23)
        #expect(try store.history(of: section.reference).count == 3)
    }

    @Test func tagsWithSpacesOrCommasAreRefused() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try Self.firstHeadingSection(store)
        for bad in ["two words", "a,b", "", String(repeating: "x", count: 65)] {
            #expect(throws: MarginStoreError.self) { try store.tag(section.reference, with: [bad]) }
        }
        #expect(try store.changeLog(limit: 100).count == 20)
    }

    @Test func referencesResolveByPrefixAndOutlineNumber() throws {
        let store = try StoreTestSupport.seededStore()
        let report = try store.reports()[0]
        #expect(try store.resolve(report.shortID) == .report(report.id))
        #expect(try store.resolve(report.id.rawValue.uppercased()) == .report(report.id))
        guard case .section(_, let owner) = try store.resolve(report.shortID + "/0") else {
            Issue.record("the preamble did not resolve")
            return
        }
        #expect(owner == report.id)
        #expect(throws: MarginStoreError.self) { try store.resolve(report.shortID + "/99") }
        #expect(throws: MarginStoreError.self) { try store.resolve("zz") }
        #expect(throws: MarginStoreError.self) { try store.resolve("0000000") }
    }
}
