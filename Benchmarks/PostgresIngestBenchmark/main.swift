// Receiving speed of the PostgreSQL store: a 10,000-revision push applied in signed pages of 500 (each page checked
// by the sync rules, its signatures verified, and written in one transaction with its proofs), against the same rows
// written by plain multi-row INSERTs of 500 rows into the same table, each in a fresh database on one server. Prints
// rows per second for each (medians of --rounds rounds, 5 by default) and the ratio of receiving to the raw insert
// (target: at most 1.5×); not a test.
//
//   scripts/postgres-test-cluster.sh run swift run -c release PostgresIngestBenchmark
//   swift run -c release PostgresIngestBenchmark --url postgresql://USER@HOST/DATABASE
//
// The URL (or MARGIN_TEST_POSTGRES_URL) names a database whose user may create databases; three a round are made
// and dropped.
import Foundation
import MarginCore
import PostgresNIO
import PostgresRevisionStore

let revisionCount = 10_000
let pageSize = 500

/// A history like a team's: 10 peers, each making records and editing the others' (parents across origins).
func makeHistory() -> [Revision] {
    let peers = (1...10).map { number -> PeerID in
        let hex = String(UInt64(number) &* 0x9E37_79B9_7F4A_7C15, radix: 16)
        return PeerID(rawValue: String(repeating: "0", count: 16 - hex.count) + hex)
    }
    var counters = [PeerID: Int64]()
    var clock: Int64 = 0
    var heads: [(record: RecordID, head: Revision)] = []
    var revisions: [Revision] = []
    revisions.reserveCapacity(revisionCount)
    let filler = String(repeating: "Annotated text of a realistic length. ", count: 5)
    while revisions.count < revisionCount {
        let index = revisions.count
        let origin = peers[index % peers.count]
        counters[origin, default: 0] += 1
        clock += 1
        let body = "{\"text\":\"\(index) \(filler)\"}"
        let revision: Revision
        if heads.isEmpty || index % 3 == 0 {
            revision = Revision(
                record: RecordID(rawValue: "record-\(index)"), kind: RecordKind(rawValue: "memo"), parents: [],
                origin: origin, counter: counters[origin]!, clock: clock, author: "Peer \(index % peers.count)",
                createdAt: 1_700_000_000_000 + Int64(index), body: body)
            heads.append((revision.record, revision))
        } else {
            let slot = (index * 7) % heads.count
            let parent = heads[slot].head
            revision = Revision(
                record: parent.record, kind: parent.kind, parents: [parent.id], origin: origin,
                counter: counters[origin]!, clock: clock, author: "Peer \(index % peers.count)",
                createdAt: 1_700_000_000_000 + Int64(index), body: body)
            heads[slot].head = revision
        }
        revisions.append(revision)
    }
    return revisions
}

/// Runs `body` with a client for a new database, dropped afterwards.
func withFreshDatabase(_ administration: String, _ body: (String) async throws -> Double) async throws -> Double {
    let name = "margin_bench_\(UInt32.random(in: 0 ... .max))"
    try await execute("CREATE DATABASE \(name)", at: administration)
    var components = URLComponents(string: administration)!
    components.path = "/" + name
    let result = try await body(components.string!)
    try await execute("DROP DATABASE \(name) WITH (FORCE)", at: administration)
    return result
}

func execute(_ sql: String, at url: String) async throws {
    let client = PostgresClient(configuration: try PostgresDatabaseURL.configuration(from: url))
    try await PoolRun.whileRunning(client) {
        _ = try await client.query(PostgresQuery(unsafeSQL: sql))
    }
}

func seconds(_ work: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await work()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// The pages of 500 with their proofs, as the pushing store sends them: one key signs every origin (a store's
/// identities share its key), each origin's chain at the page's last revision of it.
func signedPages(_ revisions: [Revision]) throws -> [(revisions: [Revision], proofs: [ChainProof])] {
    var signer = ChainSigner(key: .generate())
    return try stride(from: 0, to: revisions.count, by: pageSize).map { start in
        let page = Array(revisions[start..<min(start + pageSize, revisions.count)])
        return (page, try signer.proofs(for: page))
    }
}

/// Signed pages of 500 through the repository, pushed from the first revision's origin (which shows the key):
/// verification, the sync rules, the signatures, one transaction each.
func receiving(_ pages: [(revisions: [Revision], proofs: [ChainProof])], url: String) async throws -> Double {
    let pusher = pages[0].revisions[0].origin
    return try await PostgresRevisionRepository.withRepository(url: url) { repository in
        try await seconds {
            for page in pages {
                let outcome = try await repository.receive(
                    page.revisions, proofs: page.proofs, from: pusher, account: "bench")
                precondition(outcome.accepted == page.revisions.count)
            }
        }
    }
}

/// The same rows by plain multi-row INSERT … VALUES statements of 500 rows into the same (migrated) table.
func rawInsert(_ revisions: [Revision], url: String) async throws -> Double {
    try await PostgresRevisionRepository.withRepository(url: url) { repository in
        try await seconds {
            for start in stride(from: 0, to: revisions.count, by: pageSize) {
                var sql = """
                    INSERT INTO revision (
                        id, record_id, kind, parents, origin, counter, clock, author, created_at, body, source, logged_at)
                    VALUES
                    """
                var bindings = PostgresBindings()
                for (offset, revision) in revisions[start..<min(start + pageSize, revisions.count)].enumerated() {
                    let base = offset * 12
                    sql += (offset == 0 ? " " : ", ") + "(" + (1...12).map { "$\(base + $0)" }.joined(separator: ", ") + ")"
                    bindings.append(revision.id.rawValue)
                    bindings.append(revision.record.rawValue)
                    bindings.append(revision.kind.rawValue)
                    bindings.append(revision.parents.map(\.rawValue))
                    bindings.append(revision.origin.rawValue)
                    bindings.append(revision.counter)
                    bindings.append(revision.clock)
                    bindings.append(revision.author)
                    bindings.append(revision.createdAt)
                    bindings.append(revision.body)
                    bindings.append("push:bench")
                    bindings.append(Int64(0))
                }
                try await repository.client.query(PostgresQuery(unsafeSQL: sql, binds: bindings))
            }
        }
    }
}

/// The same rows by one INSERT … SELECT FROM unnest(arrays) per 500 rows (the statement receiving uses, without its
/// checks, reads and transaction).
func rawUnnestInsert(_ revisions: [Revision], url: String) async throws -> Double {
    try await PostgresRevisionRepository.withRepository(url: url) { repository in
        try await seconds {
            for start in stride(from: 0, to: revisions.count, by: pageSize) {
                let page = revisions[start..<min(start + pageSize, revisions.count)]
                try await repository.client.query("""
                    INSERT INTO revision (
                        id, record_id, kind, parents, origin, counter, clock, author, created_at, body, source, logged_at)
                    SELECT id, record_id, kind, string_to_array(parents, ','), origin, counter, clock, author,
                        created_at, body, 'push:bench', 0
                    FROM unnest(
                        \(page.map(\.id.rawValue))::text[], \(page.map(\.record.rawValue))::text[],
                        \(page.map(\.kind.rawValue))::text[],
                        \(page.map { $0.parents.map(\.rawValue).joined(separator: ",") })::text[],
                        \(page.map(\.origin.rawValue))::text[], \(page.map(\.counter))::int8[],
                        \(page.map(\.clock))::int8[], \(page.map(\.author))::text[], \(page.map(\.createdAt))::int8[],
                        \(page.map(\.body))::text[])
                        AS page(id, record_id, kind, parents, origin, counter, clock, author, created_at, body)
                    """)
            }
        }
    }
}

var arguments = CommandLine.arguments.dropFirst()
var url = ProcessInfo.processInfo.environment["MARGIN_TEST_POSTGRES_URL"]
var rounds = 5
while let argument = arguments.popFirst() {
    if argument == "--url", let value = arguments.popFirst() { url = value }
    if argument == "--rounds", let value = arguments.popFirst().flatMap({ Int($0) }), value > 0 { rounds = value }
}
guard let url else {
    FileHandle.standardError.write(Data("Give --url postgresql://… or set MARGIN_TEST_POSTGRES_URL.\n".utf8))
    exit(2)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

let revisions = makeHistory()
let verifying = try await seconds { for revision in revisions { try revision.verify() } }
let pages = try signedPages(revisions)
// Each round times the three one after the other, so that a busy machine slows all three alike; the ratio is taken
// per round, and medians are reported.
var received: [Double] = []
var inserted: [Double] = []
var unnested: [Double] = []
for _ in 0..<rounds {
    received.append(try await withFreshDatabase(url) { try await receiving(pages, url: $0) })
    inserted.append(try await withFreshDatabase(url) { try await rawInsert(revisions, url: $0) })
    unnested.append(try await withFreshDatabase(url) { try await rawUnnestInsert(revisions, url: $0) })
}
func line(_ label: String, _ times: [Double], unit: String) -> String {
    let middle = median(times)
    return "\(label): \(Int(Double(revisionCount) / middle)) \(unit)/s (median \(String(format: "%.3f", middle)) s of \(times.count))"
}
print(line("receive, signed pages of \(pageSize)", received, unit: "revisions"))
print(line("raw multi-row INSERT of \(pageSize)", inserted, unit: "rows"))
print(line("raw INSERT … SELECT FROM unnest, \(pageSize) rows", unnested, unit: "rows"))
print("checking each revision on its own (hash, formats, body; part of receive): \(String(format: "%.2f", verifying)) s")
let ratios = zip(received, inserted).map { $0 / $1 }
print("""
    receive / raw multi-row INSERT: median \(String(format: "%.2f", median(ratios)))× per round \
    (\(ratios.map { String(format: "%.2f", $0) }.joined(separator: ", "))); target ≤ 1.5×
    """)
