import Foundation
import MarginStore
import Testing

/// The README's TLS set-up, through the built `margin`: a self-signed certificate made with openssl, two accounts,
/// `margin serve --tls-cert --tls-key`, and two peers that add the server with --ca-cert, one with --token-file and
/// one typing the token at a hidden prompt on a pseudo-terminal; they sync through it, then SIGTERM stops it.
@Suite struct TLSBinaryTests {
    /// Starts `margin serve` with TLS on a free port and returns the process and the URL of its first line.
    static func serveTLS(_ margin: URL, store: String, certificates: TestCertificates) throws -> (Process, String) {
        let (server, line) = try MarginBinaryTests.launch(margin, [
            "serve", "--store", store, "--host", "127.0.0.1", "--port", "0",
            "--tls-cert", certificates.serverCertificate, "--tls-key", certificates.serverKey,
        ])
        #expect(line.hasPrefix("listening on https://127.0.0.1:"), "server said: \(line)")
        return (server, String(try #require(line.split(separator: " ").last)))
    }

    /// Runs `margin` with a pseudo-terminal as standard input: waits for `prompt` on standard error, types `typed`
    /// and Return, and returns the exit status, standard error, and everything the terminal showed (its echo).
    static func runAtATerminal(
        _ margin: URL, _ arguments: [String], prompt: String, typed: String
    ) throws -> (status: Int32, errors: String, screen: String) {
        var controller: Int32 = -1
        var terminal: Int32 = -1
        try #require(openpty(&controller, &terminal, nil, nil, nil) == 0, "no pseudo-terminal")
        defer { close(controller) }
        let process = Process()
        process.executableURL = margin
        process.arguments = arguments
        process.standardInput = FileHandle(fileDescriptor: terminal, closeOnDealloc: false)
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        close(terminal)
        // The prompt is written once echo is off; typing only after it appears tests what a person would see.
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains(prompt), !said.contains(UInt8(ascii: "\n")) {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said.append(chunk)
        }
        let line = Array((typed + "\n").utf8)
        #expect(write(controller, line, line.count) == line.count)
        said.append(errors.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        // Whatever the terminal would have shown: with echo off, nothing of what was typed.
        _ = fcntl(controller, F_SETFL, fcntl(controller, F_GETFL) | O_NONBLOCK)
        var screen: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(controller, &buffer, buffer.count)
            if count <= 0 { break }
            screen += buffer[0..<count]
        }
        return (process.terminationStatus, String(decoding: said, as: UTF8.self), String(decoding: screen, as: UTF8.self))
    }

    @Test func twoAccountsSyncThroughATLSServerAsTheReadmeSetsItUp() async throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "run `swift build` before `swift test`")
        let certificates = try TestCertificates.make()
        let hubPath = SyncTestSupport.temporaryFolder("hub")
        let bobPath = SyncTestSupport.temporaryFolder("bob")
        _ = try MarginStore.create(at: hubPath, author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        _ = try MarginStore.create(at: bobPath, author: "bob")

        // Two accounts; each token goes to standard output alone, as `> FILE` saves it.
        var tokens: [String] = []
        for name in ["li.wei", "wang.fang"] {
            let added = try MarginBinaryTests.run(margin, ["user", "add", name, "--store", hubPath])
            #expect(added.status == 0, "\(added.errors)")
            tokens.append(added.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let aliceTokenFile = certificates.folder + "/li.wei.token"
        try (tokens[0] + "\n").write(toFile: aliceTokenFile, atomically: true, encoding: .utf8)

        let (server, url) = try Self.serveTLS(margin, store: hubPath, certificates: certificates)
        defer { if server.isRunning { server.terminate() } }

        let aliceAdded = try MarginBinaryTests.run(margin, [
            "remote", "add", "lab", url, "--ca-cert", certificates.serverCertificate, "--token-file", aliceTokenFile,
            "--store", alice.path,
        ])
        #expect(aliceAdded.status == 0, "\(aliceAdded.errors)")
        let prompted = try Self.runAtATerminal(
            margin,
            ["remote", "add", "lab", url, "--ca-cert", certificates.serverCertificate, "--token-stdin", "--store", bobPath],
            prompt: "(not shown): ", typed: tokens[1])
        #expect(prompted.status == 0, "\(prompted.errors)")
        #expect(prompted.errors.contains("Token for lab (not shown): "))
        #expect(!prompted.screen.contains(tokens[1]) && !prompted.errors.contains(tokens[1]), "the typed token was echoed")

        let pushed = try MarginBinaryTests.run(margin, ["sync", "lab", "--store", alice.path])
        #expect(pushed.status == 0, "\(pushed.errors)")
        let pulled = try MarginBinaryTests.run(margin, ["sync", "lab", "--store", bobPath])
        #expect(pulled.status == 0, "\(pulled.errors)")
        // Bob's log names the account that signed Alice's revisions, verified through the server.
        let log = try MarginBinaryTests.run(margin, ["log", "--store", bobPath])
        #expect(log.output.contains("alice (li.wei ✓)") && !log.output.contains("unsigned"), "\(log.output)")

        // Without the certificate, the same server and token are refused with the advice to pass it.
        let untrusting = SyncTestSupport.temporaryFolder("carol")
        _ = try MarginStore.create(at: untrusting, author: "carol")
        #expect(try MarginBinaryTests.run(
            margin, ["remote", "add", "lab", url, "--token-file", aliceTokenFile, "--store", untrusting]).status == 0)
        let refused = try MarginBinaryTests.run(margin, ["sync", "lab", "--store", untrusting])
        #expect(refused.status == 1 && refused.errors.contains("--ca-cert FILE"), "\(refused.errors)")

        server.terminate()
        server.waitUntilExit()
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)

        let bob = try MarginStore.open(at: bobPath)
        #expect(try SyncTestSupport.revisionIDs(bob) == SyncTestSupport.revisionIDs(alice))
        #expect(try bob.remote(named: "lab")?.token == tokens[1], "the prompted token was saved")
        #expect(try CredentialsTests.mode(bob.credentialsPath) == 0o600)
        for (store, token) in [(alice.path, tokens[0]), (bobPath, tokens[1])] {
            #expect(try !CredentialsTests.databaseFilesContain(token, store: store))
        }
        let hub = try MarginStore.open(at: hubPath)
        try SyncTestSupport.expectSound(hub, bob, alice)
    }
}
