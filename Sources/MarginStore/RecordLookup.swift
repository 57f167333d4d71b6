import GRDB

/// Reads the rows of many records in a few statements instead of one statement per record: a received page looks
/// up every record it touches before it is judged, and most of them (new notes) are not there at all. Each
/// statement names up to ``chunkSize`` ids as bound parameters, so ids are never spliced into SQL.
enum RecordLookup {
    /// Ids per statement: far below SQLite's limit on bound parameters (32,766).
    static let chunkSize = 500

    /// Runs the statement `head` + a list of placeholders + `tail` once per chunk of `ids` (each id once), calling
    /// `row` for every row. Each id stands for one `placeholder`, separated by commas.
    static func forEachRow(
        _ head: String, _ tail: String, placeholder: String = "?", ids: some Collection<String>, _ db: Database,
        _ row: (Row) throws -> Void
    ) throws {
        let ids = Array(ids)
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(start + chunkSize, ids.count)]
            let placeholders = Array(repeating: placeholder, count: chunk.count).joined(separator: ",")
            // A full chunk's statement is kept for the next page; the rest's, whose length varies from page to page,
            // is not, so that a long-running server does not keep one statement per length.
            let sql = head + placeholders + tail
            let statement = chunk.count == chunkSize ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
            let rows = try Row.fetchCursor(statement, arguments: StatementArguments(chunk))
            while let next = try rows.next() { try row(next) }
            start += chunkSize
        }
    }
}
