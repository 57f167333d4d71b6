import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

/// An empty store's first pull of a long history, taken as a bulk load (each page checked and appended, every record
/// materialized once at the end), ends exactly where a page-by-page pull of the same history ends; stopped or
/// refused anywhere, it leaves a store that the rest of the pull completes.
@Suite("Bulk load of a first pull")
struct BulkLoadTests {
    /// The history every test receives: three peers that import the same report (three roots of one record) in
    /// several versions (annotations re-placed, some orphaned), annotate, edit, delete, tag and untag, and sync in
    /// random pairs (concurrent edits merge or conflict); then everything, in the first peer's change-log order.
    struct History {
        let revisions: [Revision]
        /// Every origin's highest counter: the vector of the server that sends the history.
        let vector: [PeerID: Int64]

        static let seed: UInt64 = 4_242

        static func make(operations: Int = 700) throws -> History {
            print("bulk load history: seed \(seed), \(operations) operations")
            var random = SeededGenerator(state: seed)
            let scenario = ConvergenceScenario(seed: seed, operations: operations, peers: 3)
            let stores = try (0..<scenario.peers).map { index in
                try MarginStore.create(
                    at: StoreTestSupport.temporaryFolder(), author: "peer\(index)",
                    peer: PeerID(rawValue: String(format: "%016x", index + 1)),
                    clock: .counting(from: 1_700_000_000_000 + Int64(index) * 1_000_000))
            }
            defer { for store in stores { try? FileManager.default.removeItem(atPath: store.path) } }
            let (seedData, seedName) = try StoreTestSupport.seedData("000")
            _ = try stores[0].importReports(from: seedData, fileName: seedName)
            for store in stores {
                _ = try store.importReports(from: Data(ConvergenceScenario.versions[0].utf8), fileName: "report.txt")
            }
            for _ in 0..<operations {
                let store = stores[Int.random(in: 0..<stores.count, using: &random)]
                if Int.random(in: 0..<5, using: &random) == 0 {
                    let other = stores.filter { $0 !== store }.randomElement(using: &random)!
                    try scenario.sync(from: other, to: store, cutAfterPages: nil, &random)
                } else {
                    try scenario.edit(store, &random)
                }
            }
            // Two peers rewrite the same annotations at once: open conflicts.
            try scenario.sync(from: stores[0], to: stores[1], cutAfterPages: nil, &random)
            let shared = try scenario.liveAnnotations(stores[1]).filter { !$0.conflicted }.prefix(3)
            for annotation in shared {
                _ = try stores[0].editAnnotation(annotation.id.rawValue, text: "甲：改写为第一种说法")
                _ = try stores[1].editAnnotation(annotation.id.rawValue, text: "乙：另一种完全不同的表述")
            }
            for source in stores.dropFirst() { try scenario.sync(from: source, to: stores[0], cutAfterPages: nil, &random) }
            let revisions = try stores[0].revisions(missingFrom: [:], limit: 1_000_000, maxBytes: .max, size: { _ in 0 })
                .revisions
            return History(revisions: revisions, vector: try stores[0].versionVector())
        }

        func pages(of size: Int) -> [[Revision]] {
            stride(from: 0, to: revisions.count, by: size).map { Array(revisions[$0..<min($0 + size, revisions.count)]) }
        }
    }

    static let history = Result { try History.make() }

    /// What a person can see and what sync relies on, as canonical text: the convergence tests' state (reports,
    /// every annotation row, conflicts, tag counts), every record's kind, heads and current revision, notes, the
    /// search results of a few queries, the short-identity length and the revisions held.
    static func state(_ store: MarginStore) throws -> String {
        let scenario = ConvergenceScenario(seed: 0)
        var lines = [try scenario.canonicalState(store)]
        lines += try store.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, kind, current_revision, head_count, conflicted, heads FROM record ORDER BY id"
            ).map { "\($0)" }
        }
        lines += try store.notes().items.map { "\($0)" }
        for query in ["数据", "核实", "教师", "重点", "进步", "师"] {
            lines.append("find \(query): " + (try store.find(text: query, limit: 1_000).map { "\($0)" }.joined(separator: "|")))
        }
        lines.append("tagged 重点: " + (try store.find(text: nil, tags: ["重点"], limit: 1_000).map { "\($0)" }.joined(separator: "|")))
        // Above the ranking limit (here 0), hits are listed in an order of their own, which must not depend on
        // how the store received them.
        for query in ["核实", "师"] {
            let unranked = try store.search(text: query, tags: [], offset: 0, limit: 1_000, rankingLimit: 0)
            lines.append("unranked \(query): " + unranked.items.map { "\($0)" }.joined(separator: "|"))
        }
        lines += try store.read { db in
            ["short ids \(try ShortIdentifiers.length(db)) scanned \(try ShortIdentifiers.scannedLength(db))"]
                + (try String.fetchAll(db, sql: "SELECT id FROM revision ORDER BY id"))
                + (try Row.fetchAll(db, sql: "SELECT origin, counter, clock, hex(chain) FROM sync_vector ORDER BY origin").map { "\($0)" })
        }
        return lines.joined(separator: "\n")
    }

    /// The store a page-by-page pull makes: the whole history as one page (an empty store takes a history that
    /// fits in one page page by page).
    static func plainReplay(_ history: History) throws -> MarginStore {
        let store = try StoreTestSupport.newStore(author: "plain")
        try store.receive(
            history.revisions, from: .server(accounts: [:]), source: "pull:hub", remote: "hub", remoteVector: history.vector)
        #expect(try !store.bulkLoadPending())
        return store
    }

    static func receive(_ page: [Revision], into store: MarginStore, _ history: History, proofs: [ChainProof] = []) throws {
        try store.receive(
            page, proofs: proofs, from: .server(accounts: [:]), source: "pull:hub", remote: "hub",
            remoteVector: history.vector)
    }

    /// Records waiting to be materialized: those with heads staged by the pages, and those written into `record`
    /// but not materialized yet.
    static func unmaterializedCount(_ store: MarginStore) throws -> Int {
        try store.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (
                    SELECT id FROM record WHERE current_revision = '' UNION SELECT record_id FROM bulk_record_heads)
                """) ?? 0
        }
    }

    @Test(arguments: [StoreConnections.pool, .single])
    func aBulkLoadEndsWhereAPageByPagePullEnds(connections: StoreConnections) throws {
        let history = try Self.history.get()
        let plain = try Self.plainReplay(history)
        let conflicted = try plain.openConflictCount()
        #expect(conflicted > 0, "the history has open conflicts")
        #expect(try plain.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record WHERE head_count > 1") ?? 0 } > conflicted,
            "the history has concurrent heads that merged")

        let bulk = try MarginStore.open(at: StoreTestSupport.newStore(author: "bulk").path, connections: connections)
        let pages = history.pages(of: 37)
        for (index, page) in pages.enumerated() {
            try Self.receive(page, into: bulk, history)
            if index < pages.count - 1 {
                #expect(try bulk.bulkLoadPending())
            }
        }
        #expect(try Self.unmaterializedCount(bulk) > 0, "records wait for the end")
        #expect(try bulk.notes().items.isEmpty, "nothing is materialized page by page")
        let materialized = try bulk.finishBulkLoad()
        #expect(materialized > 0)
        #expect(try !bulk.bulkLoadPending())
        #expect(try Self.unmaterializedCount(bulk) == 0)
        #expect(try bulk.finishBulkLoad() == 0, "a second call has nothing to do")
        #expect(try Self.state(bulk) == Self.state(plain))
        #expect(try bulk.integrityProblems().isEmpty)
    }

    @Test func aLoadStoppedAnywhereIsCompletedByTheRestOfThePull() throws {
        let history = try Self.history.get()
        let plain = try Self.plainReplay(history)
        let path = StoreTestSupport.temporaryFolder()
        var bulk: MarginStore? = try MarginStore.create(at: path, author: "bulk")
        let pages = history.pages(of: 50)
        let half = pages.count / 2
        for page in pages[..<half] { try Self.receive(page, into: bulk!, history) }

        // The process stops: the pages received are kept, and the store says that it is not complete.
        bulk = nil
        var reopened = try MarginStore.open(at: path)
        #expect(try reopened.bulkLoadPending())
        #expect(try reopened.versionVector().values.reduce(0, +) == Int64(pages[..<half].map(\.count).reduce(0, +)))

        // Materializing fails inside its second chunk: the first chunk is kept, the second rolled back.
        struct Stop: Error {}
        var chunks: [Int] = []
        // (The store reports any failure inside a transaction as its own error.)
        #expect(throws: MarginStoreError.self) {
            try reopened.finishBulkLoad(chunkSize: 7) { count in
                chunks.append(count)
                if chunks.count == 2 { throw Stop() }
            }
        }
        #expect(chunks.count == 2)
        #expect(try Self.unmaterializedCount(reopened) > 0)
        #expect(try reopened.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record WHERE current_revision != ''") ?? 0
        } == chunks[0])
        #expect(try reopened.bulkLoadPending())

        // The rest of the pull: the pages still go the bulk way, including over records already materialized.
        reopened = try MarginStore.open(at: path)
        for page in pages[half...] {
            try Self.receive(page, into: reopened, history)
            #expect(try reopened.bulkLoadPending())
        }
        try reopened.finishBulkLoad()
        #expect(try !reopened.bulkLoadPending())
        #expect(try Self.state(reopened) == Self.state(plain))
        #expect(try reopened.integrityProblems().isEmpty)
    }

    @Test func aTamperedPageIsRefusedAndTheLoadGoesOnFromTheLastGoodPage() throws {
        let history = try Self.history.get()
        let plain = try Self.plainReplay(history)
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        let pages = history.pages(of: 60)
        for page in pages[..<3] { try Self.receive(page, into: bulk, history) }
        let before = try Self.state(bulk)

        var tampered = pages[3]
        tampered[10].body = tampered[10].body.replacingOccurrences(of: "\"", with: "'")
        let error = #expect(throws: MarginStoreError.self) { try Self.receive(tampered, into: bulk, history) }
        guard case .core(let core) = error?.kind, case .hashMismatch = core.kind else {
            Issue.record("expected a hash mismatch, got \(String(describing: error))")
            return
        }
        #expect(try Self.state(bulk) == before)
        #expect(try bulk.bulkLoadPending())

        for page in pages[3...] { try Self.receive(page, into: bulk, history) }
        try bulk.finishBulkLoad()
        #expect(try Self.state(bulk) == Self.state(plain))
    }

    @Test func aForgedSignatureIsRefusedAndChangesNothing() throws {
        let history = try Self.history.get()
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        let pages = history.pages(of: 80)
        var signer = ChainSigner(key: .generate())
        var forger = ChainSigner(key: .generate())
        let proofs = try pages.map { try signer.proofs(for: $0) }
        for index in 0..<2 { try Self.receive(pages[index], into: bulk, history, proofs: proofs[index]) }
        let before = try Self.state(bulk)
        // Another key signs the third page: its origins are bound to the first key.
        _ = try forger.proofs(for: pages[0] + pages[1])
        let forged = try forger.proofs(for: pages[2])
        let error = #expect(throws: MarginStoreError.self) { try Self.receive(pages[2], into: bulk, history, proofs: forged) }
        guard case .core(let core) = error?.kind, case .forgedOrigin = core.kind else {
            Issue.record("expected a forged origin, got \(String(describing: error))")
            return
        }
        #expect(try Self.state(bulk) == before)
        #expect(try bulk.bulkLoadPending())
        // A signature that does not hold over the page.
        var wrong = proofs[2]
        wrong[0] = try signer.key.proof(origin: wrong[0].origin, counter: wrong[0].counter, chain: .start(of: wrong[0].origin))
        #expect(throws: MarginStoreError.self) { try Self.receive(pages[2], into: bulk, history, proofs: wrong) }
        #expect(try Self.state(bulk) == before)
    }

    @Test func aStoreThatHoldsRevisionsReceivesPageByPage() throws {
        let history = try Self.history.get()
        let store = try StoreTestSupport.newStore(author: "holder")
        _ = try store.importReports(from: Data(ConvergenceScenario.versions[1].utf8), fileName: "own.txt")
        for page in history.pages(of: 40) {
            try Self.receive(page, into: store, history)
            #expect(try !store.bulkLoadPending())
            #expect(try Self.unmaterializedCount(store) == 0)
        }
        // A history that fits in one page, and a push, are received page by page too.
        let empty = try StoreTestSupport.newStore(author: "empty")
        try empty.receive(history.revisions, source: "push")
        #expect(try !empty.bulkLoadPending())
        #expect(try empty.finishBulkLoad() == 0)
    }

    /// The tables, indexes, triggers and views of a store, with their definitions.
    static func schema(_ store: MarginStore) throws -> [String] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master ORDER BY type, name").map { "\($0)" }
        }
    }

    @Test func annotationIndexesAreLeftOutWhileMoreNotesThanAChunkAreMaterializedAndBuiltAfter() throws {
        let history = try Self.history.get()
        let plain = try Self.plainReplay(history)
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        for page in history.pages(of: 50) { try Self.receive(page, into: bulk, history) }
        let notes = try bulk.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT record_id) FROM bulk_record_heads WHERE kind = 'annotation'") ?? 0
        }
        #expect(notes > 7, "more notes than a chunk")
        // Each chunk's transaction is open on the store's writer: another connection sees what was committed.
        let observer = try DatabaseQueue(path: bulk.path + "/" + MarginStore.databaseFileName)
        var present: [[Bool]] = []
        try bulk.finishBulkLoad(chunkSize: 7) { _ in
            present.append(try observer.read { db in
                try BulkLoad.annotationIndexes.map { index in
                    try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ?)",
                        arguments: [index.name]) ?? false
                }
            })
        }
        #expect(present.contains([false, false, false]), "some chunk was materialized without them")
        #expect(present.first == [true, true, true], "the reports' chunks have them")
        #expect(try Self.schema(bulk) == Self.schema(plain), "built again exactly as the schema makes them")
        #expect(try Self.state(bulk) == Self.state(plain))

        // A materialization stopped without them leaves them to the next call, which builds them first.
        let stopped = try StoreTestSupport.newStore(author: "stopped")
        for page in history.pages(of: 50) { try Self.receive(page, into: stopped, history) }
        let stoppedObserver = try DatabaseQueue(path: stopped.path + "/" + MarginStore.databaseFileName)
        struct Stop: Error {}
        #expect(throws: MarginStoreError.self) {
            try stopped.finishBulkLoad(chunkSize: 7) { _ in
                let missing = try stoppedObserver.read { db in
                    try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ?)",
                        arguments: [BulkLoad.annotationIndexes[0].name]) ?? false)
                }
                if missing { throw Stop() }
            }
        }
        #expect(try !Self.schema(stopped).contains { $0.contains(BulkLoad.annotationIndexes[0].name) }, "stopped without them")
        #expect(try stopped.bulkLoadPending())
        try stopped.finishBulkLoad()
        #expect(try Self.schema(stopped) == Self.schema(plain))
        #expect(try Self.state(stopped) == Self.state(plain))
    }

    @Test func theIndexesByRecordAndByIdentityAreBuiltOnceWhenThePagesAreIn() throws {
        let history = try Self.history.get()
        let plain = try Self.plainReplay(history)
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        for page in history.pages(of: 50) { try Self.receive(page, into: bulk, history) }
        #expect(try bulk.bulkLoadPending())
        for index in BulkLoad.deferredIndexes {
            #expect(try !Self.schema(bulk).contains { $0.contains(index.name) }, "\(index.name) left out while pages come in")
            #expect(try Self.schema(plain).contains { $0.contains(index.name) })
        }
        // Parents were found in memory meanwhile: the map holds every revision, each page's noted as it committed.
        #expect(bulk.revisionPlaces.count == history.revisions.count)

        // A read of the store before the load is finished finds every revision of a record, and a revision by its
        // identity, by scanning.
        let record = history.revisions[0].record
        let held = history.revisions.filter { $0.record == record }.count
        #expect(try bulk.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM revision WHERE record_id = ?", arguments: [record.rawValue])
        } == held)
        let last = try #require(history.revisions.last)
        #expect(try bulk.read { db in
            try Int64.fetchOne(db, sql: "SELECT counter FROM revision WHERE id = ?", arguments: [last.id.rawValue])
        } == last.counter)

        try bulk.finishBulkLoad()
        #expect(try Self.schema(bulk) == Self.schema(plain), "the same indexes as a page-by-page store's")
        #expect(try Self.state(bulk) == Self.state(plain))
        #expect(bulk.revisionPlaces.count == nil, "the map is dropped once the index is back")
        // The identity index is unique again.
        let first = try #require(history.revisions.first)
        #expect(throws: (any Error).self) {
            try bulk.write { db in
                try db.execute(sql: """
                    INSERT INTO stored_revision (id, record_id, kind, parents, origin, counter, clock, author, created_at,
                        body, source, logged_at)
                    SELECT id, record_id, kind, parents, 'ffffffffffffffff', counter, clock, author, created_at, body,
                        source, logged_at FROM revision WHERE id = ?
                    """, arguments: [first.id.rawValue])
            }
        }
    }

    /// The writer connection's page cache and checkpoint interval, as `PRAGMA` reads them.
    static func writerSettings(_ store: MarginStore) throws -> [Int] {
        try store.write { db in
            [try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? 0, try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 0]
        }
    }

    @Test func theWriterTakesALoadsSettingsWhilePagesComeInAndGivesThemBackWithAnEmptyLog() throws {
        let history = try Self.history.get()
        let usual = [-BulkLoadSettings.usualCacheKiB, BulkLoadSettings.usualCheckpointPages]
        // A history this short keeps the usual cache size (see the next test); the checkpoints are spaced out.
        let load = [
            -BulkLoadSettings.loadCacheKiB(forRevisions: Int64(history.revisions.count)),
            BulkLoadSettings.loadCheckpointPages,
        ]
        #expect(load[0] == usual[0])
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        #expect(try Self.writerSettings(bulk) == usual)
        let pages = history.pages(of: 50)
        try Self.receive(pages[0], into: bulk, history)
        #expect(try Self.writerSettings(bulk) == load, "set by the page that starts the load")

        // Another process continuing the load sets them again for its own connection.
        let continuing = try MarginStore.open(at: bulk.path)
        #expect(try Self.writerSettings(continuing) == usual)
        for page in pages.dropFirst() { try Self.receive(page, into: continuing, history) }
        #expect(try Self.writerSettings(continuing) == load)
        let log = bulk.path + "/" + MarginStore.databaseFileName + "-wal"
        #expect(try #require(FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) > 0)

        try continuing.finishBulkLoad()
        #expect(try Self.writerSettings(continuing) == usual)
        #expect(try #require(FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) == 0,
            "the finished load's log is emptied into the database file")
        #expect(try Self.state(continuing) == Self.state(try Self.plainReplay(history)))
    }

    @Test(arguments: [
        (Int64(0), 16_384), (1_000, 16_384), (262_144, 16_384), (500_000, 31_250), (1_000_020, 62_501),
        (1_048_576, 65_536), (10_000_000, 65_536),
        // A server's claim may be anything up to Int64.max (twenty origins at 2^53 − 1 and more): no overflow.
        (Int64(1) << 57, 65_536), (Int64.max, 65_536),
    ])
    func aLoadsCacheGrowsWithItsRevisionsBetweenTheUsualSizeAnd64MiB(revisions: Int64, kibibytes: Int) {
        #expect(BulkLoadSettings.loadCacheKiB(forRevisions: revisions) == kibibytes)
    }

    @Test func aFirstPageShortOfTheServersCountersStartsABulkLoad() throws {
        let history = try Self.history.get()
        let page = Array(history.revisions.dropLast())
        let short = try #require(history.revisions.last).origin
        // Several peers wrote the history, so clocks run past counters: only the counters say what is missing.
        #expect(try #require(page.filter { $0.origin == short }.map(\.clock).max()) >= history.vector[short] ?? 0)
        let store = try StoreTestSupport.newStore(author: "bulk")
        try Self.receive(page, into: store, history)
        #expect(try store.bulkLoadPending())
    }

    /// Materializing reads each chunk ahead on a reader connection (`BulkPrefetch`). What it reads is what the
    /// writer would read: each single head, the annotation bodies decoded, and the first revision's author and time
    /// of annotations edited since.
    @Test func aChunkReadAheadHoldsWhatTheWriterWouldRead() throws {
        let history = try Self.history.get()
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        for page in history.pages(of: 50) { try Self.receive(page, into: bulk, history) }
        try bulk.write { db in
            try BulkLoad.buildDeferredIndexes(db)
            try StagedHeads.fold(db)
        }
        let prepared = try bulk.read { db in
            try BulkMaterialization.prepareChunk(.annotations, after: 0, limit: 1_000_000, db)
        }
        let waiting = try bulk.read { db in
            try BulkMaterialization.waitingRecords(.annotations, after: 0, limit: 1_000_000, db)
        }
        #expect(prepared.last == waiting.last?.row)
        let single = waiting.filter { $0.heads.count == 1 }
        #expect(single.count < waiting.count, "some annotations have concurrent heads")
        #expect(Set(prepared.revisions.keys) == Set(single.map { $0.heads[0] }))
        #expect(Set(prepared.annotationBodies.keys) == Set(prepared.revisions.keys))
        let byID = Dictionary(history.revisions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (id, revision) in prepared.revisions { #expect(revision == byID[id]) }
        for (id, body) in prepared.annotationBodies {
            #expect(body == (try BodyCoding.decode(AnnotationBody.self, from: byID[id]!.body, kind: .annotation)))
        }
        // Edited annotations (and those with concurrent heads) carry their first revision's author and time.
        let edited = waiting.filter { $0.heads.count > 1 || !(byID[$0.heads[0]]!.parents.isEmpty) }
        #expect(!edited.isEmpty)
        #expect(Set(prepared.firstAuthorship.keys) == Set(edited.map(\.record)))
        for waiting in edited {
            let first = try #require(history.revisions.first { $0.record == waiting.record })
            #expect(prepared.firstAuthorship[waiting.record] == Authorship(author: first.author, createdAt: first.createdAt))
        }
    }

    /// Materializing a record updates its `record` row by row number when the caller knows it; given a row that
    /// is another record's, it leaves that row alone and writes the record's own.
    @Test func aRecordRowGivenWrongIsNotWrittenOver() throws {
        let history = try Self.history.get()
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        for page in history.pages(of: 50) { try Self.receive(page, into: bulk, history) }
        try bulk.write { db in try StagedHeads.fold(db) }
        let waiting = try bulk.read { db in
            try BulkMaterialization.waitingRecords(.tags, after: 0, limit: 1_000_000, db)
        }.filter { $0.heads.count == 1 }
        let (own, other) = (try #require(waiting.first), try #require(waiting.last))
        #expect(own.row != other.row)
        let rows = "SELECT id, current_revision, heads FROM record WHERE rowid IN (?, ?) ORDER BY rowid"
        let before = try bulk.read { db in try Row.fetchAll(db, sql: rows, arguments: [own.row, other.row]) }
        try bulk.write { db in
            let head = try #require(try RevisionLedger.revisions(own.heads, db).first)
            try Materializer.refresh(head, known: KnownFacts(recordRow: other.row), db)
            try Materializer.refresh(head, known: KnownFacts(recordRow: own.row), db)
        }
        let after = try bulk.read { db in try Row.fetchAll(db, sql: rows, arguments: [own.row, other.row]) }
        #expect(after[1] == before[1], "the other record's row is unchanged")
        #expect(after[0]["current_revision"] == own.heads[0].rawValue)
        #expect(after[0]["id"] == own.record.rawValue)
        #expect(try bulk.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record WHERE id = ?", arguments: [own.record.rawValue]) } == 1)
    }

    /// A chunk read ahead can be older than the records it is used for: a page pulled meanwhile gives records new
    /// heads. The writer takes from it only what cannot change (revisions, first revisions), so the store still ends
    /// where a page-by-page pull ends.
    @Test func aChunkReadBeforeLaterPagesStillMaterializesTheLaterHeads() throws {
        let history = try Self.history.get()
        let plain = try Self.plainReplay(history)
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        let pages = history.pages(of: 50)
        let early = pages.count * 2 / 3
        for page in pages[..<early] { try Self.receive(page, into: bulk, history) }
        try bulk.write { db in
            try BulkLoad.buildDeferredIndexes(db)
            try StagedHeads.fold(db)
        }
        let stale = try bulk.read { db in
            try BulkMaterialization.prepareChunk(.annotations, after: 0, limit: 1_000_000, db)
        }
        for page in pages[early...] { try Self.receive(page, into: bulk, history) }
        try bulk.write { db in try StagedHeads.fold(db) }
        let moved = try bulk.read { db in
            try BulkMaterialization.waitingRecords(.annotations, after: 0, limit: 1_000_000, db)
        }.filter { $0.heads.contains { stale.revisions[$0] == nil } }
        #expect(!moved.isEmpty, "later pages gave some prepared records new heads")

        for phase in [BulkMaterialization.Phase.reports] {
            while try bulk.write({ db in try BulkMaterialization.materializeChunk(phase, after: 0, db) }) != nil {}
        }
        let chunk = try bulk.write { db in
            try BulkMaterialization.materializeChunk(.annotations, after: 0, limit: 1_000_000, prepared: stale, db)
        }
        #expect(chunk != nil)
        try bulk.finishBulkLoad()
        #expect(try Self.state(bulk) == Self.state(plain))
    }
}
