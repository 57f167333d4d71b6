import Foundation
import GRDB
import Testing
@testable import MarginStore

@Suite("Full-text search")
struct SearchTests {
    @Test func longQueriesUseTheTrigramIndex() throws {
        let store = try StoreTestSupport.seededStore()
        let hits = try store.find(text: "教育质量")
        #expect(!hits.isEmpty)
        #expect(hits.allSatisfy { $0.snippet.match == "教育质量" })
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
    }

    @Test("a match in a heading weighs five times one in the text")
    func headingsWeighMore() throws {
        let store = try StoreTestSupport.newStore()
        // The first section holds 课程改革 once in its heading (and so once in its text, whose first line is the
        // heading); the second three times in its text alone. Weighted 5 and 1, the heading wins (6 against 3); the
        // other way round, the text would (6 against 15).
        let text = """
            第1篇 测试报告
            前言。
            一、课程改革
            本节讲其他事情，顺带一句话。
            二、其他工作
            课程改革，课程改革，课程改革。
            """
        _ = try store.importReports(from: Data(text.utf8), fileName: "report.txt")
        let hits = try store.find(text: "课程改革")
        #expect(hits.map(\.heading) == ["一、课程改革", "二、其他工作"], "\(hits.map(\.score))")
    }

    @Test func shortQueriesFallBackToSubstringSearch() throws {
        let store = try StoreTestSupport.seededStore()
        let two = try store.find(text: "师资", limit: 500)
        #expect(!two.isEmpty)
        #expect(two.allSatisfy { $0.snippet.match == "师资" || $0.heading.contains("师资") })
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
        // Every other character is a private-use token of its own: plane 15 for the basic plane.
        #expect(CharacterIndex.spaced("教育,") == "教 育 \u{F002C} ")
        #expect(CharacterIndex.spaced("师，资\n") == "师 \u{FFF0C} 资 \u{F000A} ")
        #expect(CharacterIndex.spaced("a😀") == "a \u{10F600} ")
        #expect(CharacterIndex.spaced("a\r\nb") == "a \u{E000} b ", "CR LF is one character: the shared separator")
        #expect(CharacterIndex.exactPhrase("a, b") == "\"a \u{F002C} \u{F0020} b\"")
        #expect(CharacterIndex.exactPhrase("x\"y") == "\"x \u{F0022} y\"")
        #expect(CharacterIndex.exactPhrase("a\r\nb") == nil)
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

@Suite("Search totals and pages")
struct SearchPageTests {
    /// Every hit of a query, one page at a time.
    static func pages(
        _ store: MarginStore, _ query: String, size: Int, rankingLimit: Int = SectionSearch.rankingLimit
    ) throws -> (hits: [SearchHit], totals: Set<Int>) {
        var hits: [SearchHit] = []
        var totals: Set<Int> = []
        var offset = 0
        while true {
            let page = try store.search(text: query, tags: [], offset: offset, limit: size, rankingLimit: rankingLimit)
            totals.insert(page.total)
            hits += page.items
            if page.items.count < size { break }
            offset += size
        }
        return (hits, totals)
    }

    static func key(_ hit: SearchHit) -> String { hit.reference + "|" + (hit.annotationID?.rawValue ?? "") }

    @Test("the total counts every match, and pages put together are the whole ranking", arguments: ["教育", "师", "质量", "幼儿园", "、"])
    func pagesAndTotal(_ query: String) throws {
        let store = try StoreTestSupport.seededStore()
        let section = try store.outline(of: try store.reports()[0].shortID).sections[0].reference
        _ = try store.addAnnotation(on: section, text: "批注：\(query)要再看")
        let whole = try store.search(text: query, limit: 10_000)
        #expect(whole.total == whole.items.count)
        #expect(whole.items.filter { $0.kind == .annotation }.count == 1)
        let (paged, totals) = try Self.pages(store, query, size: 7)
        #expect(totals == [whole.total])
        #expect(paged == whole.items)
        #expect(try store.search(text: query, limit: 3).remaining == whole.total - 3)
    }

    @Test("one or two characters find exactly the live notes holding them, most occurrences first, in stable pages")
    func shortQueriesFindLiveNotes() throws {
        let store = try StoreTestSupport.seededStore()
        let sections = try store.outline(of: try store.reports()[0].shortID).sections.map(\.reference)
        var notes: [String: String] = [:]
        for index in 0..<14 {
            let text = "第\(index)条：" + String(repeating: "核实，", count: index % 4) + "其余照旧"
            // Keyed by full identity: a later note can lengthen every short identity.
            let note = try store.addAnnotation(on: sections[index % sections.count], text: text)
            notes[note.id.rawValue] = text
        }
        let ids = notes.keys.sorted()
        for id in ids.prefix(2) {
            _ = try store.deleteAnnotation(id)
            notes[id] = nil
        }
        for (offset, id) in ids.dropFirst(2).prefix(3).enumerated() {
            let text = offset == 0 ? "改后不再提" : "改后：核实核实核实核实"
            _ = try store.editAnnotation(id, text: text)
            notes[id] = text
        }
        let expected = notes.filter { $0.value.contains("核实") }
        let whole = try store.search(text: "核实", limit: 10_000)
        let found = whole.items.filter { $0.kind == .annotation }
        #expect(Set(found.compactMap(\.annotationID?.rawValue)) == Set(expected.keys))
        #expect(found.count == expected.count)
        #expect(whole.total == whole.items.count)
        #expect(found.map(\.score) == found.map(\.score).sorted(by: >))
        #expect(found.first.map { notes[$0.annotationID!.rawValue]! } == "改后：核实核实核实核实")
        let (paged, totals) = try Self.pages(store, "核实", size: 3)
        #expect(totals == [whole.total])
        #expect(paged == whole.items)
    }

    @Test("above the ranking limit: notes first, then sections in report order, same matches and total", arguments: ["教育", "师", "幼儿园"])
    func unrankedOrder(_ query: String) throws {
        let store = try StoreTestSupport.seededStore()
        let section = try store.outline(of: try store.reports()[0].shortID).sections[1].reference
        _ = try store.addAnnotation(on: section, text: "批注：\(query)")
        let ranked = try store.search(text: query, limit: 10_000)
        let (unranked, totals) = try Self.pages(store, query, size: 5, rankingLimit: 0)
        #expect(totals == [ranked.total])
        #expect(Set(unranked.map(Self.key)) == Set(ranked.items.map(Self.key)))
        #expect(unranked.count == ranked.items.count)
        #expect(unranked.first?.kind == .annotation)
        // Sections follow in the order of the report listing, then of the outline.
        let order = try store.reports().flatMap { report in try store.outline(of: report.shortID).sections.map(\.reference) }
        let sections = unranked.filter { $0.kind == .section }.map(\.reference)
        #expect(sections == order.filter(Set(sections).contains))
        #expect(unranked.filter { $0.kind == .section }.allSatisfy { $0.score == 0 })
    }

    @Test(
        "notes above the ranking limit come unscored, in identity order, after the ranked sections",
        arguments: ["幼儿园", "质量", "核实"])
    func unrankedNotes(_ query: String) throws {
        let store = try StoreTestSupport.seededStore()
        let sections = try store.outline(of: try store.reports()[0].shortID).sections.map(\.reference)
        try store.indexWaitingSections()
        let phrase = try #require(CharacterIndex.match(for: query)?.phrase)
        let sectionCandidates = try store.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM section_characters WHERE section_characters MATCH ?", arguments: [phrase])
        } ?? 0
        // One more note than the limit, which every section candidate stays within; one deleted, one edited.
        var added: [String] = []
        for index in 0..<(sectionCandidates + 3) {
            let text = "第\(index)条：" + String(repeating: query, count: 1 + index % 3)
            added.append(try store.addAnnotation(on: sections[index % sections.count], text: text).id.rawValue)
        }
        _ = try store.deleteAnnotation(added[1])
        _ = try store.editAnnotation(added[0], text: "改后：\(query)")
        let live = added.enumerated().filter { $0.offset != 1 }.map(\.element)

        let ranked = try store.search(text: query, limit: 10_000)
        let (unranked, totals) = try Self.pages(store, query, size: 4, rankingLimit: sectionCandidates + 1)
        #expect(totals == [ranked.total])
        #expect(unranked.count == ranked.items.count)
        #expect(Set(unranked.map(Self.key)) == Set(ranked.items.map(Self.key)))
        let notes = unranked.filter { $0.kind == .annotation }
        #expect(notes.compactMap(\.annotationID?.rawValue) == live.sorted(), "in identity order")
        #expect(notes.allSatisfy { $0.score == 0 })
        // The sections are ranked as before, and all of them come first.
        let rankedSections = ranked.items.filter { $0.kind == .section }
        #expect(Array(unranked.prefix(rankedSections.count)) == rankedSections)
        #expect(rankedSections.allSatisfy { $0.score > 0 })
        // Below the limit the same notes are ranked, most occurrences first.
        let rankedNotes = ranked.items.filter { $0.kind == .annotation }
        #expect(rankedNotes.map(\.score) == rankedNotes.map(\.score).sorted(by: >))
        #expect(rankedNotes.first?.score ?? 0 > 0)
    }

    @Test("one ideograph is counted by the character index alone, and the count is exact")
    func exactCharacterCount() throws {
        let store = try StoreTestSupport.seededStore()
        #expect(CharacterIndex.isExact("师"))
        #expect(!CharacterIndex.isExact("a"), "the index folds case")
        #expect(CharacterIndex.isExact("师资"))
        #expect(!CharacterIndex.isExact("师资队"), "three characters are an exact phrase of their own (exactPhrase)")
        #expect(!CharacterIndex.isExact("ab"))
        let scanned = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM section WHERE instr(text, '师') > 0 OR instr(heading, '师') > 0")
        }
        #expect(try store.search(text: "师", limit: 1).total == scanned)
    }
}

@Suite("The character index keeps separators")
struct CharacterSeparatorTests {
    @Test("two ideographs with punctuation or a line break between them are not a match, and the count is exact")
    func separatedCharactersDoNotMatch() throws {
        let store = try StoreTestSupport.newStore()
        let text = "第1篇 师资总结\n前言。\n一、师，资的问题\n师\n资分开写。\n二、师资建设\n加强师资。"
        _ = try store.importReports(from: Data(text.utf8), fileName: "separators.txt")
        try store.indexWaitingSections()  // as the first search would
        let scanned = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM section WHERE instr(text, '师资') > 0 OR instr(heading, '师资') > 0")
        }
        let candidates = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM section_characters WHERE section_characters MATCH '\"师 资\"'")
        }
        #expect(candidates == scanned, "the index alone finds exactly the sections holding 师资")
        let page = try store.search(text: "师资", limit: 50)
        #expect(page.total == scanned)
        #expect(page.items.count == scanned)
        #expect(page.items.allSatisfy { $0.snippet.match == "师资" || $0.heading.contains("师资") })
    }

    @Test("the migration rebuilds an index written without separators")
    func migrationRebuildsTheIndex() throws {
        let folder = StoreTestSupport.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: (folder as NSString).appendingPathComponent(MarginStore.databaseFileName))
        try StoreSchema.migrator.migrate(queue, upTo: "v9-report-title-order")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO section (rowid, id, report_id, position, outline, level, label, heading, text)
                VALUES (1, 's1', 'r1', 0, '0', 0, '', '', '师，资'), (2, 's2', 'r1', 1, '1', 1, '一、', '师资', '一、师资');
                INSERT INTO section_characters (rowid, heading, text) VALUES (1, '', '师 资 '), (2, '师 资 ', '一 师 资 ');
                """)
        }
        try StoreSchema.migrator.migrate(queue, upTo: "v10-character-index-keeps-separators")
        let matches = try queue.read { db in
            try Int.fetchAll(db, sql: "SELECT rowid FROM section_characters WHERE section_characters MATCH '\"师 资\"'")
        }
        #expect(matches == [2])
    }
}

@Suite("Search totals leave out notes that cannot be shown")
struct SearchOrphanTests {
    @Test("a note whose section is gone is neither listed nor counted, through either annotation path", arguments: ["孤立批注", "孤立"])
    func orphanedNoteIsNotCounted(_ query: String) throws {
        let store = try StoreTestSupport.newStore()
        let before = "第1篇 测试报告\n前言。\n一、甲节\n这一节的内容。\n二、丙节\n另一节。\n"
        _ = try store.importReports(from: Data(before.utf8), fileName: "report.txt")
        let outline = try store.outline(of: try store.reports()[0].shortID)
        let first = try #require(outline.sections.first { $0.heading.hasPrefix("甲节") })
        let kept = try #require(outline.sections.first { $0.heading.hasPrefix("丙节") })
        _ = try store.addAnnotation(on: first.reference, text: "孤立批注一")
        _ = try store.addAnnotation(on: kept.reference, text: "孤立批注二")
        #expect(try store.search(text: query, limit: 10).total == 2)

        // The heading changes, so the first section is replaced by another and its note loses its section.
        let after = before.replacingOccurrences(of: "甲节", with: "乙节")
        _ = try store.importReports(from: Data(after.utf8), fileName: "report.txt")
        let page = try store.search(text: query, limit: 10)
        #expect(page.items.count == 1)
        #expect(page.total == page.items.count)
    }
}
