import MarginCore
import PostgresRevisionStore
import PostgresTestSupport
import SyncBackend
import SyncProtocol
import Testing

/// A server with a read replica answers pulls from the replica and pushes from the primary. The replica may lag: a
/// pull then misses the newest revisions, and never skips one, so the next pull brings them. A database that is not
/// a replica of the primary is refused at start.
@Suite("PostgreSQL store: a read replica answers pulls", .serialized)
struct PostgresReplicaTests {
    @Test func pullsComeFromTheReplicaAndALaggingOneMissesOnlyWhatItHasNotReplayedYet() async throws {
        var peer = TestPeer(1)
        let first = (0..<3).map { peer.create("note-\($0)") }
        let second = (3..<5).map { peer.create("note-\($0)") }
        try await TestPostgres.withReplicatedDatabase { primaryURL, replicaURL in
            try await PostgresRevisionRepository.withRepository(url: primaryURL, maximumConnections: 4) { primary in
                try await TestPostgres.waitForReplica()
                try await PostgresRevisionRepository.withRepository(
                    url: replicaURL, maximumConnections: 4, migrating: false
                ) { replica in
                    // A loaded machine may replay the primary's identity late: wait for it as long as the test may.
                    let backend = try await PostgresSyncBackend(primary, replica: replica, replicaWait: .seconds(120))
                    let pulls = Pulls(backend: backend)
                    #expect(try await pulls.peerID() == backend.peerID, "the replica answers as the primary's peer")

                    #expect(try await backend.receive(
                        first, proofs: TestSigning.proofs(for: first), from: peer.id, account: nil
                    ).accepted == 3)
                    try await TestPostgres.waitForReplica()
                    let whole = try await pulls.page(missingFrom: VersionVector())
                    #expect(whole.revisions == first)
                    var held = VersionVector()
                    for revision in whole.revisions { held.add(revision) }

                    try await TestPostgres.whileReplayPaused {
                        #expect(try await backend.receive(
                            second, proofs: TestSigning.proofs(for: second, history: first), from: peer.id, account: nil
                        ).accepted == 2)
                        // The push went to the primary, which holds it at once.
                        #expect(try await backend.vector()[peer.id] == 5)
                        // The replica has not replayed it: its pull comes empty, and claims no more than it holds
                        // (the fault landed: pulls are answered from the replica).
                        #expect(try await pulls.vector()[peer.id] == 3)
                        let behind = try await pulls.page(missingFrom: held)
                        #expect(behind.revisions.isEmpty)
                        #expect(!behind.more)
                        #expect(try await pulls.newestRevision(of: peer.id)?.counter == 3)
                        // A pull by the store of that origin itself is answered from the primary: it checks its
                        // own identity against the answer, and a copy of it may just have pushed these.
                        let (origin, asked) = (peer.id, held)
                        let (ownHead, ownPage) = try await backend.answeringPull(asking: origin) { source in
                            (try await source.newestRevision(of: origin)?.counter,
                             try await source.page(missingFrom: asked, limit: 100, maxBytes: 1 << 20))
                        }
                        #expect(ownHead == 5)
                        #expect(ownPage.revisions == second)
                    }

                    try await TestPostgres.waitForReplica()
                    let rest = try await pulls.page(missingFrom: held)
                    #expect(rest.revisions == second, "the next pull brings what the replica replayed since")
                    #expect(try await pulls.vector()[peer.id] == 5)
                }
            }
        }
    }

    @Test func aBackendWithoutAReplicaAnswersPullsFromItsDatabaseAtOnce() async throws {
        var peer = TestPeer(2)
        let page = (0..<2).map { peer.create("note-\($0)") }
        try await TestPostgres.withRepository { repository in
            let backend = try await PostgresSyncBackend(repository)
            #expect(backend.replica == nil)
            try await backend.receive(page, proofs: TestSigning.proofs(for: page), from: peer.id, account: nil)
            let pulled = try await Pulls(backend: backend).page(missingFrom: VersionVector())
            #expect(pulled.revisions == page)
        }
    }

    @Test func anotherDatabaseIsRefusedAsAReplica() async throws {
        try await TestPostgres.withRepository { primary in
            let backendPeer = try await primary.serverPeerID()
            // A database of its own, with a server identity of its own: not a copy of the primary.
            try await TestPostgres.withRepository { other in
                _ = try await other.serverPeerID()
                let checked = await storeResult { try await other.checkReplica(of: backendPeer, wait: .seconds(1)) }
                guard case let .failure(refusal) = checked, case let .notAReplica(reason) = refusal.kind else {
                    Issue.record("expected .notAReplica, got \(checked)")
                    return
                }
                #expect(reason.contains("a copy of another database"), "\(reason)")
            }
            // An empty database: no margin tables, even after the wait.
            try await TestPostgres.withDatabase { url in
                try await PostgresRevisionRepository.withRepository(url: url, migrating: false) { empty in
                    let checked = await storeResult {
                        try await empty.checkReplica(of: backendPeer, wait: .milliseconds(300))
                    }
                    guard case let .failure(refusal) = checked, case let .notAReplica(reason) = refusal.kind else {
                        Issue.record("expected .notAReplica, got \(checked)")
                        return
                    }
                    #expect(reason.contains("no margin tables"), "\(reason)")
                    #expect(refusal.description.hasPrefix("The read replica cannot answer pulls for this database: "))
                }
            }
        }
    }

    @Test func aReplicaThatCannotBeReachedIsPassedOverAndPullsComeFromThePrimary() async throws {
        var peer = TestPeer(3)
        let first = (0..<2).map { peer.create("note-\($0)") }
        let second = (2..<4).map { peer.create("note-\($0)") }
        try await TestPostgres.withReplicatedDatabase { primaryURL, replicaURL in
            let (proxy, relayed) = try CuttableProxy.inFront(of: replicaURL)
            defer { proxy.stop() }
            let warnings = WarningLog()
            try await PostgresRevisionRepository.withRepository(
                url: primaryURL, maximumConnections: 4, logger: warnings.logger
            ) { primary in
                try await TestPostgres.waitForReplica()
                let replica = try PostgresRevisionRepository(
                    url: relayed, maximumConnections: 2, connectionWait: .seconds(1), logger: warnings.logger)
                try await replica.whileRunning {
                    let backend = try await PostgresSyncBackend(primary, replica: replica, replicaRetry: .seconds(3600))
                    let pulls = Pulls(backend: backend)
                    try await backend.receive(first, proofs: TestSigning.proofs(for: first), from: peer.id, account: nil)
                    try await TestPostgres.waitForReplica()
                    #expect(try await pulls.page(missingFrom: VersionVector()).revisions == first)

                    try await TestPostgres.whileReplayPaused {
                        try await backend.receive(
                            second, proofs: TestSigning.proofs(for: second, history: first), from: peer.id, account: nil)
                        #expect(try await pulls.page(missingFrom: VersionVector()).revisions == first, "read from the replica")

                        // The fault landed: the replica's connection is cut and new ones are refused.
                        #expect(proxy.cut() >= 1)
                        #expect(try await pulls.page(missingFrom: VersionVector()).revisions == first + second,
                                "the pull is answered from the primary")
                        #expect(warnings.messages.contains { $0.hasPrefix("The read replica cannot be reached") },
                                "\(warnings.messages)")
                        // Passed over: the next pull goes to the primary without trying the replica.
                        let tried = proxy.counts
                        #expect(try await pulls.page(missingFrom: VersionVector()).revisions == first + second)
                        #expect(proxy.counts == tried, "the replica was tried while passed over")

                        // Once it can be reached again, a backend whose wait is over reads from it again.
                        // (The replica's pool connects again after a pause of its own, hence the attempts.)
                        proxy.restore()
                        var fromReplica: [Revision]?
                        for _ in 0..<40 where fromReplica != first {
                            if let retrying = try? await PostgresSyncBackend(primary, replica: replica, replicaRetry: .zero) {
                                fromReplica = try await Pulls(backend: retrying).page(missingFrom: VersionVector()).revisions
                            }
                            if fromReplica != first { try await Task.sleep(for: .milliseconds(250)) }
                        }
                        #expect(fromReplica == first, "the replica, still behind, answers again")
                    }
                }
            }
        }
    }

    @Test func aReplicaLaggingMoreThanTheBoundLeavesPullsToThePrimaryUntilItCatchesUp() async throws {
        var peer = TestPeer(4)
        let first = (0..<2).map { peer.create("note-\($0)") }
        let second = (2..<4).map { peer.create("note-\($0)") }
        let bound = Duration.milliseconds(500)
        try await TestPostgres.withReplicatedDatabase { primaryURL, replicaURL in
            let warnings = WarningLog()
            try await PostgresRevisionRepository.withRepository(
                url: primaryURL, maximumConnections: 4, logger: warnings.logger
            ) { primary in
                try await TestPostgres.waitForReplica()
                try await PostgresRevisionRepository.withRepository(
                    url: replicaURL, maximumConnections: 4, migrating: false
                ) { replica in
                    let backend = try await PostgresSyncBackend(primary, replica: replica, replicaMaxLag: bound)
                    #expect(backend.replicaMaxLag == bound)
                    let pulls = Pulls(backend: backend)
                    try await backend.receive(first, proofs: TestSigning.proofs(for: first), from: peer.id, account: nil)
                    try await TestPostgres.waitForReplica()
                    #expect(try await pulls.page(missingFrom: VersionVector()).revisions == first)

                    try await TestPostgres.whileReplayPaused {
                        _ = try await backend.receive(
                            second, proofs: TestSigning.proofs(for: second, history: first), from: peer.id, account: nil)
                        // Longer than the bound: the replica, which has not replayed the push, now lags by more.
                        try await Task.sleep(for: bound * 2)
                        #expect(try await pulls.page(missingFrom: VersionVector()).revisions == first + second,
                                "the pull is answered from the primary")
                        #expect(try await pulls.vector()[peer.id] == 4)
                        #expect(warnings.messages.contains { $0.hasPrefix("The read replica has not replayed all the primary had committed") },
                                "\(warnings.messages)")
                        // The fault landed: the replica itself still holds only the first page.
                        let unbounded = try await PostgresSyncBackend(primary, replica: replica)
                        #expect(try await Pulls(backend: unbounded).page(missingFrom: VersionVector()).revisions == first)
                    }
                    try await TestPostgres.waitForReplica()
                    #expect(try await pulls.page(missingFrom: VersionVector()).revisions == first + second)
                }
            }
        }
    }

    @Test func aDatabaseThatReplaysNoLogCannotBeBoundAndIsRefused() async throws {
        try await TestPostgres.withRepository { primary in
            // The primary's own database: the same identity and schema, as a restored copy has, and no replay.
            let replayed = try await primary.replayedPosition()
            #expect(replayed == nil)
            let position = try await primary.logPosition()
            #expect(position > 0)
            let refused = await storeResult { try await PostgresSyncBackend(primary, replica: primary, replicaMaxLag: .seconds(5)) }
            guard case let .failure(refusal) = refused, case let .notAReplica(reason) = refusal.kind else {
                Issue.record("expected .notAReplica, got \(refused)")
                return
            }
            #expect(reason.contains("it replays no write-ahead log"), "\(reason)")
            // Without a bound it is taken, as before: nothing tells it from a replica that keeps up.
            let unbounded = try await PostgresSyncBackend(primary, replica: primary)
            #expect(unbounded.replica != nil)
        }
    }
}

/// The reads of pulls, as a server makes them: through ``SyncBackend/answeringPull(_:)``.
struct Pulls {
    let backend: PostgresSyncBackend

    func peerID() async throws -> PeerID { try await backend.answeringPull { $0.peerID } }

    func vector() async throws -> VersionVector { try await backend.answeringPull { try await $0.vector() } }

    func page(missingFrom have: VersionVector) async throws -> RevisionPage {
        try await backend.answeringPull { try await $0.page(missingFrom: have, limit: 100, maxBytes: 1 << 20) }
    }

    func newestRevision(of origin: PeerID) async throws -> Revision? {
        try await backend.answeringPull { try await $0.newestRevision(of: origin) }
    }
}
