import GRDB
import GRDBSQLite

/// `SQLITE_TRANSIENT`: SQLite makes its own copy of the text or bytes it is given (a bound value, a function's
/// result).
let copiedBySQLite = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A value bound to a statement through the SQLite C API.
enum SQLiteValue {
    case text(String)
    case integer(Int64)
    case blob([UInt8])
    case null

    /// Text, or NULL for nil.
    static func text(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    /// An integer, or NULL for nil.
    static func integer(_ value: Int?) -> SQLiteValue { value.map { .integer(Int64($0)) } ?? .null }
    /// 1 or 0.
    static func boolean(_ value: Bool) -> SQLiteValue { .integer(value ? 1 : 0) }
}

/// The current row of a statement run through ``GRDB/Statement/first(_:_:)``; valid only inside its closure.
struct SQLiteRow {
    fileprivate let statement: SQLiteStatement

    /// The text in `column` (counted from 0); nil for NULL.
    func text(_ column: Int32) -> String? {
        guard let characters = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: characters, count: count), as: UTF8.self)
    }

    /// The integer in `column` (counted from 0); 0 for NULL.
    func integer(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }
}

extension Statement {
    /// Runs the statement to completion with `values` bound in order, through the SQLite C API.
    ///
    /// Receiving a page runs tens of thousands of statements, and GRDB's general argument handling (any
    /// `DatabaseValueConvertible`, validation, observation hooks) cost as much as a third of SQLite's own work
    /// on them. Bindings made here are never relied on elsewhere: every value is bound on each call, and GRDB
    /// rebinds all arguments whenever it runs a statement with arguments (these statements never run without).
    func run(_ values: [SQLiteValue]) throws {
        try bind(values)
        while true {
            let code = sqlite3_step(sqliteStatement)
            if code == SQLITE_DONE { break }
            if code != SQLITE_ROW { throw failure(code) }
        }
        sqlite3_reset(sqliteStatement)
    }

    /// Runs the statement with `values` bound in order, through the SQLite C API, and reads its first row with
    /// `read`; nil when there is no row.
    func first<Value>(_ values: [SQLiteValue], _ read: (SQLiteRow) throws -> Value) throws -> Value? {
        try bind(values)
        defer { sqlite3_reset(sqliteStatement) }
        switch sqlite3_step(sqliteStatement) {
        case SQLITE_ROW: return try read(SQLiteRow(statement: sqliteStatement))
        case SQLITE_DONE: return nil
        case let code: throw failure(code)
        }
    }

    /// Runs the statement with `values` bound in order, through the SQLite C API, reading each row with `read`.
    func each(_ values: [SQLiteValue], _ read: (SQLiteRow) throws -> Void) throws {
        try bind(values)
        defer { sqlite3_reset(sqliteStatement) }
        while true {
            switch sqlite3_step(sqliteStatement) {
            case SQLITE_ROW: try read(SQLiteRow(statement: sqliteStatement))
            case SQLITE_DONE: return
            case let code: throw failure(code)
            }
        }
    }

    private func bind(_ values: [SQLiteValue]) throws {
        let statement = sqliteStatement
        sqlite3_reset(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .text(var text):
                code = text.withUTF8 { bytes in
                    sqlite3_bind_text(statement, index, bytes.baseAddress, Int32(bytes.count), copiedBySQLite)
                }
            case let .integer(number):
                code = sqlite3_bind_int64(statement, index, number)
            case let .blob(bytes):
                code = bytes.withUnsafeBytes { bytes in
                    sqlite3_bind_blob(statement, index, bytes.baseAddress, Int32(bytes.count), copiedBySQLite)
                }
            case .null:
                code = sqlite3_bind_null(statement, index)
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(sqliteStatement)))
        sqlite3_reset(sqliteStatement)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
    }
}

extension Database {
    /// Runs one statement that takes no arguments, such as a `PRAGMA`, straight through SQLite.
    ///
    /// `execute(sql:)` reads its text as GRDB's SQL literal first, whose first use in a process looks up protocol
    /// conformances by scanning the whole executable: about 0.3 ms of every `margin` command, paid on opening the
    /// store.
    func executeDirectly(_ sql: String) throws {
        try makeStatement(sql: sql).execute()
    }
}
