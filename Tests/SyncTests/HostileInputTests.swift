import Foundation
import HummingbirdTesting
import MarginCore
import MarginStore
import NIOCore
import StoreSyncBackend
import SyncClient
import SyncProtocol
import SyncServer
import Testing

/// Revisions from a hostile or buggy peer, pushed to a server: each is refused with 422 naming the revision and the
/// rule, nothing of its page is stored, and whatever the server accepts any peer can pull, verify and read.
@Suite struct HostileInputTests {
    static let stranger = PeerID(rawValue: "00000000000000f1")
    /// The stranger's signing key: its pages are signed, so that what is refused is refused for its content.
    static let strangerKey = SigningKey.generate()

    /// A real report revision from the seeds, re-made by a stranger after `change` edits its body's JSON object.
    static func report(
        counter: Int64 = 1, clock: Int64 = 1, record: RecordID? = nil, author: String = "mallory",
        _ change: (inout [String: Any]) -> Void = { _ in }
    ) throws -> Revision {
        let source = try SyncTestSupport.seededStore(author: "source", files: 1)
        let original = try #require(try source.revisions(missingFrom: [:], limit: 1, maxBytes: 1 << 30) { _ in 1 }.revisions.first)
        var body = try #require(try JSONSerialization.jsonObject(with: Data(original.body.utf8)) as? [String: Any])
        change(&body)
        let text = String(decoding: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        return Revision(
            record: record ?? original.record, kind: .report, parents: [], origin: stranger, counter: counter, clock: clock,
            author: author, createdAt: 1_700_000_000_000, body: text)
    }

    static func push(_ revisions: [Revision], to client: some TestClientProtocol) async throws -> (status: Int, error: ErrorDetail?) {
        var signer = ChainSigner(key: strangerKey)
        let body = try SyncCoding.encode(PushRequest(from: stranger, revisions: revisions, signatures: try signer.proofs(for: revisions)))
        let response = try await client.execute(uri: SyncEndpoint.revisions, method: .post, body: ByteBuffer(bytes: body))
        let error = try? SyncCoding.decode(ErrorResponse.self, from: Data(buffer: response.body)).error
        return (Int(response.status.code), error)
    }

    static func sections(_ body: inout [String: Any], _ change: (inout [[String: Any]]) -> Void) {
        var sections = body["sections"] as! [[String: Any]]
        change(&sections)
        body["sections"] = sections
    }

    @Test func everyProbeIsRefusedWithTheRuleAndLeavesTheServerAsItWas() async throws {
        let server = try SyncTestSupport.seededStore(author: "server", files: 1)
        let before = try server.versionVector()
        let otherReportSection = try server.revisions(missingFrom: [:], limit: 10, maxBytes: 1 << 30) { _ in 1 }
            .revisions.compactMap { try? BodyCoding.decode(ReportBody.self, from: $0.body, kind: .report) }.last?.sections.last?.id
        let probes: [(String, Revision, ValidationRule)] = [
            ("NUL in the record id", try Self.report(record: RecordID(rawValue: "abc\u{0}def")), .identifier),
            ("NUL in the author", try Self.report(author: "mal\u{0}lory"), .string),
            ("NFD record id", try Self.report(record: RecordID(rawValue: "cafe\u{301}")), .identifier),
            ("clock 2^63−1", try Self.report(clock: Int64.max), .integerRange),
            ("section level 10^9", try Self.report { Self.sections(&$0) { $0[1]["level"] = 1_000_000_000 } }, .sectionTree),
            ("duplicate section ids", try Self.report { Self.sections(&$0) { $0[2]["id"] = $0[1]["id"] } }, .sectionTree),
            ("another report's section id", try Self.report { body in
                Self.sections(&body) { $0[1]["id"] = otherReportSection?.rawValue ?? "x" } }, .derivedIdentity),
        ]
        let good = try Self.report()
        let app = buildApplication(backend: EmbeddedSyncBackend(server), configuration: SyncTestSupport.configuration())
        try await app.test(.router) { client in
            for (name, probe, rule) in probes {
                // The bad revision rides behind a good one: the page is refused whole.
                var second = probe
                second.counter = 2
                second.clock = max(probe.clock, 2)
                if probe.clock == Int64.max { second.clock = Int64.max }
                second.id = RevisionHasher.hash(of: second)
                let (status, error) = try await Self.push([good, second], to: client)
                #expect(status == 422, "\(name): \(status)")
                #expect(error?.code == .invalidRevision, "\(name)")
                #expect(error?.rule == rule.rawValue, "\(name): \(error?.message ?? "")")
                #expect(error?.revision == second.id, "\(name)")
            }
        }
        #expect(try server.versionVector() == before)
        try SyncTestSupport.expectSound(server)
    }

    @Test func boundaryValuesThatAreAcceptedNeitherCrashNorWedgeAnyPeer() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let top = RevisionLimits.maximumInteger
        let deep = try Self.report(clock: top) { body in
            Self.sections(&body) { sections in
                // The deepest levels the grammar allows, nested one under the other.
                for index in 1..<sections.count {
                    sections[index]["level"] = index < 9 ? index : 1
                    sections[index]["parent"] = sections[index < 9 ? index - 1 : 0]["id"]
                }
            }
        }
        // The reshaped tree changes the heading paths, so the ids are derived again as an honest writer would.
        let rederived = try Self.rederivingSections(of: deep)
        try await SyncTestSupport.withServer(hub) { server in
            let app = buildApplication(backend: EmbeddedSyncBackend(hub), configuration: SyncTestSupport.configuration())
            try await app.test(.router) { client in
                let (status, error) = try await Self.push([rederived], to: client)
                #expect(status == 200, "\(error?.message ?? "")")
            }
            let peer = try SyncTestSupport.newStore(author: "peer")
            try await SyncTestSupport.sync(peer, with: server.url)
            let report = try #require(try peer.reports().first)
            let outline = try peer.outline(of: report.shortID)
            #expect(outline.sections.map(\.level).max() == 8)
            // Writing after a revision at the top of the clock range still works and still syncs.
            let section = try #require(outline.sections.last?.reference)
            try peer.addAnnotation(on: section, text: "after the top clock")
            _ = try peer.tag(section, with: ["边界"])
            try await SyncTestSupport.sync(peer, with: server.url)
            let other = try SyncTestSupport.newStore(author: "other")
            try await SyncTestSupport.sync(other, with: server.url)
            #expect(try other.versionVector() == peer.versionVector())
            let shown = await SyncTestSupport.margin(["show", "--store", other.path, section])
            #expect(shown.status == 0 && shown.output.contains("after the top clock"))
        }
    }

    /// The same report with section ids derived from its (changed) tree, as the parser's import derives them.
    static func rederivingSections(of revision: Revision) throws -> Revision {
        var body = try BodyCoding.decode(ReportBody.self, from: revision.body, kind: .report)
        var paths: [SectionID: [String]] = [:]
        var counts: [[String]: Int] = [:]
        var renamed: [SectionID: SectionID] = [:]
        for index in body.sections.indices {
            var section = body.sections[index]
            section.parent = section.parent.map { renamed[$0] ?? $0 }
            let path = index == 0 ? [] : (section.parent.flatMap { paths[$0] } ?? []) + [section.heading.isEmpty ? section.label : section.heading]
            let occurrence = (counts[path] ?? 0) + 1
            counts[path] = occurrence
            let id = index == 0
                ? Identity.preamble(report: revision.record)
                : Identity.section(report: revision.record, headingPath: path, occurrence: occurrence)
            renamed[section.id] = id
            section.id = id
            paths[id] = path
            body.sections[index] = section
        }
        return Revision(
            record: revision.record, kind: revision.kind, parents: revision.parents, origin: revision.origin,
            counter: revision.counter, clock: revision.clock, author: revision.author, createdAt: revision.createdAt,
            body: BodyCoding.encode(body))
    }

    @Test func unknownKindsAreStoredForwardedVerbatimAndListed() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let body = #"{"color":"yellow","note":{"pages":[3,4]},"weight":2.5}"#
        let bookmark = Revision(
            record: RecordID(rawValue: "bm-1"), kind: RecordKind(rawValue: "bookmark"), parents: [], origin: Self.stranger,
            counter: 1, clock: 1, author: "newer", createdAt: 1_700_000_000_000, body: body)
        try await SyncTestSupport.withServer(hub) { server in
            let app = buildApplication(backend: EmbeddedSyncBackend(hub), configuration: SyncTestSupport.configuration())
            try await app.test(.router) { client in
                let (status, error) = try await Self.push([bookmark], to: client)
                #expect(status == 200, "\(error?.message ?? "")")
            }
            let older = try SyncTestSupport.seededStore(author: "older", files: 1)
            try await SyncTestSupport.sync(older, with: server.url)
            let relay = try #require(try older.revisions(missingFrom: [:], limit: 100, maxBytes: 1 << 30) { _ in 1 }
                .revisions.first { $0.kind.rawValue == "bookmark" })
            #expect(relay == bookmark)
            try relay.verify()
            // The older peer forwards it to a third peer, unchanged, with its own revisions.
            let third = try SyncTestSupport.newStore(author: "third")
            let direct = try older.revisions(missingFrom: [:], limit: 100, maxBytes: 1 << 30) { _ in 1 }
            try third.receive(direct.revisions, source: "relay")
            #expect(try third.unknownKindCounts() == [RecordKind(rawValue: "bookmark"): 1])
            let status = await SyncTestSupport.margin(["status", "--store", older.path])
            #expect(status.output.contains("unknown: 1 record of kind “bookmark”"))
            let log = await SyncTestSupport.margin(["log", "--store", older.path])
            #expect(log.output.contains("bookmark"))
            let reports = await SyncTestSupport.margin(["reports", "--store", older.path])
            #expect(reports.status == 0)
        }
    }

    @Test func aLocalWriteObeysTheSameRulesAsAReceivedOne() throws {
        let store = try SyncTestSupport.seededStore(author: "writer", files: 1)
        let section = try SyncTestSupport.firstSection(store)
        let before = try store.versionVector()
        let huge = String(repeating: "长", count: RevisionLimits.maximumBodyBytes / 3 + 1)
        #expect(throws: MarginStoreError.self) { try store.addAnnotation(on: section, text: huge) }
        #expect(throws: MarginStoreError.self) { try store.addAnnotation(on: section, text: "bad\u{0}note") }
        #expect(try store.versionVector() == before)
    }
}
