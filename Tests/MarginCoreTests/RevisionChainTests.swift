import MarginCore
import Testing

/// The chain values of `Protocol/PROTOCOL.md` §16.1, for origin `a1b2c3d4e5f60718` and the three revisions of
/// `examples/03-push.request.json`.
@Suite("Revision chains")
struct RevisionChainTests {
    static let origin = PeerID(rawValue: "a1b2c3d4e5f60718")
    static let ids = [
        "0e7f5a18ba9903e08118279547f48212ce34e2dca716233f8db78f0408c90350",
        "aa7a5e4cb4e1ddb45db0ce209330aca3224a11bcc2c62aa6d2cc44496d9d2228",
        "dcbfc26b8be7ef39600eea25282e9b30b05b8ee9d56e344a1f4f33b058aaa2ff",
    ].map(RevisionID.init(rawValue:))
    static let specified = [
        "ea4d8be10b460e3c8f37cf592d6142d981d86c589d9adae8bef5ef0e41b314d6",
        "0133e3204544768f94bb11e53659353682446d9bc8cb7536d22ec1817fd80a4f",
        "4c0a1fa2c0ba7bf19ec07dde4020c313d8129b3a52f63bbaaa7679ce23dba054",
        "7bf7e312f64dae82f467f6be51f24006c453ba6b4290989f336ba5de928a35d8",
    ]

    @Test("chain(0) to chain(3) are the values the spec gives")
    func specifiedValues() {
        var chain = RevisionChain.start(of: Self.origin)
        var values = [chain.hexadecimal]
        for id in Self.ids {
            chain = chain.appending(id)
            values.append(chain.hexadecimal)
        }
        #expect(values == Self.specified)
        #expect(RevisionChain.start(of: Self.origin).appending(contentsOf: Self.ids).hexadecimal == Self.specified[3])
    }

    @Test("a chain value read back from its stored bytes carries on alike")
    func storedValue() throws {
        let stored = try #require(Hexadecimal.decode(Self.specified[2]))
        let chain = try #require(RevisionChain(stored: stored))
        #expect(chain.appending(Self.ids[2]).hexadecimal == Self.specified[3])
        #expect(RevisionChain(stored: Array(stored.prefix(31))) == nil)
    }
}
