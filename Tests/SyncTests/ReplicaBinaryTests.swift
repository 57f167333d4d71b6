import Foundation
import MarginCore
import MarginStore
import PostgresRevisionStore
import PostgresTestSupport
import Testing

/// `margin serve --database … --database-replica …`: pushes go to the primary and pulls come from the read replica.
/// While the replica lags, a reader's sync succeeds without the newest notes, and the next sync once it has caught
/// up brings them. A database that is not a replica of the primary is refused at start.
@Suite(.serialized) struct ReplicaBinaryTests {
    @Test func pullsFromAReplicaLagAndCatchUpAndPushesReachThePrimary() async throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "run `swift build` before `swift test`")
        try await TestPostgres.withReplicatedDatabase { primary, replica in
            try await Self.prepare(primary)
            let (server, url) = try Self.serve(margin, primary: primary, replica: replica)
            defer { if server.isRunning { server.terminate() } }
            let (writer, reader) = try Self.writerAndReader(margin, of: url)
            let section = try SyncTestSupport.firstSection(writer)
            _ = try writer.addAnnotation(on: section, text: "before the lag")
            let pushed = try MarginBinaryTests.run(margin, ["sync", "team", "--store", writer.path])
            #expect(pushed.status == 0, "\(pushed.errors)")
            try await TestPostgres.waitForReplica()
            let first = try MarginBinaryTests.run(margin, ["sync", "team", "--store", reader.path])
            #expect(first.status == 0, "\(first.errors)")
            #expect(try reader.notes().total == 1)

            try await TestPostgres.whileReplayPaused {
                _ = try writer.addAnnotation(on: section, text: "while the replica lags")
                let pushedWhileBehind = try MarginBinaryTests.run(margin, ["sync", "team", "--store", writer.path])
                #expect(pushedWhileBehind.status == 0, "the push goes to the primary: \(pushedWhileBehind.errors)")
                let behind = try MarginBinaryTests.run(margin, ["sync", "team", "--store", reader.path])
                #expect(behind.status == 0, "a pull from a lagging replica is no error: \(behind.errors)")
                // The fault landed: the pull came from the replica, which has not replayed the second note yet.
                #expect(try reader.notes().total == 1)
            }

            try await TestPostgres.waitForReplica()
            let caughtUp = try MarginBinaryTests.run(margin, ["sync", "team", "--store", reader.path])
            #expect(caughtUp.status == 0, "\(caughtUp.errors)")
            #expect(try reader.notes().total == 2)
            #expect(try SyncTestSupport.revisionIDs(reader) == SyncTestSupport.revisionIDs(writer))

            server.terminate()
            server.waitUntilExit()
            #expect(server.terminationReason == .exit && server.terminationStatus == 0)
        }
    }

    @Test func syncsGoOnThroughThePrimaryWhileTheReplicaCannotBeReached() async throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "run `swift build` before `swift test`")
        try await TestPostgres.withReplicatedDatabase { primary, replica in
            let (proxy, relayed) = try CuttableProxy.inFront(of: replica)
            defer { proxy.stop() }
            try await Self.prepare(primary)
            let (server, url) = try Self.serve(margin, primary: primary, replica: relayed, ["--database-wait", "2"])
            defer { if server.isRunning { server.terminate() } }
            let (writer, reader) = try Self.writerAndReader(margin, of: url)
            let first = try MarginBinaryTests.run(margin, ["sync", "team", "--store", writer.path])
            #expect(first.status == 0, "\(first.errors)")
            #expect(proxy.counts.relayed >= 1, "the server never read the replica")

            // The fault landed: the server's connections to the replica are cut, and new ones refused.
            #expect(proxy.cut() >= 1)
            _ = try writer.addAnnotation(on: try SyncTestSupport.firstSection(writer), text: "while the replica is away")
            let pushed = try MarginBinaryTests.run(margin, ["sync", "team", "--store", writer.path])
            #expect(pushed.status == 0, "a sync pulls first, and the primary answers: \(pushed.errors)")
            let pulled = try MarginBinaryTests.run(margin, ["sync", "team", "--store", reader.path])
            #expect(pulled.status == 0, "\(pulled.errors)")
            #expect(try reader.notes().total == 1)
            #expect(try SyncTestSupport.revisionIDs(reader) == SyncTestSupport.revisionIDs(writer))

            server.terminate()
            server.waitUntilExit()
            #expect(server.terminationReason == .exit && server.terminationStatus == 0)
        }
    }

    /// Gives the new database at `primary` its schema and server identity, and waits for the replica to replay
    /// them, so that a server started next does not give up on a replica that a loaded machine replays slowly
    /// (it waits at most `--database-wait` for them).
    static func prepare(_ primary: String) async throws {
        try await PostgresRevisionRepository.withRepository(url: primary, maximumConnections: 1) { repository in
            _ = try await repository.serverPeerID()
        }
        try await TestPostgres.waitForReplica()
    }

    /// Starts `margin serve` over `primary` with `replica` on a free port; the process and its URL.
    static func serve(
        _ margin: URL, primary: String, replica: String, _ options: [String] = []
    ) throws -> (Process, String) {
        let (server, line) = try MarginBinaryTests.launch(
            margin,
            ["serve", "--database", primary, "--database-replica", replica, "--host", "127.0.0.1", "--port", "0"]
                + options)
        #expect(line.hasPrefix("listening on http://127.0.0.1:"), "server said: \(line)")
        return (server, String(try #require(line.split(separator: " ").last)))
    }

    /// A store with a seed report and an empty one, both with the remote `team` at `url`.
    /// Runs `margin serve` with `arguments` and checks that it refused its read replica at start, exiting 1 without
    /// listening, and said so (and `saying`, when given).
    static func expectRefusedAtStart(
        _ margin: URL, _ arguments: [String], saying detail: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let refused = try MarginBinaryTests.run(margin, arguments)
        #expect(refused.status == 1, sourceLocation: sourceLocation)
        #expect(refused.errors.contains("The read replica cannot answer pulls for this database"), "\(refused.errors)",
            sourceLocation: sourceLocation)
        if let detail {
            #expect(refused.errors.contains(detail), "\(refused.errors)", sourceLocation: sourceLocation)
        }
        #expect(refused.output.isEmpty, "it must not listen: \(refused.output)", sourceLocation: sourceLocation)
    }

    static func writerAndReader(_ margin: URL, of url: String) throws -> (writer: MarginStore, reader: MarginStore) {
        let writer = try SyncTestSupport.seededStore(author: "writer", files: 1)
        let reader = try SyncTestSupport.newStore(author: "reader")
        for store in [writer, reader] {
            let added = try MarginBinaryTests.run(margin, ["remote", "add", "team", url, "--store", store.path])
            #expect(added.status == 0, "\(added.errors)")
        }
        return (writer, reader)
    }

    @Test func aDatabaseThatIsNotAReplicaOfThePrimaryIsRefusedAtStart() async throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "run `swift build` before `swift test`")
        try await TestPostgres.withDatabase { primary in
            try await TestPostgres.withDatabase { other in
                try Self.expectRefusedAtStart(margin, [
                    "serve", "--database", primary, "--database-replica", other, "--database-wait", "1",
                    "--host", "127.0.0.1", "--port", "0",
                ])
            }
        }
    }

    @Test func aReplicaNobodyListensForIsNamedAsTheReplica() async throws {
        try await TestPostgres.withDatabase { primary in
            let result = await SyncTestSupport.margin([
                "serve", "--database", primary, "--database-replica", "postgresql://margin@127.0.0.1:1/margin",
                "--port", "0",
            ])
            #expect(result.status == 1, "\(result.errors)")
            #expect(result.errors.contains(
                "The read replica of --database-replica cannot be used. PostgreSQL cannot be reached now: cannot connect to 127.0.0.1:1: Connection refused."),
                "\(result.errors)")
            #expect(result.errors.split(separator: "\n").count == 1, "\(result.errors)")
        }
    }

    /// A replica URL goes through the same reading as --database's, and its refusal names the replica.
    @Test(arguments: [
        ("mysql://margin@127.0.0.1/margin", "its scheme is mysql"),
        ("postgresql://127.0.0.1/margin", "it names no user"),
        ("postgresql://margin@127.0.0.1/", "it names no database"),
        ("postgresql://margin@127.0.0.1/mar\u{0}gin", "contains a NUL character"),
        ("postgresql://margin@127.0.0.1/" + String(repeating: "m", count: 5000), "may be at most 4096"),
    ])
    func aReplicaURLThatCannotBeReadIsRefusedAtStart(url: String, reason: String) async throws {
        try await TestPostgres.withDatabase { primary in
            let result = await SyncTestSupport.margin([
                "serve", "--database", primary, "--database-replica", url, "--port", "0",
            ])
            #expect(result.status == 1, "\(result.errors)")
            #expect(result.errors.contains("The read replica of --database-replica cannot be used."), "\(result.errors)")
            #expect(result.errors.contains(reason), "\(result.errors)")
            #expect(result.output.isEmpty, "it must not listen: \(result.output)")
        }
    }

    @Test func anEmptyReplicaURLIsAUsageError() async {
        let result = await SyncTestSupport.margin([
            "serve", "--database", "postgresql://margin@127.0.0.1:1/margin", "--database-replica", "", "--port", "0",
        ])
        #expect(result.status == 64, "\(result.errors)")
        #expect(result.errors.contains("--database-replica needs a URL"), "\(result.errors)")
    }

    @Test func aReplicaWithoutAPrimaryIsAUsageError() throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "run `swift build` before `swift test`")
        let store = try SyncTestSupport.newStore(author: "alone")
        let refused = try MarginBinaryTests.run(margin, [
            "serve", "--database-replica", "postgresql://margin@127.0.0.1:1/margin", "--store", store.path, "--port", "0",
        ])
        #expect(refused.status == 64)
        #expect(refused.errors.contains("--database-replica (or $MARGIN_DATABASE_REPLICA) needs --database"), "\(refused.errors)")
    }
}

/// `margin serve --replica-max-lag SECONDS`: a bound on how far the replica answering pulls may lag.
@Suite("margin serve --replica-max-lag")
struct ReplicaMaxLagBinaryTests {
    @Test(arguments: [
        (["--replica-max-lag", "0"], "--replica-max-lag must be more than 0"),
        (["--replica-max-lag=-2"], "--replica-max-lag must be more than 0"),
        (["--replica-max-lag", "100000"], "at most 86400 seconds"),
        (["--replica-max-lag", "nan"], "--replica-max-lag must be more than 0"),
    ])
    func aBoundOutOfRangeIsAUsageError(arguments: [String], message: String) async {
        let result = await SyncTestSupport.margin([
            "serve", "--database", "postgresql://margin@127.0.0.1:1/margin",
            "--database-replica", "postgresql://margin@127.0.0.1:2/margin", "--port", "0",
        ] + arguments)
        #expect(result.status == 64, "\(result.errors)")
        #expect(result.errors.contains(message), "\(result.errors)")
    }

    @Test func aBoundWithoutAReplicaIsAUsageError() async {
        let result = await SyncTestSupport.margin([
            "serve", "--database", "postgresql://margin@127.0.0.1:1/margin", "--replica-max-lag", "5", "--port", "0",
        ])
        #expect(result.status == 64, "\(result.errors)")
        #expect(result.errors.contains("--replica-max-lag bounds how far --database-replica"), "\(result.errors)")
    }

    /// The primary's own database passes for its replica (same identity, same schema) but replays no log: a copy
    /// restored from a backup looks the same. With a bound, how far it lags cannot be known, so it is refused.
    @Test func aReplicaThatReplaysNoLogIsRefusedWithABound() async throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "run `swift build` before `swift test`")
        try await TestPostgres.withDatabase { primary in
            try ReplicaBinaryTests.expectRefusedAtStart(margin, [
                "serve", "--database", primary, "--database-replica", primary, "--replica-max-lag", "5",
                "--host", "127.0.0.1", "--port", "0",
            ], saying: "it replays no write-ahead log")
        }
    }
}
