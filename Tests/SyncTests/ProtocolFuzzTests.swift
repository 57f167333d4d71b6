import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import MarginCore
import MarginStore
import PostgresRevisionStore
import PostgresTestSupport
import StoreSyncBackend
import SyncBackend
import SyncClient
import SyncProtocol
import SyncServer
import Testing

/// A seeded, bounded protocol fuzz test: thousands of requests made by mutating the example requests of
/// `Protocol/examples` are sent to a live server holding data, over plain TCP sockets, once on the embedded store and
/// once on PostgreSQL. Afterwards the server must still answer, must never have answered 5xx, its storage must be
/// sound (SQLite's integrity check; PostgreSQL's tables consistent with each other), each origin's revisions must
/// stand in its log counted without a gap, every revision it holds must re-verify, and a fresh peer must pull all of
/// it and end with the server's vector.
///
/// `MARGIN_FUZZ_SEED=N` replays a run (the seed is printed first); `MARGIN_FUZZ=N` sets the request count (2000).
/// Requests that got a 5xx are saved to a folder whose path is printed with them; if the process dies, the last
/// request sent is in the file printed at the start.
@Suite struct ProtocolFuzzTests {
    static let writeToken = "fuzz-write"
    static let readToken = "fuzz-read"

    @Test func mutatedRequestsNeverBreakTheServer() async throws {
        let serverStore = try SyncTestSupport.newStore(author: "server")
        let backend = EmbeddedSyncBackend(serverStore)
        try await Self.fuzz(FuzzedServer(
            name: "the embedded store", backend: backend,
            allRevisions: { try Self.allRevisions(serverStore) },
            storageProblems: { try serverStore.integrityProblems() }))
    }

    /// The same run against a server over PostgreSQL, whose columns and errors are its own: what the validator lets
    /// through must also be something PostgreSQL takes (or refuses as a 4xx), never a 5xx.
    @Test func mutatedRequestsNeverBreakThePostgresServer() async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresRevisionRepository.withRepository(url: url, maximumConnections: 4) { repository in
                let backend = try await PostgresSyncBackend(repository)
                try await Self.fuzz(FuzzedServer(
                    name: "PostgreSQL", backend: backend,
                    allRevisions: { try await repository.allRevisions() },
                    storageProblems: { try await Self.tableProblems(at: url) }))
            }
        }
    }

    /// Seeds the server, fuzzes it, then checks it as the test's documentation says.
    static func fuzz(_ fuzzed: FuzzedServer) async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["MARGIN_FUZZ_SEED"].flatMap(Self.parseSeed) ?? UInt64.random(in: .min ... .max)
        let count = environment["MARGIN_FUZZ"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 2000
        print("ProtocolFuzz seed (\(fuzzed.name)): \(seed) (replay: MARGIN_FUZZ_SEED=\(seed) MARGIN_FUZZ=\(count))")

        // A server with real data: one seed file's reports, annotations (one edited, one anchored), tags, pushed
        // from a client store, plus the example page of 03-push.
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let section = try SyncTestSupport.firstSection(alice)
        let note = try alice.addAnnotation(on: section, text: "需要补充数据。")
        _ = try alice.editAnnotation(note.shortID, text: "需要补充具体数据。")
        let detail = try alice.section(section)
        if let quote = detail.text.split(separator: "\n").last.map({ String($0.prefix(4)) }), !quote.isEmpty {
            _ = try? alice.addAnnotation(on: section, text: "引文", quote: quote, occurrence: 1)
        }
        _ = try alice.tag(section, with: ["重点", "review"])
        _ = try alice.untag(section, removing: ["review"])

        let collector = LogCollector()
        var logger = Logger(label: "margin.fuzz.server") { _ in CollectingLogHandler(collector: collector) }
        logger.logLevel = .error
        let configuration = SyncServerConfiguration(
            host: "127.0.0.1", port: 0,
            access: SyncAccess(writeTokens: [Self.writeToken], readTokens: [Self.readToken]), logger: logger)
        let backend = fuzzed.backend
        let server = try await RunningSyncServer.start(backend: backend, configuration: configuration)
        do {
            try await SyncTestSupport.sync(alice, with: server.url, token: Self.writeToken)
            let example = try Data(contentsOf: SyncTestSupport.examples.appendingPathComponent("03-push.request.json"))
            // Blocking socket work runs on a thread of its own: a server on PostgreSQL needs Swift concurrency's
            // threads to answer, and there may be as few of them as there are cores.
            let port = server.port
            let seeded = try await Self.onThread {
                RawHTTP.exchange(
                    port: port,
                    request: RawHTTP.request("POST", SyncEndpoint.revisions, token: Self.writeToken, body: Array(example)),
                    timeout: 30)
            }
            try #require(seeded.status == 200, "the example page was not accepted: \(seeded.text)")
            #expect(try await backend.vector().counters.count >= 2)

            let failures = SyncTestSupport.temporaryFolder("fuzz-failures")
            try FileManager.default.createDirectory(atPath: failures, withIntermediateDirectories: true)
            let peers = [alice.peer.id]
            let result = try await Self.onThread {
                try FuzzRun(
                    seed: seed, port: port, backend: backend, collector: collector, failureFolder: failures,
                    knownPeers: peers
                ).run(requests: count)
            }
            print("\(fuzzed.name): \(result.summary)")
            for offense in result.offenses.prefix(5) { print(offense.description) }
            let offenses = result.offenses.count
            #expect(offenses == 0, "\(offenses) request(s) got a 5xx or no answer (printed above); first: \(result.offenses.first?.description ?? "")")
            #expect(result.sent == count + RawCases.all(port: port).count)

            // The server still answers.
            let health = try await Self.onThread {
                RawHTTP.exchange(port: port, request: RawHTTP.request("GET", SyncEndpoint.health), timeout: 30)
            }
            #expect(health.status == 200, "health after fuzzing: \(health.text)")
            #expect((try? SyncCoding.decode(HealthResponse.self, from: Data(health.body))) == HealthResponse())

            // The storage is sound and every revision held re-verifies (and keeps the Lamport rule along its parents).
            #expect(try await fuzzed.storageProblems() == [])
            let held = try await fuzzed.allRevisions()
            let serverVector = try await backend.vector().counters
            #expect(Self.vector(of: held) == serverVector)
            let gaps = Self.counterGaps(in: held)
            #expect(gaps.isEmpty, "the log skips or repeats counters: \(gaps.prefix(3))")
            var clocks: [RevisionID: Int64] = [:]
            var broken: [String] = []
            for revision in held {
                do {
                    try revision.verify()
                    let parentClocks = try revision.parents.map { parent in
                        guard let clock = clocks[parent] else {
                            throw MarginCoreError(.invalidRevision(revision: revision.id, rule: .missingParent, reason: "parent \(parent) is not earlier in the log"))
                        }
                        return clock
                    }
                    try RevisionValidator.validate(revision, parentClocks: parentClocks)
                } catch {
                    broken.append("\(revision.id): \(error)")
                }
                clocks[revision.id] = revision.clock
            }
            #expect(broken.isEmpty, "\(broken.count) held revision(s) do not re-verify: \(broken.prefix(3))")

            // A fresh peer pulls everything and ends with the server's vector.
            let fresh = try SyncTestSupport.newStore(author: "fresh")
            do {
                let report = try await SyncTestSupport.sync(fresh, with: server.url, token: Self.readToken)
                #expect(report.complete)
                #expect(report.received == held.count)
            } catch {
                Issue.record("a fresh peer could not pull the fuzzed server (\(fuzzed.name)): \(error)")
            }
            #expect(try fresh.versionVector() == serverVector)
            #expect(try SyncTestSupport.revisionIDs(fresh) == Set(held.map(\.id)))
            #expect(try fresh.integrityProblems() == [])
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }

    /// What a PostgreSQL server's tables hold that they should not: a revision without its record row, or under a
    /// record of another kind; a signature or a key binding for an origin the server holds nothing of.
    static func tableProblems(at url: String) async throws -> [String] {
        let checks = [
            ("revisions without their record, or of another kind than it",
             "SELECT count(*)::text FROM revision r LEFT JOIN record c ON c.id = r.record_id WHERE c.id IS NULL OR c.kind <> r.kind"),
            ("signatures of origins held nowhere",
             "SELECT count(*)::text FROM chain_signature s LEFT JOIN sync_vector v ON v.origin = s.origin WHERE v.origin IS NULL"),
            ("signatures beyond what their origin holds",
             "SELECT count(*)::text FROM chain_signature s JOIN sync_vector v ON v.origin = s.origin WHERE s.counter > v.counter"),
        ]
        var problems: [String] = []
        for (what, sql) in checks {
            let count = try await TestPostgres.text(sql, at: url)
            if count != "0" { problems.append("\(count ?? "?") \(what)") }
        }
        return problems
    }

    /// Each origin's revisions, in the order the server's log holds them, are counted 1, 2, 3… without a gap: a
    /// pull resuming after any of them can never skip one.
    static func counterGaps(in revisions: [Revision]) -> [String] {
        var last: [PeerID: Int64] = [:]
        var gaps: [String] = []
        for revision in revisions {
            let expected = (last[revision.origin] ?? 0) + 1
            if revision.counter != expected {
                gaps.append("\(revision.origin) counter \(revision.counter) where \(expected) was due")
            }
            last[revision.origin] = revision.counter
        }
        return gaps
    }

    static func parseSeed(_ text: String) -> UInt64? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        return text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }

    /// Every revision of a store, read through its sync API in pages, in log order.
    static func allRevisions(_ store: MarginStore) throws -> [Revision] {
        var have: [PeerID: Int64] = [:]
        var all: [Revision] = []
        while true {
            let page = try store.revisions(missingFrom: have, limit: 500, maxBytes: 8 << 20, size: SyncCoding.estimatedSize(of:))
            for revision in page.revisions {
                all.append(revision)
                have[revision.origin] = max(have[revision.origin] ?? 0, revision.counter)
            }
            if !page.more || page.revisions.isEmpty { break }
        }
        return all
    }

    static func vector(of revisions: [Revision]) -> [PeerID: Int64] {
        var vector: [PeerID: Int64] = [:]
        for revision in revisions { vector[revision.origin] = max(vector[revision.origin] ?? 0, revision.counter) }
        return vector
    }

    /// Runs blocking socket work on a thread of its own, so that no thread of Swift concurrency's small pool (which
    /// the server needs) is held.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}

/// The server a fuzz run goes against, as the checks after the run see it.
struct FuzzedServer: Sendable {
    /// For the printed lines.
    var name: String
    /// What the server runs on; the run's model of the server reads it after each accepted page.
    var backend: any SyncBackend
    /// Every revision held, in log order.
    var allRevisions: @Sendable () async throws -> [Revision]
    /// What the storage itself finds wrong with what it holds (none when sound).
    var storageProblems: @Sendable () async throws -> [String]
}

// MARK: - The run

/// One request that got a 5xx (or no answer at all), kept to be printed and replayed.
struct FuzzOffense: Sendable, CustomStringConvertible {
    var index: Int
    var what: String
    var method: String
    var path: String
    var status: Int?
    var response: String
    var serverLog: [String]
    var requestPrefix: String
    var savedTo: String

    var description: String {
        """
        ProtocolFuzz offense at request \(index) (\(what)): \(method) \(path) → \(status.map { String($0) } ?? "no answer")
          response: \(response.prefix(300))
          server log: \(serverLog.prefix(3).joined(separator: " | ").prefix(600))
          request (\(savedTo)): \(requestPrefix)
        """
    }
}

struct FuzzResult: Sendable {
    var seed: UInt64
    var sent: Int
    var rawSent: Int
    var statuses: [Int: Int]
    var kinds: [String: [Int: Int]]
    var rehashedRevisions: Int
    var unhashedRevisions: Int
    var acceptedPages: Int
    var offenses: [FuzzOffense]
    var seconds: Double

    var summary: String {
        let histogram = statuses.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "none" : String($0.key)): \($0.value)" }
        let mix = kinds.sorted { $0.key < $1.key }.map { kind, statuses in
            "\(kind) \(statuses.values.reduce(0, +)) (" + statuses.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "none" : String($0.key))×\($0.value)" }.joined(separator: " ") + ")"
        }
        return """
            ProtocolFuzz seed \(seed): \(sent) requests (\(rawSent) raw HTTP) in \(String(format: "%.1f", seconds)) s; \
            statuses {\(histogram.joined(separator: ", "))}; mix {\(mix.joined(separator: ", "))}; \
            revisions re-hashed \(rehashedRevisions), not re-hashed \(unhashedRevisions); pages accepted \(acceptedPages); \
            offenses \(offenses.count)
            """
    }
}

/// The fuzz loop: builds each request from the examples and the server's current state, sends it, checks the
/// status, and follows the server's vector so that re-hashed revisions reach the deeper rules.
final class FuzzRun {
    let dice: Dice
    let port: Int
    let backend: any SyncBackend
    let collector: LogCollector
    let failureFolder: String
    let model: ServerModel
    let examples: [(name: String, path: String, bytes: [UInt8])]
    let exampleRevisions: [Revision]
    let origins: [PeerID]
    var statuses: [Int: Int] = [:]
    var kinds: [String: [Int: Int]] = [:]
    var offenses: [FuzzOffense] = []
    var rehashed = 0
    var unhashed = 0
    var accepted = 0
    var sent = 0
    var rawSent = 0
    let seed: UInt64
    /// `MARGIN_FUZZ_VERBOSE=1` prints every request's mutations and answer.
    let verbose = ProcessInfo.processInfo.environment["MARGIN_FUZZ_VERBOSE"] == "1"

    init(
        seed: UInt64, port: Int, backend: any SyncBackend, collector: LogCollector, failureFolder: String,
        knownPeers: [PeerID]
    ) throws {
        self.seed = seed
        let dice = Dice(seed: seed)
        self.dice = dice
        self.port = port
        self.backend = backend
        self.collector = collector
        self.failureFolder = failureFolder
        self.model = ServerModel()
        let manifest = try JSONDecoder().decode(
            ProtocolExampleTests.Manifest.self,
            from: Data(contentsOf: SyncTestSupport.examples.appendingPathComponent("exchanges.json")))
        examples = try manifest.exchanges.compactMap { exchange in
            guard let request = exchange.request else { return nil }
            let bytes = try Data(contentsOf: SyncTestSupport.examples.appendingPathComponent(request))
            return (exchange.name, exchange.path, Array(bytes))
        }
        exampleRevisions = try SyncCoding.decode(
            PushRequest.self, from: Data(contentsOf: SyncTestSupport.examples.appendingPathComponent("03-push.request.json"))
        ).revisions
        // Origins the fuzzer writes under: its own, the examples' and (as a second writer) the seeding peer's.
        var origins = (0..<3).map { _ in PeerID(rawValue: dice.hex(16)) }
        origins.append(PeerID(rawValue: "a1b2c3d4e5f60718"))
        origins.append(contentsOf: knownPeers)
        self.origins = origins
        try model.refresh(from: backend)
    }

    func run(requests: Int) throws -> FuzzResult {
        let started = Date()
        let lastRequest = failureFolder + "/last-request.http"
        print("ProtocolFuzz: the request in flight is written to \(lastRequest) (it is the culprit if the process dies)")
        for index in 0..<requests {
            let roll = dice.below(1000)
            if roll < 12 {
                rawExchange(index: index, lastRequest: lastRequest)
                continue
            }
            let planned: PlannedRequest
            switch roll {
            case ..<470: planned = rehashedPush()
            case ..<640: planned = structuralPush()
            case ..<800: planned = byteMutation()
            default: planned = syncRequest()
            }
            send(planned, index: index, lastRequest: lastRequest)
        }
        // The fixed raw-HTTP cases, once each.
        for (index, raw) in RawCases.all(port: port).enumerated() {
            sendRaw(raw, index: requests + index, lastRequest: lastRequest)
        }
        return FuzzResult(
            seed: seed, sent: sent, rawSent: rawSent, statuses: statuses, kinds: kinds, rehashedRevisions: rehashed,
            unhashedRevisions: unhashed, acceptedPages: accepted, offenses: offenses,
            seconds: Date().timeIntervalSince(started))
    }

    // MARK: Sending

    struct PlannedRequest {
        var what: String
        var method = "POST"
        var path: String
        var body: [UInt8]
        var isPush: Bool { path == SyncEndpoint.revisions }
    }

    func send(_ planned: PlannedRequest, index: Int, lastRequest: String) {
        var planned = planned
        // Now and then: another endpoint, method or token than the body is for.
        var token: String? = ProtocolFuzzTests.writeToken
        switch dice.below(100) {
        case 0: planned.path = planned.path == SyncEndpoint.sync ? SyncEndpoint.revisions : SyncEndpoint.sync
        case 1: planned.path = dice.pick(["/v1/", "/v1/sync/", "/v2/sync", "/v1/revisions?x=1", "/v1/../v1/sync", "/%00", "/v1/health"])
        case 2: planned.method = dice.pick(["GET", "PUT", "DELETE", "PATCH"])
        case 3: token = nil
        case 4: token = ProtocolFuzzTests.readToken
        case 5: token = "wrong"
        default: break
        }
        let request = RawHTTP.request(planned.method, planned.path, token: token, body: planned.body)
        _ = FileManager.default.createFile(atPath: lastRequest, contents: Data(request))
        collector.clear()
        let clock = Date()
        let answer = RawHTTP.exchange(port: port, request: request, timeout: 60)
        if verbose {
            print("ProtocolFuzz #\(index) \(planned.method) \(planned.path) [\(planned.what.prefix(160))] \(planned.body.count) B → \(answer.status.map { String($0) } ?? "none") \(answer.text.prefix(240))")
        }
        // Not an assertion (timing is not checked), but worth a look: an answer that took long.
        let elapsed = Date().timeIntervalSince(clock)
        if elapsed > 5 {
            let file = failureFolder + "/slow-\(index).http"
            _ = FileManager.default.createFile(atPath: file, contents: Data(request))
            print("ProtocolFuzz: request \(index) [\(planned.what.prefix(160))] took \(String(format: "%.1f", elapsed)) s; saved to \(file)")
        }
        sent += 1
        statuses[answer.status ?? 0, default: 0] += 1
        kinds[planned.what.components(separatedBy: ":").first ?? planned.what, default: [:]][answer.status ?? 0, default: 0] += 1
        if answer.status == nil || answer.status! >= 500 {
            record(index: index, what: planned.what, method: planned.method, path: planned.path, request: request, answer: answer)
        }
        if answer.status == 200, planned.isPush, planned.method == "POST" {
            accepted += 1
            try? model.refresh(from: backend)
        }
    }

    func record(index: Int, what: String, method: String, path: String, request: [UInt8], answer: RawHTTP.Answer) {
        let file = failureFolder + "/offense-\(index).http"
        _ = FileManager.default.createFile(atPath: file, contents: Data(request))
        let prefix = String(decoding: request.prefix(700), as: UTF8.self)
            .replacingOccurrences(of: "\r\n", with: "⏎ ")
        offenses.append(FuzzOffense(
            index: index, what: what, method: method, path: path, status: answer.status, response: answer.text,
            serverLog: collector.messages(), requestPrefix: prefix, savedTo: file))
    }

    func rawExchange(index: Int, lastRequest: String) {
        // A valid request whose head is then damaged, or one of the fixed raw cases.
        if dice.chance(0.5) {
            let cases = RawCases.all(port: port)
            sendRaw(cases[dice.below(cases.count)], index: index, lastRequest: lastRequest)
            return
        }
        let body = SyncCodingBytes.encode(SyncRequest(have: VersionVector(model.vector), limit: 1))
        var bytes = RawHTTP.request("POST", SyncEndpoint.sync, token: ProtocolFuzzTests.writeToken, body: body)
        let head = bytes.count - body.count
        for _ in 0..<(1 + dice.below(3)) {
            let at = dice.below(head)
            switch dice.below(3) {
            case 0: bytes[at] ^= UInt8(1 << dice.below(8))
            case 1: bytes[at] = dice.pick([0, 0x0A, 0x0D, 0x3A, 0x20, 0xFF, 0x7F])
            default: bytes.insert(contentsOf: dice.pick([[0x0D, 0x0A], [0x0A], [0x00], Array(" chunked".utf8)]), at: at)
            }
        }
        sendRaw(RawCase(name: "damaged head", bytes: bytes, timeout: 0.5), index: index, lastRequest: lastRequest)
    }

    func sendRaw(_ raw: RawCase, index: Int, lastRequest: String) {
        _ = FileManager.default.createFile(atPath: lastRequest, contents: Data(raw.bytes))
        collector.clear()
        let answer = RawHTTP.exchange(port: port, request: raw.bytes, timeout: raw.timeout, halfClose: raw.halfClose)
        sent += 1
        rawSent += 1
        // A raw case may get no answer (the server waits for the rest, or drops the connection): that is fine.
        // A 5xx is not.
        kinds["raw", default: [:]][answer.status ?? 0, default: 0] += 1
        if let status = answer.status {
            statuses[status, default: 0] += 1
            if status >= 500 {
                record(index: index, what: "raw: \(raw.name)", method: "RAW", path: "-", request: raw.bytes, answer: answer)
            }
        } else {
            statuses[0, default: 0] += 1
        }
    }

    // MARK: Push pages of re-hashed revisions

    func rehashedPush() -> PlannedRequest {
        var pending: [PeerID: Int64] = [:]
        var page: [Revision] = []
        var names: [String] = []
        if dice.chance(0.08), let held = model.ordered.randomElement(using: &dice.generator) {
            page.append(held)   // a duplicate first
        }
        for _ in 0..<(dice.chance(0.75) ? 1 : 2 + dice.below(2)) {
            var draft = baseDraft(pending: &pending, previous: page.last)
            let mutations = dice.pick([0, 0, 1, 1, 1, 1, 1, 2, 2, 3])
            for _ in 0..<mutations { names.append(mutate(&draft)) }
            fixUp(&draft)
            draft.revision.id = RevisionHasher.hash(of: draft.revision)
            page.append(draft.revision)
            rehashed += 1
        }
        let from = dice.chance(0.93) ? dice.pick(origins) : PeerID(rawValue: dice.pick(["x", "", "A1B2C3D4E5F60718", dice.hex(15)]))
        return PlannedRequest(
            what: "rehashed: " + (names.isEmpty ? "valid" : names.joined(separator: ",")),
            path: SyncEndpoint.revisions, body: SyncCodingBytes.encode(PushRequest(from: from, revisions: page)))
    }

    struct Draft {
        var revision: Revision
        var touched: Set<Aspect> = []
    }

    enum Aspect { case record, counter, clock, sections, parents }

    func nextCounter(_ origin: PeerID, _ pending: inout [PeerID: Int64]) -> Int64 {
        let counter = (model.vector[origin] ?? 0) &+ (pending[origin] ?? 0) &+ 1
        pending[origin, default: 0] += 1
        return counter
    }

    /// A revision the server would accept, before mutation: a new or edited annotation, a tag, an edited or new
    /// report, an unknown kind, or an example revision under another origin.
    func baseDraft(pending: inout [PeerID: Int64], previous: Revision?) -> Draft {
        let origin = dice.pick(origins)
        let counter = nextCounter(origin, &pending)
        let author = dice.pick(["李伟", "fuzz", "Zoë", "Zoe\u{308}", "", "ㄅ"])
        let createdAt = Int64(1_732_500_000_000 + dice.below(1_000_000))
        func revision(_ record: RecordID, _ kind: RecordKind, _ parents: [RevisionID], clock: Int64, body: FuzzJSON) -> Draft {
            Draft(revision: Revision(
                id: RevisionID(rawValue: ""), record: record, kind: kind, parents: parents.sorted(), origin: origin,
                counter: counter, clock: clock, author: author, createdAt: createdAt,
                body: String(decoding: body.encoded(sortingKeys: true), as: UTF8.self)))
        }
        // Often the first section known, so that tags and notes on one section meet (NFC and NFD tags side by
        // side, concurrent edits).
        let (report, section) = (dice.chance(0.4) ? model.sections.first : model.sections.randomElement(using: &dice.generator))
            ?? (RecordID(rawValue: dice.hex(32)), SectionID(rawValue: dice.hex(32)))
        // An edit of the revision just made in this page, when there is one.
        // (Only a revision new in this page: an edit of a held one is a concurrent edit, made by `branch(from:)`.)
        if let previous, model.revisions[previous.id] == nil, previous.body.utf8.count < 100_000, dice.chance(0.5) {
            let body = FuzzJSON.parse(Array(previous.body.utf8)) ?? .object([])
            return revision(previous.record, previous.kind, [previous.id], clock: previous.clock &+ 1, body: body.replacing("text", with: .string(text())))
        }
        switch dice.below(8) {
        case 0, 1:
            var body: [(key: String, value: FuzzJSON)] = [
                ("deleted", .bool(false)), ("report", .string(report.rawValue)), ("section", .string(section.rawValue)),
                ("text", .string(text())),
            ]
            if dice.chance(0.4) {
                let start = dice.below(50)
                body.append(("anchor", .object([
                    ("end", .raw(String(start + dice.below(10)))), ("prefix", .string(text())), ("quote", .string(text())),
                    ("start", .raw(String(start))), ("suffix", .string("")),
                ])))
            }
            return revision(Identity.annotation(origin: origin, counter: counter), .annotation, [], clock: 1 + Int64(dice.below(5)), body: .object(body))
        case 2:
            if let head = model.head(of: .annotation, dice: dice) {
                // An edit of the newest revision, or of an older one (a concurrent edit: merged or a conflict),
                // or a merge of two revisions of the record.
                let (base, parents) = branch(from: head)
                var body = FuzzJSON.parse(Array(base.body.utf8)) ?? .object([])
                let old: String = if case let .string(text)? = body["text"] { text } else { "" }
                body = body.replacing("text", with: .string(edited(old)))
                if dice.chance(0.15) { body = body.replacing("deleted", with: .bool(true)) }
                let clock = (parents.compactMap { model.revisions[$0]?.clock }.max() ?? 0) &+ 1
                return revision(head.record, .annotation, parents, clock: clock, body: body)
            }
            fallthrough
        case 3, 4:
            let tag = dice.pick(["重点", "review", "café", "cafe\u{301}", "한국", "\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}", "Å", "A\u{30A}", "x"])
            let record = Identity.tag(tag, on: section)
            let parents = model.heads[record].flatMap { model.revisions[$0] }.map { branch(from: $0).parents } ?? []
            let clock = (parents.compactMap { model.revisions[$0]?.clock }.max() ?? 0) &+ 1
            return revision(record, .tag, parents, clock: clock, body: .object([
                ("present", .bool(dice.chance(0.7))), ("report", .string(report.rawValue)),
                ("section", .string(section.rawValue)), ("tag", .string(tag)),
            ]))
        case 5:
            if let head = model.head(of: .report, dice: dice), var body = FuzzJSON.parse(Array(head.body.utf8)) {
                if case var .array(sections)? = body["sections"], !sections.isEmpty {
                    let index = dice.below(sections.count)
                    sections[index] = sections[index].replacing("text", with: .string(text()))
                    body = body.replacing("sections", with: .array(sections))
                }
                return revision(head.record, .report, [head.id], clock: head.clock &+ 1, body: body)
            }
            fallthrough
        case 6:
            let title = dice.pick(["新报告", "Café report", "Cafe\u{301} report", "年度工作总结", text()])
            let record = Identity.report(title: title)
            let parents = model.heads[record].map { [$0] } ?? []
            let clock = (parents.compactMap { model.revisions[$0]?.clock }.max() ?? 0) &+ 1
            var sections: [FuzzJSON] = [self.section(level: 0, label: "", heading: "", parent: nil, id: "p")]
            for index in 1...(1 + dice.below(5)) {
                let level = index == 1 ? 1 : 1 + dice.below(2)
                let parent = level == 1 ? "p" : "s1"
                sections.append(self.section(
                    level: level, label: dice.pick(["一、", "（一）", "1、", ""]), heading: dice.pick(["主要工作", "é", "e\u{301}", "工作", ""]),
                    parent: dice.chance(0.9) ? parent : nil, id: "s\(index)"))
            }
            let body = Self.rederivingSections(of: .object([("sections", .array(sections)), ("title", .string(title))]), report: record)
            return revision(record, .report, parents, clock: clock, body: body)
        default:
            if dice.chance(0.5), var example = exampleRevisions.randomElement(using: &dice.generator) {
                example.origin = origin
                example.counter = counter
                if example.kind == .annotation { example.record = Identity.annotation(origin: origin, counter: counter) }
                if let head = model.heads[example.record], let parent = model.revisions[head] {
                    example.parents = [head]
                    example.clock = parent.clock &+ 1
                }
                return Draft(revision: example)
            }
            let kind = RecordKind(rawValue: dice.pick(["widget", "x-note", "comment_v2", "bookmark"]))
            let record = dice.chance(0.5) ? RecordID(rawValue: dice.hex(32)) : RecordID(rawValue: "fuzz-\(dice.below(4))")
            let parents = model.heads[record].map { [$0] } ?? []
            let clock = (parents.compactMap { model.revisions[$0]?.clock }.max() ?? 0) &+ 1
            return revision(record, kind, parents, clock: clock, body: .object([("note", .string(text())), ("x", .raw("1"))]))
        }
    }

    /// The revision to edit and the parents of the edit: the head (most often), an older revision of the same
    /// record (a concurrent edit), or two of its revisions (a merge).
    func branch(from head: Revision) -> (base: Revision, parents: [RevisionID]) {
        let history = (model.byRecord[head.record] ?? []).compactMap { model.revisions[$0] }
        // Only records whose texts are all short (see the note on long strings in `mutate`).
        guard history.count > 1, history.allSatisfy({ $0.body.utf8.count < 8_000 }) else { return (head, [head.id]) }
        switch dice.below(10) {
        case 0, 1, 2:
            let older = dice.pick(history)
            return (older, [older.id])
        case 3:
            let first = dice.pick(history)
            let second = dice.pick(history.filter { $0.id != first.id })
            return (first, [first.id, second.id].sorted())
        default:
            return (head, [head.id])
        }
    }

    /// A small edit of a text, by Unicode scalars (so that it may split a combining sequence).
    func edited(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        let piece = Array(self.text().unicodeScalars)
        switch dice.below(4) {
        case 0: scalars.insert(contentsOf: piece, at: dice.below(scalars.count + 1))
        case 1 where !scalars.isEmpty:
            let start = dice.below(scalars.count)
            scalars.removeSubrange(start..<min(scalars.count, start + 1 + dice.below(4)))
        case 2 where !scalars.isEmpty:
            let start = dice.below(scalars.count)
            scalars.replaceSubrange(start..<min(scalars.count, start + 1 + dice.below(4)), with: piece)
        default: scalars = piece
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    func section(level: Int, label: String, heading: String, parent: String?, id: String) -> FuzzJSON {
        var members: [(key: String, value: FuzzJSON)] = [
            ("heading", .string(heading)), ("id", .string(id)), ("label", .string(label)), ("level", .raw(String(level))),
            ("text", .string(label + heading + "\n" + text())),
        ]
        if let parent { members.append(("parent", .string(parent))) }
        return .object(members)
    }

    func text() -> String {
        dice.pick([
            "需要补充具体数据。", "全年完成各项任务", "é", "e\u{301}", "Ångström A\u{30A}ngstro\u{308}m", "tab\there", "line\nbreak",
            "", " ", "\u{FEFF}bom", "🎓 emoji", "\u{202E}rtl", "한국어", "\u{1112}\u{1161}\u{11AB}", "a\"quote\\", "</script>",
        ])
    }

    /// One revision-level mutation; returns its name.
    func mutate(_ draft: inout Draft) -> String {
        var revision = draft.revision
        defer { draft.revision = revision }
        // Reports get section-tree changes half of the time, notes anchor changes a quarter of the time.
        let operation = revision.kind == .report && dice.chance(0.5) ? 12
            : revision.kind == .annotation && dice.chance(0.25) ? 13 : dice.below(13)
        // Control characters and NFD forms go into one string of the body, or into all of them.
        let everyString = dice.chance(0.4)
        func changingStrings(_ body: FuzzJSON, _ change: (String) -> String) -> FuzzJSON {
            if everyString { return body.mappingStrings(change) }
            let nodes = body.preorder()
            let strings = nodes.indices.filter { if case .string = nodes[$0] { true } else { false } }
            guard let index = strings.randomElement(using: &dice.generator), case let .string(text) = nodes[index] else { return body }
            return body.replacingNode(at: index, with: .string(change(text)))
        }
        switch operation {
        case 0, 1:
            // A structural change somewhere inside the body.
            if var body = FuzzJSON.parse(Array(revision.body.utf8)) {
                let name = JSONMutator(dice: dice).mutate(&body)
                revision.body = String(decoding: body.encoded(sortingKeys: dice.chance(0.8)), as: UTF8.self)
                if name.contains("sections") { draft.touched.insert(.sections) }
                return "body " + name
            }
            return "body unparsable"
        case 2:
            let (name, body) = rawBody(revision.body)
            revision.body = body
            return "raw body " + name
        case 3:
            // Control characters in every string of the revision (or in one).
            let control = dice.pick(["\u{0}", "\u{1}", "\u{1F}", "\n", "\t", "\r"])
            switch dice.below(4) {
            case 0: revision.author = insert(control, into: revision.author)
            case 1: revision.record = RecordID(rawValue: insert(control, into: revision.record.rawValue)); draft.touched.insert(.record)
            default:
                if var body = FuzzJSON.parse(Array(revision.body.utf8)) {
                    body = changingStrings(body) { self.insert(control, into: $0) }
                    revision.body = String(decoding: body.encoded(sortingKeys: true), as: UTF8.self)
                }
            }
            return "control \(control.unicodeScalars.first!.value)"
        case 4:
            // NFD (and NFC) forms: in the body's strings, the author, or the record id.
            switch dice.below(3) {
            case 0: revision.author = nfd(revision.author) + "e\u{301}"
            case 1: revision.record = RecordID(rawValue: revision.record.rawValue + "e\u{301}"); draft.touched.insert(.record)
            default:
                if var body = FuzzJSON.parse(Array(revision.body.utf8)) {
                    body = changingStrings(body) { nfd($0 + " é") }
                    revision.body = String(decoding: body.encoded(sortingKeys: true), as: UTF8.self)
                }
            }
            return "nfd"
        case 5:
            let long = longString()
            switch dice.below(3) {
            case 0: revision.author = long
            default:
                if var body = FuzzJSON.parse(Array(revision.body.utf8)) {
                    // A long note text is kept out of edits, which may meet a concurrent edit: merging long texts
                    // takes time quadratic in their length (reported), which would only make this test slow.
                    let key = revision.kind == .annotation && !revision.parents.isEmpty
                        ? "x-long" : dice.pick(["text", "title", "tag", "note", "heading"])
                    if body[key] != nil || key == "x-long" {
                        body = body.replacing(key, with: .string(long))
                    } else if case var .array(sections)? = body["sections"], !sections.isEmpty {
                        let index = dice.below(sections.count)
                        sections[index] = sections[index].replacing(dice.pick(["text", "heading", "label"]), with: .string(long))
                        body = body.replacing("sections", with: .array(sections))
                    } else {
                        body = body.replacing("text", with: .string(long))
                    }
                    revision.body = String(decoding: body.encoded(sortingKeys: true), as: UTF8.self)
                }
            }
            return "long \(long.utf8.count)"
        case 6:
            let value = dice.pick(Self.boundaryIntegers)
            switch dice.below(3) {
            case 0: revision.counter = value; draft.touched.insert(.counter)
            case 1: revision.clock = value; draft.touched.insert(.clock)
            default: revision.createdAt = value
            }
            return "integer \(value)"
        case 7:
            draft.touched.insert(.counter)
            if dice.chance(0.5) {
                revision.counter = revision.counter &+ 1 &+ Int64(dice.below(3))
                return "counter gap"
            }
            revision.counter = max(1, revision.counter &- 1 &- Int64(dice.below(3)))
            return "counter reused"
        case 8:
            draft.touched.insert(.parents)
            let held = model.ordered
            switch dice.below(7) {
            case 0:
                if let other = held.randomElement(using: &dice.generator) { revision.parents.append(other.id) }
                revision.parents.sort(by: >)
                return "parents unsorted"
            case 1:
                if let first = revision.parents.first ?? held.randomElement(using: &dice.generator)?.id {
                    revision.parents = [first, first]
                }
                return "parents duplicated"
            case 2:
                revision.parents = (revision.parents + [RevisionID(rawValue: dice.hex(64))]).sorted()
                return "parent unknown"
            case 3:
                revision.parents = [RevisionID(rawValue: dice.pick(["", "xyz", dice.hex(64).uppercased(), dice.hex(63), dice.hex(64) + "e\u{301}"]))]
                return "parent malformed"
            case 4:
                if let other = held.randomElement(using: &dice.generator) { revision.parents = [other.id] }
                return "parent of another record"
            case 5:
                revision.parents = (0..<(200 + dice.below(100))).map { _ in RevisionID(rawValue: dice.hex(64)) }.sorted()
                return "many parents"
            default:
                revision.parents = []
                return "parents dropped"
            }
        case 9:
            let kind = dice.pick(["widget", "report", "annotation", "tag", "Report", "", "1kind", "k\u{0}", String(repeating: "k", count: 33), "tag\u{301}"])
            revision.kind = RecordKind(rawValue: kind)
            return "kind \(kind.debugDescription)"
        case 10:
            draft.touched.insert(.record)
            let held = model.ordered
            switch dice.below(4) {
            case 0: revision.record = held.randomElement(using: &dice.generator)?.record ?? revision.record
            case 1: revision.record = RecordID(rawValue: dice.pick(["", "UPPER", "a/b", String(repeating: "a", count: 65), "café"]))
            default: revision.record = RecordID(rawValue: dice.hex(32))
            }
            return "record"
        case 11:
            revision.origin = PeerID(rawValue: dice.pick(["", "A1B2C3D4E5F60718", dice.hex(15), dice.hex(17), "a1b2c3d4e5f6071\u{0}", "ａ1b2c3d4e5f60718"]))
            return "origin"
        case 13:
            // Anchors at the edges of the integer range, past the end of the text, empty, reversed.
            guard var body = FuzzJSON.parse(Array(revision.body.utf8)) else { return "anchor (no body)" }
            let big = RevisionLimits.maximumInteger
            let (start, end) = dice.pick([
                (Int64(0), big), (big, big), (big - 1, big), (5, 5), (1 << 31, (1 << 31) + 1), (0, 0), (3, 2),
                (-1, 2), (0, 1 << 40),
            ])
            body = body.replacing("anchor", with: .object([
                ("end", .raw(String(end))), ("prefix", .string(dice.pick(["", "前文", "e\u{301}"]))),
                ("quote", .string(dice.pick(["", "全面", "é", "e\u{301}", text()]))), ("start", .raw(String(start))),
                ("suffix", .string(dice.pick(["", "后文", "\u{301}"]))),
            ]))
            revision.body = String(decoding: body.encoded(sortingKeys: true), as: UTF8.self)
            return "anchor \(start)…\(end)"
        default:
            // Section-tree changes to a report body.
            guard var body = FuzzJSON.parse(Array(revision.body.utf8)), case var .array(sections)? = body["sections"], !sections.isEmpty else {
                return "sections (none)"
            }
            draft.touched.insert(.sections)
            let index = dice.below(sections.count)
            let name: String
            switch dice.below(7) {
            case 0:
                sections[index] = sections[index].replacing("level", with: .raw(dice.pick(["1000000000", "9", "-1", "0", "1.5", "1e308"])))
                name = "section level"
            case 1:
                sections.insert(sections[index], at: min(sections.count, index + 1 + dice.below(2)))
                name = "duplicate section id"
            case 2:
                let other = sections[dice.below(sections.count)]["id"] ?? .null
                sections[index] = sections[index].replacing("id", with: other)
                name = "section id reused"
            case 3:
                sections[index] = sections[index].replacing("parent", with: dice.pick([
                    .string(dice.hex(32)), sections[index]["id"] ?? .null, sections.last?["id"] ?? .null, .null, .raw("7"),
                ]))
                name = "section parent"
            case 4:
                sections.reverse()
                name = "sections reversed"
            case 5:
                sections = dice.chance(0.5) ? [] : Array(repeating: sections.last!, count: 1 + dice.below(dice.chance(0.8) ? 50 : 3000))
                name = "sections count"
            default:
                sections[index] = sections[index].replacing("id", with: .string(dice.hex(32) + dice.pick(["", "é", "e\u{301}", "X"])))
                name = "section id"
            }
            body = body.replacing("sections", with: .array(sections))
            revision.body = String(decoding: body.encoded(sortingKeys: true), as: UTF8.self)
            return name
        }
    }

    /// Makes derived identities, counters and clocks consistent again (for aspects no mutation touched), most of
    /// the time, so that the revision passes the earlier rules and reaches the later ones.
    func fixUp(_ draft: inout Draft) {
        guard dice.chance(0.8) else { return }
        var revision = draft.revision
        let body = revision.kind == .tag || revision.kind == .report ? FuzzJSON.parse(Array(revision.body.utf8)) : nil
        if !draft.touched.contains(.record) {
            if revision.kind == .tag, case let .string(tag)? = body?["tag"], case let .string(section)? = body?["section"] {
                revision.record = Identity.tag(tag, on: SectionID(rawValue: section))
            }
            if revision.kind == .annotation, revision.parents.isEmpty {
                revision.record = Identity.annotation(origin: revision.origin, counter: revision.counter)
            }
        }
        if revision.kind == .report, !draft.touched.contains(.sections), revision.body.utf8.count < 200_000, let body {
            revision.body = String(decoding: Self.rederivingSections(of: body, report: revision.record).encoded(sortingKeys: true), as: UTF8.self)
        }
        if !draft.touched.contains(.clock) {
            let parentClocks = revision.parents.compactMap { model.revisions[$0]?.clock }
            if let highest = parentClocks.max(), revision.clock <= highest { revision.clock = highest &+ 1 }
        }
        draft.revision = revision
    }

    /// Gives each section the id its report and chain of headings derive, remapping parents
    /// (`Protocol/PROTOCOL.md` §3.4).
    static func rederivingSections(of body: FuzzJSON, report: RecordID) -> FuzzJSON {
        guard case let .array(sections)? = body["sections"] else { return body }
        var newIDs: [String: String] = [:]
        var paths: [String: [String]] = [:]
        var counts: [[[UInt8]]: Int] = [:]   // paths compared by bytes, never by canonical equivalence (§6.2)
        var result: [FuzzJSON] = []
        for (index, section) in sections.enumerated() {
            guard case .object = section else { result.append(section); continue }
            let oldID: String? = if case let .string(id)? = section["id"] { id } else { nil }
            var section = section
            let id: String
            var path: [String] = []
            if index == 0 {
                id = Identity.preamble(report: report).rawValue
            } else {
                var parentPath: [String] = []
                if case let .string(parent)? = section["parent"] {
                    let mapped = newIDs[parent] ?? parent
                    section = section.replacing("parent", with: .string(mapped))
                    parentPath = paths[mapped] ?? []
                }
                let heading: String = if case let .string(text)? = section["heading"] { text } else { "" }
                let label: String = if case let .string(text)? = section["label"] { text } else { "" }
                path = parentPath + [heading.isEmpty ? label : heading]
                let key = path.map { Array($0.utf8) }
                let occurrence = (counts[key] ?? 0) + 1
                counts[key] = occurrence
                id = Identity.section(report: report, headingPath: path, occurrence: occurrence).rawValue
            }
            section = section.replacing("id", with: .string(id))
            if let oldID, newIDs[oldID] == nil { newIDs[oldID] = id }
            paths[id] = path
            result.append(section)
        }
        return body.replacing("sections", with: .array(result))
    }

    func rawBody(_ body: String) -> (String, String) {
        switch dice.below(12) {
        case 0: return ("not json", "not a body")
        case 1: return ("truncated", String(decoding: Array(body.utf8.prefix(dice.below(max(1, body.utf8.count)))), as: UTF8.self))
        case 2: return ("array", "[]")
        case 3: return ("null", "null")
        case 4: return ("duplicate key", body.hasPrefix("{") ? "{\"text\":\"a\",\"text\":\"b\"," + body.dropFirst() : body)
        case 5:
            let depth = dice.pick([31, 32, 33, 200, 5000])
            return ("deep \(depth)", "{\"x\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}")
        case 6: return ("lone surrogate", body.hasPrefix("{") ? "{\"z\":\"\\ud800\"," + body.dropFirst() : body)
        case 7: return ("raw control", body.replacingOccurrences(of: "\":\"", with: "\":\"\u{1}"))
        case 8: return ("bom", "\u{FEFF}" + body)
        case 9: return ("trailing", body + dice.pick([" x", "}", "\u{0}", ",", " "]))
        case 10: return ("empty", "")
        default: return ("number escape", body.replacingOccurrences(of: "\"level\":1", with: "\"level\":1.0e0"))
        }
    }

    func insert(_ piece: String, into text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        scalars.insert(contentsOf: piece.unicodeScalars, at: dice.below(scalars.count + 1))
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    func longString() -> String {
        let bytes = dice.pick([5_000, 5_000, 70_000, 70_000, 300_000, 1_000_000])
        // Newlines and tabs are escaped on the wire; StrictJSON is quadratic in escapes (reported), so long texts
        // full of them would only make this test slow.
        let pattern = dice.pick(bytes > 70_000 ? ["长文本", "abcdefgh", "e\u{301}", "🎓"] : ["长文本", "abcdefgh", "e\u{301}", "a\n\t", "🎓"])
        return String(repeating: pattern, count: bytes / pattern.utf8.count + 1)
    }

    static let boundaryIntegers: [Int64] = [
        0, -1, 1, 1 << 31, (1 << 31) - 1, 9_007_199_254_740_991, 9_007_199_254_740_992, Int64.max, Int64.min,
    ]

    // MARK: Structural and byte mutations of whole requests

    func structuralPush() -> PlannedRequest {
        var tree: FuzzJSON
        if dice.chance(0.4) {
            let example = dice.pick(examples.filter { $0.path == SyncEndpoint.revisions })
            tree = FuzzJSON.parse(example.bytes) ?? .object([])
        } else {
            var pending: [PeerID: Int64] = [:]
            var draft = baseDraft(pending: &pending, previous: nil)
            fixUp(&draft)
            draft.revision.id = RevisionHasher.hash(of: draft.revision)
            tree = FuzzJSON.parse(SyncCodingBytes.encode(PushRequest(from: draft.revision.origin, revisions: [draft.revision]))) ?? .object([])
        }
        if case let .array(revisions)? = tree["revisions"] { unhashed += revisions.count }
        let mutator = JSONMutator(dice: dice)
        let names = (0..<(1 + dice.below(3))).map { _ in mutator.mutate(&tree) }
        return PlannedRequest(
            what: "structural: " + names.joined(separator: ","), path: SyncEndpoint.revisions,
            body: tree.encoded(sortingKeys: dice.chance(0.5)))
    }

    func syncRequest() -> PlannedRequest {
        var tree: FuzzJSON
        if dice.chance(0.3) {
            let example = dice.pick(examples.filter { $0.path == SyncEndpoint.sync })
            tree = FuzzJSON.parse(example.bytes) ?? .object([])
        } else {
            // Mostly a vector close to the server's, so that answers stay small.
            var have = model.vector
            if let origin = have.keys.randomElement(using: &dice.generator), dice.chance(0.7) {
                have[origin] = max(0, have[origin]! - Int64(dice.below(5)))
            }
            if dice.chance(0.1) { have = [:] }
            var members: [(key: String, value: FuzzJSON)] = [
                ("protocol", .raw("1")),
                ("have", .object(have.sorted { $0.key < $1.key }.map { (key: $0.key.rawValue, value: FuzzJSON.raw(String($0.value))) })),
            ]
            if dice.chance(0.6) { members.append(("limit", .raw(String(dice.pick([0, 1, 2, 50, 5000]))))) }
            if dice.chance(0.4) { members.append(("maxBytes", .raw(String(dice.pick([1, 100, 65536, 4_194_304]))))) }
            if dice.chance(0.3) { members.append(("origin", .string(dice.pick(origins).rawValue))) }
            tree = .object(members)
        }
        let mutator = JSONMutator(dice: dice)
        let names = (0..<dice.below(4)).map { _ in mutator.mutate(&tree) }
        return PlannedRequest(
            what: "sync: " + (names.isEmpty ? "valid" : names.joined(separator: ",")), path: SyncEndpoint.sync,
            body: tree.encoded(sortingKeys: false))
    }

    func byteMutation() -> PlannedRequest {
        let example = dice.pick(examples)
        var bytes = example.bytes
        if example.path == SyncEndpoint.revisions, let tree = FuzzJSON.parse(bytes), case let .array(revisions)? = tree["revisions"] {
            unhashed += revisions.count
        }
        var names: [String] = []
        for _ in 0..<(1 + dice.below(4)) {
            guard !bytes.isEmpty else { break }
            let at = dice.below(bytes.count)
            switch dice.below(7) {
            case 0: bytes[at] ^= UInt8(1 << dice.below(8)); names.append("flip")
            case 1: bytes = Array(bytes.prefix(at)); names.append("truncate")
            case 2: bytes[at] = UInt8(truncatingIfNeeded: dice.below(256)); names.append("byte")
            case 3:
                bytes.removeSubrange(at..<min(bytes.count, at + 1 + dice.below(16)))
                names.append("delete")
            case 4:
                let span = Array(bytes[at..<min(bytes.count, at + 1 + dice.below(32))])
                bytes.insert(contentsOf: span, at: at)
                names.append("duplicate")
            case 5:
                bytes.insert(contentsOf: dice.pick([[0x00], [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], Array("\\u0000".utf8), Array("\\ud800".utf8), [0x5D], [0x7D], [0x22], [0x2C]]), at: at)
                names.append("insert")
            default:
                // A digit run becomes a boundary number.
                if let digit = bytes[at...].firstIndex(where: { (0x30...0x39).contains($0) }) {
                    var end = digit
                    while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
                    bytes.replaceSubrange(digit..<end, with: Array(dice.pick(JSONMutator.boundaryNumbers).utf8))
                }
                names.append("number")
            }
        }
        return PlannedRequest(what: "bytes: \(example.name) " + names.joined(separator: ","), path: example.path, body: bytes)
    }
}

/// What the fuzzer knows of the server's store, refreshed from it after every accepted page.
final class ServerModel {
    var vector: [PeerID: Int64] = [:]
    var revisions: [RevisionID: Revision] = [:]
    var ordered: [Revision] = []
    var heads: [RecordID: RevisionID] = [:]
    var byRecord: [RecordID: [RevisionID]] = [:]
    var sections: [(RecordID, SectionID)] = []

    func refresh(from backend: any SyncBackend) throws {
        while true {
            let have = VersionVector(vector)
            let page = try Self.waiting { try await backend.page(missingFrom: have, limit: 1000, maxBytes: .max) }
            for revision in page.revisions {
                vector[revision.origin] = max(vector[revision.origin] ?? 0, revision.counter)
                guard revisions[revision.id] == nil else { continue }
                revisions[revision.id] = revision
                ordered.append(revision)
                heads[revision.record] = revision.id
                byRecord[revision.record, default: []].append(revision.id)
                if revision.kind == .report, let body = FuzzJSON.parse(Array(revision.body.utf8)),
                   case let .array(list)? = body["sections"]
                {
                    for section in list.prefix(20) {
                        if case let .string(id)? = section["id"] { sections.append((revision.record, SectionID(rawValue: id))) }
                    }
                }
            }
            if !page.more || page.revisions.isEmpty { break }
        }
    }

    /// Runs async work from the fuzz loop's own thread (not one of Swift concurrency's), waiting for its outcome.
    static func waiting<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { outcome.set(.success(try await body())) } catch { outcome.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try outcome.get()
    }

    /// One task's outcome, handed to the thread that waits for it.
    final class Outcome<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<T, any Error>?
        func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }
        func get() throws -> T { try lock.withLock { result! }.get() }
    }

    /// A record's newest known revision, to edit: only records whose newest revision is small, so that making
    /// an edit stays cheap.
    func head(of kind: RecordKind, dice: Dice) -> Revision? {
        let candidates = ordered.filter { $0.kind == kind }
        guard let pick = candidates.randomElement(using: &dice.generator),
              let head = heads[pick.record].flatMap({ revisions[$0] }), head.body.utf8.count < 100_000
        else { return nil }
        return head
    }
}

// MARK: - JSON trees

/// A JSON value that keeps member order, allows repeated keys, and can hold any text verbatim (numbers such as
/// `1e308`, escapes such as `\ud800`), so that the fuzzer can write what no encoder would.
indirect enum FuzzJSON {
    case object([(key: String, value: FuzzJSON)])
    case array([FuzzJSON])
    case string(String)
    case raw(String)
    case bool(Bool)
    case null

    init(_ value: JSONValue) {
        switch value {
        case let .object(members): self = .object(members.map { (key: $0.key, value: FuzzJSON($0.value)) })
        case let .array(items): self = .array(items.map(FuzzJSON.init))
        case let .string(text): self = .string(text)
        case let .integer(number): self = .raw(String(number))
        case let .number(text): self = .raw(text)
        case let .bool(flag): self = .bool(flag)
        case .null: self = .null
        }
    }

    /// Parses with ``StrictJSON``; nil for text that is not strict JSON, and for text with more than 20,000
    /// escapes (StrictJSON takes time quadratic in the escapes of one string; see the fuzz report).
    static func parse(_ bytes: [UInt8]) -> FuzzJSON? {
        guard bytes.lazy.filter({ $0 == UInt8(ascii: "\\") }).count <= 20_000 else { return nil }
        return (try? StrictJSON.parse(String(decoding: bytes, as: UTF8.self), maximumDepth: 64)).map(FuzzJSON.init)
    }

    subscript(key: String) -> FuzzJSON? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.key.unicodeScalars.elementsEqual(key.unicodeScalars) }?.value
    }

    /// The object with `key` set to `value` (added when absent).
    func replacing(_ key: String, with value: FuzzJSON) -> FuzzJSON {
        guard case var .object(members) = self else { return self }
        if let index = members.firstIndex(where: { $0.key.unicodeScalars.elementsEqual(key.unicodeScalars) }) {
            members[index].value = value
        } else {
            members.append((key, value))
        }
        return .object(members)
    }

    func mappingStrings(_ change: (String) -> String) -> FuzzJSON {
        switch self {
        case let .object(members): .object(members.map { (key: $0.key, value: $0.value.mappingStrings(change)) })
        case let .array(items): .array(items.map { $0.mappingStrings(change) })
        case let .string(text): .string(change(text))
        default: self
        }
    }

    var nodeCount: Int {
        switch self {
        case let .object(members): 1 + members.reduce(0) { $0 + $1.value.nodeCount }
        case let .array(items): 1 + items.reduce(0) { $0 + $1.nodeCount }
        default: 1
        }
    }

    /// Every node, in pre-order (the indexes of ``node(at:)`` and ``replacingNode(at:with:)``).
    func preorder() -> [FuzzJSON] {
        var nodes: [FuzzJSON] = []
        func visit(_ node: FuzzJSON) {
            nodes.append(node)
            switch node {
            case let .object(members): for member in members { visit(member.value) }
            case let .array(items): for item in items { visit(item) }
            default: break
            }
        }
        visit(self)
        return nodes
    }

    /// The node at a pre-order index.
    func node(at target: Int) -> FuzzJSON? {
        var counter = 0
        return find(target, &counter)
    }

    private func find(_ target: Int, _ counter: inout Int) -> FuzzJSON? {
        if counter == target { return self }
        counter += 1
        switch self {
        case let .object(members):
            for member in members { if let found = member.value.find(target, &counter) { return found } }
        case let .array(items):
            for item in items { if let found = item.find(target, &counter) { return found } }
        default: break
        }
        return nil
    }

    /// The tree with the node at a pre-order index replaced.
    func replacingNode(at target: Int, with replacement: FuzzJSON) -> FuzzJSON {
        var counter = 0
        return replace(target, replacement, &counter)
    }

    private func replace(_ target: Int, _ replacement: FuzzJSON, _ counter: inout Int) -> FuzzJSON {
        if counter == target {
            counter += nodeCount
            return replacement
        }
        counter += 1
        switch self {
        case let .object(members):
            return .object(members.map { (key: $0.key, value: $0.value.replace(target, replacement, &counter)) })
        case let .array(items):
            return .array(items.map { $0.replace(target, replacement, &counter) })
        default:
            return self
        }
    }

    func encoded(sortingKeys: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        write(into: &bytes, sortingKeys: sortingKeys)
        return bytes
    }

    private func write(into bytes: inout [UInt8], sortingKeys: Bool) {
        switch self {
        case let .object(members):
            bytes.append(UInt8(ascii: "{"))
            let ordered = sortingKeys ? members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } : members
            for (index, member) in ordered.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.value.write(into: &bytes, sortingKeys: sortingKeys)
            }
            bytes.append(UInt8(ascii: "}"))
        case let .array(items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                item.write(into: &bytes, sortingKeys: sortingKeys)
            }
            bytes.append(UInt8(ascii: "]"))
        case let .string(text): Self.writeString(text, into: &bytes)
        case let .raw(text): bytes.append(contentsOf: text.utf8)
        case let .bool(flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// Generic structural mutations of a JSON tree: deleted, duplicated and retyped members, boundary numbers, control
/// characters and NFD forms in strings, very long strings, unknown fields.
struct JSONMutator {
    let dice: Dice

    static let boundaryNumbers = [
        "0", "-1", "2147483648", "9007199254740991", "9007199254740992", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "1e308", "1.5", "-0", "1E400", "1000000000",
    ]

    func mutate(_ tree: inout FuzzJSON) -> String {
        let count = tree.nodeCount
        switch dice.below(10) {
        case 0, 1:
            // Delete, duplicate or add a member of some object.
            guard let (index, members) = pickObject(tree) else { return "no object" }
            var changed = members
            let name: String
            switch dice.below(4) {
            case 0 where !changed.isEmpty:
                let removed = changed.remove(at: dice.below(changed.count))
                name = "delete \(removed.key)"
            case 1 where !changed.isEmpty:
                let member = changed[dice.below(changed.count)]
                let key = dice.chance(0.7) ? member.key : nfd(member.key) + (dice.chance(0.5) ? "" : "\u{301}")
                changed.insert((key, dice.chance(0.5) ? member.value : retyped(member.value)), at: dice.below(changed.count + 1))
                name = "duplicate \(member.key)"
            case 2:
                changed.append(("é", .raw("1")))
                changed.append(("e\u{301}", .raw("2")))
                name = "canonical twin keys"
            default:
                let key = dice.pick(["x-unknown", "sections", "protocol", "revisions", "", "\u{0}", "have", "anchor", "pages"])
                changed.append((key, randomValue()))
                name = "unknown field \(key.debugDescription)"
            }
            tree = tree.replacingNode(at: index, with: .object(changed))
            return name
        case 2, 3:
            let index = dice.below(count)
            guard let node = tree.node(at: index) else { return "none" }
            tree = tree.replacingNode(at: index, with: retyped(node))
            return "retype"
        case 4:
            let index = dice.below(count)
            tree = tree.replacingNode(at: index, with: .raw(dice.pick(Self.boundaryNumbers)))
            return "boundary"
        case 5:
            let control = dice.pick(["\u{0}", "\u{1}", "\u{1F}"])
            tree = tree.mappingStrings { $0 + control }
            return "control in every string"
        case 6:
            tree = tree.mappingStrings { nfd($0) + (self.dice.chance(0.3) ? "e\u{301}" : "") }
            return "nfd"
        case 7:
            let nodes = tree.preorder()
            let strings = nodes.indices.filter { if case .string = nodes[$0] { true } else { false } }
            guard let index = strings.randomElement(using: &dice.generator) else { return "no string" }
            let length = dice.pick([10_000, 200_000, 1_000_000])
            tree = tree.replacingNode(at: index, with: .string(String(repeating: dice.pick(["a", "é", "长"]), count: length / 3)))
            return "long string"
        case 8:
            // Sections: huge level, repeated ids, unknown or unsorted parents, wherever a body is an object string.
            let nodes = tree.preorder()
            let strings = nodes.indices.filter { if case .string(let text) = nodes[$0] { text.hasPrefix("{") } else { false } }
            guard let index = strings.randomElement(using: &dice.generator), case let .string(text)? = tree.node(at: index),
                  var body = FuzzJSON.parse(Array(text.utf8)) else { return "no body" }
            let name = JSONMutator(dice: dice).mutate(&body)
            tree = tree.replacingNode(at: index, with: .string(String(decoding: body.encoded(sortingKeys: true), as: UTF8.self)))
            return "in body: " + name
        default:
            let index = dice.below(count)
            guard let node = tree.node(at: index) else { return "none" }
            tree = tree.replacingNode(at: index, with: dice.chance(0.5) ? .array([node, node]) : .object([("value", node)]))
            return "wrap"
        }
    }

    func pickObject(_ tree: FuzzJSON) -> (Int, [(key: String, value: FuzzJSON)])? {
        let objects = tree.preorder().enumerated().compactMap { index, node -> (Int, [(key: String, value: FuzzJSON)])? in
            if case let .object(members) = node { return (index, members) }
            return nil
        }
        return objects.randomElement(using: &dice.generator)
    }

    func retyped(_ value: FuzzJSON) -> FuzzJSON {
        switch dice.below(6) {
        case 0: .string(dice.pick(["", "1", "null", "é", "e\u{301}", "\u{0}"]))
        case 1: .raw(dice.pick(Self.boundaryNumbers))
        case 2: .array(dice.chance(0.5) ? [] : [value])
        case 3: .null
        case 4: .object(dice.chance(0.5) ? [] : [("value", value)])
        default: .bool(dice.chance(0.5))
        }
    }

    func randomValue() -> FuzzJSON {
        retyped(.string("x"))
    }
}

/// The NFD form of a string (very long strings only get a decomposed "é" appended: decomposing a megabyte is slow).
func nfd(_ text: String) -> String {
    text.utf8.count > 100_000 ? text + "e\u{301}" : text.decomposedStringWithCanonicalMapping
}

// MARK: - Randomness

/// SplitMix64: small, fast, and the same sequence on every platform for a seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The one source of randomness of a run.
final class Dice {
    var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(state: seed) }

    func below(_ bound: Int) -> Int { Int(generator.next() % UInt64(max(1, bound))) }

    func chance(_ probability: Double) -> Bool { Double(generator.next() >> 11) / Double(1 << 53) < probability }

    func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    func hex(_ digits: Int) -> String {
        let alphabet = Array("0123456789abcdef")
        return String((0..<digits).map { _ in alphabet[below(16)] })
    }
}

enum SyncCodingBytes {
    static func encode(_ message: some Encodable) -> [UInt8] {
        Array((try? SyncCoding.encode(message)) ?? Data())
    }
}

// MARK: - Server log

/// Collects the server's error-level log lines, to show next to a 5xx (internal errors are logged, not sent).
final class LogCollector: Sendable {
    private let lines = NSLockedBox<[String]>([])

    func append(_ line: String) { lines.mutate { if $0.count < 50 { $0.append(line) } } }
    func clear() { lines.mutate { $0.removeAll() } }
    func messages() -> [String] { lines.mutate { $0 } }
}

final class NSLockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func mutate<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

struct CollectingLogHandler: LogHandler {
    let collector: LogCollector
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .error
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        collector.append("[\(event.level)] \(event.message)")
    }
}

// MARK: - Raw HTTP over a TCP socket

/// One hand-written exchange: bytes sent as they are, read with a short timeout, then the connection is closed.
struct RawCase {
    var name: String
    var bytes: [UInt8]
    var timeout: Double
    var halfClose = false
}

enum RawCases {
    static func all(port: Int) -> [RawCase] {
        let host = "Host: 127.0.0.1:\(port)\r\nAuthorization: Bearer \(ProtocolFuzzTests.writeToken)\r\n"
        let json = #"{"protocol":2,"have":{},"limit":1}"#
        func raw(_ name: String, _ text: String, timeout: Double = 0.5, halfClose: Bool = false) -> RawCase {
            RawCase(name: name, bytes: Array(text.utf8), timeout: timeout, halfClose: halfClose)
        }
        return [
            raw("chunked: bad size", "POST /v1/sync HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nzz\r\n\(json)\r\n0\r\n\r\n"),
            raw("chunked: size overflow", "POST /v1/sync HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n\(json)\r\n0\r\n\r\n"),
            raw("chunked: no last chunk", "POST /v1/sync HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n\(String(json.utf8.count, radix: 16))\r\n\(json)\r\n"),
            raw("chunked: data longer than size", "POST /v1/sync HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n3\r\n\(json)\r\n0\r\n\r\n"),
            raw("chunked: missing CRLF", "POST /v1/revisions HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\n{\"pro0\r\n\r\n"),
            raw("chunked: valid", "POST /v1/sync HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n\(String(json.utf8.count, radix: 16))\r\n\(json)\r\n0\r\n\r\n", timeout: 10),
            raw("chunked: closed mid-body", "POST /v1/revisions HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n400\r\n{\"protocol\":2,", halfClose: true),
            raw("content-length: larger than body", "POST /v1/sync HTTP/1.1\r\n\(host)Content-Length: 500\r\n\r\n\(json)"),
            raw("content-length: larger, then closed", "POST /v1/revisions HTTP/1.1\r\n\(host)Content-Length: 500\r\n\r\n\(json)", halfClose: true),
            raw("content-length: smaller than body", "POST /v1/sync HTTP/1.1\r\n\(host)Content-Length: 10\r\n\r\n\(json)"),
            raw("content-length: negative", "POST /v1/sync HTTP/1.1\r\n\(host)Content-Length: -1\r\n\r\n\(json)"),
            raw("content-length: not a number", "POST /v1/sync HTTP/1.1\r\n\(host)Content-Length: abc\r\n\r\n\(json)"),
            raw("content-length: huge", "POST /v1/revisions HTTP/1.1\r\n\(host)Content-Length: 99999999999999999999\r\n\r\n\(json)"),
            raw("content-length: 2^63-1", "POST /v1/revisions HTTP/1.1\r\n\(host)Content-Length: 9223372036854775807\r\n\r\n\(json)"),
            raw("content-length: twice, differing", "POST /v1/sync HTTP/1.1\r\n\(host)Content-Length: 5\r\nContent-Length: \(json.utf8.count)\r\n\r\n\(json)"),
            raw("content-length and chunked", "POST /v1/sync HTTP/1.1\r\n\(host)Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n\(String(json.utf8.count, radix: 16))\r\n\(json)\r\n0\r\n\r\n"),
            raw("headers: unterminated", "POST /v1/sync HTTP/1.1\r\n\(host)Content-Le"),
            raw("headers: unterminated, then closed", "POST /v1/sync HTTP/1.1\r\n\(host)X-Long: \(String(repeating: "a", count: 1000))", halfClose: true),
            raw("headers: 100 KB line", "POST /v1/sync HTTP/1.1\r\n\(host)X-Long: \(String(repeating: "b", count: 100_000))\r\nContent-Length: \(json.utf8.count)\r\n\r\n\(json)", timeout: 2),
            raw("headers: bare LF", "POST /v1/sync HTTP/1.1\n\(host.replacingOccurrences(of: "\r\n", with: "\n"))Content-Length: \(json.utf8.count)\n\n\(json)"),
            raw("headers: NUL in value", "POST /v1/sync HTTP/1.1\r\n\(host)X-Nul: a\u{0}b\r\nContent-Length: \(json.utf8.count)\r\n\r\n\(json)"),
            raw("request line: garbage", "\u{0}\u{1}GARBAGE \u{7F}\r\n\r\n"),
            raw("request line: HTTP/1.0 without Host", "POST /v1/sync HTTP/1.0\r\nContent-Length: \(json.utf8.count)\r\n\r\n\(json)", timeout: 5),
            raw("request line: HTTP/9.9", "POST /v1/sync HTTP/9.9\r\n\(host)Content-Length: \(json.utf8.count)\r\n\r\n\(json)"),
            raw("request line: absolute URI", "POST http://127.0.0.1:\(port)/v1/sync HTTP/1.1\r\n\(host)Content-Length: \(json.utf8.count)\r\nConnection: close\r\n\r\n\(json)", timeout: 5),
            raw("expect 100-continue, no body", "POST /v1/revisions HTTP/1.1\r\n\(host)Expect: 100-continue\r\nContent-Length: 100\r\n\r\n"),
            raw("pipelined with a bad second request", "POST /v1/sync HTTP/1.1\r\n\(host)Content-Length: \(json.utf8.count)\r\n\r\n\(json)POST /v1/sync HTTP/1.1\r\nContent-Length: x\r\n\r\n"),
            raw("not HTTP", "\u{16}\u{3}\u{1}\u{0}\u{a5}\u{1}\u{0}\u{0}\u{a1}\u{3}\u{3}"),
            raw("empty, closed", "", halfClose: true),
        ]
    }
}

enum RawHTTP {
    struct Answer {
        var status: Int?
        var body: [UInt8]
        var text: String { String(decoding: body.prefix(2000), as: UTF8.self) }
    }

    static func request(_ method: String, _ path: String, token: String? = nil, body: [UInt8]? = nil) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        return Array((head + "\r\n").utf8) + (body ?? [])
    }

    /// Connects to 127.0.0.1:`port`, sends `request` while reading, and returns the response as soon as it is whole
    /// (a server may answer before it has read the whole body, e.g. 401 or 413), or what there is once the server
    /// closes or `timeout` seconds pass without progress either way. Always closes the connection.
    static func exchange(port: Int, request: [UInt8], timeout: Double, halfClose: Bool = false) -> Answer {
        #if os(Linux)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let noSignal = Int32(MSG_NOSIGNAL)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        let noSignal: Int32 = 0
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        guard descriptor >= 0 else { return Answer(status: nil, body: Array("socket() failed".utf8)) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return Answer(status: nil, body: Array("connect() failed: errno \(errno)".utf8)) }
        var offset = 0
        var sending = true
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let milliseconds = Int32(max(1, timeout * 1000))
        func finishSending() {
            sending = false
            if halfClose { shutdown(descriptor, Int32(SHUT_WR)) }
        }
        if request.isEmpty { finishSending() }
        while true {
            var events = Int16(POLLIN)
            if sending { events |= Int16(POLLOUT) }
            var watched = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&watched, 1, milliseconds)
            if ready == 0 { break }   // no progress for `timeout`: give up
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if watched.revents & Int16(POLLOUT) != 0, sending {
                let size = min(request.count - offset, 64 * 1024)
                let written = request.withUnsafeBytes {
                    send(descriptor, $0.baseAddress! + offset, size, noSignal | Int32(MSG_DONTWAIT))
                }
                if written > 0 {
                    offset += written
                    if offset == request.count { finishSending() }
                } else if errno != EAGAIN && errno != EWOULDBLOCK {
                    sending = false   // the server stopped reading (it may have answered already)
                }
            }
            if watched.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, Int32(MSG_DONTWAIT)) }
                if count > 0 {
                    received.append(contentsOf: chunk[0..<count])
                    if let answer = parse(received, complete: false) { return answer }
                } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                    break   // closed by the server
                }
            }
        }
        return parse(received, complete: true) ?? Answer(status: nil, body: received)
    }

    /// The response in `bytes` once it is whole (or, when the connection ended, whatever status line there is).
    static func parse(_ bytes: [UInt8], complete: Bool) -> Answer? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.firstRange(of: separator) else {
            return complete ? status(of: bytes).map { Answer(status: $0, body: []) } : nil
        }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        guard let code = status(of: Array(lines[0].utf8)) else { return complete ? Answer(status: nil, body: bytes) : nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = Array(bytes[end.upperBound...])
        if code == 100 {
            // An interim answer: the real one follows.
            return complete ? Answer(status: code, body: body) : nil
        }
        if let length = headers["content-length"].flatMap(Int.init) {
            if body.count >= length { return Answer(status: code, body: Array(body.prefix(length))) }
            return complete ? Answer(status: code, body: body) : nil
        }
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            if let decoded = dechunk(body) { return Answer(status: code, body: decoded) }
            return complete ? Answer(status: code, body: body) : nil
        }
        return complete ? Answer(status: code, body: body) : nil
    }

    static func status(of line: [UInt8]) -> Int? {
        let text = String(decoding: line.prefix(64), as: UTF8.self)
        guard text.hasPrefix("HTTP/") else { return nil }
        let parts = text.split(separator: " ", maxSplits: 2)
        return parts.count >= 2 ? Int(parts[1].prefix(3)) : nil
    }

    /// A whole chunked body, decoded; nil while it is incomplete.
    static func dechunk(_ bytes: [UInt8]) -> [UInt8]? {
        var decoded: [UInt8] = []
        var position = 0
        while true {
            guard let lineEnd = bytes[position...].firstRange(of: [13, 10]) else { return nil }
            let sizeText = String(decoding: bytes[position..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else { return nil }
            position = lineEnd.upperBound
            if size == 0 { return decoded }
            guard bytes.count >= position + size + 2 else { return nil }
            decoded.append(contentsOf: bytes[position..<position + size])
            position += size + 2
        }
    }
}
