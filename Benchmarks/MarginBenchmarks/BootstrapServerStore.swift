import Foundation
import MarginCore
import MarginStore

/// The server store of the bootstrap benchmark: the seed reports and a long synthetic history, all under the
/// store's own identity and signed with its key (see `MarginStore.signOwnRevisions()`), written in process.
enum BootstrapServerStore {
    /// Revisions per received page while preparing.
    static let page = 5_000

    /// Makes the store at `path`, or reuses the one there when it holds exactly that history.
    static func prepare(
        at path: String, seeds: [SeedFile], synthetic: Int
    ) throws -> (revisions: Int, preparedSeconds: Double?) {
        if FileManager.default.fileExists(atPath: path + "/" + MarginStore.databaseFileName) {
            let store = try MarginStore.open(at: path)
            let held = try store.versionVector().values.reduce(0, +)
            let reports = try reportRevisions(seeds, origin: store.peer.id).count
            guard held == Int64(reports + synthetic), try !store.bulkLoadPending() else {
                throw ImportMismatch(description: "\(path) holds \(held) revisions, not \(reports + synthetic); "
                    + "give another --bootstrap-store")
            }
            return (Int(held), nil)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let store = try MarginStore.create(at: path, author: "服务器")
        let reports = try reportRevisions(seeds, origin: store.peer.id)
        var history = try BootstrapHistory(after: reports, origin: store.peer.id, firstCounter: Int64(reports.count) + 1)
        let vector = [store.peer.id: Int64(reports.count + synthetic)]
        // Received as a first pull would be (a bulk load), then signed as the store signs before it pushes.
        var pending = reports
        var made = 0
        while made < synthetic || !pending.isEmpty {
            let count = min(page, synthetic - made)
            if count > 0 {
                pending += try history.next(count)
                made += count
            }
            let slice = Array(pending.prefix(page))
            pending.removeFirst(slice.count)
            let outcome = try store.receive(
                slice, from: .server(accounts: [:]), source: "bench-setup", remoteVector: vector)
            guard outcome.accepted == slice.count else {
                throw ImportMismatch(description: "the server store accepted \(outcome.accepted) of a page of \(slice.count)")
            }
            if made % 100_000 == 0, count > 0 { print("  prepared \(made) of \(synthetic) synthetic revisions") }
        }
        let received = clock.now
        try store.finishBulkLoad()
        let materialized = clock.now
        try store.signOwnRevisions()
        print(String(format: "  server store: received in %.1f s, materialized in %.1f s, signed in %.1f s (in process)",
            (received - started).milliseconds / 1_000, (materialized - received).milliseconds / 1_000,
            (clock.now - materialized).milliseconds / 1_000))
        return (reports.count + synthetic, (clock.now - started).milliseconds / 1_000)
    }

    /// The seed reports' revisions as `origin` writes them (imported into a scratch store of that identity).
    static func reportRevisions(_ seeds: [SeedFile], origin: PeerID) throws -> [Revision] {
        let scratch = try TemporaryFolder("margin-bench-bootstrap-reports")
        defer { scratch.remove() }
        let store = try MarginStore.create(at: scratch.path + "/store", author: "服务器", peer: origin)
        for seed in seeds { _ = try store.importReports(from: seed.data, fileName: seed.name) }
        return try store.revisions(missingFrom: [:], limit: 1_000_000, maxBytes: .max, size: { _ in 0 }).revisions
    }
}

/// The synthetic history (60 % new annotations, 20 % edits of earlier ones, 20 % tags toggled; see
/// ``SyntheticHistory/revisions(count:after:origin:firstCounter:)``), made a page at a time so that a million
/// revisions never sit in memory at once.
struct BootstrapHistory {
    private static let phrases = [
        "这一段的数据口径需要再核实", "与上一年度的报告相比变化明显", "建议补充具体的实施细则和时间表",
        "引用的文件编号与附件不一致", "请相关部门在下次会议前书面回复", "此处的统计范围未说明是否含下属单位",
        "表述过于笼统，缺少可考核的指标", "同意此项意见，建议列入重点督办",
    ]

    private let origin: PeerID
    private let firstCounter: Int64
    private let baseClock: Int64
    private let sections: [(report: RecordID, section: SectionID)]
    private var heads: [RecordID: RevisionID] = [:]
    /// Annotations made so far: record and place (the text follows from the revision number).
    private var annotations: [(id: RecordID, place: Int)] = []
    private var tagged: [RecordID: Bool] = [:]
    private var number = 0

    init(after reports: [Revision], origin: PeerID, firstCounter: Int64) throws {
        var sections: [(report: RecordID, section: SectionID)] = []
        for revision in reports where revision.kind == .report {
            let body = try BodyCoding.decode(ReportBody.self, from: revision.body, kind: .report)
            sections += body.sections.map { (revision.record, $0.id) }
        }
        guard !sections.isEmpty else { throw ImportMismatch(description: "no sections to annotate") }
        self.sections = sections
        self.origin = origin
        self.firstCounter = firstCounter
        baseClock = reports.map(\.clock).max() ?? 0
    }

    /// The next `count` revisions.
    mutating func next(_ count: Int) throws -> [Revision] {
        var result: [Revision] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            number += 1
            let record: RecordID
            let kind: RecordKind
            let body: String
            switch number % 10 {
            case 6, 7:  // numbers 1…5 have made annotations already
                let annotation = annotations[(number &* 7_919) % annotations.count]
                let place = sections[annotation.place]
                (record, kind) = (annotation.id, .annotation)
                body = BodyCoding.encode(AnnotationBody(
                    report: place.report, section: place.section, text: Self.note(number) + "（第\(number)次修改）",
                    anchor: nil))
            case 8, 9:
                let place = sections[(number / 10 &* 40_503) % sections.count]
                let tag = "t\(number % 10 == 8 ? (number / 10) % 5 : 5 + (number / 10) % 5)"
                record = Identity.tag(tag, on: place.section)
                let present = !(tagged[record] ?? false)
                tagged[record] = present
                kind = .tag
                body = BodyCoding.encode(TagBody(report: place.report, section: place.section, tag: tag, present: present))
            default:
                let placeIndex = (number &* 2_654_435_761) % sections.count
                let place = sections[placeIndex]
                record = Identity.annotation(origin: origin, counter: firstCounter - 1 + Int64(number))
                annotations.append((record, placeIndex))
                kind = .annotation
                body = BodyCoding.encode(AnnotationBody(
                    report: place.report, section: place.section, text: Self.note(number), anchor: nil))
            }
            let revision = Revision(
                record: record, kind: kind, parents: heads[record].map { [$0] } ?? [], origin: origin,
                counter: firstCounter - 1 + Int64(number), clock: baseClock + Int64(number), author: "丙",
                createdAt: 1_764_000_000_000 + Int64(number) * 1_000, body: body)
            heads[record] = revision.id
            result.append(revision)
        }
        return result
    }

    private static func note(_ number: Int) -> String {
        "批注 #\(number)：" + phrases[number % phrases.count] + "；" + phrases[(number / phrases.count) % phrases.count] + "。"
    }
}
