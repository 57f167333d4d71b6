import MarginCore
import PostgresRevisionStore
import PostgresTestSupport
import SyncProtocol
import Testing

/// Two repositories with clients of their own over one database, as two server processes: peers push and pull
/// through either at the same time, and everyone ends with the same history.
@Suite("PostgreSQL store: several servers over one database")
struct PostgresSeveralServersTests {
    /// Runs `body` with two repositories over one new database.
    func withTwoServers(_ body: ([PostgresRevisionRepository]) async throws -> Void) async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresRevisionRepository.withRepository(url: url, maximumConnections: 4) { first in
                try await PostgresRevisionRepository.withRepository(url: url, maximumConnections: 4) { second in
                    try await body([first, second])
                }
            }
        }
    }

    /// One peer's turn: a peer it synced with directly (so that several peers push the same revisions), where it
    /// pulls from and pushes to (if it pushes at all: a peer offline keeps its revisions, which others may relay),
    /// how much it writes, and its pages' size.
    struct Turn: Sendable {
        var gossipWith: Int?
        var pushes: Bool
        var pullFrom: Int
        var pushTo: Int
        var writes: Int
        var pageSize: Int
        var seed: UInt64
    }

    /// Pulls everything the server has, checking that every page comes in causal order.
    static func pull(_ peer: inout TestPeer, from server: PostgresRevisionRepository) async throws {
        for _ in 0..<10_000 {
            let page = try await server.page(missingFrom: VersionVector(peer.vector), limit: 13, maxBytes: 1 << 20)
            for revision in page.revisions { try peer.learn(revision) }
            if !page.more { return }
        }
        Issue.record("pulling never ended")
    }

    /// Pushes what the server lacked when it said `have` (read now when nil), in the peer's log order, `pageSize`
    /// revisions a page. A page that met other writers too often (`contention`) is sent again, as a client would
    /// after "try again".
    static func push(
        _ peer: TestPeer, to server: PostgresRevisionRepository, pageSize: Int, have known: VersionVector? = nil
    ) async throws -> Int {
        var have = VersionVector()
        if let known { have = known } else { have = try await server.vector() }
        let missing = peer.log.filter { $0.counter > have[$0.origin] }
        var contention = 0
        for start in stride(from: 0, to: missing.count, by: pageSize) {
            let page = Array(missing[start..<min(start + pageSize, missing.count)])
            for attempt in 1...5 {
                do {
                    let outcome = try await server.push(page, history: peer.log, from: peer.id)
                    #expect(outcome.accepted + outcome.duplicates == page.count)
                    break
                } catch let error as PostgresRevisionStoreError {
                    guard case .contention = error.kind, attempt < 5 else { throw error }
                    contention += 1
                }
            }
        }
        return contention
    }

    static func play(_ peer: inout TestPeer, _ turn: Turn, round: Int, servers: [PostgresRevisionRepository]) async throws
        -> Int
    {
        var generator = SeededGenerator(seed: turn.seed)
        // The push is planned from the vector as it was before this turn: a stale one, so that peers that synced
        // with each other send the same revisions at the same time.
        let stale = try await servers[turn.pushTo].vector()
        try await pull(&peer, from: servers[turn.pullFrom])
        for write in 0..<turn.writes {
            if peer.records.isEmpty || Int.random(in: 0..<10, using: &generator) < 3 {
                peer.create("r-\(peer.id.rawValue.prefix(6))-\(round)-\(write)")
            } else {
                let record = peer.records[Int.random(in: 0..<peer.records.count, using: &generator)]
                peer.edit(record, text: "round \(round) write \(write)")
            }
        }
        guard turn.pushes else { return 0 }
        return try await push(peer, to: servers[turn.pushTo], pageSize: turn.pageSize, have: stale)
    }

    @Test func concurrentPushesFromManyPeersConverge() async throws {
        let seed = UInt64.random(in: 0 ... .max)
        print("PostgresSeveralServersTests.concurrentPushesFromManyPeersConverge seed: \(seed)")
        var generator = SeededGenerator(seed: seed)
        try await withTwoServers { servers in
            var peers = (1...5).map { TestPeer($0) }
            var contention = 0
            // The peers sign with one key, which the first shows with its own revision: any peer may then relay
            // what it signs.
            peers[0].create("r-first")
            contention += try await Self.push(peers[0], to: servers[0], pageSize: 50)
            for round in 0..<12 {
                let turns = peers.map { _ in
                    Turn(
                        gossipWith: Bool.random(using: &generator) ? Int.random(in: 0..<5, using: &generator) : nil,
                        pushes: Int.random(in: 0..<10, using: &generator) < 6,
                        pullFrom: Int.random(in: 0..<2, using: &generator), pushTo: Int.random(in: 0..<2, using: &generator),
                        writes: Int.random(in: 1...4, using: &generator), pageSize: Int.random(in: 1...8, using: &generator),
                        seed: generator.next())
                }
                let played = peers
                peers = try await withThrowingTaskGroup(of: (Int, TestPeer, Int).self) { group in
                    for index in played.indices {
                        group.addTask {
                            var peer = played[index]
                            if let other = turns[index].gossipWith {
                                for revision in played[other].log { try peer.learn(revision) }
                            }
                            let met = try await Self.play(&peer, turns[index], round: round, servers: servers)
                            return (index, peer, met)
                        }
                    }
                    var after = played
                    for try await (index, peer, met) in group {
                        after[index] = peer
                        contention += met
                    }
                    return after
                }
            }
            // Everyone pushes what it still holds alone, then pulls through the other server.
            for (index, peer) in peers.enumerated() {
                contention += try await Self.push(peer, to: servers[index % 2], pageSize: 50)
            }
            for index in peers.indices { try await Self.pull(&peers[index], from: servers[(index + 1) % 2]) }

            let made = peers.reduce(into: Set<Revision>()) { made, peer in made.formUnion(peer.log.filter { $0.origin == peer.id }) }
            let stored = try await servers[0].allRevisions()
            #expect(Set(stored) == made)
            #expect(stored.count == made.count)
            var expectedVector = VersionVector()
            for revision in made { expectedVector.add(revision) }
            for server in servers { #expect(try await server.vector() == expectedVector) }
            for peer in peers {
                #expect(Set(peer.log) == made)
                #expect(VersionVector(peer.vector) == expectedVector)
            }
            print("""
                PostgresSeveralServersTests: \(made.count) revisions; transactions judged again after meeting the other \
                writer: \(servers[0].conflictsResolved) and \(servers[1].conflictsResolved); pages sent again after \
                contention: \(contention)
                """)
        }
    }

    @Test func theSamePagePushedThroughBothServersAtOnceIsStoredOnce() async throws {
        let revisions = PostgresPageRoundTripTests.history()
        try await withTwoServers { servers in
            let outcomes = try await withThrowingTaskGroup(of: ReceiveOutcome.self) { group in
                for push in 0..<8 {
                    group.addTask {
                        for attempt in 1...5 {
                            do {
                                return try await servers[push % 2].push(revisions)
                            } catch let error as PostgresRevisionStoreError {
                                guard case .contention = error.kind, attempt < 5 else { throw error }
                            }
                        }
                        throw CausalityViolation(description: "never applied")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.map(\.accepted).reduce(0, +) == revisions.count)
            #expect(outcomes.allSatisfy { $0.accepted + $0.duplicates == revisions.count })
            #expect(try await servers[1].allRevisions() == revisions)
        }
    }

    @Test func twoRevisionsWithOneCounterRacingThroughBothServersKeepOne() async throws {
        try await withTwoServers { servers in
            var kept = (mine: 0, theirs: 0)
            for race in 0..<12 {
                // Two writers that share an origin: after `race` common revisions, each makes its own next one.
                // A third of the races start both pushes at once; the others give one a head start, in turn, so
                // that each writer's revision is kept in some race.
                var writer = TestPeer(100 + race)
                for index in 0..<race { writer.create("common-\(index)") }
                var twin = writer
                let mine = writer.create("race", text: "mine")
                let theirs = twin.create("race", text: "theirs")
                let pages = [writer.log, twin.log]
                let headStart = PushHeadStart(race: race)
                let results = await withTaskGroup(of: PostgresRevisionStoreError?.self) { group in
                    for index in pages.indices {
                        group.addTask {
                            do {
                                try await headStart.wait(index == 0 ? .first : .second)
                                try await servers[index].push(pages[index])
                                return nil
                            } catch let error as PostgresRevisionStoreError {
                                return error
                            } catch {
                                return PostgresRevisionStoreError(.database("\(error)"))
                            }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                // One page wins; the other meets the winner's revision at its counter and is rejected for it (or,
                // having lost every attempt, reports contention); never a database failure.
                let rejected = results.compactMap { $0 }
                #expect(rejected.count == 1)
                for error in rejected {
                    if case .contention = error.kind { continue }
                    #expect(error.rejection?.rule == .counterReused, "\(error)")
                }
                let stored = try await servers[race % 2].newestRevision(of: writer.id)
                #expect(stored == mine || stored == theirs)
                if stored == mine { kept.mine += 1 } else if stored == theirs { kept.theirs += 1 }
                #expect(try await servers[0].vector()[writer.id] == Int64(race + 1))
            }
            print("counter races: the first writer's revision kept \(kept.mine) times, the second's \(kept.theirs) times")
            #expect(kept.mine > 0 && kept.theirs > 0, "both outcomes were met")
        }
    }
}

/// Which of two racing pushes may start at once, by race: both in races 0, 3, 6 …; the first in races 1, 4, 7 …,
/// the second 50 ms later; the other way round in races 2, 5, 8 …. Races started together exercise the collision;
/// the head starts make sure that each side wins some race, so that the assertions for both outcomes run.
struct PushHeadStart: Sendable {
    enum Side { case first, second }

    let race: Int

    /// Waits before `side`'s push when the other side has the head start in this race.
    func wait(_ side: Side) async throws {
        let late: Side? = switch race % 3 {
        case 1: .second
        case 2: .first
        default: nil
        }
        if side == late { try await Task.sleep(for: .milliseconds(50)) }
    }
}
