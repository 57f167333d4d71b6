import Logging
import PostgresNIO

/// Runs work in one transaction on a connection leased from a connection source (which bounds the wait for one):
/// committed when the work returns, rolled back when it throws (the work's own error is what the caller sees).
enum PostgresTransaction {
    /// How a transaction sees the others.
    enum Isolation: String {
        /// Each statement sees what was committed before it began.
        case readCommitted = "READ COMMITTED"
        /// Every statement sees one snapshot, taken at the first; writing a row another transaction changed since
        /// fails with a serialization error (SQLSTATE 40001).
        case repeatableRead = "REPEATABLE READ"
    }

    static func run<Result: Sendable>(
        _ connections: PostgresConnectionSource, isolation: Isolation, readOnly: Bool = false, logger: Logger,
        _ work: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await connections.withConnection { connection in
            let mode = readOnly ? "READ ONLY" : "READ WRITE"
            try await connection.query(
                PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation.rawValue) \(mode)"), logger: logger)
            let result: Result
            do {
                result = try await work(connection)
            } catch {
                // A connection that cannot roll back is broken, and the pool replaces it; the work's error matters.
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            try await connection.query("COMMIT", logger: logger)
            return result
        }
    }

    /// The SQLSTATE of a server error, if it is one.
    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// True for the errors a transaction meets when a concurrent one changed the same rows: it may be run again.
    /// 40001 serialization failure, 40P01 deadlock, 23505 unique violation (a row inserted by a concurrent
    /// transaction that committed after this one's snapshot).
    static func isConflict(_ error: any Error) -> Bool {
        guard let state = sqlState(of: error) else { return false }
        return state == "40001" || state == "40P01" || state == "23505"
    }
}
