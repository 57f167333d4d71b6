import Foundation
import GRDB
import Testing
@testable import MarginStore

/// The section index keeps no copy of the text, so revising a report must remove each old entry with exactly the
/// text it was made of; a mistake would leave the index disagreeing with `section`.
@Suite("Section indexes without their own copy of the text")
struct SectionIndexesTests {
    static func page(_ body: String) -> Data {
        Data("县教育局2024年工作总结\n\n\(body)\n".utf8)
    }

    @Test("revising a report leaves the index in step with the sections")
    func revisionKeepsIndexesInStep() throws {
        let store = try StoreTestSupport.newStore()
        _ = try store.importReports(from: Self.page("一、师资建设\n今年新招聘教师四十名。\n二、校舍改造\n完成校舍维修十处。"), fileName: "a.txt")
        #expect(try store.search(text: "招聘教师").total == 1)
        #expect(try store.search(text: "师资").total >= 1)

        _ = try store.importReports(from: Self.page("一、师资建设\n今年培训骨干教师八十名。\n二、课程改革\n开设劳动教育课程。"), fileName: "a.txt")
        #expect(try store.search(text: "招聘教师").total == 0)
        #expect(try store.search(text: "校舍").total == 0)
        #expect(try store.search(text: "骨干教师").total == 1)
        #expect(try store.search(text: "劳动").total == 1)

        try store.write { db in
            try db.execute(sql: "INSERT INTO section_characters (section_characters) VALUES ('integrity-check')")
            let sections = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM section") ?? 0
            let indexed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM section_characters") ?? -1
            #expect(indexed == 0 || indexed == sections)
        }
    }

    @Test("an import lists its reports as waiting, and the first search indexes them")
    func firstSearchIndexesWaitingReports() throws {
        let store = try StoreTestSupport.newStore()
        _ = try store.importReports(from: Self.page("一、师资建设\n今年新招聘教师四十名。"), fileName: "a.txt")
        let waiting = try store.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM section_index_pending") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM section_characters WHERE section_characters MATCH '\"招 聘 教\"'") ?? 0)
        }
        #expect(waiting.0 == 1)
        #expect(waiting.1 == 0)
        #expect(try store.search(text: "招聘教师").total == 1)
        #expect(try store.search(text: "师资").total == 1)
        let after = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM section_index_pending") ?? -1 }
        #expect(after == 0)
    }

    @Test("while reports wait, a search that cannot index them reads the sections themselves", arguments: ["招聘教师", "师资", "教"])
    func waitingReportsAreSearchedBySubstring(query: String) throws {
        let store = try StoreTestSupport.newStore()
        _ = try store.importReports(from: Self.page("一、师资建设\n今年新招聘教师四十名。"), fileName: "a.txt")
        let (total, hits) = try store.read { db in
            #expect(try SectionIndexes.hasPending(db))
            let search = SectionSearch(query: query, tags: [], indexesComplete: false)
            return (try search.count(db).total, try search.best(10, db).count)
        }
        #expect(total >= 1)
        #expect(hits == total)
    }
}
