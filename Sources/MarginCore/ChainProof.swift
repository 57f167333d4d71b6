import Crypto

/// A signature that vouches for one origin's revisions 1…``counter`` at once: the origin's key signs the origin's
/// ``RevisionChain`` at that counter.
///
/// On the wire a page carries, for each origin whose new revisions it holds, one proof at or after the page's last
/// revision of that origin. When the signed counter lies beyond the page, ``tail`` lists the ids of the origin's
/// revisions after the page's last one, through ``counter``, so that the receiver can carry its chain forward to the
/// signed value without those revisions' content:
///
/// ```json
/// {"origin": "a1b2c3d4e5f60718", "counter": 14, "key": "<64 hex>", "signature": "<128 hex>", "tail": ["<id 13>", "<id 14>"]}
/// ```
///
/// The signed text (UTF-8, no trailing newline) is:
///
/// ```text
/// marginalia-signature-1
/// origin <origin>
/// counter <decimal>
/// chain <64 hex: the chain at counter>
/// ```
///
/// Specified in `Protocol/PROTOCOL.md`, "Signatures".
public struct ChainProof: Codable, Sendable, Hashable {
    /// The origin whose revisions are vouched for.
    public var origin: PeerID
    /// The highest counter covered: the signature is over the chain at this counter.
    public var counter: Int64
    /// The Ed25519 public key that signed, as 64 lowercase hexadecimal digits (its 32 raw bytes).
    public var key: SigningKeyID
    /// The Ed25519 signature, as 128 lowercase hexadecimal digits.
    public var signature: String
    /// Ids of the origin's revisions after those the page carries, through ``counter``, in counter order; empty when
    /// the page's last revision of the origin is the signed one.
    public var tail: [RevisionID]

    /// Makes a proof.
    public init(origin: PeerID, counter: Int64, key: SigningKeyID, signature: String, tail: [RevisionID] = []) {
        self.origin = origin
        self.counter = counter
        self.key = key
        self.signature = signature
        self.tail = tail
    }

    /// The most ids a tail may list (a sender signs often enough never to need more).
    public static let maximumTail = 10_000

    /// The text a key signs for `origin` at `counter` with chain value `chain`.
    public static func statement(origin: PeerID, counter: Int64, chain: RevisionChain) -> [UInt8] {
        Array("marginalia-signature-1\norigin \(origin.rawValue)\ncounter \(counter)\nchain \(chain.hexadecimal)".utf8)
    }

    /// Checks the proof's own fields: formats, ranges and sizes. Throws ``MarginCoreError/Kind/badSignature(origin:counter:reason:)``.
    public func validate() throws(MarginCoreError) {
        func fail(_ reason: String) -> MarginCoreError {
            MarginCoreError(.badSignature(origin: PeerID(rawValue: TextRules.printable(origin.rawValue, limit: 16)), counter: counter, reason: reason))
        }
        guard IdentifierFormat.peer.accepts(origin.rawValue) else { throw fail("its origin is not a peer id") }
        guard (1...RevisionLimits.maximumInteger).contains(counter) else { throw fail("its counter is out of range") }
        guard key.publicKey != nil else { throw fail("its key is not 64 lowercase hexadecimal digits of an Ed25519 public key") }
        guard signature.utf8.count == 128, Hexadecimal.decode(signature) != nil else {
            throw fail("its signature is not 128 lowercase hexadecimal digits")
        }
        guard tail.count <= Self.maximumTail else { throw fail("its tail lists more than \(Self.maximumTail) ids") }
        guard Int64(tail.count) < counter else { throw fail("its tail is longer than its counter") }
        for id in tail where !IdentifierFormat.revision.accepts(id.rawValue) {
            throw fail("its tail holds “\(TextRules.printable(id.rawValue))”, which is not a revision id")
        }
    }

    /// Checks the signature against `chain`, the receiver's own chain of the origin at ``counter`` (computed from the
    /// revisions it holds, the page's and the ``tail``). Throws ``MarginCoreError/Kind/badSignature(origin:counter:reason:)``
    /// when the signature is not the key's over that chain: the revisions or the tail were altered, or the signature
    /// was made by another key.
    public func verify(chain: RevisionChain) throws(MarginCoreError) {
        try validate()
        guard let publicKey = key.publicKey, let bytes = Hexadecimal.decode(signature),
            publicKey.isValidSignature(bytes, for: Self.statement(origin: origin, counter: counter, chain: chain))
        else {
            throw MarginCoreError(.badSignature(
                origin: origin, counter: counter,
                reason: "the signature is not key \(key.short)'s over the origin's revisions 1…\(counter) as received"))
        }
    }

    private enum CodingKeys: String, CodingKey { case origin, counter, key, signature, tail }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        origin = try container.decode(PeerID.self, forKey: .origin)
        counter = try container.decode(Int64.self, forKey: .counter)
        key = try container.decode(SigningKeyID.self, forKey: .key)
        signature = try container.decode(String.self, forKey: .signature)
        tail = try container.decodeIfPresent([RevisionID].self, forKey: .tail) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(origin, forKey: .origin)
        try container.encode(counter, forKey: .counter)
        try container.encode(key, forKey: .key)
        try container.encode(signature, forKey: .signature)
        if !tail.isEmpty { try container.encode(tail, forKey: .tail) }
    }
}

/// An Ed25519 public key, named by its 32 raw bytes in lowercase hexadecimal (64 digits).
public struct SigningKeyID: StringIdentifier {
    /// The 64 hexadecimal digits.
    public let rawValue: String

    /// Wraps a key's text as received; check it with ``publicKey``.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The key, or nil when the text is not 64 lowercase hexadecimal digits of a valid Ed25519 public key.
    public var publicKey: Curve25519.Signing.PublicKey? {
        guard rawValue.utf8.count == 64, let bytes = Hexadecimal.decode(rawValue) else { return nil }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
    }

    /// The first 16 digits, enough for a person to tell keys apart.
    public var short: String { String(rawValue.prefix(16)) }
}

/// A store's private signing key (Ed25519): it signs the chain of every origin the store writes under.
public struct SigningKey: Sendable {
    private let privateKey: Curve25519.Signing.PrivateKey

    /// A new key from the system's secure random source.
    public static func generate() -> SigningKey { SigningKey(privateKey: Curve25519.Signing.PrivateKey()) }

    /// The key whose 32-byte raw representation (the seed) is `bytes`.
    public init(rawRepresentation bytes: [UInt8]) throws {
        privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
    }

    private init(privateKey: Curve25519.Signing.PrivateKey) { self.privateKey = privateKey }

    /// The 32 bytes to keep secret.
    public var rawRepresentation: [UInt8] { Array(privateKey.rawRepresentation) }

    /// The public half, as peers name it.
    public var id: SigningKeyID { SigningKeyID(rawValue: Hexadecimal.encode(privateKey.publicKey.rawRepresentation)) }

    /// A proof for `origin`'s revisions 1…`counter`, whose chain is `chain`.
    public func proof(origin: PeerID, counter: Int64, chain: RevisionChain) throws -> ChainProof {
        let signature = try privateKey.signature(for: ChainProof.statement(origin: origin, counter: counter, chain: chain))
        return ChainProof(origin: origin, counter: counter, key: id, signature: Hexadecimal.encode(signature))
    }
}

/// Signs pages of revisions as their origin's store does, keeping each origin's chain between pages: for tools and
/// tests that make revisions outside a store (a store signs its own, see `MarginStore.signOwnRevisions()`).
///
/// ```swift
/// var signer = ChainSigner(key: .generate())
/// let proofs = try signer.proofs(for: page)   // one per origin in the page, through its last revision
/// ```
public struct ChainSigner: Sendable {
    /// The key that signs.
    public let key: SigningKey
    private var chains: [PeerID: (counter: Int64, chain: RevisionChain)] = [:]

    /// A signer whose origins start with no revisions.
    public init(key: SigningKey) { self.key = key }

    /// Carries each origin's chain over the page's revisions (which must continue that origin's counters) and signs
    /// it at the page's last revision of the origin.
    public mutating func proofs(for page: [Revision]) throws -> [ChainProof] {
        var order: [PeerID] = []
        for revision in page {
            var head = chains[revision.origin] ?? (0, .start(of: revision.origin))
            if revision.counter <= head.counter { continue }
            if !order.contains(revision.origin) { order.append(revision.origin) }
            head = (revision.counter, head.chain.appending(revision.id))
            chains[revision.origin] = head
        }
        return try order.map { origin in
            let head = chains[origin]!
            return try key.proof(origin: origin, counter: head.counter, chain: head.chain)
        }
    }
}
