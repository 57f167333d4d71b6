import PostgresNIO
import Synchronization

/// Where a repository's work gets its connections: the pooled client, with a deadline on the wait for one.
///
/// While PostgreSQL cannot be reached, the pool keeps trying to connect and a lease waits, and the pool gives up on
/// waiting leases only when connecting has failed for a minute. A request would hang that long; a load balancer or a
/// client would time out first, without learning why. With a deadline, a lease that waited ``wait`` while no other
/// lease got a connection either fails as `.unreachable`, which a server answers 503 with `Retry-After`, and a client
/// tries again later. A lease that waits while others get connections (every connection busy, the database fine)
/// waits on, as before, and so do leases before the first one was granted (the pool starting; a database that cannot
/// be reached at start-up is reported when the pool gives up). Only the wait for a connection is bounded: work that
/// has its connection runs as long as it needs.
struct PostgresConnectionSource: Sendable {
    /// The pooled client.
    let client: PostgresClient
    /// The longest a piece of work waits for a connection while no work gets one.
    let wait: Duration
    /// How many leases got their connection so far.
    private let granted = LeaseCount()

    init(client: PostgresClient, wait: Duration) {
        self.client = client
        self.wait = wait
    }

    /// Runs `work` on a leased connection, given back when `work` ends; throws `.unreachable` when no connection came
    /// within ``wait`` (the work has not started then, so nothing was done).
    func withConnection<Result: Sendable>(
        _ work: @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let lease = LeaseMark()
        let (client, wait, granted) = (client, wait, granted)
        return try await withoutActuallyEscaping(work) { work in
            try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        lease.set()
                        granted.add()
                        return try await work(connection)
                    }
                }
                group.addTask {
                    var seen = granted.value
                    while true {
                        try await Task.sleep(for: wait)
                        if lease.isSet { return nil }
                        let now = granted.value
                        // Before any lease (the pool is starting), or while others get connections (every one is
                        // busy, the database is fine), the wait goes on; nobody served all this time means the pool
                        // cannot make a connection.
                        guard now == 0 || now != seen else {
                            throw PostgresRevisionStoreError(.unreachable("no connection to PostgreSQL within \(wait)"))
                        }
                        seen = now
                    }
                }
                // The deadline's task ends first with nil when the lease came in time; the work's result follows.
                while let finished = try await group.next() {
                    if let result = finished {
                        group.cancelAll()
                        return result
                    }
                }
                throw CancellationError()
            }
        }
    }
}

/// Set once a lease has its connection.
private final class LeaseMark: Sendable {
    private let leased = Atomic<Bool>(false)

    func set() { leased.store(true, ordering: .releasing) }

    var isSet: Bool { leased.load(ordering: .acquiring) }
}

/// How many leases got their connection.
private final class LeaseCount: Sendable {
    private let count = Atomic<Int>(0)

    func add() { count.add(1, ordering: .relaxed) }

    var value: Int { count.load(ordering: .relaxed) }
}
