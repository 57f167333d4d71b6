/// One immutable version of a record.
///
/// A revision names its parents (the revisions it supersedes), the peer that made it with that peer's own counter,
/// and a Lamport clock. Its ``id`` is the content hash of everything else, so any peer can verify it.
/// Two revisions with the same parent are both kept: that is how concurrent edits become visible.
public struct Revision: Hashable, Codable, Sendable {
    /// The content hash of this revision.
    public var id: RevisionID
    /// The record this revision is a version of.
    public var record: RecordID
    /// The kind of the record.
    public var kind: RecordKind
    /// The revisions this one supersedes, sorted; empty for the first revision of a record.
    public var parents: [RevisionID]
    /// The peer that made this revision.
    public var origin: PeerID
    /// The origin peer's own counter: 1 for its first revision, then 2, 3, … with no gaps.
    public var counter: Int64
    /// A Lamport clock: greater than the clock of every revision the origin knew when it made this one.
    public var clock: Int64
    /// The display name of the person who made the revision.
    public var author: String
    /// Wall-clock creation time in milliseconds since 1970 (for display only; never used for ordering decisions).
    public var createdAt: Int64
    /// The record's content: canonical JSON of the kind's body type (see ``RecordBody``).
    public var body: String

    /// Makes a revision and computes its content hash.
    public init(
        record: RecordID, kind: RecordKind, parents: [RevisionID], origin: PeerID, counter: Int64,
        clock: Int64, author: String, createdAt: Int64, body: String
    ) {
        self.init(
            id: RevisionID(rawValue: ""), record: record, kind: kind, parents: parents.sorted(), origin: origin,
            counter: counter, clock: clock, author: author, createdAt: createdAt, body: body)
        self.id = RevisionHasher.hash(of: self)
    }

    /// Makes a revision with a given id, as received from elsewhere. Use ``verify()`` before trusting it.
    public init(
        id: RevisionID, record: RecordID, kind: RecordKind, parents: [RevisionID], origin: PeerID, counter: Int64,
        clock: Int64, author: String, createdAt: Int64, body: String
    ) {
        self.id = id
        self.record = record
        self.kind = kind
        self.parents = parents
        self.origin = origin
        self.counter = counter
        self.clock = clock
        self.author = author
        self.createdAt = createdAt
        self.body = body
    }

    /// Checks that the revision is acceptable on its own: its hash matches its content and it keeps every rule of
    /// ``RevisionValidator/validate(_:)``.
    public func verify() throws(MarginCoreError) {
        try RevisionValidator.validate(self)
    }
}
