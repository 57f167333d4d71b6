import AsyncSignals
import Logging
import PostgresNIO
import Synchronization

/// Where a repository's work gets its connections: the pooled client, with a deadline on the wait for one, and a
/// watch on the connection while the work runs.
///
/// **The wait for a connection.** While PostgreSQL cannot be reached, the pool keeps trying to connect and a lease
/// waits, and the pool gives up on waiting leases only when connecting has failed for a minute. A request would hang
/// that long; a load balancer or a client would time out first, without learning why. With a deadline, a lease that
/// waited ``wait`` while no other lease got a connection either fails as `.unreachable`, which a server answers 503
/// with `Retry-After`, and a client tries again later. A lease that waits while others get connections (every
/// connection busy, the database fine) waits on, as before, and so do leases before the first one was granted (the
/// pool starting; a database that cannot be reached at start-up is reported when the pool gives up).
///
/// **A connection that closes under the work.** postgres-nio drops a statement written to a connection whose channel
/// has already closed and let go of its handlers, without failing it: the statement's result is never delivered, and
/// the work would wait for it forever, holding its request (and, in a test, the test). The pool can even hand out a
/// connection that closed a moment before, when it has not yet heard of the close. So a leased connection found
/// closed fails the work at once as `.unreachable`, and while the work runs, its connection is checked every
/// ``closedCheck``: work still running at the second check that finds it closed is waiting on a reply that will
/// never come. The caller gets `.unreachable` (a statement that was never sent changed nothing, and a transaction cut
/// off before its `COMMIT` is rolled back by PostgreSQL), and the stuck work is left behind, with a warning.
/// **Work that does not end.** A PostgreSQL that stops answering but keeps its connections open (a frozen or
/// partitioned server), or a lock held elsewhere, would keep work on an open connection waiting with no bound, its
/// request and connection held. Work still running after ``workLimit`` fails as `.unreachable`, is left behind with
/// a warning, and its connection is closed: PostgreSQL rolls back what it had not committed, and the pool makes a
/// new connection. Schema migrations run without the limit (``withoutWorkLimit``): on a large database they may
/// take longer, once, at start.
struct PostgresConnectionSource: Sendable {
    /// The pooled client.
    let client: PostgresClient
    /// The longest a piece of work waits for a connection while no work gets one.
    let wait: Duration
    /// How often a running piece of work's connection is checked for having closed.
    let closedCheck: Duration
    /// The longest a piece of work may run on its connection; nil for no bound.
    private(set) var workLimit: Duration?
    /// Where work left behind is reported.
    let logger: Logger
    /// How many leases got their connection so far.
    private let granted = LeaseCount()

    /// The usual ``closedCheck``.
    static let defaultClosedCheck: Duration = .milliseconds(500)

    init(
        client: PostgresClient, wait: Duration, workLimit: Duration?, closedCheck: Duration = Self.defaultClosedCheck,
        logger: Logger
    ) {
        self.client = client
        self.wait = wait
        self.workLimit = workLimit
        self.closedCheck = closedCheck
        self.logger = logger
    }

    /// The same source, with no bound on how long work runs (for schema migrations).
    var withoutWorkLimit: PostgresConnectionSource {
        var unlimited = self
        unlimited.workLimit = nil
        return unlimited
    }

    /// Runs `work` on a leased connection, given back when `work` ends; throws `.unreachable` when no connection came
    /// within ``wait`` (the work has not started then, so nothing was done), when the connection leased is already
    /// closed, or when the connection closed under the work and the work did not end (see the type).
    func withConnection<Value: Sendable>(
        _ work: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        let lease = Lease()
        let outcome = FirstOutcome<Result<Value, any Error>>()
        let (client, granted) = (client, granted)
        // Unstructured, so that the caller can stop waiting for work that will never end (see the type).
        let worker = Task {
            do {
                let value = try await client.withConnection { connection in
                    // The deadline passed while this lease waited: the caller was told nothing was done, and nothing is.
                    guard lease.start(on: connection) else { throw CancellationError() }
                    granted.add()
                    guard !connection.isClosed else {
                        throw PostgresRevisionStoreError(.unreachable(PostgresFailureWords.closedConnection))
                    }
                    return try await work(connection)
                }
                outcome.settle(.success(value))
            } catch {
                outcome.settle(.failure(error))
            }
        }
        let watcher = Task { await watch(lease, worker: worker, outcome: outcome) }
        defer { watcher.cancel() }
        return try await withTaskCancellationHandler {
            try await outcome.value().get()
        } onCancel: {
            worker.cancel()
        }
    }

    /// Ends the wait for `worker` with `.unreachable` when no connection comes in time, or when its connection closed
    /// and it did not end; returns when the worker ends first (the watch is cancelled then).
    private func watch<Value>(
        _ lease: Lease, worker: Task<Void, Never>, outcome: FirstOutcome<Result<Value, any Error>>
    ) async {
        let clock = ContinuousClock()
        var deadline = clock.now.advanced(by: wait)
        var served = granted.value
        var closedSeen = false
        var workStarted: ContinuousClock.Instant?
        while (try? await Task.sleep(for: closedCheck)) != nil, !outcome.isSettled {
            if let connection = lease.connection {
                let started = workStarted ?? clock.now
                workStarted = started
                if let workLimit, clock.now - started >= workLimit {
                    let failure = PostgresRevisionStoreError(.unreachable("PostgreSQL did not finish the work within \(workLimit)"))
                    if outcome.settle(.failure(failure)) {
                        logger.warning(
                            "Work on PostgreSQL ran past \(workLimit) (the database stopped answering, or a lock is held elsewhere); it is left behind, its connection closed, and the request fails as unreachable.",
                            metadata: ["connection": "\(connection.id)"])
                        worker.cancel()
                        connection.close().whenComplete { _ in }
                    }
                    return
                }
                guard connection.isClosed else { continue }
                guard closedSeen else {
                    closedSeen = true
                    continue
                }
                let failure = PostgresRevisionStoreError(.unreachable(PostgresFailureWords.closedConnection))
                if outcome.settle(.failure(failure)) {
                    logger.warning(
                        "PostgreSQL closed a connection and the work on it did not end; it is left behind, and the request fails as unreachable.",
                        metadata: ["connection": "\(connection.id)"])
                    worker.cancel()
                }
                return
            }
            guard clock.now >= deadline else { continue }
            let now = granted.value
            // Before any lease (the pool is starting), or while others get connections (every one is busy, the
            // database is fine), the wait goes on; nobody served all this time means the pool cannot make a connection.
            if now != 0, now == served, lease.expire() {
                outcome.settle(.failure(PostgresRevisionStoreError(.unreachable("no connection to PostgreSQL within \(wait)"))))
                worker.cancel()
                return
            }
            served = now
            deadline = clock.now.advanced(by: wait)
        }
    }
}

/// A lease's course: waiting for a connection, then working on one, unless its deadline passed first.
private final class Lease: Sendable {
    private enum State {
        case waiting
        case started(PostgresConnection)
        case expired
    }

    private let state = Mutex(State.waiting)

    /// Marks the lease as working on `connection`; false when its deadline passed first.
    func start(on connection: PostgresConnection) -> Bool {
        state.withLock { state in
            guard case .waiting = state else { return false }
            state = .started(connection)
            return true
        }
    }

    /// Marks the lease's deadline as passed; false when it got its connection first.
    func expire() -> Bool {
        state.withLock { state in
            guard case .waiting = state else { return false }
            state = .expired
            return true
        }
    }

    /// The connection the lease works on, once it has one.
    var connection: PostgresConnection? {
        state.withLock { state in
            guard case let .started(connection) = state else { return nil }
            return connection
        }
    }
}

/// How many leases got their connection.
private final class LeaseCount: Sendable {
    private let count = Atomic<Int>(0)

    func add() { count.add(1, ordering: .relaxed) }

    var value: Int { count.load(ordering: .relaxed) }
}
