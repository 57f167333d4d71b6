import Foundation
import GRDB
import MarginCore
import Testing
@testable import MarginStore

/// The vector a store keeps of each remote (what the server last said it holds), written as JSON by
/// `recordRemoteState` and read back by the strict reader.
@Suite("A remote's kept vector")
struct RemoteVectorTests {
    @Test func aRecordedVectorReadsBackAsItWasRecorded() throws {
        let store = try StoreTestSupport.newStore()
        #expect(try store.addRemote(name: "hub", url: "http://hub.invalid", token: nil))
        #expect(try store.remote(named: "hub")?.knownVector == [:])

        let seed = UInt64.random(in: 1...UInt64.max)
        print("RemoteVectorTests seed \(seed)")
        var generator = SeededGenerator(state: seed)
        let server = PeerID.random()
        for round in 0..<40 {
            var vector: [PeerID: Int64] = [:]
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                // Counters across the whole range, the largest a revision may carry included.
                let counter = [Int64(0), 1, RevisionLimits.maximumInteger, Int64.random(in: 0...Int64.max, using: &generator)]
                    .randomElement(using: &generator)!
                vector[PeerID.random()] = counter
            }
            try store.recordRemoteState(name: "hub", peer: server, vector: vector)
            let remote = try #require(try store.remote(named: "hub"))
            #expect(remote.knownVector == vector, "round \(round), seed \(seed)")
            #expect(remote.serverPeer == server)
            #expect(try store.remotes().first { $0.name == "hub" }?.knownVector == vector)
        }
    }

    @Test(arguments: [
        ("[]", "not an object"),
        ("{\"a\": \"1\"}", "counter of a is not a whole number"),
        ("{\"a\": 1.5}", "counter of a is not a whole number"),
        ("{\"a\": 1, \"a\": 2}", "unreadable"),
        ("{\"a\": 1", "unreadable"),
    ])
    func anUnreadableVectorIsAnErrorNamingTheRemote(text: String, expected: String) throws {
        let store = try StoreTestSupport.newStore()
        #expect(try store.addRemote(name: "hub", url: "http://hub.invalid", token: nil))
        try store.write { db in
            try db.execute(sql: "UPDATE remote SET server_vector = ? WHERE name = 'hub'", arguments: [text])
        }
        #expect {
            try store.remote(named: "hub")
        } throws: { error in
            let message = "\(error)"
            return message.contains("remote hub") && message.contains(expected)
        }
    }
}
