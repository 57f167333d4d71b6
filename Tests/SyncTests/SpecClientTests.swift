import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MarginStore
import SyncServer
import Testing

// A client written from Protocol/PROTOCOL.md alone: its own canonical JSON, hash text, derived identities and
// anchors, plain HTTP and JSONSerialization. Nothing below the line "The spec client" uses the project's types;
// the project is only used to start a server and, at the end, to read what a real store pulled.

// MARK: - The spec client

/// Canonical JSON (PROTOCOL.md §4).
indirect enum SpecJSON {
    case object([(String, SpecJSON)])
    case array([SpecJSON])
    case string(String)
    case integer(Int64)
    case bool(Bool)

    /// An object; members whose value is nil (absent optionals) are omitted.
    static func object(_ members: KeyValuePairs<String, SpecJSON?>) -> SpecJSON {
        .object(members.compactMap { key, value in value.map { (key, $0) } })
    }

    /// The canonical text.
    var text: String {
        var out = String.UnicodeScalarView()
        write(into: &out)
        return String(out)
    }

    private func write(into out: inout String.UnicodeScalarView) {
        switch self {
        case let .object(members):
            out.append("{")
            let sorted = members.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { out.append(",") }
                Self.writeString(member.0, into: &out)
                out.append(":")
                member.1.write(into: &out)
            }
            out.append("}")
        case let .array(elements):
            out.append("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(",") }
                element.write(into: &out)
            }
            out.append("]")
        case let .string(text):
            Self.writeString(text, into: &out)
        case let .integer(value):
            out.append(contentsOf: String(value).unicodeScalars)
        case let .bool(value):
            out.append(contentsOf: (value ? "true" : "false").unicodeScalars)
        }
    }

    private static func writeString(_ text: String, into out: inout String.UnicodeScalarView) {
        out.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out.append(contentsOf: "\\\"".unicodeScalars)
            case 0x5C: out.append(contentsOf: "\\\\".unicodeScalars)
            case 0x08: out.append(contentsOf: "\\b".unicodeScalars)
            case 0x09: out.append(contentsOf: "\\t".unicodeScalars)
            case 0x0A: out.append(contentsOf: "\\n".unicodeScalars)
            case 0x0C: out.append(contentsOf: "\\f".unicodeScalars)
            case 0x0D: out.append(contentsOf: "\\r".unicodeScalars)
            case 0x00..<0x20:
                let hex = String(scalar.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            default: out.append(scalar)
            }
        }
        out.append("\"")
    }
}

/// SHA-256 and the derived identities (PROTOCOL.md §3.4).
enum SpecIdentity {
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    static func digest(_ parts: [String]) -> String {
        String(sha256Hex(Array(parts.joined(separator: "\u{1F}").utf8)).prefix(32))
    }

    static func report(title: String, occurrence: Int = 1) -> String { digest(["report", title, String(occurrence)]) }
    static func preamble(report: String) -> String { digest(["preamble", report]) }
    static func section(report: String, path: [String], occurrence: Int) -> String {
        digest(["section", report] + path + [String(occurrence)])
    }
    static func tag(_ tag: String, section: String) -> String { digest(["tag", section, tag]) }
    static func annotation(origin: String, counter: Int64) -> String { digest(["annotation", origin, String(counter)]) }

    /// A fresh random peer id: 16 lowercase hex digits.
    static func newPeer() -> String {
        let hex = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Signatures (PROTOCOL.md "Signatures"): each origin's revisions form a hash chain, and an Ed25519 key signs the
/// chain at a counter, vouching for every revision up to it.
struct SpecSigner {
    let key = Curve25519.Signing.PrivateKey()
    private var chains: [String: (counter: Int64, chain: [UInt8])] = [:]

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    static func bytes(ofHex text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static func start(_ origin: String) -> [UInt8] { Array(SHA256.hash(data: Array("marginalia-chain-1\norigin \(origin)".utf8))) }

    static func extend(_ chain: [UInt8], _ id: String) -> [UInt8] { Array(SHA256.hash(data: chain + bytes(ofHex: id))) }

    static func statement(origin: String, counter: Int64, chain: [UInt8]) -> [UInt8] {
        Array("marginalia-signature-1\norigin \(origin)\ncounter \(counter)\nchain \(hex(chain))".utf8)
    }

    /// The `signatures` of a page: one per origin, over its chain at its last revision in the page.
    mutating func signatures(for page: [SpecRevision]) throws -> [[String: Any]] {
        var order: [String] = []
        for revision in page {
            let head = chains[revision.origin] ?? (0, Self.start(revision.origin))
            guard revision.counter == head.counter + 1 else { continue }
            chains[revision.origin] = (revision.counter, Self.extend(head.chain, revision.id))
            if !order.contains(revision.origin) { order.append(revision.origin) }
        }
        return try order.map { origin in
            let head = chains[origin]!
            let signature = try key.signature(for: Self.statement(origin: origin, counter: head.counter, chain: head.chain))
            return [
                "origin": origin, "counter": NSNumber(value: head.counter),
                "key": Self.hex(key.publicKey.rawRepresentation), "signature": Self.hex(signature),
            ]
        }
    }
}

/// Checks the signatures of pulled pages as a receiver does: carries each origin's chain over the page and the
/// proof's tail, and verifies the proof's signature over it.
struct SpecVerifier {
    private var chains: [String: [UInt8]] = [:]

    mutating func verify(page revisions: [SpecRevision], signatures: [[String: Any]]) -> Bool {
        var advanced: [String: [UInt8]] = [:]
        for revision in revisions {
            advanced[revision.origin] = SpecSigner.extend(
                advanced[revision.origin] ?? chains[revision.origin] ?? SpecSigner.start(revision.origin), revision.id)
        }
        for (origin, chain) in advanced {
            guard let proof = signatures.first(where: { $0["origin"] as? String == origin }),
                let counter = SpecHTTP.integer(proof["counter"]), let keyHex = proof["key"] as? String,
                let signatureHex = proof["signature"] as? String,
                let key = try? Curve25519.Signing.PublicKey(rawRepresentation: SpecSigner.bytes(ofHex: keyHex))
            else { return false }
            let tail = (proof["tail"] as? [String]) ?? []
            let signed = tail.reduce(chain, SpecSigner.extend)
            guard key.isValidSignature(
                SpecSigner.bytes(ofHex: signatureHex), for: SpecSigner.statement(origin: origin, counter: counter, chain: signed))
            else { return false }
            chains[origin] = chain
        }
        return true
    }
}

/// One section of a report as a writer describes it; ids are derived by ``SpecReport``.
struct SpecSection {
    var level: Int
    var label: String
    var heading: String
    var text: String
    /// Index of the enclosing section; nil for the preamble and for top-level sections written without a parent.
    var parent: Int?
}

/// A report body built as §3.3 and §3.4 say: section ids from the report id, the heading paths and occurrences.
struct SpecReport {
    let id: String
    let title: String
    let sections: [SpecSection]
    let sectionIDs: [String]

    init(title: String, sections: [SpecSection]) {
        self.init(id: SpecIdentity.report(title: title), title: title, sections: sections)
    }

    init(id: String, title: String, sections: [SpecSection]) {
        self.id = id
        self.title = title
        self.sections = sections
        var ids: [String] = []
        var paths: [[String]] = []
        var occurrences: [[String]: Int] = [:]
        for (index, section) in sections.enumerated() {
            if index == 0 {
                ids.append(SpecIdentity.preamble(report: id))
                paths.append([])
                continue
            }
            let path = (section.parent.map { paths[$0] } ?? []) + [section.heading.isEmpty ? section.label : section.heading]
            let occurrence = (occurrences[path] ?? 0) + 1
            occurrences[path] = occurrence
            ids.append(SpecIdentity.section(report: id, path: path, occurrence: occurrence))
            paths.append(path)
        }
        sectionIDs = ids
    }

    var body: String {
        SpecJSON.object([
            "title": .string(title),
            "sections": .array(sections.enumerated().map { index, section in
                SpecJSON.object([
                    "id": .string(sectionIDs[index]),
                    "level": .integer(Int64(section.level)),
                    "label": .string(section.label),
                    "heading": .string(section.heading),
                    "text": .string(section.text),
                    "parent": section.parent.map { .string(sectionIDs[$0]) },
                ])
            }),
        ]).text
    }
}

/// An anchor (§3.3): offsets in Unicode scalars, up to 32 scalars of context on each side.
struct SpecAnchor {
    var quote: String
    var prefix: String
    var suffix: String
    var start: Int
    var end: Int

    /// Anchors to the first occurrence of `quote` in `text`.
    init?(quote: String, in text: String) {
        let haystack = Array(text.unicodeScalars)
        let needle = Array(quote.unicodeScalars)
        guard !needle.isEmpty, needle.count <= haystack.count,
            let start = (0...(haystack.count - needle.count)).first(where: { Array(haystack[$0..<($0 + needle.count)]) == needle })
        else { return nil }
        let end = start + needle.count
        self.quote = quote
        self.start = start
        self.end = end
        prefix = String(String.UnicodeScalarView(haystack[max(0, start - 32)..<start]))
        suffix = String(String.UnicodeScalarView(haystack[end..<min(haystack.count, end + 32)]))
    }

    var json: SpecJSON {
        .object([
            "quote": .string(quote), "prefix": .string(prefix), "suffix": .string(suffix),
            "start": .integer(Int64(start)), "end": .integer(Int64(end)),
        ])
    }
}

/// A revision (§3.1) with the hash of §5.
struct SpecRevision: Equatable {
    var id: String
    var record: String
    var kind: String
    var parents: [String]
    var origin: String
    var counter: Int64
    var clock: Int64
    var author: String
    var createdAt: Int64
    var body: String

    /// Makes a revision whose id is its hash. `parents` are taken as given (a writer sorts them ascending).
    init(record: String, kind: String, parents: [String] = [], origin: String, counter: Int64, clock: Int64,
         author: String = "规范客户端", createdAt: Int64 = 1_750_000_000_000, body: String) {
        self.id = ""
        self.record = record
        self.kind = kind
        self.parents = parents
        self.origin = origin
        self.counter = counter
        self.clock = clock
        self.author = author
        self.createdAt = createdAt
        self.body = body
        self.id = computedID
    }

    /// The hash text of §5, as bytes.
    var hashText: [UInt8] {
        var text = "marginalia-revision-1\n"
        text += "record \(record)\n"
        text += "kind \(kind)\n"
        for parent in parents { text += "parent \(parent)\n" }
        text += "origin \(origin)\n"
        text += "counter \(counter)\n"
        text += "clock \(clock)\n"
        text += "author \(author.utf8.count) \(author)\n"
        text += "created \(createdAt)\n"
        text += "body \(body.utf8.count) \(body)"
        return Array(text.utf8)
    }

    var computedID: String { SpecIdentity.sha256Hex(hashText) }

    /// The revision as a JSON object for JSONSerialization.
    var wire: [String: Any] {
        [
            "id": id, "record": record, "kind": kind, "parents": parents, "origin": origin,
            "counter": NSNumber(value: counter), "clock": NSNumber(value: clock), "author": author,
            "createdAt": NSNumber(value: createdAt), "body": body,
        ]
    }

    /// Reads a revision from a decoded JSON object.
    init?(wire object: Any) {
        guard let object = object as? [String: Any],
            let id = object["id"] as? String, let record = object["record"] as? String,
            let kind = object["kind"] as? String, let parents = object["parents"] as? [String],
            let origin = object["origin"] as? String, let counter = SpecHTTP.integer(object["counter"]),
            let clock = SpecHTTP.integer(object["clock"]), let author = object["author"] as? String,
            let createdAt = SpecHTTP.integer(object["createdAt"]), let body = object["body"] as? String
        else { return nil }
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

    /// Field by field, strings compared by their UTF-8 bytes (never by canonical equivalence).
    static func == (lhs: SpecRevision, rhs: SpecRevision) -> Bool {
        func same(_ a: String, _ b: String) -> Bool { Array(a.utf8) == Array(b.utf8) }
        return same(lhs.id, rhs.id) && same(lhs.record, rhs.record) && same(lhs.kind, rhs.kind)
            && lhs.parents.map { Array($0.utf8) } == rhs.parents.map { Array($0.utf8) } && same(lhs.origin, rhs.origin)
            && lhs.counter == rhs.counter && lhs.clock == rhs.clock && same(lhs.author, rhs.author)
            && lhs.createdAt == rhs.createdAt && same(lhs.body, rhs.body)
    }
}

/// Plain HTTP + JSON (§2).
struct SpecHTTP {
    let base: String
    let token: String?
    let session: URLSession

    struct Answer {
        var status: Int
        var data: Data
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:] }
        var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
        var text: String { String(decoding: data, as: UTF8.self) }
    }

    func get(_ path: String) async throws -> Answer {
        try await send(URLRequest(url: URL(string: base + path)!))
    }

    func post(_ path: String, _ object: [String: Any]) async throws -> Answer {
        try await post(path, raw: try JSONSerialization.data(withJSONObject: object))
    }

    func post(_ path: String, raw: Data) async throws -> Answer {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = "POST"
        request.httpBody = raw
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        return try await send(request)
    }

    private func send(_ request: URLRequest) async throws -> Answer {
        var request = request
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await session.data(for: request)
        return Answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, data: data)
    }

    static func integer(_ value: Any?) -> Int64? {
        switch value {
        case let number as Int: Int64(number)
        case let number as Int64: number
        case let number as NSNumber: number.int64Value
        default: nil
        }
    }

    static func vector(_ value: Any?) -> [String: Int64]? {
        guard let object = value as? [String: Any] else { return nil }
        var vector: [String: Int64] = [:]
        for (key, value) in object {
            guard let counter = integer(value) else { return nil }
            vector[key] = counter
        }
        return vector
    }
}

// MARK: - Tests

@Suite struct SpecClientTests {
    static let protocolText = SyncTestSupport.packageRoot.appendingPathComponent("Protocol/PROTOCOL.md")

    static func exampleRevisions() throws -> [SpecRevision] {
        let data = try Data(contentsOf: SyncTestSupport.examples.appendingPathComponent("03-push.request.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["revisions"] as? [Any]).compactMap(SpecRevision.init(wire:))
    }

    /// The spec's worked values, reproduced from the spec's rules: identities, canonical bodies, hashes.
    @Test func theWorkedExamplesFollowFromTheSpec() throws {
        let examples = try Self.exampleRevisions()
        try #require(examples.count == 3)
        let origin = "a1b2c3d4e5f60718"
        let report = SpecReport(title: "2024年度工作总结", sections: [
            SpecSection(level: 0, label: "", heading: "", text: "2024年度工作总结", parent: nil),
            SpecSection(level: 1, label: "一、", heading: "主要工作", text: "一、主要工作\n全年完成各项任务。", parent: 0),
        ])
        #expect(report.id == "86e9c7fd5f509a1aa7d9321be6466559")
        #expect(report.sectionIDs == ["e5850af2c4e4c341450ba2d814661c2a", "60b8c66c40ce00a82ffb2ab6f5a99f92"])
        let section = report.sectionIDs[1]
        let annotationBody = SpecJSON.object([
            "report": .string(report.id), "section": .string(section), "text": .string("需要补充具体数据。"),
            "anchor": nil, "deleted": .bool(false),
        ]).text
        let tagBody = SpecJSON.object([
            "report": .string(report.id), "section": .string(section), "tag": .string("重点"), "present": .bool(true),
        ]).text
        let rebuilt = [
            SpecRevision(record: report.id, kind: "report", origin: origin, counter: 1, clock: 1, author: "李伟",
                         createdAt: 1_732_500_000_000, body: report.body),
            SpecRevision(record: SpecIdentity.annotation(origin: origin, counter: 2), kind: "annotation", origin: origin,
                         counter: 2, clock: 2, author: "李伟", createdAt: 1_732_500_060_000, body: annotationBody),
            SpecRevision(record: SpecIdentity.tag("重点", section: section), kind: "tag", origin: origin, counter: 3,
                         clock: 3, author: "李伟", createdAt: 1_732_500_120_000, body: tagBody),
        ]
        // Byte for byte the example revisions: same canonical bodies, same derived records, same ids.
        #expect(rebuilt == examples)
        for example in examples { #expect(example.computedID == example.id) }

        // The hash example of §5, with this client's hasher.
        let tag = rebuilt[2]
        #expect(tag.id == "dcbfc26b8be7ef39600eea25282e9b30b05b8ee9d56e344a1f4f33b058aaa2ff")
        let spec = try String(contentsOf: Self.protocolText, encoding: .utf8)
        #expect(spec.contains(String(decoding: tag.hashText, as: UTF8.self)))
        #expect(spec.contains("hashes to `\(tag.id)`"))
        // The identities table of §3.4.
        for value in [report.id, report.sectionIDs[0], section, rebuilt[1].record, rebuilt[2].record] {
            #expect(spec.contains(value), "PROTOCOL.md lacks \(value)")
        }
        // §3.3's anchor example: offsets in scalars, not UTF-16 units.
        let anchor = try #require(SpecAnchor(quote: "总体", in: "😀一、总体情况"))
        #expect(anchor.start == 3 && anchor.end == 5)
    }

    /// §4 says canonical JSON is exactly what Foundation's JSONEncoder writes with sorted keys and unescaped
    /// slashes: every escape, and the key order.
    @Test func canonicalJSONIsWhatFoundationsEncoderWrites() throws {
        var everything = String.UnicodeScalarView()
        for value in 0..<0x20 { everything.append(Unicode.Scalar(UInt8(value))) }
        everything.append(contentsOf: "\u{7F}\u{80}\u{9F}\u{2028}\u{2029}\u{FEFF}/\"\\é😀重点<>&'e\u{301}".unicodeScalars)
        let text = String(everything)
        let keys = ["b", "a", "B", "Z", "_x", "a-", "a_", "aa", "a10", "a9", "é", "e\u{301}x", "f", "\u{FF21}", "\u{10000}"]
        var mine: [(String, SpecJSON)] = keys.map { ($0, .integer(1)) }
        mine.append(("text", .string(text)))
        var theirs: [String: String] = Dictionary(uniqueKeysWithValues: keys.map { ($0, "1") })
        theirs["text"] = text
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let foundation = String(decoding: try encoder.encode(theirs), as: UTF8.self)
            .replacingOccurrences(of: "\"1\"", with: "1")
        #expect(Array(SpecJSON.object(mine).text.utf8) == Array(foundation.utf8))
        #expect(SpecJSON.object([
            "s": .string("\u{0}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F}\u{7F}\u{2028}/"), "n": .integer(-0), "t": .bool(true), "o": nil,
        ]).text == "{\"n\":0,\"s\":\"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\u{7F}\u{2028}/\",\"t\":true}")
    }

    /// Writes a report, an annotation and a tag as a new origin, breaks each rule once, pulls everything back and
    /// lets a real store pull it: all over HTTP on 127.0.0.1, with only what PROTOCOL.md says.
    @Test func aSpecOnlyClientInteroperatesWithARealServerAndStore() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let access = SyncAccess(writeTokens: ["spec-write"], readTokens: ["spec-read"])
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        try await SyncTestSupport.withServer(hub, access: access) { server in
            let http = SpecHTTP(base: server.url, token: "spec-write", session: session)
            try await Self.exchange(http, reader: SpecHTTP(base: server.url, token: "spec-read", session: session), url: server.url)
        }
    }

    static func exchange(_ http: SpecHTTP, reader readOnly: SpecHTTP, url: String) async throws {
        let me = SpecIdentity.newPeer()

        // Health, then a vector-only sync that also asks about my identity: the server holds nothing of mine.
        let health = try await http.get("/v1/health")
        #expect(health.status == 200)
        #expect(SpecHTTP.integer(health.json["protocol"]) == 2)
        var signer = SpecSigner()
        var answer = try await http.post("/v1/sync", ["protocol": 2, "have": [String: Any](), "limit": 0, "origin": me])
        try #require(answer.status == 200, "\(answer.text)")
        #expect((answer.json["revisions"] as? [Any])?.isEmpty == true)
        #expect(answer.json["more"] as? Bool == false)
        #expect(answer.json["originHead"] == nil)
        #expect((SpecHTTP.integer(answer.json["maxBodyBytes"]) ?? 0) >= 8 * 1024 * 1024 + 64 * 1024)
        let serverPeer = try #require(answer.json["peer"] as? String)
        #expect(serverPeer.utf8.count == 16 && serverPeer.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })

        // A report: preamble, two top-level sections with the same heading (occurrences 1 and 2), a child, and a
        // top-level section without a heading (its label is its path) and without a parent.
        let title = "规范客户端测试报告"
        let sectionText = "一、总体情况\n😀今年全面完成校舍重建，师资队伍稳步壮大。"
        let report = SpecReport(title: title, sections: [
            SpecSection(level: 0, label: "", heading: "", text: "总体要求：坚持\"稳中求进\"，路径 a/b\\c。\t附表见后。", parent: nil),
            SpecSection(level: 1, label: "一、", heading: "总体情况", text: sectionText, parent: 0),
            SpecSection(level: 2, label: "（一）", heading: "师资建设", text: "（一）师资建设\n新招聘教师120名。", parent: 1),
            SpecSection(level: 1, label: "二、", heading: "", text: "二、\n其他事项。", parent: nil),
            SpecSection(level: 1, label: "三、", heading: "总体情况", text: "三、总体情况\n标题重复的一节。", parent: 0),
        ])
        let ids = report.sectionIDs
        #expect(ids[1] == SpecIdentity.section(report: report.id, path: ["总体情况"], occurrence: 1))
        #expect(ids[4] == SpecIdentity.section(report: report.id, path: ["总体情况"], occurrence: 2))
        #expect(ids[3] == SpecIdentity.section(report: report.id, path: ["二、"], occurrence: 1))
        let section = ids[1]
        let anchor = try #require(SpecAnchor(quote: "全面完成校舍重建", in: sectionText))
        #expect(anchor.start == 10 && anchor.end == 18)  // 😀 is one scalar (two UTF-16 units)
        let annotationID = SpecIdentity.annotation(origin: me, counter: 2)
        func annotationBody(_ text: String, extra: SpecJSON? = nil) -> String {
            SpecJSON.object([
                "report": .string(report.id), "section": .string(section), "text": .string(text),
                "anchor": anchor.json, "deleted": .bool(false), "mood": extra,
            ]).text
        }
        func tagBody(_ tag: String, on section: String, present: Bool = true) -> String {
            SpecJSON.object([
                "report": .string(report.id), "section": .string(section), "tag": .string(tag), "present": .bool(present),
            ]).text
        }
        let r1 = SpecRevision(record: report.id, kind: "report", origin: me, counter: 1, clock: 1, body: report.body)
        let r2 = SpecRevision(record: annotationID, kind: "annotation", origin: me, counter: 2, clock: 2,
                              body: annotationBody("值得对比"))
        let r3 = SpecRevision(record: SpecIdentity.tag("重点", section: section), kind: "tag", origin: me, counter: 3,
                              clock: 3, body: tagBody("重点", on: section))
        // An edit: the annotation's head as parent, the next clock, and a field this version does not know.
        let r4 = SpecRevision(record: annotationID, kind: "annotation", parents: [r2.id], origin: me, counter: 4,
                              clock: 4, body: annotationBody("值得与去年对比", extra: .string("👍")))
        let mine = [r1, r2, r3, r4]
        let signatures = try signer.signatures(for: mine)

        // Unsigned, the page is refused (422 unsigned_revision); signed, it is stored.
        answer = try await http.post("/v1/revisions", ["protocol": 2, "from": me, "revisions": mine.map(\.wire)])
        #expect(answer.status == 422 && answer.error["code"] as? String == "unsigned_revision", "\(answer.text)")
        answer = try await http.post(
            "/v1/revisions", ["protocol": 2, "from": me, "revisions": mine.map(\.wire), "signatures": signatures])
        try #require(answer.status == 200, "\(answer.text)")
        #expect(SpecHTTP.integer(answer.json["accepted"]) == 4)
        #expect(SpecHTTP.integer(answer.json["duplicates"]) == 0)
        #expect(SpecHTTP.vector(answer.json["have"])?[me] == 4)

        // The same page again is harmless.
        answer = try await http.post(
            "/v1/revisions", ["protocol": 2, "from": me, "revisions": mine.map(\.wire), "signatures": signatures])
        #expect(answer.status == 200)
        #expect(SpecHTTP.integer(answer.json["accepted"]) == 0)
        #expect(SpecHTTP.integer(answer.json["duplicates"]) == 4)

        // A kind this version does not know, with a non-canonical body: kept verbatim. Relayed by a third peer
        // before its author's key is known, it is refused (403 unknown_key); pushed by its author, it is stored.
        let other = SpecIdentity.newPeer()
        var otherSigner = SpecSigner()
        let unknown = SpecRevision(record: "bookmark-1", kind: "bookmark", origin: other, counter: 1, clock: 5,
                                   body: "{ \"section\": \"\(section)\", \"at\": 3 }")
        let otherSignatures = try otherSigner.signatures(for: [unknown])
        answer = try await http.post(
            "/v1/revisions",
            ["protocol": 2, "from": SpecIdentity.newPeer(), "revisions": [unknown.wire], "signatures": otherSignatures])
        #expect(answer.status == 403 && answer.error["code"] as? String == "unknown_key", "\(answer.text)")
        answer = try await http.post(
            "/v1/revisions", ["protocol": 2, "from": other, "revisions": [unknown.wire], "signatures": otherSignatures])
        #expect(answer.status == 200, "\(answer.text)")
        #expect(SpecHTTP.integer(answer.json["accepted"]) == 1)

        // Every rule broken once, each in a page of its own, with a correct hash unless the hash is the point.
        try await expectRejections(http, me: me, report: report, r2: r2, r3: r3, r4: r4, tagBody: tagBody)

        // Nothing of those pages was stored.
        answer = try await http.post("/v1/sync", ["protocol": 2, "have": [me: 4, other: 1], "limit": 0])
        #expect(answer.status == 200)
        #expect(SpecHTTP.vector(answer.json["have"]) == [me: 4, other: 1])
        #expect(answer.json["more"] as? Bool == false)
        #expect((answer.json["revisions"] as? [Any])?.isEmpty == true)

        // Malformed messages are 400s: vector keys and `from` must be peer ids, counters within 0…2^53 − 1.
        for (path, body) in [
            ("/v1/sync", ["protocol": 2, "have": ["not-a-peer": 1]] as [String: Any]),
            ("/v1/sync", ["protocol": 2, "have": [me: NSNumber(value: Int64(9_007_199_254_740_992))]]),
            ("/v1/sync", ["protocol": 2, "have": [String: Any](), "origin": "ME"]),
            ("/v1/revisions", ["protocol": 2, "from": "someone", "revisions": [r1.wire]]),
        ] {
            let rejected = try await http.post(path, body)
            #expect(rejected.status == 400, "\(path) \(body): \(rejected.text)")
            #expect(rejected.error["code"] as? String == "malformed_request")
        }
        let truncated = try await http.post("/v1/sync", raw: Data("{\"protocol\": 2, \"have\": {".utf8))
        #expect(truncated.status == 400)

        // Store identity: the server's newest revision of my origin is my r4.
        answer = try await http.post("/v1/sync", ["protocol": 2, "have": [me: 4, other: 1], "origin": me])
        let head = try #require(answer.json["originHead"] as? [String: Any], "no originHead in \(answer.text)")
        #expect(SpecHTTP.integer(head["counter"]) == 4)
        #expect(head["id"] as? String == r4.id)

        // Pull everything with a read-only token, two revisions a page, and check each revision byte for byte.
        var pulled: [SpecRevision] = []
        var have: [String: Int64] = [:]
        var pages = 0
        var verifier = SpecVerifier()
        while true {
            let page = try await readOnly.post("/v1/sync", ["protocol": 2, "have": have.mapValues { NSNumber(value: $0) }, "limit": 2])
            try #require(page.status == 200, "\(page.text)")
            let revisions = try #require(page.json["revisions"] as? [Any]).compactMap(SpecRevision.init(wire:))
            #expect(revisions.count <= 2)
            for revision in revisions {
                #expect(revision.computedID == revision.id, "\(revision.id) does not hash as §5 says")
                #expect(revision.counter == (have[revision.origin] ?? 0) + 1, "counters arrive gap-free")
                have[revision.origin] = revision.counter
            }
            let pageSignatures = (page.json["signatures"] as? [[String: Any]]) ?? []
            let verified = verifier.verify(page: revisions, signatures: pageSignatures)
            #expect(verified, "signatures of page \(pages + 1): \(page.text)")
            let serverHave = try #require(SpecHTTP.vector(page.json["have"]))
            #expect(have.allSatisfy { serverHave[$0.key, default: 0] >= $0.value })
            pulled += revisions
            pages += 1
            if page.json["more"] as? Bool != true { break }
            try #require(pages < 10)
        }
        #expect(pages == 3)
        #expect(pulled == mine + [unknown])

        // A real store pulls what this client wrote and shows it.
        try await expectRealStoreShows(
            url: url, report: report, annotationID: annotationID, anchor: anchor, unknown: unknown,
            vector: [me: 4, other: 1])
    }

    /// Each broken rule gets 422 with the code, the revision and the rule §6.4 names, and stores nothing.
    static func expectRejections(
        _ http: SpecHTTP, me: String, report: SpecReport, r2: SpecRevision, r3: SpecRevision, r4: SpecRevision,
        tagBody: (String, String, Bool) -> String
    ) async throws {
        let section = report.sectionIDs[2]
        let tagRecord = SpecIdentity.tag("复核", section: section)
        func tag(counter: Int64 = 5, author: String = "规范客户端", createdAt: Int64 = 1_750_000_000_000,
                 record: String? = nil, body: String? = nil) -> SpecRevision {
            SpecRevision(record: record ?? tagRecord, kind: "tag", origin: me, counter: counter, clock: 5, author: author,
                         createdAt: createdAt, body: body ?? tagBody("复核", section, true))
        }
        func edit(parents: [String], clock: Int64 = 5) -> SpecRevision {
            SpecRevision(record: r2.record, kind: "annotation", parents: parents, origin: me, counter: 5, clock: clock,
                         body: SpecJSON.object([
                             "report": .string(report.id), "section": .string(report.sectionIDs[1]),
                             "text": .string("再改一次"), "deleted": .bool(false),
                         ]).text)
        }
        var tampered = tag()
        tampered.body = tagBody("复核", section, false)
        let badTree = SpecReport(title: "层级错误的报告", sections: [
            SpecSection(level: 0, label: "", heading: "", text: "", parent: nil),
            SpecSection(level: 0, label: "一、", heading: "总体", text: "一、总体", parent: nil),
        ])
        let descending = [r4.id, r2.id].sorted { $0 > $1 }

        let cases: [(name: String, revision: SpecRevision, code: String, rule: String?)] = [
            ("altered body", tampered, "hash_mismatch", nil),
            ("record id with capitals", SpecRevision(record: "Bookmark-2", kind: "bookmark", origin: me, counter: 5, clock: 5, body: "{}"),
             "invalid_revision", "identifier"),
            ("control character in author", tag(author: "规范\u{7}客户端"), "invalid_revision", "string"),
            ("negative createdAt", tag(createdAt: -1), "invalid_revision", "integer-range"),
            ("parents out of order",
             SpecRevision(record: r2.record, kind: "annotation", parents: descending, origin: me, counter: 5, clock: 5, body: r4.body),
             "invalid_revision", "parents"),
            ("author over 256 bytes", tag(author: String(repeating: "a", count: 257)), "invalid_revision", "size"),
            ("repeated key in the body",
             tag(body: "{\"present\":true,\"present\":false,\"report\":\"\(report.id)\",\"section\":\"\(section)\",\"tag\":\"复核\"}"),
             "invalid_revision", "body-shape"),
            ("a second level-0 section",
             SpecRevision(record: badTree.id, kind: "report", origin: me, counter: 5, clock: 5, body: badTree.body),
             "invalid_revision", "section-tree"),
            ("tag record not derived from its tag", tag(record: SpecIdentity.tag("别的", section: section)),
             "invalid_revision", "derived-identity"),
            ("clock not above the parent's", edit(parents: [r4.id], clock: 4), "invalid_revision", "clock"),
            ("counter skips", tag(counter: 7), "invalid_revision", "counter-gap"),
            ("counter used for another revision", tag(counter: 3), "invalid_revision", "counter-reused"),
            ("unknown parent", edit(parents: [String(repeating: "ab", count: 32)]), "invalid_revision", "missing-parent"),
            ("parent of another record", edit(parents: [r3.id]), "invalid_revision", "parent-record"),
            ("a report record as another kind",
             SpecRevision(record: report.id, kind: "bookmark", origin: me, counter: 5, clock: 5, body: "{}"),
             "invalid_revision", "kind-change"),
        ]
        for (name, revision, code, rule) in cases {
            let answer = try await http.post("/v1/revisions", ["protocol": 2, "from": me, "revisions": [revision.wire]])
            #expect(answer.status == 422, "\(name): \(answer.status) \(answer.text)")
            #expect(answer.error["code"] as? String == code, "\(name): \(answer.text)")
            #expect(answer.error["revision"] as? String == revision.id, "\(name): \(answer.text)")
            #expect(answer.error["rule"] as? String == rule, "\(name): \(answer.text)")
        }
    }

    /// `margin`'s store syncs with the server and shows the report, the annotation and the tag.
    static func expectRealStoreShows(
        url: String, report: SpecReport, annotationID: String, anchor: SpecAnchor, unknown: SpecRevision,
        vector: [String: Int64]
    ) async throws {
        let store = try SyncTestSupport.newStore(author: "reader")
        try await SyncTestSupport.sync(store, with: url, token: "spec-write")
        #expect(Dictionary(uniqueKeysWithValues: try store.versionVector().map { ($0.key.rawValue, $0.value) }) == vector)

        let summary = try #require(try store.reports().first(where: { $0.id.rawValue == report.id }))
        #expect(summary.title == report.title)
        #expect(summary.sections == report.sections.count)
        #expect(summary.annotations == 1)
        #expect(summary.tags == 1)
        let outline = try store.outline(of: summary.shortID)
        #expect(outline.sections.map(\.id.rawValue) == report.sectionIDs)
        #expect(outline.sections.map(\.level) == report.sections.map(\.level))
        let entry = try #require(outline.sections.first(where: { $0.id.rawValue == report.sectionIDs[1] }))
        #expect(entry.tags == ["重点"])

        let detail = try store.section(entry.reference)
        #expect(Array(detail.text.utf8) == Array(report.sections[1].text.utf8))
        #expect(detail.tags == ["重点"])
        try #require(detail.annotations.count == 1)
        let note = detail.annotations[0]
        #expect(note.id.rawValue == annotationID)
        #expect(note.text == "值得与去年对比")
        #expect(note.anchor?.quote == anchor.quote)
        #expect(note.anchor?.prefix == anchor.prefix)
        #expect(note.anchor?.suffix == anchor.suffix)
        #expect(note.anchor?.start == anchor.start && note.anchor?.end == anchor.end)
        #expect(note.placement == "exact")
        #expect(note.conflicted == false && note.deleted == false)

        // The record of an unknown kind is kept (and listed as such), not shown as a report, note or tag.
        let log = try store.changeLog(limit: 100)
        let kept = try #require(log.first(where: { $0.revision.rawValue == unknown.id }))
        #expect(kept.kind.rawValue == "bookmark")
        #expect(kept.summary.contains("unknown kind"))
        #expect(try store.reports().count == 1)
    }
}
