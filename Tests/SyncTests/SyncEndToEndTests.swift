import Foundation
import MarginCore
import MarginStore
import SyncClient
import SyncProtocol
import SyncServer
import Testing

/// Peers syncing through a live in-process server on 127.0.0.1.
@Suite struct SyncEndToEndTests {
    @Test func twoClientsSeeEachOthersWork() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice")
        let bob = try SyncTestSupport.newStore(author: "bob")
        try await SyncTestSupport.withServer(hub) { server in
            // Alice publishes the reports; Bob gets them.
            let first = try await SyncTestSupport.sync(alice, with: server.url)
            #expect(first.sent > 0 && first.received == 0)
            let bobFirst = try await SyncTestSupport.sync(bob, with: server.url)
            #expect(bobFirst.received == first.sent)
            #expect(try bob.reports().map(\.id) == alice.reports().map(\.id))

            // Alice annotates, Bob tags the same section, concurrently.
            let section = try SyncTestSupport.firstSection(alice)
            let note = try alice.addAnnotation(on: section, text: "这一段需要补充数据。")
            try bob.tag(section, with: ["重点"])
            try await SyncTestSupport.sync(alice, with: server.url)
            try await SyncTestSupport.sync(bob, with: server.url)
            try await SyncTestSupport.sync(alice, with: server.url)

            for store in [alice, bob] {
                let detail = try store.section(section)
                #expect(detail.annotations.map(\.id) == [note.id])
                #expect(detail.tags == ["重点"])
            }
            #expect(try SyncTestSupport.revisionIDs(alice) == SyncTestSupport.revisionIDs(bob))
            #expect(try SyncTestSupport.revisionIDs(hub) == SyncTestSupport.revisionIDs(bob))
        }
        try SyncTestSupport.expectSound(hub, alice, bob)
    }

    @Test func aSyncWithNothingNewIsOneRequest() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        try await SyncTestSupport.withServer(hub) { server in
            try await SyncTestSupport.sync(alice, with: server.url)
            let again = try await SyncTestSupport.sync(alice, with: server.url)
            #expect(again.requests == 1)
            #expect(again.sent == 0 && again.received == 0 && again.complete)
        }
    }

    @Test func threePeersConvergeThroughTheServer() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let peers = [
            try SyncTestSupport.seededStore(author: "p1", files: 1),
            try SyncTestSupport.newStore(author: "p2"),
            try SyncTestSupport.newStore(author: "p3"),
        ]
        try await SyncTestSupport.withServer(hub) { server in
            for peer in peers { try await SyncTestSupport.sync(peer, with: server.url) }
            let section = try SyncTestSupport.firstSection(peers[0])
            _ = try peers[0].addAnnotation(on: section, text: "甲的批注")
            _ = try peers[1].addAnnotation(on: section, text: "乙的批注")
            try peers[2].tag(section, with: ["待核实"])
            // Two rounds reach every peer whatever the order.
            for _ in 0..<2 {
                for peer in peers { try await SyncTestSupport.sync(peer, with: server.url) }
            }
            let expected = try SyncTestSupport.revisionIDs(hub)
            for peer in peers {
                #expect(try SyncTestSupport.revisionIDs(peer) == expected)
                let detail = try peer.section(section)
                #expect(Set(detail.annotations.map(\.text)) == ["甲的批注", "乙的批注"])
                #expect(detail.tags == ["待核实"])
                #expect(try peer.countMissing(from: try #require(try peer.remote(named: "hub")).knownVector) == 0)
            }
        }
        try SyncTestSupport.expectSound(hub, peers[0], peers[1], peers[2])
    }

    @Test func aPeerServesItsOwnStore() async throws {
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let bob = try SyncTestSupport.newStore(author: "bob")
        try await SyncTestSupport.withServer(alice) { server in
            try await SyncTestSupport.sync(bob, with: server.url, name: "alice")
            let section = try SyncTestSupport.firstSection(bob)
            _ = try bob.addAnnotation(on: section, text: "直接同步给甲")
            let report = try await SyncTestSupport.sync(bob, with: server.url, name: "alice")
            #expect(report.sent == 1)
            #expect(report.serverPeer == alice.peer.id)
            #expect(try alice.section(section).annotations.map(\.text) == ["直接同步给甲"])
        }
        #expect(try SyncTestSupport.revisionIDs(alice) == SyncTestSupport.revisionIDs(bob))
        try SyncTestSupport.expectSound(alice, bob)
    }

    @Test func concurrentEditsOfOneAnnotationShowAsAConflictOnBothSides() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let bob = try SyncTestSupport.newStore(author: "bob")
        try await SyncTestSupport.withServer(hub) { server in
            let section = try SyncTestSupport.firstSection(alice)
            let note = try alice.addAnnotation(on: section, text: "初稿")
            try await SyncTestSupport.sync(alice, with: server.url)
            try await SyncTestSupport.sync(bob, with: server.url)
            _ = try alice.editAnnotation(note.shortID, text: "甲改")
            _ = try bob.editAnnotation(note.shortID, text: "乙改")
            try await SyncTestSupport.sync(alice, with: server.url)
            let bobReport = try await SyncTestSupport.sync(bob, with: server.url)
            let aliceReport = try await SyncTestSupport.sync(alice, with: server.url)
            #expect(bobReport.openConflicts == 1)
            #expect(aliceReport.openConflicts == 1)
            #expect(try alice.annotation(note.shortID).text == bob.annotation(note.shortID).text)
        }
    }

    @Test func pushOnlyAndPullOnlyMoveOneWay() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let bob = try SyncTestSupport.seededStore(author: "bob", files: 1)
        let bobSection = try SyncTestSupport.firstSection(bob)
        _ = try bob.addAnnotation(on: bobSection, text: "乙")
        try await SyncTestSupport.withServer(hub) { server in
            try await SyncTestSupport.sync(bob, with: server.url)
            let pushOnly = try await SyncTestSupport.sync(
                alice, with: server.url, options: SyncOptions(pull: false, transport: SyncTestSupport.transport))
            #expect(pushOnly.received == 0 && pushOnly.sent > 0)
            let pullOnly = try await SyncTestSupport.sync(
                bob, with: server.url, options: SyncOptions(push: false, transport: SyncTestSupport.transport))
            #expect(pullOnly.sent == 0 && pullOnly.received == pushOnly.sent)
        }
    }
}
