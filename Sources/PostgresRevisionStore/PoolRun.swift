import AsyncSignals
import Logging
import PostgresNIO

/// Runs a `PostgresClient`'s pool while some work runs, and stops it afterwards without waiting on it forever.
///
/// A pool's `run()` returns once its task is cancelled and every connection it made, and every timer it set, has
/// ended. A timer that the pool loses track of while it shuts down never ends, and `run()` never returns: a task group
/// holding it as a child cannot end either, so a `margin serve --database` stopped with SIGTERM, or a test, would hang
/// there. The pool here runs in a task of its own instead; once the work is done it is cancelled and awaited for at
/// most `shutdownWait`, then left to end on its own (the process is about to end or no longer uses it).
public enum PoolRun {
    /// How long a stopped pool is awaited before it is left behind.
    public static let defaultShutdownWait: Duration = .seconds(10)

    /// Starts `client.run()`, waits until its task has started, runs `body`, then stops the pool (see the type).
    public static func whileRunning<Result>(
        _ client: PostgresClient, shutdownWait: Duration = defaultShutdownWait,
        logger: Logger = PostgresRevisionRepository.silentLogger, _ body: () async throws -> Result
    ) async throws -> Result {
        let (started, markStarted) = AsyncStream<Void>.makeStream()
        let pool = Task {
            markStarted.finish()
            await client.run()
        }
        for await _ in started {}
        do {
            let result = try await body()
            await stop(pool, within: shutdownWait, logger: logger)
            return result
        } catch {
            await stop(pool, within: shutdownWait, logger: logger)
            throw error
        }
    }

    /// Cancels `pool` and waits for it to end, at most `wait`; true when it ended.
    @discardableResult
    static func stop(_ pool: Task<Void, Never>, within wait: Duration, logger: Logger) async -> Bool {
        pool.cancel()
        let first = FirstOutcome<Bool>()
        // Two unstructured waiters: a child task awaiting a pool that never ends would keep its group from ending.
        Task { await pool.value; first.settle(true) }
        let deadline = Task {
            try? await Task.sleep(for: wait)
            first.settle(false)
        }
        let ended = await first.value()
        deadline.cancel()
        if !ended {
            logger.warning("The PostgreSQL connection pool did not stop within \(wait); it is left to end on its own.")
        }
        return ended
    }
}
