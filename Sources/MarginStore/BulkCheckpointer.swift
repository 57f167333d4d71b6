import Foundation
import GRDB
import Synchronization

/// Copies a bulk load's write-ahead log into the database file on a thread and connection of its own, while the
/// writer goes on writing (see ``BulkLoad``).
///
/// A first pull is one writer thread from its first page to its last materialized record, and a checkpoint run by
/// the writer itself (SQLite's automatic one, at a commit) stops it while a log of up to
/// ``BulkLoadSettings/loadCheckpointPages`` pages is read back and written into the file: about 5% of a first
/// pull's samples, on the thread everything else waits for, while the other core had time to spare. Here, a
/// passive checkpoint runs every ``intervalMilliseconds`` on another connection: it copies what is committed and
/// never waits for a lock or takes the writer's (its syncs of the log can still slow the writer's appends to it).
/// The writer's automatic checkpoint still runs when the log reaches its bound, and finds most of the log copied
/// already; once a checkpoint has copied it all, the writer's next transaction starts the log again from its
/// beginning.
///
/// Nothing here changes what is durable: a passive checkpoint copies only committed pages, in the order and with
/// the syncs SQLite's own checkpoints use. It stops with the load (``stop()``), with its store, or with the process.
final class BulkCheckpointer: Sendable {
    /// Milliseconds between two checkpoints. Each checkpoint syncs the log and the file, and the writer's appends
    /// to the log waited on those syncs (seen in its context switches): first pulls of 1,000,020 revisions, each
    /// binary in turn, took 53.3 and 53.0 s with 250 ms, 47.5 and 50.9 s with 1 s (a later round, with 2 s too,
    /// showed no difference beyond this machine's spread); longer, the writer's own checkpoint copies more.
    static let intervalMilliseconds = 1_000

    private struct State {
        var running: Thread?
        var stopping = false
        var stopped: DispatchSemaphore?
    }

    private let databasePath: String
    private let state = Mutex(State())
    /// Signalled to stop the thread's wait early.
    private let wake = DispatchSemaphore(value: 0)

    init(databasePath: String) {
        self.databasePath = databasePath
    }

    /// Whether the thread runs.
    var isRunning: Bool { state.withLock { $0.running != nil } }

    /// Starts the thread, unless it runs already. A connection that cannot be opened leaves the checkpoints to the
    /// writer, as without this.
    func start() {
        state.withLock { state in
            guard state.running == nil else { return }
            let stopped = DispatchSemaphore(value: 0)
            let path = databasePath
            let thread = Thread { [self] in
                defer { stopped.signal() }
                guard let connection = try? DatabaseQueue(path: path) else { return }
                defer { try? connection.close() }
                while !shouldStop() {
                    _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
                    _ = wake.wait(timeout: .now() + .milliseconds(Self.intervalMilliseconds))
                }
            }
            thread.name = "margin.bulk-checkpoint"
            state.running = thread
            state.stopping = false
            state.stopped = stopped
            thread.start()
        }
    }

    /// Stops the thread, if it runs, and waits until its connection is closed.
    func stop() {
        let stopped: DispatchSemaphore? = state.withLock { state in
            guard state.running != nil else { return nil }
            state.stopping = true
            return state.stopped
        }
        guard let stopped else { return }
        wake.signal()
        stopped.wait()
        state.withLock { state in
            state.running = nil
            state.stopped = nil
            state.stopping = false
        }
    }

    private func shouldStop() -> Bool {
        state.withLock { $0.stopping }
    }
}
