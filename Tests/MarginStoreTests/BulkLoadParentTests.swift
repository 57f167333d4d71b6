import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

/// While a bulk load's pages come in, the revision table has no index by identity, and the parents a page names are
/// found in the process's ``RevisionPlaces``. What a page may name must be judged exactly as with the index: held
/// parents found (whoever appended them), anything else refused with nothing written.
@Suite("Bulk load: parents found without the index by identity")
struct BulkLoadParentTests {
    typealias History = BulkLoadTests.History

    /// The rule a refused page broke, and the revision it named; nil when the error is something else.
    private static func refusal(_ error: MarginStoreError?) -> (ValidationRule, RevisionID)? {
        guard case .core(let core) = error?.kind, case let .invalidRevision(revision, rule, _) = core.kind else { return nil }
        return (rule, revision)
    }

    /// `page` with its first revision that names a parent held from an earlier page rebuilt (and re-hashed) to name
    /// `parent(original)` instead; the rebuilt revision.
    private static func renaming(
        _ page: [Revision], heldBefore: Set<RevisionID>, parent: (RevisionID) -> RevisionID
    ) throws -> (page: [Revision], changed: Revision) {
        let at = try #require(page.firstIndex { $0.parents.contains { heldBefore.contains($0) } })
        let original = page[at]
        let changed = Revision(
            record: original.record, kind: original.kind,
            parents: original.parents.map { heldBefore.contains($0) ? parent($0) : $0 }, origin: original.origin,
            counter: original.counter, clock: original.clock, author: original.author, createdAt: original.createdAt,
            body: original.body)
        var page = page
        page[at] = changed
        return (Array(page[...at]), changed)
    }

    /// Receives the rest of the history and ends the load; the store must end where a page-by-page pull ends.
    private static func complete(_ bulk: MarginStore, with pages: ArraySlice<[Revision]>, _ history: History) throws {
        for page in pages { try BulkLoadTests.receive(page, into: bulk, history) }
        try bulk.finishBulkLoad()
        #expect(try BulkLoadTests.state(bulk) == BulkLoadTests.state(BulkLoadTests.plainReplay(history)))
    }

    @Test func aParentTheStoreDoesNotHoldIsRefusedAndChangesNothing() throws {
        let history = try BulkLoadTests.history.get()
        let pages = history.pages(of: 50)
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        for page in pages[..<4] { try BulkLoadTests.receive(page, into: bulk, history) }
        #expect(try bulk.bulkLoadPending())
        let held = Set(pages[..<4].joined().map(\.id))
        let before = try BulkLoadTests.state(bulk)

        // A parent nobody holds, and one that shares the first half of a held revision's identity (the map's key)
        // but not the rest.
        let unknown = RevisionID(rawValue: String(repeating: "ab", count: 32))
        let lookalike: (RevisionID) -> RevisionID = { id in
            RevisionID(rawValue: String(id.rawValue.prefix(32)) + String(repeating: id.rawValue.last == "0" ? "1" : "0", count: 32))
        }
        for parent in [{ (_: RevisionID) in unknown }, lookalike] {
            let (page, changed) = try Self.renaming(pages[4], heldBefore: held, parent: parent)
            let error = #expect(throws: MarginStoreError.self) { try BulkLoadTests.receive(page, into: bulk, history) }
            let refused = try #require(Self.refusal(error))
            #expect(refused.0 == .missingParent)
            #expect(refused.1 == changed.id)
            #expect(try BulkLoadTests.state(bulk) == before)
        }

        // The true pages complete the load.
        try Self.complete(bulk, with: pages[4...], history)
    }

    @Test func aParentAnotherProcessAppendedMeanwhileIsFound() throws {
        let history = try BulkLoadTests.history.get()
        let pages = history.pages(of: 50)
        let half = pages.count / 2
        let first = try StoreTestSupport.newStore(author: "bulk")
        for page in pages[..<half] { try BulkLoadTests.receive(page, into: first, history) }
        let filled = try #require(first.revisionPlaces.count)
        #expect(filled > 0, "the first process's map is filled")

        // Another process (another connection, its own map) takes the next page.
        let second = try MarginStore.open(at: first.path)
        try BulkLoadTests.receive(pages[half], into: second, history)
        let fromSecond = Set(pages[half].map(\.id))
        let laterParents = pages[(half + 1)...].joined().flatMap(\.parents)
        #expect(laterParents.contains { fromSecond.contains($0) }, "later pages name parents the other process appended")

        // The first process finds them (its map reads what was appended since it last looked).
        for page in pages[(half + 1)...] { try BulkLoadTests.receive(page, into: first, history) }
        #expect(first.revisionPlaces.count ?? 0 > filled + pages[half].count)
        try first.finishBulkLoad()
        #expect(try BulkLoadTests.state(first) == BulkLoadTests.state(BulkLoadTests.plainReplay(history)))
        #expect(try first.integrityProblems().isEmpty)
    }

    @Test func aPageRolledBackLeavesNothingInTheMap() throws {
        let history = try BulkLoadTests.history.get()
        let pages = history.pages(of: 50)
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        for page in pages[..<3] { try BulkLoadTests.receive(page, into: bulk, history) }
        // The fourth page arrives with one revision altered: refused after its good revisions were appended.
        var tampered = pages[3]
        tampered[tampered.count - 1].body += " "
        #expect(throws: MarginStoreError.self) { try BulkLoadTests.receive(tampered, into: bulk, history) }
        // The next page names parents in the fourth: without it they are missing, and nothing of the refused
        // attempt stands in for them.
        let fourth = Set(pages[3].map(\.id))
        let dependent = try #require(pages[4...].firstIndex { $0.contains { $0.parents.contains { fourth.contains($0) } } })
        let error = #expect(throws: MarginStoreError.self) {
            try BulkLoadTests.receive(Array(pages[4...dependent].joined()), into: bulk, history)
        }
        #expect(Self.refusal(error)?.0 == .counterGap || Self.refusal(error)?.0 == .missingParent)
        #expect(bulk.revisionPlaces.count == pages[..<3].map(\.count).reduce(0, +))

        try Self.complete(bulk, with: pages[3...], history)
    }

    @Test func aHistoryLongerThanTheMapMayHoldGetsItsIndexBackAndEndsTheSame() throws {
        let history = try BulkLoadTests.history.get()
        let pages = history.pages(of: 50)
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        bulk.revisionPlaces.limit = 120
        #expect(pages.count > 5)
        for (index, page) in pages.enumerated() {
            try BulkLoadTests.receive(page, into: bulk, history)
            let hasIndex = try BulkLoadTests.schema(bulk).contains { $0.contains(BulkLoad.identityIndex.name) }
            // The map holds pages 0…i once page i is committed; page i finds it full when it holds 120 or more.
            let full = index >= 3
            #expect(hasIndex == full, "page \(index)")
            #expect(bulk.revisionPlaces.count == (full ? nil : (index + 1) * 50), "page \(index)")
        }
        #expect(try !BulkLoadTests.schema(bulk).contains { $0.contains(BulkLoad.recordIndex.name) }, "still left out")
        try bulk.finishBulkLoad()
        #expect(try BulkLoadTests.state(bulk) == BulkLoadTests.state(BulkLoadTests.plainReplay(history)))
    }

    @Test func aKeyIsTheFirstHalfOfAnIdentityAndNothingElse() throws {
        let id = String(repeating: "0123456789abcdef", count: 4)
        let key = try #require(RevisionPlaces.Key(RevisionID(rawValue: id)))
        #expect(key.high == 0x0123_4567_89ab_cdef && key.low == 0x0123_4567_89ab_cdef)
        #expect(RevisionPlaces.Key(RevisionID(rawValue: String(id.dropLast()))) == nil, "63 digits")
        #expect(RevisionPlaces.Key(RevisionID(rawValue: id.uppercased())) == nil, "identities are lowercase")
        #expect(RevisionPlaces.Key(RevisionID(rawValue: "g" + id.dropFirst())) == nil)
        // Only the first 32 digits make the key; the rest are checked against the stored identity.
        #expect(RevisionPlaces.Key(RevisionID(rawValue: String(id.prefix(32)) + String(repeating: "f", count: 32))) == key)
    }

    @Test func twoHeldRevisionsSharingAKeyAreLookedUpInTheTable() {
        var places = RevisionPlaces.Places()
        let key = RevisionPlaces.Key(RevisionID(rawValue: String(repeating: "a", count: 64)))!
        places.add(key, seq: 7)
        places.add(key, seq: 7)
        #expect(places.shared.isEmpty, "the same revision read twice")
        places.add(key, seq: 9)
        #expect(places.shared == [key])
        #expect(places.through == 9)
    }
}
