import Testing
@testable import MarginCore

@Suite("Revisions and their content hash")
struct RevisionTests {
    static func sample(body: String = #"{"a":1}"#, parents: [RevisionID] = []) -> Revision {
        Revision(
            record: RecordID(rawValue: "r1"), kind: RecordKind(rawValue: "note"), parents: parents,
            origin: PeerID(rawValue: "00000000000000a1"),
            counter: 3, clock: 7, author: "李伟", createdAt: 1_700_000_000_000, body: body)
    }

    @Test func canonicalTextIsTheDocumentedFormat() {
        let parents = [RevisionID(rawValue: "bb"), RevisionID(rawValue: "aa")]
        let text = RevisionHasher.canonicalText(of: Self.sample(parents: parents))
        #expect(text == """
            marginalia-revision-1
            record r1
            kind note
            parent aa
            parent bb
            origin 00000000000000a1
            counter 3
            clock 7
            author 6 李伟
            created 1700000000000
            body 7 {"a":1}
            """)
    }

    @Test func hashIsStableAndVerifies() throws {
        let revision = Self.sample()
        #expect(revision.id == Self.sample().id)
        #expect(revision.id.rawValue.count == 64)
        try revision.verify()
    }

    @Test func anyChangedFieldChangesTheHash() {
        let base = Self.sample()
        var other = base
        other.counter = 4
        #expect(RevisionHasher.hash(of: other) != base.id)
        #expect(Self.sample(body: #"{"a":2}"#).id != base.id)
    }

    @Test func tamperedRevisionFailsVerification() {
        var revision = Self.sample()
        revision.body = #"{"a":"tampered"}"#
        #expect(throws: MarginCoreError.self) { try revision.verify() }
    }

    @Test func parentsAreSortedOnCreation() {
        let revision = Self.sample(parents: [RevisionID(rawValue: "b"), RevisionID(rawValue: "a")])
        #expect(revision.parents.map(\.rawValue) == ["a", "b"])
    }

    @Test func lengthPrefixKeepsAuthorAndBodyApart() {
        // Without byte counts, moving text between author and body could produce the same hashed text.
        var left = Self.sample(body: "x")
        left.author = "a\ncreated 1"
        let right = Self.sample(body: "x")
        #expect(RevisionHasher.canonicalText(of: left) != RevisionHasher.canonicalText(of: right))
    }
}
