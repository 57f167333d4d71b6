import Foundation
import Hummingbird
import HummingbirdTesting
import MarginCore
import MarginStore
import StoreSyncBackend
import SyncProtocol
import SyncServer
import Testing

/// The spec's example exchanges, decoded with the real wire types and replayed against a real server,
/// so that `Protocol/` and the code cannot drift apart.
@Suite struct ProtocolExampleTests {
    struct Manifest: Decodable {
        struct Server: Decodable {
            var writeTokens: [String]
            var readTokens: [String]
        }
        struct Exchange: Decodable {
            var name: String
            var method: String
            var path: String
            var token: String?
            var status: Int
            var request: String?
            var response: String
        }
        var server: Server
        var exchanges: [Exchange]
    }

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(
            Manifest.self, from: Data(contentsOf: SyncTestSupport.examples.appendingPathComponent("exchanges.json")))
    }

    static func example(_ name: String) throws -> Data {
        try Data(contentsOf: SyncTestSupport.examples.appendingPathComponent(name))
    }

    @Test func everyExampleDecodesWithTheWireTypes() throws {
        let manifest = try Self.manifest()
        #expect(manifest.exchanges.count >= 10)
        for exchange in manifest.exchanges {
            let response = try Self.example(exchange.response)
            if exchange.status != 200 {
                _ = try SyncCoding.decode(ErrorResponse.self, from: response)
                continue
            }
            switch exchange.path {
            case SyncEndpoint.health:
                _ = try SyncCoding.decode(HealthResponse.self, from: response)
            case SyncEndpoint.sync:
                _ = try SyncCoding.decode(SyncRequest.self, from: try Self.example(try #require(exchange.request)))
                let answer = try SyncCoding.decode(SyncResponse.self, from: response)
                for revision in answer.revisions { try revision.verify() }
            case SyncEndpoint.revisions:
                let request = try SyncCoding.decode(PushRequest.self, from: try Self.example(try #require(exchange.request)))
                for revision in request.revisions { try revision.verify() }
                _ = try SyncCoding.decode(PushResponse.self, from: response)
            default:
                Issue.record("unexpected path \(exchange.path) in \(exchange.name)")
            }
        }
    }

    @Test func theSpecHashExampleIsTheRealHash() throws {
        let push = try SyncCoding.decode(PushRequest.self, from: try Self.example("03-push.request.json"))
        let tag = try #require(push.revisions.last)
        #expect(tag.id.rawValue == "dcbfc26b8be7ef39600eea25282e9b30b05b8ee9d56e344a1f4f33b058aaa2ff")
        let spec = try String(contentsOf: SyncTestSupport.packageRoot.appendingPathComponent("Protocol/PROTOCOL.md"), encoding: .utf8)
        #expect(spec.contains(RevisionHasher.canonicalText(of: tag)))
    }

    @Test(arguments: [false, true])
    func examplesReplayAgainstARealServer(overSockets: Bool) async throws {
        let manifest = try Self.manifest()
        let store = try SyncTestSupport.newStore(author: "server")
        let access = SyncAccess(writeTokens: Set(manifest.server.writeTokens), readTokens: Set(manifest.server.readTokens))
        let app = buildApplication(backend: EmbeddedSyncBackend(store), configuration: SyncTestSupport.configuration(access: access))
        try await app.test(overSockets ? .live : .router) { client in
            for exchange in manifest.exchanges {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let token = exchange.token { headers[.authorization] = "Bearer \(token)" }
                let body = try exchange.request.map { ByteBuffer(bytes: try Self.example($0)) }
                let response = try await client.execute(
                    uri: exchange.path, method: HTTPRequest.Method(exchange.method)!, headers: headers, body: body)
                #expect(Int(response.status.code) == exchange.status, "\(exchange.name): \(String(buffer: response.body))")
                let actual = Data(response.body.readableBytesView)
                let expected = try Self.example(exchange.response)
                try Self.expectEquivalent(actual, expected, exchange: exchange, serverPeer: store.peer.id)
            }
        }
        #expect(try store.integrityProblems() == [])
    }

    /// Compares an actual answer with the example: exactly, except that the server's peer id is its own.
    static func expectEquivalent(_ actual: Data, _ expected: Data, exchange: Manifest.Exchange, serverPeer: PeerID) throws {
        if exchange.status != 200 {
            let got = try SyncCoding.decode(ErrorResponse.self, from: actual)
            #expect(got == (try SyncCoding.decode(ErrorResponse.self, from: expected)), "\(exchange.name)")
            return
        }
        switch exchange.path {
        case SyncEndpoint.sync:
            var want = try SyncCoding.decode(SyncResponse.self, from: expected)
            want.peer = serverPeer
            #expect(try SyncCoding.decode(SyncResponse.self, from: actual) == want, "\(exchange.name)")
        case SyncEndpoint.revisions:
            #expect(try SyncCoding.decode(PushResponse.self, from: actual) == SyncCoding.decode(PushResponse.self, from: expected))
        default:
            #expect(try SyncCoding.decode(HealthResponse.self, from: actual) == SyncCoding.decode(HealthResponse.self, from: expected))
        }
    }

    /// Each schema's required fields are exactly the keys the wire type always encodes.
    @Test func schemasRequireWhatTheWireTypesEncode() throws {
        let push = try SyncCoding.decode(PushRequest.self, from: try Self.example("03-push.request.json"))
        let revision = try #require(push.revisions.first)
        let samples: [(String, any Encodable)] = [
            ("sync-request", SyncRequest(have: VersionVector())),
            ("sync-response", SyncResponse(peer: PeerID(rawValue: "p"), have: VersionVector(), revisions: [], more: false, maxBodyBytes: 1)),
            ("push-request", push),
            ("push-response", PushResponse(accepted: 0, duplicates: 0, have: VersionVector())),
            ("health-response", HealthResponse()),
            ("revision", revision),
            ("chain-proof", try #require(push.signatures.first)),
            ("error", ErrorResponse(code: .notFound, message: "m")),
        ]
        for (name, sample) in samples {
            let schemaData = try Data(contentsOf: SyncTestSupport.schemas.appendingPathComponent("\(name).schema.json"))
            let schema = try #require(try JSONSerialization.jsonObject(with: schemaData) as? [String: Any])
            let required = Set(try #require(schema["required"] as? [String]))
            let properties = Set(try #require(schema["properties"] as? [String: Any]).keys)
            let encoded = try #require(try JSONSerialization.jsonObject(with: SyncCoding.encode(sample)) as? [String: Any])
            #expect(required == Set(encoded.keys), "\(name): schema requires \(required.sorted()), type encodes \(encoded.keys.sorted())")
            #expect(required.isSubset(of: properties), "\(name)")
        }
        let codes = Set(SyncErrorCode.allCases.map(\.rawValue))
        let errorSchema = try String(contentsOf: SyncTestSupport.schemas.appendingPathComponent("error.schema.json"), encoding: .utf8)
        for code in codes { #expect(errorSchema.contains("\"\(code)\""), "error.schema.json lacks \(code)") }
    }
}
