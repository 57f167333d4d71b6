import GRDB
import Testing
@testable import MarginStore

/// Statements run through the SQLite C API bind, read and fail exactly as through GRDB.
@Suite("Statements run directly")
struct DirectStatementTests {
    private static func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE note (id TEXT PRIMARY KEY, count INTEGER, remark TEXT)")
        }
        return queue
    }

    @Test func valuesAreBoundInOrderAndReadBack() throws {
        let queue = try Self.database()
        try queue.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO note (id, count, remark) VALUES (?, ?, ?)")
            try insert.run([.text("甲"), .integer(42), .text("数据口径需要再核实")])
            try insert.run([.text("乙"), .integer(nil), .text(nil)])
            let select = try db.cachedStatement(sql: "SELECT count, remark FROM note WHERE id = ?")
            let first = try select.first([.text("甲")]) { ($0.integer(0), $0.text(1)) }
            #expect(first?.0 == 42)
            #expect(first?.1 == "数据口径需要再核实")
            let second = try select.first([.text("乙")]) { $0.text(1) }
            #expect(second == .some(nil))
            #expect(try select.first([.text("丙")]) { _ in true } == nil)
            // GRDB reads the same rows.
            #expect(try Row.fetchAll(db, sql: "SELECT * FROM note ORDER BY count") == [
                ["id": "乙", "count": nil, "remark": nil], ["id": "甲", "count": 42, "remark": "数据口径需要再核实"],
            ])
        }
    }

    @Test func aFailureThrowsTheSQLiteErrorAndLeavesTheStatementUsable() throws {
        let queue = try Self.database()
        try queue.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO note (id, count, remark) VALUES (?, ?, ?)")
            try insert.run([.text("甲"), .integer(1), .null])
            #expect {
                try insert.run([.text("甲"), .integer(2), .null])
            } throws: { error in
                (error as? DatabaseError)?.resultCode == .SQLITE_CONSTRAINT
                    && (error as? DatabaseError)?.message?.contains("UNIQUE") == true
            }
            try insert.run([.text("乙"), .integer(3), .null])
            #expect(try Int.fetchOne(db, sql: "SELECT SUM(count) FROM note") == 4)
        }
    }
}
