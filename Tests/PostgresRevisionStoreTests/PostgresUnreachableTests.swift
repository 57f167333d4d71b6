import Foundation
import MarginCore
import _ConnectionPoolModule
import PostgresNIO
@testable import PostgresRevisionStore
import PostgresTestSupport
import SyncBackend
import SyncProtocol
import Synchronization
import Testing

/// A database that cannot serve a request now (a pool that cannot connect, a connection the server ended) is the
/// client's to retry: the backend answers 503 `unavailable` with `Retry-After`, not 500. A statement PostgreSQL
/// refuses for itself stays the server's own failure.
@Suite("PostgreSQL store: a database that cannot serve now")
struct PostgresUnreachableTests {
    @Test func aPoolThatCannotConnectIsUnreachableAndAStatementPostgreSQLRefusesIsNot() async throws {
        let tripped = PostgresRevisionRepository.storeError(from: ConnectionPoolError.connectionCreationCircuitBreakerTripped)
        guard case .unreachable = tripped.kind else {
            Issue.record("expected .unreachable, got \(tripped)")
            return
        }
        let refusal = try #require(SyncRefusal(serving: tripped))
        #expect(refusal.code == .unavailable)
        #expect(refusal.code.httpStatus == 503)
        #expect(refusal.retryAfterSeconds == 5)
        #expect(refusal.message.contains("PostgreSQL cannot be reached now"), "\(refusal.message)")

        try await TestPostgres.withRepository { repository in
            // A statement PostgreSQL refuses for itself, not for the connection, stays the server's own failure (500).
            let refused = await Self.result { try await repository.client.query("SELECT no_such_column FROM sync_vector") }
            guard case let .failure(error) = refused else {
                Issue.record("a bad statement succeeded")
                return
            }
            let stored = PostgresRevisionRepository.storeError(from: error)
            guard case .database = stored.kind else {
                Issue.record("expected .database, got \(stored)")
                return
            }
            #expect(SyncRefusal(serving: stored) == nil)
        }
    }

    static func result<Value>(_ work: () async throws -> Value) async -> Result<Value, any Error> {
        do {
            return .success(try await work())
        } catch {
            return .failure(error)
        }
    }
}

/// A real fault: the repository reaches PostgreSQL through a relay that the test cuts and restores.
@Suite("PostgreSQL store: a database that goes away and comes back")
struct PostgresConnectionLossTests {
    @Test func workWhileTheDatabaseIsAwayFailsAsUnreachableAfterTheWaitAndWorksAgainOnceItIsBack() async throws {
        let trace = PhaseTrace(named: "margin-connection-loss-trace.txt")
        trace.mark("creating the database")
        try await TestPostgres.withDatabase { url in
            trace.mark("database made")
            let (proxy, relayed) = try CuttableProxy.inFront(of: url)
            defer { proxy.stop() }
            let repository = try PostgresRevisionRepository(
                url: relayed, maximumConnections: 2, connectionWait: .seconds(3))
            try await repository.whileRunning {
                try await repository.migrate()
                trace.mark("migrated")
                // Read until a read succeeds: on a machine busy with other tests, a read may wait its 3 s in vain
                // before the fault (the fault's effects are what is tested, below).
                var before: VersionVector?
                for _ in 0..<10 where before == nil { before = try? await repository.vector() }
                #expect(before?.origins.isEmpty == true)
                trace.mark("read before the fault")

                // The fault landed: the pool's open connection was ended, and new ones are refused.
                #expect(proxy.cut() >= 1)
                // A connection the pool still holds fails at once; once it has none, the wait for a new one runs
                // out, and the work is not left waiting for the pool to give up connecting (a minute). The pool may
                // hand out a closed connection more than once before it hears of the close, so a failure on one is
                // followed by a pause, as a client's Retry-After would be.
                var waitedInVain = false
                for attempt in 1...12 where !waitedInVain {
                    trace.mark("attempt \(attempt) with the database cut off")
                    let outcome = await PostgresUnreachableTests.result { try await repository.vector() }
                    guard case let .failure(error) = outcome else {
                        Issue.record("attempt \(attempt): a read succeeded with the database cut off")
                        continue
                    }
                    let stored = PostgresRevisionRepository.storeError(from: error)
                    guard case .unreachable = stored.kind else {
                        Issue.record("attempt \(attempt): expected .unreachable, got \(stored)")
                        continue
                    }
                    #expect(SyncRefusal(serving: stored)?.code.httpStatus == 503)
                    print("attempt \(attempt) with the database cut off: \(stored)")
                    waitedInVain = "\(stored)".contains("no connection to PostgreSQL within")
                    if !waitedInVain { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(waitedInVain, "no attempt ran out of the wait for a connection")
                #expect(proxy.counts.refused >= 1, "the pool tried to connect again while the database was away")

                // Back: the pool connects again on its own (after its backoff), and the same work succeeds.
                proxy.restore()
                var vector: VersionVector?
                for round in 0..<60 where vector == nil {
                    trace.mark("read \(round) after the restore")
                    vector = try? await repository.vector()
                    if vector == nil { try await Task.sleep(for: .milliseconds(250)) }
                }
                #expect(vector?.origins.isEmpty == true, "the repository did not work again in 60 attempts")
                trace.mark("read after the restore")
            }
            trace.mark("pool stopped")
        }
        trace.mark("database dropped")
    }
}

/// The fault behind a hang: postgres-nio drops a statement written to a connection whose channel has closed, and the
/// statement's reply never comes. Work caught that way is left behind, and its caller learns the database is away.
@Suite("PostgreSQL store: a connection that closes under the work")
struct PostgresClosedConnectionTests {
    @Test func workWaitingOnAConnectionThatClosedFailsAsUnreachableAndTheRepositoryWorksAgainAfter() async throws {
        try await TestPostgres.withDatabase { url in
            let (proxy, relayed) = try CuttableProxy.inFront(of: url)
            defer { proxy.stop() }
            let warnings = WarningLog()
            let repository = try PostgresRevisionRepository(
                url: relayed, maximumConnections: 2, connectionWait: .seconds(3), logger: warnings.logger)
            try await repository.whileRunning {
                try await repository.migrate()
                let statementEnded = Flag()
                let outcome = await PostgresUnreachableTests.result {
                    try await repository.onConnection { connection in
                        #expect(proxy.cut() >= 1)
                        // Once the close future completes, the channel has let go of its handlers.
                        try await connection.closeFuture.get()
                        _ = try? await connection.query("SELECT 1", logger: PostgresRevisionRepository.silentLogger)
                        statementEnded.raise()
                        return 0
                    }
                }
                guard case let .failure(error) = outcome else {
                    Issue.record("work on a closed connection succeeded")
                    return
                }
                let stored = PostgresRevisionRepository.storeError(from: error)
                guard case let .unreachable(reason) = stored.kind else {
                    Issue.record("expected .unreachable, got \(stored)")
                    return
                }
                #expect(reason == "PostgreSQL closed the connection")
                #expect(SyncRefusal(serving: stored)?.code.httpStatus == 503)
                // The fault landed: the statement never ended, and the work was left behind with a warning.
                #expect(!statementEnded.isRaised, "the statement on the closed connection ended")
                #expect(warnings.messages.filter { $0.contains("left behind") }.count == 1, "\(warnings.messages)")

                // The pool let go of the closed connection: once the database is back, work succeeds again.
                proxy.restore()
                var vector: VersionVector?
                for _ in 0..<60 where vector == nil {
                    vector = try? await repository.vector()
                    if vector == nil { try await Task.sleep(for: .milliseconds(250)) }
                }
                #expect(vector?.origins.isEmpty == true, "the repository did not work again in 60 attempts")
            }
        }
    }
}

/// A flag one task raises and another reads.
private final class Flag: Sendable {
    private let raised = Atomic(false)

    func raise() { raised.store(true, ordering: .releasing) }

    var isRaised: Bool { raised.load(ordering: .acquiring) }
}

/// Where a test has got to, in a file of the temporary folder written through at each mark: the test's own output
/// is held until the test process ends, so a run that hangs shows nothing of it, but the file does.
struct PhaseTrace: Sendable {
    let path: String

    init(named name: String) {
        path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: nil)
    }

    func mark(_ phase: String) {
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data("\(Date()) \(phase)\n".utf8))
    }
}
