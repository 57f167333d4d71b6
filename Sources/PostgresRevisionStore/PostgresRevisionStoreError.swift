import MarginCore

/// An error from the PostgreSQL revision store. Its description says what happened and what to do.
///
/// A rejected page names the revision and the ``ValidationRule`` it breaks (``rejection``), with the same meanings as
/// the embedded store's errors, so that a server answers both the same way (422). A page refused for its signatures
/// is a `.core` error, as the domain's `SignatureAdmission` states it (``signatureRefusal``), answered as the embedded
/// store's: 422 for an unsigned revision or a bad signature, 403 for a forged origin or an unknown key.
public struct PostgresRevisionStoreError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public enum Kind: Sendable {
        /// A page the domain rules refuse: a revision unacceptable on its own (`RevisionValidator`: a bad hash,
        /// format, range, body or clock) or against what the database holds (`PageAdmission`: a missing parent, a
        /// reused counter…), or the page's signatures (`SignatureAdmission`: unsigned, a bad signature, a forged
        /// origin, an unknown key).
        case core(MarginCoreError)
        /// Other writers kept changing what the page touches: it was tried `attempts` times and never applied.
        case contention(attempts: Int)
        /// The database was made by a newer margin: it is at schema `found`, this margin knows up to `supported`.
        case schemaTooNew(found: Int, supported: Int)
        /// A database URL cannot be used.
        case invalidURL(String, reason: String)
        /// A database given as a read replica cannot answer pulls for the primary: the reason says why.
        case notAReplica(String)
        /// PostgreSQL could not be reached, or dropped the connection, or has no connection to spare: a failure that
        /// passes, so the request may be tried again shortly.
        case unreachable(String)
        /// PostgreSQL failed.
        case database(String)
    }

    /// What went wrong.
    public let kind: Kind

    /// Makes an error of the given kind.
    public init(_ kind: Kind) { self.kind = kind }

    /// For a page refused because of its signatures: the same error as the domain core states it (its
    /// `MarginCoreError.Kind` is `.unsignedRevision`, `.badSignature`, `.forgedOrigin` or `.unknownKey`), and the
    /// revision it names, if any. Nil for every other error.
    public var signatureRefusal: (error: MarginCoreError, revision: RevisionID?)? {
        guard case let .core(error) = kind else { return nil }
        switch error.kind {
        case let .unsignedRevision(revision, _), let .forgedOrigin(revision, _, _, _), let .unknownKey(revision, _, _):
            return (error, revision)
        case .badSignature:
            return (error, nil)
        default:
            return nil
        }
    }

    /// For a page rejected because of one of its revisions: that revision, and the rule it breaks (nil for a hash
    /// that does not match the content). Nil for every other error (see ``signatureRefusal`` for signatures).
    public var rejection: (revision: RevisionID, rule: ValidationRule?)? {
        switch kind {
        case let .core(error):
            switch error.kind {
            case let .hashMismatch(revision, _): return (revision, nil)
            case let .invalidRevision(revision, rule, _): return (revision, rule)
            default: return nil
            }
        default:
            return nil
        }
    }

    public var description: String {
        switch kind {
        case let .core(error):
            return error.description
        case let .contention(attempts):
            return "Other writers changed the same revisions while this page was applied, \(attempts) times in a row; nothing was stored. Send the page again."
        case let .schemaTooNew(found, supported):
            return "The database holds schema version \(found), and this margin knows versions up to \(supported); upgrade margin to use it."
        case let .invalidURL(url, reason):
            return "“\(url)” is not a usable PostgreSQL URL: \(reason). Write it as postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE."
        case let .notAReplica(reason):
            return "The read replica cannot answer pulls for this database: \(reason)."
        case let .unreachable(message):
            return "PostgreSQL cannot be reached now: \(message). Nothing was changed; try again shortly."
        case let .database(message):
            return "PostgreSQL failed: \(message). Check that the server is reachable and the database exists; nothing was changed."
        }
    }
}
