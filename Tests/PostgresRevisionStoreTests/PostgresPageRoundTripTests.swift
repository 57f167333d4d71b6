import MarginCore
import PostgresRevisionStore
import PostgresTestSupport
import SyncProtocol
import Testing

/// A received page is stored as sent and read back in causal order, page by page, under the embedded store's paging
/// contract.
@Suite("PostgreSQL store: pages in and out")
struct PostgresPageRoundTripTests {
    /// Three peers' interleaved history: records made by one and edited by the others, so parents cross origins.
    static func history() -> [Revision] {
        var peers = [TestPeer(1), TestPeer(2), TestPeer(3)]
        var shared: [Revision] = []
        for round in 0..<20 {
            let maker = round % 3
            for revision in shared { try? peers[maker].learn(revision) }
            let record = peers[maker].create("note-\(round)")
            shared.append(record)
            if let earlier = peers[maker].records.first(where: { $0 != record.record }) {
                shared.append(peers[maker].edit(earlier, text: "edit \(round)"))
            }
        }
        return shared
    }

    @Test func aPageIsReadBackAsSent() async throws {
        let revisions = Self.history()
        try await TestPostgres.withRepository { repository in
            let outcome = try await repository.push(revisions)
            #expect(outcome == .init(accepted: revisions.count, duplicates: 0))
            let page = try await repository.page(missingFrom: VersionVector(), limit: 5000, maxBytes: 1 << 30)
            #expect(page.revisions == revisions)
            #expect(!page.more)
            #expect(try await repository.allRevisions() == revisions)
            var expected = VersionVector()
            for revision in revisions { expected.add(revision) }
            #expect(try await repository.vector() == expected)
        }
    }

    @Test func pagesByLimitCoverEverythingInCausalOrder() async throws {
        let revisions = Self.history()
        try await TestPostgres.withRepository { repository in
            try await repository.push(revisions)
            var reader = TestPeer(9)
            var pages = 0
            while pages < 100 {
                let page = try await repository.page(
                    missingFrom: VersionVector(reader.vector), limit: 7, maxBytes: 1 << 30)
                #expect(page.revisions.count <= 7)
                #expect(!page.revisions.isEmpty)
                for revision in page.revisions { try reader.learn(revision) }
                pages += 1
                if !page.more { break }
            }
            #expect(pages == (revisions.count + 6) / 7)
            #expect(Set(reader.log) == Set(revisions))
        }
    }

    @Test func pagesStopBeforeMaxBytesButNeverComeEmpty() async throws {
        let revisions = Self.history()
        try await TestPostgres.withRepository { repository in
            try await repository.push(revisions)
            let first = SyncCoding.estimatedSize(of: revisions[0])
            let second = SyncCoding.estimatedSize(of: revisions[1])
            let one = try await repository.page(missingFrom: VersionVector(), limit: 100, maxBytes: 0)
            #expect(one.revisions == [revisions[0]])
            #expect(one.more)
            let two = try await repository.page(missingFrom: VersionVector(), limit: 100, maxBytes: first + second)
            #expect(two.revisions == Array(revisions.prefix(2)))
            let justUnder = try await repository.page(
                missingFrom: VersionVector(), limit: 100, maxBytes: first + second - 1)
            #expect(justUnder.revisions == [revisions[0]])
        }
    }

    @Test func aPeerThatHoldsSomeGetsTheRest() async throws {
        let revisions = Self.history()
        try await TestPostgres.withRepository { repository in
            try await repository.push(revisions)
            var have = VersionVector()
            for revision in revisions.prefix(25) { have.add(revision) }
            let page = try await repository.page(missingFrom: have, limit: 5000, maxBytes: 1 << 30)
            #expect(page.revisions == revisions.filter { $0.counter > have[$0.origin] })
            #expect(!page.more)
            let everything = try await repository.page(
                missingFrom: try await repository.vector(), limit: 10, maxBytes: 1 << 30)
            #expect(everything == .init(revisions: [], more: false))
        }
    }

    @Test func newestRevisionOfAnOrigin() async throws {
        let revisions = Self.history()
        try await TestPostgres.withRepository { repository in
            #expect(try await repository.newestRevision(of: revisions[0].origin) == nil)
            try await repository.push(revisions)
            for origin in Set(revisions.map(\.origin)) {
                let newest = revisions.filter { $0.origin == origin }.max { $0.counter < $1.counter }
                #expect(try await repository.newestRevision(of: origin) == newest)
            }
            #expect(try await repository.newestRevision(of: TestPeer(42).id) == nil)
        }
    }

    @Test func thePageOrderIsTheOrderPagesArrivedIn() async throws {
        // Two pages whose second holds an older-looking origin first: the log keeps arrival order.
        let revisions = Self.history()
        try await TestPostgres.withRepository { repository in
            for start in stride(from: 0, to: revisions.count, by: 9) {
                try await repository.push(Array(revisions[start..<min(start + 9, revisions.count)]), history: revisions)
            }
            let page = try await repository.page(missingFrom: VersionVector(), limit: 5000, maxBytes: 1 << 30)
            #expect(page.revisions == revisions)
        }
    }
}
