import GRDB
import Testing
@testable import MarginStore

@Suite("Full-text search")
struct SearchTests {
    @Test func longQueriesUseTheTrigramIndex() throws {
        let store = try StoreTestSupport.seededStore()
        let hits = try store.find(text: "教育质量")
        #expect(!hits.isEmpty)
        #expect(hits.allSatisfy { $0.snippet.contains("[教育质量]") })
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
    }

    @Test func shortQueriesFallBackToSubstringSearch() throws {
        let store = try StoreTestSupport.seededStore()
        let two = try store.find(text: "师资", limit: 500)
        #expect(!two.isEmpty)
        #expect(two.allSatisfy { $0.snippet.contains("[师资]") || $0.heading.contains("师资") })
        #expect(!(try store.find(text: "校")).isEmpty)
    }

    @Test func tagFilterKeepsOnlySectionsWithEveryTag() throws {
        let store = try StoreTestSupport.seededStore()
        let outline = try store.outline(of: try store.reports()[0].shortID)
        let tagged = outline.sections[1].reference
        try store.tag(tagged, with: ["a", "b"])
        try store.tag(outline.sections[0].reference, with: ["a"])
        #expect(try store.find(text: nil, tags: ["a", "b"]).map(\.reference) == [tagged])
        #expect(try store.find(text: nil, tags: ["a"]).count == 2)
        #expect(try store.find(text: "zzzz-nothing", tags: ["a"]).isEmpty)
    }

    @Test func annotationsAreSearchable() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try store.outline(of: try store.reports()[0].shortID).sections[0].reference
        let note = try store.addAnnotation(on: section, text: "需要核实这个数字")
        let hits = try store.find(text: "核实这个")
        #expect(hits.contains { $0.kind == .annotation && $0.annotation == note.shortID })
        try store.deleteAnnotation(note.shortID)
        #expect(!(try store.find(text: "核实这个")).contains { $0.kind == .annotation })
    }
}

@Suite("Short queries through the character index")
struct CharacterIndexTests {
    @Test func phraseKeepsOnlyLettersAndNumbers() {
        #expect(CharacterIndex.phrase("质量") == "\"质 量\"")
        #expect(CharacterIndex.phrase("校") == "\"校\"")
        #expect(CharacterIndex.phrase("a,") == nil)
        #expect(CharacterIndex.spaced("教育,") == "教 育 , ")
    }

    @Test func shortQueriesFindExactlyTheSectionsASubstringScanFinds() throws {
        let store = try StoreTestSupport.seededStore()
        for query in ["质量", "师资", "校", "xx", "、"] {
            let indexed = Set(try store.find(text: query, limit: 10_000).filter { $0.kind == .section }.map(\.reference))
            let scanned = Set(try store.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT section.outline, section.report_id FROM section
                    WHERE instr(section.text, ?) > 0 OR instr(section.heading, ?) > 0
                    """, arguments: [query, query])
            }.map { row in
                "\((row["report_id"] as String).prefix(try store.read { db in try ShortIdentifiers.length(db) }))/\(row["outline"] as String)"
            })
            #expect(indexed == scanned, "query \(query)")
            #expect(!indexed.isEmpty, "query \(query)")
        }
    }
}
