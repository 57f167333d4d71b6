import Foundation
import MarginCore
import MarginStore
import PostgresTestSupport
import Testing

/// Two `margin serve --database` processes over one PostgreSQL database, as behind a load balancer: readers whose
/// stores alternate between them, pushing at the same moment, all end up with every note, and a new store pulling
/// from either server gets the same history.
@Suite struct SeveralServersBinaryTests {
    /// A `margin` process started without waiting for it, its output going to files (no pipe to fill up).
    struct Started {
        let process: Process
        let output: URL
        let errors: URL

        init(_ margin: URL, _ arguments: [String]) throws {
            let folder = URL(fileURLWithPath: SyncTestSupport.temporaryFolder("run"))
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            output = folder.appendingPathComponent("stdout")
            errors = folder.appendingPathComponent("stderr")
            FileManager.default.createFile(atPath: output.path, contents: nil)
            FileManager.default.createFile(atPath: errors.path, contents: nil)
            process = Process()
            process.executableURL = margin
            process.arguments = arguments
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
        }

        /// Waits for the process to end; its exit status and what it printed.
        func finish() throws -> (status: Int32, output: String, errors: String) {
            process.waitUntilExit()
            return (
                process.terminationStatus, try String(contentsOf: output, encoding: .utf8),
                try String(contentsOf: errors, encoding: .utf8))
        }
    }

    /// Starts `margin serve --database` on a free port and returns the process and its URL.
    static func serve(_ margin: URL, database: String) throws -> (Process, String) {
        let (server, line) = try MarginBinaryTests.launch(
            margin, ["serve", "--database", database, "--host", "127.0.0.1", "--port", "0"])
        #expect(line.hasPrefix("listening on http://127.0.0.1:"), "server said: \(line)")
        return (server, String(try #require(line.split(separator: " ").last)))
    }

    @Test func readersAlternatingBetweenTwoServersOverOneDatabaseConverge() async throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "run `swift build` before `swift test`")
        try await TestPostgres.withDatabase { database in
            let added = try MarginBinaryTests.run(margin, ["user", "add", "team", "--database", database])
            #expect(added.status == 0, "\(added.errors)")
            let tokenFile = SyncTestSupport.temporaryFolder("token")
            try (added.output.trimmingCharacters(in: .whitespacesAndNewlines) + "\n")
                .write(toFile: tokenFile, atomically: true, encoding: .utf8)

            let (first, firstURL) = try Self.serve(margin, database: database)
            defer { if first.isRunning { first.terminate() } }
            let (second, secondURL) = try Self.serve(margin, database: database)
            defer { if second.isRunning { second.terminate() } }
            let servers = [firstURL, secondURL]

            let readers = try (0..<4).map { try SyncTestSupport.seededStore(author: "reader\($0)", files: 1) }
            for reader in readers {
                for (name, url) in zip(["one", "two"], servers) {
                    let remote = try MarginBinaryTests.run(
                        margin, ["remote", "add", name, url, "--token-file", tokenFile, "--store", reader.path])
                    #expect(remote.status == 0, "\(remote.errors)")
                }
            }
            let sections = try readers.map(SyncTestSupport.firstSection)

            // Three rounds: each reader writes a note, then all four sync at once, two through each server, and each
            // reader uses the other server in the next round.
            let rounds = 3
            for round in 0..<rounds {
                for (index, reader) in readers.enumerated() {
                    _ = try reader.addAnnotation(on: sections[index], text: "round \(round), reader \(index)")
                }
                let syncs = try readers.enumerated().map { index, reader in
                    try Started(margin, ["sync", (round + index) % 2 == 0 ? "one" : "two", "--store", reader.path])
                }
                for (index, sync) in syncs.enumerated() {
                    let result = try sync.finish()
                    #expect(result.status == 0, "round \(round), reader \(index): \(result.errors)")
                }
            }
            // Two settling passes, one reader after another, each through the server it did not use last.
            for pass in 0..<2 {
                for (index, reader) in readers.enumerated() {
                    let result = try MarginBinaryTests.run(
                        margin, ["sync", (rounds + pass + index) % 2 == 0 ? "one" : "two", "--store", reader.path])
                    #expect(result.status == 0, "settling, reader \(index): \(result.errors)")
                }
            }

            let held = try readers.map(SyncTestSupport.revisionIDs)
            for (index, revisions) in held.enumerated() {
                #expect(revisions == held[0], "reader \(index) differs from reader 0")
            }
            for reader in readers {
                #expect(try reader.notes().total == readers.count * rounds)
            }
            // A new store pulling from either server gets exactly the readers' history: both serve the same data.
            for (name, url) in zip(["one", "two"], servers) {
                let newcomer = try SyncTestSupport.newStore(author: "newcomer-\(name)")
                let remote = try MarginBinaryTests.run(
                    margin, ["remote", "add", name, url, "--token-file", tokenFile, "--store", newcomer.path])
                #expect(remote.status == 0, "\(remote.errors)")
                let pulled = try MarginBinaryTests.run(margin, ["sync", name, "--store", newcomer.path])
                #expect(pulled.status == 0, "\(pulled.errors)")
                #expect(try SyncTestSupport.revisionIDs(newcomer) == held[0], "pulled from server \(name)")
            }
            try SyncTestSupport.expectSound(readers[0], readers[1], readers[2], readers[3])

            for server in [first, second] {
                server.terminate()
                server.waitUntilExit()
                #expect(server.terminationReason == .exit && server.terminationStatus == 0)
            }
        }
    }

    /// Accounts in the database: added and listed with `margin user … --database`, checked by every server over it,
    /// and a revocation made through the command holds at once on a running server.
    @Test func accountsInTheDatabaseHoldOnEveryServer() async throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "run `swift build` before `swift test`")
        try await TestPostgres.withDatabase { database in
            let added = try MarginBinaryTests.run(margin, ["user", "add", "li.wei", "--database", database])
            #expect(added.status == 0, "\(added.errors)")
            let token = added.output.trimmingCharacters(in: .whitespacesAndNewlines)
            let again = try MarginBinaryTests.run(margin, ["user", "add", "li.wei", "--database", database])
            #expect(again.status != 0)
            let listed = try MarginBinaryTests.run(margin, ["user", "list", "--database", database, "--json"])
            #expect(listed.status == 0, "\(listed.errors)")
            #expect(listed.output.contains("\"li.wei\"") && listed.output.contains("\"read-write\""))

            let (server, url) = try Self.serve(margin, database: database)
            defer { if server.isRunning { server.terminate() } }
            let reader = try SyncTestSupport.seededStore(author: "li", files: 1)
            let tokenFile = SyncTestSupport.temporaryFolder("token")
            try (token + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
            let remote = try MarginBinaryTests.run(
                margin, ["remote", "add", "lab", url, "--token-file", tokenFile, "--store", reader.path])
            #expect(remote.status == 0, "\(remote.errors)")
            let anonymous = try SyncTestSupport.newStore(author: "stranger")
            let open = try MarginBinaryTests.run(margin, ["remote", "add", "lab", url, "--store", anonymous.path])
            #expect(open.status == 0, "\(open.errors)")
            let refused = try MarginBinaryTests.run(margin, ["sync", "--store", anonymous.path])
            #expect(refused.status != 0 && refused.errors.contains("token"), "\(refused.errors)")
            let synced = try MarginBinaryTests.run(margin, ["sync", "--store", reader.path])
            #expect(synced.status == 0, "\(synced.errors)")

            let revoked = try MarginBinaryTests.run(margin, ["user", "revoke", "li.wei", "--database", database])
            #expect(revoked.status == 0, "\(revoked.errors)")
            let afterRevocation = try MarginBinaryTests.run(margin, ["sync", "--store", reader.path])
            #expect(afterRevocation.status != 0 && afterRevocation.errors.contains("revoked"), "\(afterRevocation.errors)")
        }
    }

    /// A database URL that cannot be used is refused with a sentence that does not repeat the password.
    @Test func aBadDatabaseURLIsExplainedWithoutItsPassword() throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "run `swift build` before `swift test`")
        let wrongScheme = try MarginBinaryTests.run(
            margin, ["user", "list", "--database", "mysql://margin:s3cret@127.0.0.1/margin"])
        #expect(wrongScheme.status == 1)
        #expect(wrongScheme.errors.contains("postgresql") && !wrongScheme.errors.contains("s3cret"), "\(wrongScheme.errors)")
        let noDatabase = try MarginBinaryTests.run(
            margin, ["serve", "--port", "0", "--database", "postgresql://margin:s3cret@127.0.0.1"])
        #expect(noDatabase.status == 1)
        #expect(noDatabase.errors.contains("names no database") && !noDatabase.errors.contains("s3cret"), "\(noDatabase.errors)")
    }

    /// A database that cannot be reached is reported at once, in PostgreSQL's words (not after a pool gives up).
    @Test func aMissingDatabaseIsReportedInPostgreSQLsWords() async throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "run `swift build` before `swift test`")
        var missing = try #require(URLComponents(string: try TestPostgres.administrationURL.get()))
        missing.path = "/margin_no_such_database"
        let listed = try MarginBinaryTests.run(margin, ["user", "list", "--database", try #require(missing.string)])
        #expect(listed.status == 1)
        #expect(listed.errors.contains("database \"margin_no_such_database\" does not exist"), "\(listed.errors)")
    }
}
