import MarginCore
import Testing

/// The rules of a received page against what a store holds, apart from any store: both stores judge pages here.
@Suite("Page admission")
struct PageAdmissionTests {
    static let alice = PeerID(rawValue: "a1a1a1a1a1a1a1a1")
    static let bob = PeerID(rawValue: "b0b0b0b0b0b0b0b0")
    static let memo = RecordKind(rawValue: "memo")

    static func revision(
        _ origin: PeerID, _ counter: Int64, record: String, kind: RecordKind = memo, parents: [Revision] = [],
        clock: Int64? = nil, text: String = "t"
    ) -> Revision {
        Revision(
            record: RecordID(rawValue: record), kind: kind, parents: parents.map(\.id), origin: origin, counter: counter,
            clock: clock ?? (parents.map(\.clock).max() ?? 0) + 1, author: "someone", createdAt: 1_700_000_000_000,
            body: "{\"text\":\"\(text)\"}")
    }

    /// What a store holding `held` knows, as far as `page` needs it.
    static func facts(holding held: [Revision], for page: [Revision]) -> PageAdmission.StoredFacts {
        var stored = PageAdmission.StoredFacts()
        for revision in held {
            stored.counters[revision.origin] = max(stored.counters[revision.origin] ?? 0, revision.counter)
            stored.ids[.init(origin: revision.origin, counter: revision.counter)] = revision.id
            stored.parents[revision.id] = .init(record: revision.record, kind: revision.kind, clock: revision.clock)
            stored.kinds[revision.record] = revision.kind
        }
        for revision in page where stored.counters[revision.origin] == nil { stored.counters[revision.origin] = 0 }
        return stored
    }

    /// The rule `page` breaks on top of `held`, and the revision it names ("rule id"); nil when it is admitted.
    static func refusal(_ page: [Revision], holding held: [Revision] = []) -> String? {
        do {
            _ = try PageAdmission.admit(page, stored: facts(holding: held, for: page))
            return nil
        } catch {
            guard case let .invalidRevision(revision, rule, _) = error.kind else {
                Issue.record("not a rule: \(error)")
                return nil
            }
            return "\(rule.rawValue) \(revision)"
        }
    }

    @Test func newRevisionsAreAdmittedInPageOrderAndRepeatsAreCounted() throws {
        let base = Self.revision(Self.alice, 1, record: "r")
        let edit = Self.revision(Self.alice, 2, record: "r", parents: [base])
        let theirs = Self.revision(Self.bob, 1, record: "s")
        let admitted = try PageAdmission.admit(
            [base, edit, theirs, edit], stored: Self.facts(holding: [base], for: [base, edit, theirs]))
        #expect(admitted.revisions.map(\.id) == [edit.id, theirs.id])
        #expect(admitted.duplicates == 2)
        #expect(admitted.counters == [Self.alice: 2, Self.bob: 1])
        #expect(admitted.newRecords.map(\.id) == [RecordID(rawValue: "s")])
    }

    /// A parent the page repeats (held already) is known from the store, not from the page's new revisions.
    @Test func aParentThePageRepeatsIsKnownFromTheStore() throws {
        let base = Self.revision(Self.alice, 1, record: "r")
        let theirEdit = Self.revision(Self.bob, 1, record: "r", parents: [base])
        let admitted = try PageAdmission.admit([base, theirEdit], stored: Self.facts(holding: [base], for: [base, theirEdit]))
        #expect(admitted.revisions.map(\.id) == [theirEdit.id])
    }

    @Test func eachRuleNamesTheFirstRevisionThatBreaksIt() {
        let base = Self.revision(Self.alice, 1, record: "r")
        let other = Self.revision(Self.alice, 1, record: "r", text: "another")
        #expect(Self.refusal([other], holding: [base]) == "\(ValidationRule.counterReused.rawValue) \(other.id)")

        let third = Self.revision(Self.alice, 3, record: "q")
        #expect(Self.refusal([third], holding: [base]) == "\(ValidationRule.counterGap.rawValue) \(third.id)")

        let orphan = Self.revision(Self.alice, 2, record: "r", parents: [Self.revision(Self.bob, 1, record: "r")])
        #expect(Self.refusal([orphan], holding: [base]) == "\(ValidationRule.missingParent.rawValue) \(orphan.id)")

        let strayParent = Self.revision(Self.alice, 2, record: "elsewhere", parents: [base])
        #expect(Self.refusal([strayParent], holding: [base]) == "\(ValidationRule.parentRecord.rawValue) \(strayParent.id)")

        let otherKind = Self.revision(Self.alice, 2, record: "r", kind: RecordKind(rawValue: "tag"))
        #expect(Self.refusal([otherKind], holding: [base]) == "\(ValidationRule.kindChange.rawValue) \(otherKind.id)")

        let early = Self.revision(Self.alice, 2, record: "r", parents: [base], clock: base.clock)
        #expect(Self.refusal([early], holding: [base]) == "\(ValidationRule.clock.rawValue) \(early.id)")

        // The first bad revision is named, not a later one.
        let good = Self.revision(Self.alice, 2, record: "r", parents: [base])
        let gap = Self.revision(Self.alice, 4, record: "r", parents: [good])
        #expect(Self.refusal([good, gap, orphan], holding: [base]) == "\(ValidationRule.counterGap.rawValue) \(gap.id)")
    }
}
