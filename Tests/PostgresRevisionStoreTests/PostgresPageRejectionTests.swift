import MarginCore
import PostgresNIO
import PostgresRevisionStore
import PostgresTestSupport
import SyncProtocol
import Testing

/// Every rule a received page can break rejects the whole page with the rule and the revision, and leaves the
/// database as it was; duplicates are harmless.
@Suite("PostgreSQL store: rejected pages and duplicates")
struct PostgresPageRejectionTests {
    typealias Outcome = ReceiveOutcome

    /// What the database holds, compared before and after a rejected page.
    struct Snapshot: Equatable {
        var revisions: [Revision]
        var vector: VersionVector
        var records: [String]

        init(_ repository: PostgresRevisionRepository) async throws {
            revisions = try await repository.allRevisions()
            vector = try await repository.vector()
            records = []
            for try await (id, kind) in try await repository.client.query(
                "SELECT id, kind FROM record ORDER BY id"
            ).decode((String, String).self) {
                records.append("\(id):\(kind)")
            }
        }
    }

    /// Applies `base`, then expects `page` to be rejected on `revision` for `rule` (nil: a hash mismatch), with
    /// nothing changed; then checks that the good part of the page alone is still accepted.
    func expectRejection(
        base: [Revision], page: [Revision], revision: RevisionID, rule: ValidationRule?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await TestPostgres.withRepository { repository in
            try await repository.push(base)
            let before = try await Snapshot(repository)
            do {
                try await repository.push(page, history: base)
                Issue.record("the page was accepted", sourceLocation: sourceLocation)
            } catch let error as PostgresRevisionStoreError {
                let rejection = try #require(error.rejection, "\(error)", sourceLocation: sourceLocation)
                #expect(rejection.revision == revision, sourceLocation: sourceLocation)
                #expect(rejection.rule == rule, "\(error)", sourceLocation: sourceLocation)
            }
            #expect(try await Snapshot(repository) == before, sourceLocation: sourceLocation)
        }
    }

    @Test func aCounterGapIsRejected() async throws {
        var peer = TestPeer(1)
        let first = peer.create("a")
        let good = peer.create("b")
        _ = peer.create("c")
        let afterGap = peer.create("d")
        try await expectRejection(base: [first], page: [good, afterGap], revision: afterGap.id, rule: .counterGap)
    }

    @Test func aReusedCounterIsRejected() async throws {
        var peer = TestPeer(1)
        var twin = TestPeer(1)
        let first = peer.create("a")
        let other = twin.create("a", text: "another first")
        var newcomer = TestPeer(2)
        let good = newcomer.create("n")
        try await expectRejection(base: [first], page: [good, other], revision: other.id, rule: .counterReused)
    }

    @Test func aMissingParentIsRejected() async throws {
        var peer = TestPeer(1)
        let first = peer.create("a")
        var maker = TestPeer(2)
        let unsent = maker.create("x")
        var editor = TestPeer(4)
        try editor.learn(unsent)
        let child = editor.edit(unsent.record, text: "child of something unsent")
        var newcomer = TestPeer(3)
        let good = newcomer.create("n")
        try await expectRejection(base: [first], page: [good, child], revision: child.id, rule: .missingParent)
    }

    @Test func aParentLaterInThePageIsMissing() async throws {
        var peer = TestPeer(1)
        let parent = peer.create("a")
        let child = peer.edit(parent.record, text: "child")
        var other = TestPeer(2)
        try other.learn(parent)
        try other.learn(child)
        let grandchild = other.edit(parent.record, text: "grandchild")
        // The grandchild comes before its parent: its counter is fine (another origin), its parent is not held yet.
        try await expectRejection(
            base: [parent], page: [grandchild, child], revision: grandchild.id, rule: .missingParent)
    }

    @Test func aParentOfAnotherRecordIsRejected() async throws {
        var peer = TestPeer(1)
        let a = peer.create("a")
        let b = peer.create("b")
        let forged = Revision(
            record: b.record, kind: b.kind, parents: [a.id], origin: peer.id, counter: 3, clock: 3,
            author: "forger", createdAt: 1, body: "{\"text\":\"x\"}")
        try await expectRejection(base: [a, b], page: [forged], revision: forged.id, rule: .parentRecord)
    }

    @Test func aParentOfAnotherKindIsRejected() async throws {
        var peer = TestPeer(1)
        let a = peer.create("a")
        let forged = Revision(
            record: a.record, kind: RecordKind(rawValue: "sketch"), parents: [a.id], origin: peer.id, counter: 2,
            clock: 2, author: "forger", createdAt: 1, body: "{\"text\":\"x\"}")
        try await expectRejection(base: [a], page: [forged], revision: forged.id, rule: .parentRecord)
    }

    @Test func aKindChangeIsRejected() async throws {
        var peer = TestPeer(1)
        let a = peer.create("a", kind: "memo")
        var other = TestPeer(2)
        let good = other.create("n")
        let sameRecordOtherKind = other.create("a", kind: "sketch")
        try await expectRejection(
            base: [a], page: [good, sameRecordOtherKind], revision: sameRecordOtherKind.id, rule: .kindChange)
    }

    @Test func aKindChangeWithinOnePageIsRejected() async throws {
        var peer = TestPeer(1)
        let a = peer.create("a", kind: "memo")
        var other = TestPeer(2)
        let sameRecordOtherKind = other.create("a", kind: "sketch")
        try await expectRejection(
            base: [], page: [a, sameRecordOtherKind], revision: sameRecordOtherKind.id, rule: .kindChange)
    }

    @Test func aClockNotAboveItsParentsIsRejected() async throws {
        var peer = TestPeer(1)
        let a = peer.create("a")
        var other = TestPeer(2)
        let good = other.create("n")
        let late = Revision(
            record: a.record, kind: a.kind, parents: [a.id], origin: other.id, counter: 2, clock: a.clock,
            author: "slow clock", createdAt: 1, body: "{\"text\":\"x\"}")
        try await expectRejection(base: [a], page: [good, late], revision: late.id, rule: .clock)
    }

    @Test func anAlteredRevisionIsRejectedForItsHashEvenWhenHeld() async throws {
        var peer = TestPeer(1)
        let a = peer.create("a")
        let b = peer.create("b")
        var altered = a
        altered.body = "{\"text\":\"altered\"}"
        // The altered copy of a held revision, after a good one: the hash is what is reported.
        try await expectRejection(base: [a], page: [b, altered], revision: a.id, rule: nil)
    }

    @Test func aRevisionBreakingAFormatRuleIsRejected() async throws {
        var peer = TestPeer(1)
        let good = peer.create("a")
        let badKind = Revision(
            record: RecordID(rawValue: "b"), kind: RecordKind(rawValue: "Not-A-Kind"), parents: [], origin: peer.id,
            counter: 2, clock: 2, author: "x", createdAt: 1, body: "{}")
        try await expectRejection(base: [], page: [good, badKind], revision: badKind.id, rule: .identifier)
    }

    @Test func duplicatesAreHarmless() async throws {
        let revisions = PostgresPageRoundTripTests.history()
        try await TestPostgres.withRepository { repository in
            let half = Array(revisions.prefix(20))
            let first = try await repository.push(half)
            #expect(first == Outcome(accepted: 20, duplicates: 0))
            let again = try await repository.push(half)
            #expect(again == Outcome(accepted: 0, duplicates: 20))
            // Overlapping: the held half again, then the rest; and one revision twice within the page.
            let overlapping = try await repository.push(revisions + [revisions[30]])
            #expect(overlapping == Outcome(accepted: revisions.count - 20, duplicates: 21))
            #expect(try await repository.allRevisions() == revisions)
            let empty = try await repository.push([])
            #expect(empty == Outcome(accepted: 0, duplicates: 0))
        }
    }
}
