import Foundation
import GRDB
import MarginTestSupport
import Testing
@testable import MarginCore
@testable import MarginStore

/// Notes are searched through a one-token-per-character index that keeps no text (schema v19): a query of one or
/// two ideographs is answered by the index instead of reading every note, and an edit or a deletion must remove
/// exactly the entry it replaces, locally and in a received page.
@Suite("Notes searched by character")
struct AnnotationCharacterIndexTests {
    /// Ideographs, letters of both cases, a digit and punctuation: short texts that share characters often.
    private static let alphabet: [Character] = ["核", "实", "数", "据", "a", "A", "b", "B", "7", "，", "。", "\""]

    private static func randomText(_ random: inout SplitMix64) -> String {
        String((0..<Int.random(in: 1...7, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
    }

    /// The live notes a query must find: one or two characters exactly; three or more up to the case of letters.
    private static func expected(_ query: String, in notes: [RecordID: String]) -> Set<RecordID> {
        let folds = query.unicodeScalars.count >= 3
        return Set(notes.filter { folds ? $0.value.lowercased().contains(query.lowercased()) : $0.value.contains(query) }.keys)
    }

    private static func foundNotes(_ query: String, in store: MarginStore) throws -> [SearchHit] {
        try store.search(text: query, limit: 10_000).items.filter { $0.kind == .annotation }
    }

    @Test("random notes, edits and deletions, written and received in pages: each query finds exactly the notes holding it")
    func randomHistory() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("notes searched by character: seed \(seed)")
        var random = SplitMix64(seed: seed)
        let a = try StoreTestSupport.seededStore(author: "a")
        let b = try StoreTestSupport.newStore(author: "b")
        try ReceivedRevisionTests.copy(from: a, to: b)
        let sections = try a.outline(of: try a.reports()[0].shortID).sections.map(\.reference)
        var notes: [RecordID: String] = [:]
        var written: [String] = []
        var pages = 0
        for step in 0..<80 {
            let live = notes.keys.sorted { $0.rawValue < $1.rawValue }
            let roll = Int.random(in: 0..<10, using: &random)
            let text = Self.randomText(&random)
            if live.isEmpty || roll < 5 {
                let note = try a.addAnnotation(on: sections.randomElement(using: &random)!, text: text)
                notes[note.id] = text
                written.append(text)
            } else if roll < 8 {
                let id = live.randomElement(using: &random)!
                _ = try a.editAnnotation(id.rawValue, text: text)
                notes[id] = text
                written.append(text)
            } else {
                let id = live.randomElement(using: &random)!
                _ = try a.deleteAnnotation(id.rawValue)
                notes[id] = nil
            }
            // Pages of one to a dozen revisions, each received at once.
            if step == 79 || Int.random(in: 0..<6, using: &random) == 0 {
                let before = try b.versionVector()
                let page = try ReceivedRevisionTests.log(of: a).filter { $0.counter > before[$0.origin] ?? 0 }
                try b.receive(page, source: "test")
                pages += 1
                let problems = try AnnotationIndexAudit.problems(in: b, probes: written)
                try #require(problems.isEmpty, "seed \(seed), step \(step): \(problems)")
            }
        }
        #expect(pages > 1)
        for store in [a, b] {
            let problems = try AnnotationIndexAudit.problems(in: store, probes: written)
            #expect(problems.isEmpty, "seed \(seed): \(problems)")
        }
        var queries = Set(Self.alphabet.map(String.init))
        for first in Self.alphabet { for second in Self.alphabet { queries.insert(String([first, second])) } }
        for text in notes.values where text.count >= 3 {
            let characters = Array(text)
            let start = Int.random(in: 0...(characters.count - 3), using: &random)
            let three = String(characters[start..<(start + 3)])
            queries.formUnion([three, three.uppercased(), three.lowercased()])
        }
        for query in queries.sorted() {
            let expected = Self.expected(query, in: notes)
            for store in [a, b] {
                let hits = try Self.foundNotes(query, in: store)
                #expect(Set(hits.compactMap(\.annotationID)) == expected, "seed \(seed), query \(query)")
                #expect(hits.count == expected.count, "seed \(seed), query \(query)")
                #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >), "seed \(seed), query \(query)")
            }
        }
    }

    @Test("two ideographs find notes through the index, and letters keep the case the query gives them")
    func shortQueries() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try store.outline(of: try store.reports()[0].shortID).sections[0].reference
        let checked = try store.addAnnotation(on: section, text: "数据需要核实。")
        let apart = try store.addAnnotation(on: section, text: "核，实")
        let upper = try store.addAnnotation(on: section, text: "OK，已阅")
        let lower = try store.addAnnotation(on: section, text: "ok，已阅")
        let ids = { (query: String) in Set(try Self.foundNotes(query, in: store).compactMap(\.annotationID)) }
        #expect(try ids("核实") == [checked.id])
        #expect(try ids("核") == [checked.id, apart.id])
        #expect(try ids("核，") == [apart.id], "punctuation is read from the text")
        #expect(try ids("OK") == [upper.id], "one or two letters match exactly")
        #expect(try ids("ok") == [lower.id])
        #expect(try ids("Ok，已") == [upper.id, lower.id], "three characters or more match up to case")
        #expect(try store.search(text: "核实", limit: 10).total >= 1)
        _ = try store.editAnnotation(checked.shortID, text: "数据已经确认。")
        #expect(try ids("核实").isEmpty)
        #expect(try ids("确认") == [checked.id])
        _ = try store.deleteAnnotation(apart.shortID)
        #expect(try ids("核").isEmpty)
        let problems = try AnnotationIndexAudit.problems(in: store, probes: ["数据需要核实。", "核，实"])
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("a store from v18 has its notes' trigram index replaced, and finds the same notes and two-character ones")
    func migrationFromTrigrams() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try store.outline(of: try store.reports()[0].shortID).sections[1].reference
        let kept = try store.addAnnotation(on: section, text: "口径需要核实，见附件2")
        let edited = try store.addAnnotation(on: section, text: "初稿：核实数据")
        _ = try store.editAnnotation(edited.shortID, text: "定稿：数据无误")
        let deleted = try store.addAnnotation(on: section, text: "作废：核实过了")
        _ = try store.deleteAnnotation(deleted.shortID)
        let path = store.path
        // Rewound to v18: the notes' trigram index, holding its own copy of every live note's text.
        try store.write { db in
            try db.execute(sql: """
                DROP TABLE annotation_characters;
                CREATE VIRTUAL TABLE annotation_fts USING fts5(text, tokenize = 'trigram');
                INSERT INTO annotation_fts (rowid, text) SELECT rowid, text FROM annotation WHERE deleted = 0;
                DELETE FROM grdb_migrations WHERE identifier = '\(AnnotationIndexMigration.identifier)';
                """)
        }
        let reopened = try MarginStore.open(at: path)
        let tables = try reopened.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema") }
        #expect(!tables.contains("annotation_fts"))
        #expect(tables.contains("annotation_characters"))
        #expect(try AnnotationIndexAudit.problems(in: reopened, probes: ["初稿：核实数据", "作废：核实过了"]).isEmpty)
        #expect(try Self.foundNotes("核实", in: reopened).compactMap(\.annotationID) == [kept.id])
        #expect(try Self.foundNotes("数据无误", in: reopened).compactMap(\.annotationID) == [edited.id])
        // Notes the migration indexed are edited and deleted like any other.
        _ = try reopened.editAnnotation(kept.shortID, text: "已核对")
        _ = try reopened.deleteAnnotation(edited.shortID)
        #expect(try AnnotationIndexAudit.problems(in: reopened, probes: ["口径需要核实，见附件2", "定稿：数据无误"]).isEmpty)
        #expect(try Self.foundNotes("核", in: reopened).compactMap(\.annotationID) == [kept.id])
    }
}
