import MarginCore

/// A peer that makes valid revisions of its own and keeps every revision it holds in its change-log order, as a
/// real peer does: its own counters without gaps, Lamport clocks above everything it holds, and records of kinds
/// this version does not know (`memo`, `sketch`), whose bodies only need to be JSON objects.
struct TestPeer {
    let id: PeerID
    /// Every revision held, in the order learnt (a causal order).
    private(set) var log: [Revision] = []
    private var held: Set<RevisionID> = []
    /// The current heads of each record.
    private(set) var heads: [RecordID: [Revision]] = [:]
    private var counter: Int64 = 0
    private var clock: Int64 = 0

    init(_ number: Int) {
        let hex = String(UInt64(number) &* 0x9E37_79B9_7F4A_7C15, radix: 16)
        id = PeerID(rawValue: String(repeating: "0", count: 16 - hex.count) + hex)
    }

    /// The highest counter held per origin.
    var vector: [PeerID: Int64] {
        log.reduce(into: [:]) { $0[$1.origin] = max($0[$1.origin] ?? 0, $1.counter) }
    }

    /// The records held, sorted.
    var records: [RecordID] { heads.keys.sorted() }

    /// Makes the first revision of a new record.
    @discardableResult
    mutating func create(_ record: String, kind: String = "memo", text: String = "first") -> Revision {
        make(record: RecordID(rawValue: record), kind: RecordKind(rawValue: kind), parents: [], text: text)
    }

    /// Makes a revision of a held record superseding all its heads.
    @discardableResult
    mutating func edit(_ record: RecordID, text: String) -> Revision {
        let parents = heads[record] ?? []
        return make(record: record, kind: parents[0].kind, parents: parents.map(\.id), text: text)
    }

    /// Learns a revision made elsewhere; it must come in causal order.
    mutating func learn(_ revision: Revision) throws {
        guard !held.contains(revision.id) else { return }
        let vector = self.vector
        guard revision.counter == (vector[revision.origin] ?? 0) + 1 else {
            throw CausalityViolation(description: "\(revision.id) of \(revision.origin) has counter \(revision.counter) after \(vector[revision.origin] ?? 0)")
        }
        for parent in revision.parents where !held.contains(parent) {
            throw CausalityViolation(description: "\(revision.id) arrived before its parent \(parent)")
        }
        append(revision)
        clock = max(clock, revision.clock)
    }

    private mutating func make(record: RecordID, kind: RecordKind, parents: [RevisionID], text: String) -> Revision {
        counter += 1
        clock += 1
        let body = "{\"text\":\"\(text)\"}"
        let revision = Revision(
            record: record, kind: kind, parents: parents, origin: id, counter: counter, clock: clock,
            author: "peer \(id.rawValue.prefix(4))", createdAt: 1_700_000_000_000 + counter, body: body)
        append(revision)
        return revision
    }

    private mutating func append(_ revision: Revision) {
        log.append(revision)
        held.insert(revision.id)
        let parents = Set(revision.parents)
        heads[revision.record, default: []].removeAll { parents.contains($0.id) }
        heads[revision.record, default: []].append(revision)
    }
}

/// A page that delivered a revision before what it depends on.
struct CausalityViolation: Error, CustomStringConvertible {
    var description: String
}

/// A small seeded generator (SplitMix64), so that a failing random run can be repeated from its printed seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
