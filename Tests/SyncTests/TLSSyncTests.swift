import Foundation
import MarginStore
import NIOSSL
import StoreSyncBackend
import SyncServer
import Testing

/// HTTPS between `margin sync` and a server in this process, with certificates the test makes with openssl: a
/// client that trusts the server's self-signed certificate through --ca-cert syncs; one that does not, one that
/// reaches it under another name, and one that speaks plain HTTP to it are refused with one sentence each.
@Suite struct TLSSyncTests {
    /// Runs `body` with a TLS server over `store` on 127.0.0.1, serving `certificate` with `key`, then stops it.
    static func withTLSServer<T>(
        _ store: MarginStore, certificate: String, key: String, _ body: (RunningSyncServer) async throws -> T
    ) async throws -> T {
        var configuration = SyncTestSupport.configuration()
        configuration.tls = try SyncServerTLS(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate),
            privateKey: try NIOSSLPrivateKey(file: key, format: .pem))
        let server = try await RunningSyncServer.start(backend: EmbeddedSyncBackend(store), configuration: configuration)
        do {
            let value = try await body(server)
            await server.stop()
            return value
        } catch {
            await server.stop()
            throw error
        }
    }

    /// An error printed by `margin`: one line, one sentence, and nothing of the TLS library's own text.
    static func expectOneCleanLine(_ errors: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = errors.split(separator: "\n")
        #expect(lines.count == 1, "\(errors)", sourceLocation: sourceLocation)
        for leak in ["NIOSSL", "BoringSSL", "handshakeFailed", "Backtrac", ".swift:"] {
            #expect(!errors.contains(leak), "printed \(leak): \(errors)", sourceLocation: sourceLocation)
        }
    }

    @Test func aClientTrustingTheSelfSignedCertificateSyncsOverHTTPS() async throws {
        let certificates = try TestCertificates.make()
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let bob = try SyncTestSupport.newStore(author: "bob")
        try await Self.withTLSServer(hub, certificate: certificates.serverCertificate, key: certificates.serverKey) { (server: RunningSyncServer) async throws in
            #expect(server.url.hasPrefix("https://127.0.0.1:"))
            for store in [alice, bob] {
                let added = await SyncTestSupport.margin(
                    ["remote", "add", "hub", server.url, "--ca-cert", certificates.serverCertificate, "--store", store.path])
                #expect(added.status == 0, "\(added.errors)")
                #expect(added.output.contains("trusting the certificate in \(certificates.serverCertificate)"))
            }
            let pushed = await SyncTestSupport.margin(["sync", "hub", "--store", alice.path])
            #expect(pushed.status == 0, "\(pushed.errors)")
            let pulled = await SyncTestSupport.margin(["sync", "hub", "--store", bob.path])
            #expect(pulled.status == 0, "\(pulled.errors)")
        }
        let aliceRevisions = try SyncTestSupport.revisionIDs(alice)
        #expect(!aliceRevisions.isEmpty)
        #expect(try SyncTestSupport.revisionIDs(bob) == aliceRevisions)
        #expect(try SyncTestSupport.revisionIDs(hub) == aliceRevisions)
        // The certificate is remembered with the remote, as an absolute path.
        #expect(try bob.remote(named: "hub")?.trustedCertificatePath == certificates.serverCertificate)
        let listed = await SyncTestSupport.margin(["remote", "list", "--json", "--store", bob.path])
        #expect(listed.output.contains("\"trustedCertificate\" : \"\(certificates.serverCertificate)\""), "\(listed.output)")
    }

    @Test func aClientWithoutTheCertificateIsRefusedAndToldAboutCACert() async throws {
        let certificates = try TestCertificates.make()
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        try await Self.withTLSServer(hub, certificate: certificates.serverCertificate, key: certificates.serverKey) { (server: RunningSyncServer) async throws in
            #expect(await SyncTestSupport.margin(["remote", "add", "hub", server.url, "--store", alice.path]).status == 0)
            let refused = await SyncTestSupport.margin(["sync", "hub", "--store", alice.path])
            #expect(refused.status == 1)
            #expect(refused.errors.contains("The certificate of \(server.url) is not trusted"), "\(refused.errors)")
            #expect(refused.errors.contains("--ca-cert FILE"))
            Self.expectOneCleanLine(refused.errors)
            // Trusting another self-signed certificate does not help either.
            #expect(await SyncTestSupport.margin(
                ["remote", "add", "wrong-ca", server.url, "--ca-cert", certificates.otherCertificate, "--store", alice.path]
            ).status == 0)
            let stillRefused = await SyncTestSupport.margin(["sync", "wrong-ca", "--store", alice.path])
            #expect(stillRefused.status == 1 && stillRefused.errors.contains("is not trusted"), "\(stillRefused.errors)")
        }
        #expect(try SyncTestSupport.revisionIDs(hub).isEmpty, "nothing crossed an untrusted connection")
    }

    @Test func aCertificateForAnotherHostNameIsRefused() async throws {
        let certificates = try TestCertificates.make()
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        try await Self.withTLSServer(hub, certificate: certificates.otherCertificate, key: certificates.otherKey) { server in
            #expect(await SyncTestSupport.margin(
                ["remote", "add", "hub", server.url, "--ca-cert", certificates.otherCertificate, "--store", alice.path]
            ).status == 0)
            let refused = await SyncTestSupport.margin(["sync", "hub", "--store", alice.path])
            #expect(refused.status == 1)
            #expect(refused.errors.contains("is not made out to 127.0.0.1"), "\(refused.errors)")
            #expect(refused.errors.contains("--ca-cert"))
            Self.expectOneCleanLine(refused.errors)
        }
        #expect(try SyncTestSupport.revisionIDs(hub).isEmpty)
    }

    @Test func plainHTTPToATLSPortFailsCleanlyAndTheServerKeepsServing() async throws {
        let certificates = try TestCertificates.make()
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        try await Self.withTLSServer(hub, certificate: certificates.serverCertificate, key: certificates.serverKey) { (server: RunningSyncServer) async throws in
            let plainURL = "http://127.0.0.1:\(server.port)"
            #expect(await SyncTestSupport.margin(["remote", "add", "plain", plainURL, "--store", alice.path]).status == 0)
            let refused = await SyncTestSupport.margin(["sync", "plain", "--store", alice.path])
            #expect(refused.status == 1)
            #expect(refused.errors.contains("Cannot reach \(plainURL)"), "\(refused.errors)")
            #expect(refused.errors.contains("write the URL with https://"), "\(refused.errors)")
            Self.expectOneCleanLine(refused.errors)
            #expect(try SyncTestSupport.revisionIDs(hub).isEmpty)

            #expect(await SyncTestSupport.margin(
                ["remote", "add", "hub", server.url, "--ca-cert", certificates.serverCertificate, "--store", alice.path]
            ).status == 0)
            let synced = await SyncTestSupport.margin(["sync", "hub", "--store", alice.path])
            #expect(synced.status == 0, "\(synced.errors)")
        }
        #expect(try SyncTestSupport.revisionIDs(hub) == SyncTestSupport.revisionIDs(alice))
    }

    /// A TLS server sent plain HTTP may close the connection with the request still unread, which the client reads
    /// as a reset: that gets the same hint as a plain close.
    @Test func plainHTTPThatGetsAResetSaysToWriteHTTPS() async throws {
        let listener = try ResettingListener()
        defer { listener.stop() }
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let plainURL = "http://127.0.0.1:\(listener.port)"
        #expect(await SyncTestSupport.margin(["remote", "add", "plain", plainURL, "--store", alice.path]).status == 0)
        let before = try SyncTestSupport.revisionIDs(alice)
        let refused = await SyncTestSupport.margin(["sync", "plain", "--store", alice.path])
        #expect(listener.resetCount >= 1, "the listener reset no connection")
        #expect(refused.status == 1)
        #expect(refused.errors.contains("Cannot reach \(plainURL)"), "\(refused.errors)")
        // Mostly the client reads the reset; on a busy machine it may read the connection's end first, which gets
        // the same hint. Without the hint for a reset, the message is NIO's own and this test fails.
        let said = ["the server reset the connection", "the server closed the connection"].filter(refused.errors.contains)
        #expect(said.count == 1, "\(refused.errors)")
        #expect(refused.errors.contains("without answering: if it serves HTTPS, write the URL with https://"), "\(refused.errors)")
        Self.expectOneCleanLine(refused.errors)
        #expect(try SyncTestSupport.revisionIDs(alice) == before)
    }

    @Test func httpsToAPlainServerSaysItDoesNotSpeakTLS() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        try await SyncTestSupport.withServer(hub) { server in
            let secureURL = "https://127.0.0.1:\(server.port)"
            #expect(await SyncTestSupport.margin(["remote", "add", "hub", secureURL, "--store", alice.path]).status == 0)
            let refused = await SyncTestSupport.margin(["sync", "hub", "--store", alice.path])
            #expect(refused.status == 1)
            #expect(refused.errors.contains("\(secureURL) does not speak TLS"), "\(refused.errors)")
            Self.expectOneCleanLine(refused.errors)
        }
        #expect(try SyncTestSupport.revisionIDs(hub).isEmpty)
    }

    @Test func serveRefusesUnusableCertificateAndKeyFilesWithOneSentence() async throws {
        let certificates = try TestCertificates.make()
        let hub = try SyncTestSupport.newStore(author: "hub")
        let missing = certificates.folder + "/missing.pem"
        let serve = ["serve", "--store", hub.path, "--port", "0"]
        let cases: [(arguments: [String], status: Int32, says: String)] = [
            (["--tls-cert", certificates.serverCertificate], 64, "--tls-cert and --tls-key go together"),
            (["--tls-key", certificates.serverKey], 64, "--tls-cert and --tls-key go together"),
            (["--tls-cert", missing, "--tls-key", certificates.serverKey], 1, "Cannot read \(missing) (given to --tls-cert)"),
            (["--tls-cert", certificates.serverCertificate, "--tls-key", missing], 1, "Cannot read \(missing) (given to --tls-key)"),
            (["--tls-cert", certificates.serverKey, "--tls-key", certificates.serverKey], 1, "holds no PEM certificate"),
            (["--tls-cert", certificates.serverCertificate, "--tls-key", certificates.serverCertificate], 1, "holds no PEM private key"),
            (["--tls-cert", certificates.serverCertificate, "--tls-key", certificates.otherKey], 1,
             "The private key in \(certificates.otherKey) does not belong to the certificate in \(certificates.serverCertificate)"),
        ]
        for (arguments, status, says) in cases {
            let result = await SyncTestSupport.margin(serve + arguments)
            #expect(result.status == status, "\(arguments): \(result.errors)")
            #expect(result.errors.contains(says), "\(arguments): \(result.errors)")
            #expect(result.output.isEmpty, "\(arguments) must not start listening")
            if status == 1 { Self.expectOneCleanLine(result.errors) }
        }
    }

    @Test func remoteAddRefusesAnUnusableCACertificate() async throws {
        let certificates = try TestCertificates.make()
        let alice = try SyncTestSupport.newStore(author: "alice")
        let url = "https://127.0.0.1:9"
        let missing = await SyncTestSupport.margin(
            ["remote", "add", "a", url, "--ca-cert", certificates.folder + "/none.pem", "--store", alice.path])
        #expect(missing.status == 1 && missing.errors.contains("Cannot read"), "\(missing.errors)")
        let notACertificate = await SyncTestSupport.margin(
            ["remote", "add", "b", url, "--ca-cert", certificates.serverKey, "--store", alice.path])
        #expect(notACertificate.status == 1 && notACertificate.errors.contains("holds no PEM certificate"))
        let plain = await SyncTestSupport.margin(
            ["remote", "add", "c", "http://127.0.0.1:9", "--ca-cert", certificates.serverCertificate, "--store", alice.path])
        #expect(plain.status == 64 && plain.errors.contains("--ca-cert is for https:// servers"), "\(plain.errors)")
        #expect(try alice.remotes().isEmpty, "a refused certificate adds no remote")
    }
}
