import MarginCore
import PostgresRevisionStore

/// What some store work did (receiving a page, checking a replica): its value, or the store's error (any other error as
/// `.database`), so that concurrent pushes can be awaited together and judged after.
func storeResult<Value>(_ work: () async throws -> Value) async -> Result<Value, PostgresRevisionStoreError> {
    do {
        return .success(try await work())
    } catch let error as PostgresRevisionStoreError {
        return .failure(error)
    } catch {
        return .failure(PostgresRevisionStoreError(.database("\(error)")))
    }
}
