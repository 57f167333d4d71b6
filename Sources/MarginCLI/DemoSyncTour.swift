import Foundation
import Logging
import MarginStore
import StoreSyncBackend
import SyncServer

/// The second half of `margin demo`: a shared server on a free loopback port, two peers that write offline,
/// sync, meet a conflict, and resolve it once for both.
struct DemoSyncTour {
    let seedFiles: [String]
    /// The demo's first store (already holding an annotation and tags).
    let alice: String
    /// The section the first half annotated.
    let section: String
    /// The annotation the first half wrote.
    let annotation: String

    func run(_ step: ([String], String) async throws -> Void) async throws {
        let console = Console.current
        // Bob's store and the server's sit beside Alice's, in one folder named after it.
        let peers = alice + "-peers"
        let bob = (peers as NSString).appendingPathComponent("bob")
        let serverStore = (peers as NSString).appendingPathComponent("server")
        _ = try MarginStore.create(at: serverStore, author: "server")
        // The token reaches `remote add` in a file, as a person should pass it (never on the command line).
        let tokenFile = (peers as NSString).appendingPathComponent("demo.token")
        guard FileManager.default.createFile(
            atPath: tokenFile, contents: Data("demo-token\n".utf8), attributes: [.posixPermissions: 0o600])
        else { throw MarginCLIError.unreadableFile(tokenFile) }
        let server = try await RunningSyncServer.start(
            backend: EmbeddedSyncBackend(try MarginStore.open(at: serverStore)),
            configuration: SyncServerConfiguration(
                port: 0, access: SyncAccess(writeTokens: ["demo-token"]),
                logger: Logger(label: "margin.demo", factory: { _ in SwiftLogNoOpLogHandler() })))
        do {
            console.print("")
            console.print("# A shared server now listens on \(server.url) (what `margin serve --port 0` runs).")
            console.print("# Alice (the store above) and Bob (a new store) sync through it.")
            try await step(["remote", "add", "shared", server.url, "--token-file", tokenFile], alice)
            try await step(["sync"], alice)
            try await step(["init", "--author", "bob"], bob)
            try await step(["import"] + seedFiles, bob)
            try await step(["remote", "add", "shared", server.url, "--token-file", tokenFile], bob)
            try await step(["sync"], bob)
            try await step(["show", section], bob)

            console.print("")
            console.print("# Offline, both edit Alice's annotation; Bob also tags the section.")
            try await step(["annotate", "--edit", annotation, "值得与前年的数据对比。"], alice)
            try await step(["annotate", "--edit", annotation, "值得与全省的数据对比。"], bob)
            try await step(["tag", section, "待核实"], bob)
            try await step(["sync"], bob)
            try await step(["sync"], alice)
            try await step(["conflicts"], alice)
            try await step(["resolve", annotation, "--text", "值得与前年及全省的数据对比。"], alice)
            try await step(["sync"], alice)
            try await step(["sync"], bob)
            try await step(["show", section], bob)
            try await step(["status"], bob)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
