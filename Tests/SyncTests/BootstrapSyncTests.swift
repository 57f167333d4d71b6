import Foundation
import MarginCore
import MarginStore
import Synchronization
import SyncClient
import SyncProtocol
import Testing

/// A new peer's first `margin sync` of a history longer than one page (a bulk load: pages checked and appended,
/// records materialized once at the end) through a live server: it ends where a page-by-page pull ends, and a
/// sync stopped part way leaves a store that the next sync completes.
@Suite struct BootstrapSyncTests {
    /// A hub holding a signed history: a seed file's reports, and annotations added, edited and deleted, and tags
    /// set and removed, by an author who pushed them (so that every revision arrives with its signature).
    static func hubWithHistory() async throws -> (hub: MarginStore, author: MarginStore) {
        let author = try SyncTestSupport.seededStore(author: "author", files: 1)
        let hub = try SyncTestSupport.newStore(author: "hub")
        let sections = try author.reports().prefix(4).flatMap { report in
            try author.outline(of: report.shortID).sections.map(\.reference)
        }
        var annotations: [String] = []
        for index in 0..<240 {
            let section = sections[index % sections.count]
            switch index % 8 {
            case 5 where !annotations.isEmpty:
                _ = try author.editAnnotation(annotations[(index * 7) % annotations.count], text: "第\(index)次修改：请核实")
            case 6:
                _ = try author.tag(section, with: ["重点", "t\(index % 3)"])
            case 7 where annotations.count > 10:
                _ = try author.deleteAnnotation(annotations.removeFirst())
            default:
                annotations.append(try author.addAnnotation(on: section, text: "批注 \(index)：数据需要核实").id.rawValue)
            }
        }
        try await SyncTestSupport.withServer(hub) { server in
            _ = try await SyncTestSupport.sync(author, with: server.url)
        }
        return (hub, author)
    }

    /// What a person sees and what sync relies on, through the public API.
    static func state(_ store: MarginStore) throws -> [String] {
        var lines = try SyncTestSupport.revisionIDs(store).map(\.rawValue).sorted()
        lines += try store.reports().map { "\(try store.export($0.id.rawValue))" }
        lines += try store.notes().items.map { "\($0)" }
        lines += try store.conflicts().map { "\($0)" }
        lines += try store.tagCounts().map { "\($0)" }
        for query in ["核实", "修改", "师"] { lines += try store.find(text: query, limit: 500).map { "\($0)" } }
        lines += try store.find(text: nil, tags: ["重点"], limit: 500).map { "\($0)" }
        return lines
    }

    /// Syncs with pages of `pageLimit`, noting after each page whether a bulk load was under way, and every
    /// progress report.
    @discardableResult
    static func sync(
        _ store: MarginStore, with url: String, pageLimit: Int, maxPulledPages: Int? = nil
    ) async throws -> (report: SyncReport, pendingAfterPages: [Bool], progress: [SyncProgress]) {
        if try store.remote(named: "hub") == nil { try store.addRemote(name: "hub", url: url, token: nil) }
        let remote = try #require(try store.remote(named: "hub"))
        final class Log: Sendable {
            let pending = Mutex<[Bool]>([])
            let progress = Mutex<[SyncProgress]>([])
        }
        let log = Log()
        let report = try await SyncSession(store: store, remote: remote, logger: SyncTestSupport.quietLogger).run(
            SyncOptions(pageLimit: pageLimit, maxPulledPages: maxPulledPages, transport: SyncTestSupport.transport)
        ) { progress in
            log.progress.withLock { $0.append(progress) }
            if progress.phase == .pull { log.pending.withLock { $0.append((try? store.bulkLoadPending()) ?? false) } }
        }
        return (report, log.pending.withLock { $0 }, log.progress.withLock { $0 })
    }

    /// The progress a first pull reports while it materializes: after every page, rising to every record the
    /// history holds.
    static func expectMaterializingProgress(_ progress: [SyncProgress], records: Int) {
        let building = progress.drop { $0.phase != .materialize }
        #expect(!building.isEmpty, "materializing reports its progress")
        #expect(building.allSatisfy { $0.phase == .materialize }, "after the last page")
        #expect(zip(building, building.dropFirst()).allSatisfy { $0.done < $1.done && $0.total == $1.total })
        #expect(building.last.map { $0.done == $0.total } == true)
        #expect(building.last?.total == Int64(records))
    }

    @Test func aNewPeerEndsWhereAPageByPagePullEnds() async throws {
        let (hub, author) = try await Self.hubWithHistory()
        let total = try SyncTestSupport.revisionIDs(hub).count
        try await SyncTestSupport.withServer(hub) { server in
            let plain = try SyncTestSupport.newStore(author: "plain")
            let onePage = try await Self.sync(plain, with: server.url, pageLimit: SyncPaging.maximumLimit)
            #expect(onePage.report.received == total)
            #expect(onePage.pendingAfterPages == [false], "a history that fits in one page is taken page by page")
            #expect(!onePage.progress.contains { $0.phase == .materialize })

            let bulk = try SyncTestSupport.newStore(author: "bulk")
            let paged = try await Self.sync(bulk, with: server.url, pageLimit: 50)
            #expect(paged.report.received == total && paged.report.complete)
            #expect(paged.pendingAfterPages.count > 3)
            #expect(paged.pendingAfterPages.allSatisfy { $0 }, "every page of the first pull is part of the bulk load")
            let records = Set(try hub.changeLog(limit: 1_000_000).map(\.record)).count
            Self.expectMaterializingProgress(paged.progress, records: records)
            #expect(try !bulk.bulkLoadPending())
            #expect(try Self.state(bulk) == Self.state(plain))
            #expect(try Self.state(bulk) == Self.state(author))
            try SyncTestSupport.expectSound(bulk)

            // The author's signatures were checked and kept: the peer names the author's key as the signer.
            let firstRecord = try #require(try bulk.notes().items.first?.id)
            let signers = try bulk.firstSigners(of: [firstRecord])
            #expect(signers[firstRecord] == (try plain.firstSigners(of: [firstRecord]))[firstRecord])
            #expect(signers[firstRecord] != nil)

            // The next sync is an ordinary one.
            let again = try await Self.sync(bulk, with: server.url, pageLimit: 50)
            #expect(!again.progress.contains { $0.phase == .materialize })
            #expect(again.report.received == 0)
            #expect(try !bulk.bulkLoadPending())
        }
    }

    @Test func aBootstrapStoppedPartWayIsCompletedByTheNextSync() async throws {
        let (hub, _) = try await Self.hubWithHistory()
        let total = try SyncTestSupport.revisionIDs(hub).count
        try await SyncTestSupport.withServer(hub) { server in
            let plain = try SyncTestSupport.newStore(author: "plain")
            try await Self.sync(plain, with: server.url, pageLimit: SyncPaging.maximumLimit)

            let bulk = try SyncTestSupport.newStore(author: "bulk")
            let stopped = try await Self.sync(bulk, with: server.url, pageLimit: 40, maxPulledPages: 3)
            #expect(!stopped.report.complete)
            #expect(!stopped.progress.contains { $0.phase == .materialize }, "nothing is built before the pull is whole")
            // The three pages landed, and the store says that it is not complete: nothing is materialized yet.
            #expect(try SyncTestSupport.revisionIDs(bulk).count == 120)
            #expect(try bulk.bulkLoadPending())
            #expect(try bulk.reports().isEmpty)

            let reopened = try MarginStore.open(at: bulk.path)
            let rest = try await Self.sync(reopened, with: server.url, pageLimit: 40)
            #expect(rest.report.complete && rest.report.received == total - 120)
            #expect(rest.pendingAfterPages.allSatisfy { $0 }, "the rest of the pull goes on as a bulk load")
            Self.expectMaterializingProgress(rest.progress, records: Set(try hub.changeLog(limit: 1_000_000).map(\.record)).count)
            #expect(try !reopened.bulkLoadPending())
            #expect(try Self.state(reopened) == Self.state(plain))
            try SyncTestSupport.expectSound(reopened)
        }
    }

    @Test func aPeerThatHoldsRevisionsPullsPageByPage() async throws {
        let (hub, _) = try await Self.hubWithHistory()
        let total = try SyncTestSupport.revisionIDs(hub).count
        try await SyncTestSupport.withServer(hub) { server in
            let holder = try SyncTestSupport.seededStore(author: "holder", files: 1)
            let own = try SyncTestSupport.revisionIDs(holder).count
            let pulled = try await Self.sync(holder, with: server.url, pageLimit: 50)
            #expect(pulled.pendingAfterPages.count > 3)
            #expect(pulled.pendingAfterPages.allSatisfy { !$0 })
            #expect(try SyncTestSupport.revisionIDs(holder).count == total + own)
            try SyncTestSupport.expectSound(holder)
        }
    }
}
