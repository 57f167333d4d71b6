/// An error from the domain core: a revision or a body that does not hold together.
public struct MarginCoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The revision's content does not hash to its id: it was altered or corrupted in transit.
        case hashMismatch(revision: RevisionID, computed: RevisionID)
        /// The revision breaks one of the validation rules (see ``RevisionValidator``).
        case invalidRevision(revision: RevisionID, rule: ValidationRule, reason: String)
        /// The body cannot be decoded as the kind says.
        case malformedBody(kind: RecordKind, reason: String)
        /// A chain proof is malformed, or its signature is not its key's over the origin's revisions as received.
        case badSignature(origin: PeerID, counter: Int64, reason: String)
        /// A pushed page's new revision of an origin is covered by no proof of that origin.
        case unsignedRevision(revision: RevisionID, origin: PeerID)
        /// A revision's origin is bound to another key than the one that signed it: someone claims another's origin.
        /// `owner` is the account of the key the origin is bound to, when it has one.
        case forgedOrigin(revision: RevisionID, origin: PeerID, key: SigningKeyID, owner: String?)
        /// A relayed revision is signed by a key the receiver has not met, and the pusher did not show it as its own.
        case unknownKey(revision: RevisionID, origin: PeerID, key: SigningKeyID)
        /// A quote is not in the section text.
        case quoteNotFound(quote: String)
        /// A quote occurs several times and no occurrence was chosen.
        case quoteAmbiguous(quote: String, occurrences: Int)
        /// The chosen occurrence does not exist.
        case occurrenceOutOfRange(quote: String, occurrence: Int, occurrences: Int)
    }

    /// What went wrong.
    public let kind: Kind

    /// Makes an error of the given kind.
    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case let .hashMismatch(revision, computed):
            return "Revision \(revision) does not match its content (it hashes to \(computed)); the data was altered in transit or by a faulty peer."
        case let .invalidRevision(revision, rule, reason):
            return "Revision \(TextRules.printable(revision.rawValue, limit: 64)) breaks the \(rule.rawValue) rule: \(reason)."
        case let .badSignature(origin, counter, reason):
            return "The signature of origin \(origin) at counter \(counter) does not hold: \(reason); the revisions were altered or were not signed by that key."
        case let .unsignedRevision(revision, origin):
            return "Revision \(revision) of origin \(origin) carries no signature of its origin's key, and one is required (protocol 2 signs every revision; only revisions kept from before signing, of an origin with no known key, may arrive unsigned from a server)."
        case let .forgedOrigin(revision, origin, key, owner):
            let whose = owner.map { "account “\($0)”" } ?? "another key"
            return "Revision \(revision) claims origin \(origin), which belongs to \(whose), but it is signed by key \(key.short); it was refused as a forged origin."
        case let .unknownKey(revision, origin, key):
            return "Revision \(revision) of origin \(origin) is signed by key \(key.short), which no account of this server uses; its author must sync with this server first (a key is bound to the account that first pushes its own revisions with it)."
        case let .malformedBody(kind, reason):
            return "A \(kind.rawValue) body cannot be read: \(reason)."
        case let .quoteNotFound(quote):
            return "The quote “\(quote)” is not in the section text; copy the span exactly as `margin show` prints it."
        case let .quoteAmbiguous(quote, occurrences):
            return "The quote “\(quote)” occurs \(occurrences) times in the section; choose one with --occurrence 1…\(occurrences) or quote a longer span."
        case let .occurrenceOutOfRange(quote, occurrence, occurrences):
            return "The quote “\(quote)” occurs \(occurrences == 1 ? "once" : "\(occurrences) times"), so occurrence \(occurrence) does not exist; choose 1…\(occurrences)."
        }
    }
}
