import GRDB
import Testing
@testable import MarginStore

/// Rows appended several to a statement keep their order and are told their rowids, whether SQLite gives a
/// statement's rows consecutive rowids (always, so far) or not (made so here by a trigger that slips a row of its
/// own before each).
@Suite("Rows inserted several to a statement")
struct MultiRowInsertTests {
    static let insert = MultiRowInsert(into: "item", columns: ["name", "size"], rowid: "seq", key: "name")

    static func rows(_ count: Int, from first: Int = 0) -> [[SQLiteValue]] {
        (first ..< first + count).map { [.text("item \($0)"), .integer(Int64($0))] }
    }

    /// Each rowid returned holds the row given in its place.
    static func expectEachRowAtItsRowid(_ rows: [[SQLiteValue]], _ rowids: [Int64], _ db: Database) throws {
        #expect(rowids.count == rows.count)
        for (row, rowid) in zip(rows, rowids) {
            guard case let .text(name) = row[0] else { Issue.record("a row without its name"); continue }
            let stored = try String.fetchOne(db, sql: "SELECT name FROM item WHERE seq = ?", arguments: [rowid])
            #expect(stored == name, "rowid \(rowid)")
        }
    }

    @Test func rowsOfSeveralStatementsAreAppendedInOrderAndToldTheirRowids() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE item (seq INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, size INTEGER)")
            // Two full statements and a short one, then one row alone, after rows already there.
            let before = try Self.insert.insert(Self.rows(3, from: 1_000), db)
            let rows = Self.rows(2 * MultiRowInsert.rowsPerStatement + 5)
            let rowids = try Self.insert.insert(rows, db)
            try Self.expectEachRowAtItsRowid(rows, rowids, db)
            #expect(rowids == Array(before.last! + 1 ... before.last! + Int64(rows.count)))
            let single = try Self.insert.insert(Self.rows(1, from: 500), db)
            try Self.expectEachRowAtItsRowid(Self.rows(1, from: 500), single, db)
            #expect(try Self.insert.insert([], db).isEmpty)
            let sizes = try Int64.fetchAll(db, sql: "SELECT size FROM item ORDER BY seq")
            #expect(sizes == [1_000, 1_001, 1_002] + (0 ..< Int64(rows.count)) + [500])
        }
    }

    @Test func rowsWhoseStatementGotNoConsecutiveRowidsAreFoundByTheirKeys() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE item (seq INTEGER PRIMARY KEY, name TEXT NOT NULL, size INTEGER);
                CREATE TRIGGER item_shadow BEFORE INSERT ON item WHEN NEW.size >= 0 BEGIN
                    INSERT INTO item (name, size) VALUES ('shadow of ' || NEW.name, -1);
                END;
                """)
            let rows = Self.rows(MultiRowInsert.rowsPerStatement + 3)
            let rowids = try Self.insert.insert(rows, db)
            try Self.expectEachRowAtItsRowid(rows, rowids, db)
            // The fault landed: the rows are not consecutive.
            #expect(rowids.last! - rowids.first! + 1 > Int64(rows.count))
        }
    }
}
