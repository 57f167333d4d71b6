import MarginCore

/// What a peer has, summarised: for every origin peer, the highest counter of that origin's revisions it holds.
///
/// Every peer appends revisions in causal order and sends them in its change-log order, so a peer that holds
/// origin X's revision with counter n also holds X's revisions 1…n-1. The vector therefore describes a peer's
/// whole history in one small object, and two vectors say exactly which revisions one side lacks.
///
/// On the wire it is a JSON object from peer id to counter: `{"a1b2c3d4e5f60718": 42}`.
public struct VersionVector: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The highest counter held per origin; origins with nothing held are absent.
    public private(set) var counters: [PeerID: Int64]

    /// An empty vector: a peer that holds nothing.
    public init() { counters = [:] }

    /// A vector with the given counters; zero and negative counters are dropped.
    public init(_ counters: [PeerID: Int64]) {
        self.counters = counters.filter { $0.value > 0 }
    }

    /// The highest counter held for `origin`, or 0 when none is held.
    public subscript(origin: PeerID) -> Int64 {
        get { counters[origin] ?? 0 }
        set { counters[origin] = newValue > 0 ? newValue : nil }
    }

    /// The origins with at least one revision, sorted.
    public var origins: [PeerID] { counters.keys.sorted() }

    /// How many revisions the vector covers in all (saturating: a hostile vector cannot overflow it).
    public var total: Int64 { counters.values.saturatingSum() }

    /// True when this vector holds everything `other` holds.
    public func covers(_ other: VersionVector) -> Bool {
        other.counters.allSatisfy { self[$0.key] >= $0.value }
    }

    /// How many revisions `self` holds that `other` lacks.
    public func count(notIn other: VersionVector) -> Int64 {
        counters.lazy.map { max(0, $0.value - other[$0.key]) }.saturatingSum()
    }

    /// The per-origin maximum of two vectors.
    public func merging(_ other: VersionVector) -> VersionVector {
        VersionVector(counters.merging(other.counters, uniquingKeysWith: max))
    }

    /// Records that `revision` is held (counters only ever grow).
    public mutating func add(_ revision: Revision) {
        self[revision.origin] = max(self[revision.origin], revision.counter)
    }

    /// The vector in origin order, e.g. `{a1b2: 3, c3d4: 1}`.
    public var description: String {
        "{" + origins.map { "\($0): \(self[$0])" }.joined(separator: ", ") + "}"
    }

    /// Decodes the JSON object form; counters outside 0…2^53 − 1 (the range of a revision's counter) are rejected.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: Int64].self)
        if let bad = raw.first(where: { !(0...RevisionLimits.maximumInteger).contains($0.value) }) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "counter for \(bad.key) is outside 0…2^53 − 1"))
        }
        self.init(Dictionary(uniqueKeysWithValues: raw.map { (PeerID(rawValue: $0.key), $0.value) }))
    }

    /// Encodes the JSON object form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: counters.map { ($0.key.rawValue, $0.value) }))
    }
}
