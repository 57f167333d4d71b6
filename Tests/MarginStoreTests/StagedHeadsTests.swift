import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

/// A bulk load's pages append their records' heads to `bulk_record_heads` instead of writing `record`; the load's
/// end, a full map, or another process folds them into `record`, and every way ends where a page-by-page pull ends.
@Suite("Heads staged by a bulk load")
struct StagedHeadsTests {
    typealias Load = BulkLoadTests

    static func stagedRows(_ store: MarginStore) throws -> (rows: Int, records: Int) {
        try store.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bulk_record_heads") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT record_id) FROM bulk_record_heads") ?? 0
            )
        }
    }

    static func recordRows(_ store: MarginStore) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record") ?? 0 }
    }

    @Test func aRecordIdentityOf32LowercaseHexadecimalDigitsIsKeyedByItsBitsAnyOtherByItsText() {
        let hex = "0123456789abcdef" + "fedcba9876543210"
        #expect(StagedHeads.Key(RecordID(rawValue: hex)) == .hexadecimal(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210))
        for other in [hex.uppercased(), String(hex.dropLast()), hex + "0", "not-hexadecimal-" + String(hex.prefix(16)), "报告"] {
            #expect(StagedHeads.Key(RecordID(rawValue: other)) == .text(other), "\(other)")
        }
        let swapped = String(hex.suffix(16) + hex.prefix(16))
        #expect(StagedHeads.Key(RecordID(rawValue: swapped)) == .hexadecimal(0xfedc_ba98_7654_3210, 0x0123_4567_89ab_cdef))
    }

    @Test func pagesStageHeadsAndTheFoldWritesEachRecordsLatestOnceInIdentityOrder() throws {
        let history = try Load.history.get()
        let plain = try Load.plainReplay(history)
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        for page in history.pages(of: 37) { try Load.receive(page, into: bulk, history) }

        #expect(try Self.recordRows(bulk) == 0, "no record row is written while the pages come in")
        let staged = try Self.stagedRows(bulk)
        #expect(staged.records == Set(history.revisions.map(\.record)).count)
        #expect(staged.rows > staged.records, "records edited on several pages were staged once per page")
        // Each committed page's rows were noted in the map as it committed: nothing is left to read back.
        #expect(bulk.stagedHeads.count == staged.records)
        let noted = try bulk.read { db in
            try Set(history.revisions.map(\.record)).map { try bulk.stagedHeads.held($0, db)?.heads.count ?? 0 }
        }
        try bulk.write { db in try bulk.stagedHeads.catchUp(db) }
        #expect(bulk.stagedHeads.count == staged.records)
        #expect(!noted.contains(0), "every record was named before the map read the table again")

        // Each record's latest staged heads are its heads by the ledger, and a write made now would name them.
        try bulk.read { db in
            for record in Set(history.revisions.map(\.record)) {
                let byLedger = try LedgerOnlyIngest.heads(of: record, db)
                #expect(try bulk.stagedHeads.held(record, db)?.heads.sorted { $0.rawValue < $1.rawValue } == byLedger)
                #expect(try RevisionLedger.heads(of: record, db) == byLedger)
            }
        }

        let folded = try bulk.write { db in try StagedHeads.fold(db) }
        #expect(folded == staged.records)
        #expect(try Self.stagedRows(bulk).rows == 0)
        let identities = try bulk.read { db in try String.fetchAll(db, sql: "SELECT id FROM record ORDER BY rowid") }
        #expect(identities == identities.sorted(), "written in identity order")
        #expect(try Load.unmaterializedCount(bulk) == staged.records)

        try bulk.finishBulkLoad()
        #expect(try Load.state(bulk) == Load.state(plain))
        #expect(try bulk.integrityProblems().isEmpty)
    }

    @Test func aFullMapFoldsTheHeadsInTheMiddleOfTheLoad() throws {
        let history = try Load.history.get()
        let plain = try Load.plainReplay(history)
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        bulk.stagedHeads.limit = 25
        var foldedMidway = false
        for page in history.pages(of: 37) {
            try Load.receive(page, into: bulk, history)
            #expect((bulk.stagedHeads.count ?? 0) <= 25 + page.count, "the map stays near its limit")
            if try Self.recordRows(bulk) > 0, try Self.stagedRows(bulk).rows > 0 { foldedMidway = true }
        }
        #expect(foldedMidway, "some records' heads were folded while later pages still staged others")
        try bulk.finishBulkLoad()
        #expect(try Self.stagedRows(bulk).rows == 0)
        #expect(try Load.state(bulk) == Load.state(plain))
    }

    @Test func pagesTakenInTurnByTwoProcessesLeaveTheMapNamingEachRecordsLatestHeads() throws {
        let history = try Load.history.get()
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        let other = try MarginStore.open(at: bulk.path)
        let pages = history.pages(of: 23)
        #expect(pages.count > 6)
        // This process takes the even pages, another (its own connection and map) the odd ones: each page's heads
        // build on the other's, which this map reads back while its own are noted as they commit.
        for (index, page) in pages.enumerated() {
            try Load.receive(page, into: index.isMultiple(of: 2) ? bulk : other, history)
        }
        try bulk.write { db in
            try bulk.stagedHeads.catchUp(db)
            for record in Set(history.revisions.map(\.record)) {
                let byLedger = try LedgerOnlyIngest.heads(of: record, db)
                #expect(try bulk.stagedHeads.held(record, db)?.heads.sorted { $0.rawValue < $1.rawValue } == byLedger)
            }
        }
        try bulk.finishBulkLoad()
        #expect(try Load.state(bulk) == Load.state(Load.plainReplay(history)))
    }

    @Test func aMapWhoseRowsAnotherProcessFoldedFindsTheHeadsInTheirRecords() throws {
        let history = try Load.history.get()
        let plain = try Load.plainReplay(history)
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        let pages = history.pages(of: 37)
        let half = pages.count / 2
        for page in pages[..<half] { try Load.receive(page, into: bulk, history) }
        try bulk.write { db in try bulk.stagedHeads.catchUp(db) }
        let named = try #require(bulk.stagedHeads.count)
        #expect(named > 0)

        // Another process folds what is staged: this one's map still names rows that are gone.
        let other = try MarginStore.open(at: bulk.path)
        try other.write { db in try StagedHeads.fold(db) }
        #expect(try Self.stagedRows(bulk).rows == 0)
        #expect(bulk.stagedHeads.count == named)

        for page in pages[half...] { try Load.receive(page, into: bulk, history) }
        try bulk.finishBulkLoad()
        #expect(try Load.state(bulk) == Load.state(plain))
        #expect(try bulk.integrityProblems().isEmpty)
    }
}
