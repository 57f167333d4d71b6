import MarginCore
import PostgresRevisionStore

/// What receiving a page did: its outcome, or the store's error (any other error as `.database`), so that concurrent
/// pushes can be awaited together and judged after.
func receiveResult(_ work: () async throws -> ReceiveOutcome) async -> Result<ReceiveOutcome, PostgresRevisionStoreError> {
    do {
        return .success(try await work())
    } catch let error as PostgresRevisionStoreError {
        return .failure(error)
    } catch {
        return .failure(PostgresRevisionStoreError(.database("\(error)")))
    }
}
