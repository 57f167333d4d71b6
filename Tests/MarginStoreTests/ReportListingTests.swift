import Foundation
import GRDB
import ReportParser
import Testing
@testable import MarginStore

@Suite("Report listing: title order and pages")
struct ReportListingTests {
    /// The order the listing promises, written directly: digit runs by value, everything else by code point.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        func pieces(_ title: String) -> [(text: String, number: String?)] {
            var result: [(String, String?)] = []
            var digits = ""
            for scalar in title.unicodeScalars {
                if ("0"..."9").contains(scalar) {
                    digits.unicodeScalars.append(scalar)
                    continue
                }
                if !digits.isEmpty { result.append(("", digits)); digits = "" }
                result.append((String(scalar), nil))
            }
            if !digits.isEmpty { result.append(("", digits)) }
            return result
        }
        for (left, right) in zip(pieces(lhs), pieces(rhs)) {
            switch (left.number, right.number) {
            case let (l?, r?):
                let lv = String(l.drop { $0 == "0" }), rv = String(r.drop { $0 == "0" })
                if lv.count != rv.count { return lv.count < rv.count }
                if lv != rv { return lv < rv }
            case let (l?, nil):
                // A number sorts where its first digit would.
                if String(l.prefix(1)) != right.text { return l.unicodeScalars.first!.value < right.text.unicodeScalars.first!.value }
                return true
            case let (nil, r?):
                if left.text != String(r.prefix(1)) { return left.text.unicodeScalars.first!.value < r.unicodeScalars.first!.value }
                return false
            case (nil, nil):
                if left.text != right.text { return left.text.unicodeScalars.first!.value < right.text.unicodeScalars.first!.value }
            }
        }
        return pieces(lhs).count < pieces(rhs).count
    }

    @Test func numbersInTitlesCompareByValue() {
        let titles = ["第10篇 总结", "第2篇 总结", "第1篇 总结", "第02篇 计划", "篇一", "第100篇", "a9", "a10", "a:", "a", "#0042", "#41"]
        let sorted = titles.sorted { TitleOrder.key(for: $0) < TitleOrder.key(for: $1) }
        #expect(sorted.firstIndex(of: "第2篇 总结")! < sorted.firstIndex(of: "第10篇 总结")!)
        #expect(sorted.firstIndex(of: "第10篇 总结")! < sorted.firstIndex(of: "第100篇")!)
        #expect(sorted.firstIndex(of: "a9")! < sorted.firstIndex(of: "a10")!)
        #expect(sorted.firstIndex(of: "a10")! < sorted.firstIndex(of: "a:")!, "':' follows every digit")
        #expect(sorted.firstIndex(of: "#41")! < sorted.firstIndex(of: "#0042")!)
        #expect(TitleOrder.key(for: "第10篇") == "第0210篇")
        #expect(TitleOrder.key(for: "x007") == "x017")
        #expect(TitleOrder.key(for: "0") == "010")
    }

    @Test func keysOrderRandomTitlesAsTheWrittenRuleDoes() {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("title order seed: \(seed)")
        var generator = SeededGenerator(state: seed)
        let alphabet = Array("0123456789第篇a-:#（）")
        let titles = (0..<300).map { _ in
            String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        for (lhs, rhs) in zip(titles, titles.shuffled(using: &generator)) {
            let byKey = TitleOrder.key(for: lhs) < TitleOrder.key(for: rhs)
            #expect(byKey == Self.precedes(lhs, rhs), "seed \(seed): \(lhs) vs \(rhs)")
        }
    }

    @Test func pagesFollowTheOrderAndCountEveryReport() throws {
        let store = try StoreTestSupport.newStore()
        let titles = (1...30).map { "第\($0)篇 工作总结" }.shuffled()
        _ = try store.importReports(titles.map(Self.report), fileName: "many.txt")
        let all = try store.reports()
        #expect(all.map(\.title) == (1...30).map { "第\($0)篇 工作总结" })

        var paged: [ReportSummary] = []
        for offset in stride(from: 0, to: 35, by: 7) {
            let page = try store.reports(offset: offset, limit: 7)
            #expect(page.total == 30)
            #expect(page.offset == offset)
            #expect(page.remaining == max(0, 30 - offset - 7))
            paged += page.items
        }
        #expect(paged == all)
        #expect(try store.reports(offset: 40, limit: 7).items.isEmpty)
        #expect(try store.reports(offset: 0, limit: nil).items.count == 30)
    }

    @Test func theMigrationGivesExistingReportsTheirOrder() throws {
        let folder = StoreTestSupport.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: (folder as NSString).appendingPathComponent(MarginStore.databaseFileName))
        try StoreSchema.migrator.migrate(queue, upTo: "v8-change-log-in-revisions-and-heads-in-records")
        try queue.write { db in
            for (id, title) in [("r1", "第10篇"), ("r2", "第2篇")] {
                try db.execute(
                    sql: "INSERT INTO report (id, title, section_count, revision_id) VALUES (?, ?, 0, 'x')",
                    arguments: [id, title])
            }
        }
        try StoreSchema.migrator.migrate(queue, upTo: "v9-report-title-order")
        let ordered = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT title FROM report ORDER BY title_order")
        }
        #expect(ordered == ["第2篇", "第10篇"])
    }

    static func report(_ title: String) -> ParsedReport {
        ParsedReport(title: title, sections: [
            ParsedSection(level: 0, label: "", heading: "", text: title + "\n前言。", parentIndex: nil),
        ])
    }
}
