import GRDB

/// Appends many rows to one table with few statements: up to ``rowsPerStatement`` rows in each `INSERT … VALUES
/// (…), (…), …`, and tells each row's rowid.
///
/// A received page appends thousands of rows. One statement per row paid SQLite's cost of starting a statement
/// (binding, opening the table and each index, resetting) once per row; with many rows per statement it is paid
/// once per statement, and the table's pages are reached through cursors already open. Inserting 300,000
/// staged-heads rows with Python's `sqlite3`, one transaction per 3,000: 1.89 µs a row one by one, 1.09 µs in
/// statements of 50. It pays where a row is cheap to place: appended to a table whose indexes grow at their ends.
/// Where each row also goes into the middle of indexes, it did not: 100,000 revision rows, with the revision table's
/// indexes by identity and by record, cost 16.2–16.8 µs of CPU a row one by one and 20.8–28.1 µs in statements of
/// 32; without those indexes, 4.3–4.9 µs against 3.3–4.7 µs.
///
/// Rowids: SQLite gives the rows of one statement increasing rowids, each above every rowid in the table
/// before it, so they are consecutive exactly when the row at the last rowid less the count plus one is the
/// statement's first (any other row there would be a later row of the same statement, with another key). That is
/// checked for each statement; should it not hold, each row's rowid is looked up by its key instead.
struct MultiRowInsert {
    /// The most rows one statement inserts.
    static let rowsPerStatement = 32

    /// `INSERT INTO table (column, …) VALUES `, without the rows.
    private let head: String
    /// The statements of one row and of ``rowsPerStatement`` rows, made once.
    private let oneRowStatement: String
    private let fullStatement: String
    /// Values per row.
    private let width: Int
    /// `SELECT key FROM table WHERE rowid-column = ?`: the column that tells rows apart, read to check rowids.
    private let keyQuery: String
    /// The highest rowid of a row with a given key: each row's rowid, should a statement's not be consecutive.
    private let rowidQuery: String
    /// The place in a row of the values of ``keyQuery``'s key, which must be text.
    private let keyColumn: Int

    /// - Parameters:
    ///   - table: the table.
    ///   - columns: the columns each row gives a value of, in order.
    ///   - rowid: the table's rowid column (its `INTEGER PRIMARY KEY`).
    ///   - key: a text column whose values tell the rows of one call apart (no two rows of one ``insert(_:_:)``
    ///     share one); each statement's first row is found by it to check the rowids.
    init(into table: String, columns: [String], rowid: String, key: String) {
        precondition(columns.contains(key), "the key is one of the columns")
        head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        width = columns.count
        keyQuery = "SELECT \(key) FROM \(table) WHERE \(rowid) = ?"
        rowidQuery = "SELECT MAX(\(rowid)) FROM \(table) WHERE \(key) = ?"
        keyColumn = columns.firstIndex(of: key)!
        oneRowStatement = Self.statement(head: head, width: width, rows: 1)
        fullStatement = Self.statement(head: head, width: width, rows: Self.rowsPerStatement)
    }

    /// Inserts `rows` (each ``width`` values, the key's as `.text`) in order, and returns each one's rowid.
    func insert(_ rows: [[SQLiteValue]], _ db: Database) throws -> [Int64] {
        var rowids: [Int64] = []
        rowids.reserveCapacity(rows.count)
        var start = 0
        while start < rows.count {
            let count = min(Self.rowsPerStatement, rows.count - start)
            let statementRows = rows[start ..< start + count]
            var values: [SQLiteValue] = []
            values.reserveCapacity(count * width)
            for row in statementRows {
                precondition(row.count == width, "a row gives a value for each column")
                values += row
            }
            try db.cachedStatement(sql: statement(rows: count)).run(values)
            let last = db.lastInsertedRowID
            let first = last - Int64(count) + 1
            if try key(at: first, db) == key(of: statementRows.first!) {
                rowids += first ... last
            } else {
                for row in statementRows { rowids.append(try rowid(of: row, db)) }
            }
            start += count
        }
        return rowids
    }

    /// The statement that inserts `rows` rows (`statement(rows: 1)` is the table's plain one-row insert).
    func statement(rows: Int) -> String {
        switch rows {
        case 1: oneRowStatement
        case Self.rowsPerStatement: fullStatement
        default: Self.statement(head: head, width: width, rows: rows)
        }
    }

    private static func statement(head: String, width: Int, rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        return head + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    private func key(of row: [SQLiteValue]) -> String? {
        if case let .text(key) = row[keyColumn] { return key }
        return nil
    }

    /// The key of the row at `rowid`; nil when there is none.
    private func key(at rowid: Int64, _ db: Database) throws -> String? {
        try db.cachedStatement(sql: keyQuery).first([.integer(rowid)]) { $0.text(0) } ?? nil
    }

    /// The highest rowid of a row with `row`'s key: the row just inserted.
    private func rowid(of row: [SQLiteValue], _ db: Database) throws -> Int64 {
        guard let key = key(of: row),
            let found = try db.cachedStatement(sql: rowidQuery).first([.text(key)], { $0.integer(0) })
        else {
            throw MarginStoreError(.database("a row just inserted has no rowid"))
        }
        return found
    }
}
