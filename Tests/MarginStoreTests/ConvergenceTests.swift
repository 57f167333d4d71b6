import Foundation
import Testing
@testable import MarginCore
@testable import MarginStore

/// Randomized convergence: several peers make random edits offline and sync in random pairs and orders, some
/// syncs cut off part way. After a final full round every peer must hold the same state, every revision ever
/// written, and the same open conflicts. Seeds are fixed and printed with any failure; `MARGIN_SOAK=N` runs N
/// more scenarios.
@Suite("Convergence of randomly editing and syncing peers")
struct ConvergenceTests {
    static let scenariosPerBatch = 60
    static let batches = 0..<5

    @Test(arguments: batches)
    func peersConverge(batch: Int) throws {
        var totals = ConvergenceScenario.Outcome()
        let seeds = UInt64(1000 + batch * Self.scenariosPerBatch)..<UInt64(1000 + (batch + 1) * Self.scenariosPerBatch)
        for seed in seeds {
            totals.add(try ConvergenceScenario(seed: seed).run())
        }
        print("convergence batch \(batch): seeds \(seeds.lowerBound)…\(seeds.upperBound - 1), \(totals)")
        // The scenarios must exercise what they claim to: conflicts, automatic merges and orphans all happen.
        #expect(totals.scenariosWithOpenConflicts > 0)
        #expect(totals.mergedAnnotations > 0)
        #expect(totals.orphanedAnnotations > 0)
    }

    @Test func soak() throws {
        let count = Int(ProcessInfo.processInfo.environment["MARGIN_SOAK"] ?? "") ?? 0
        for offset in 0..<count {
            try ConvergenceScenario(seed: UInt64(100_000 + offset), operations: 80, peers: 4).run()
        }
    }
}

/// SplitMix64: a tiny, fast, seedable generator, so a failing scenario replays exactly from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One randomized scenario.
struct ConvergenceScenario {
    let seed: UInt64
    var operations = 40
    var peers = 3

    static let versions = [
        """
        某区教育局年度工作总结

        前言:一年来全区教育工作稳步推进。
        一、加强师资队伍建设
        全区教师培训覆盖率达到百分之九十五,新增骨干教师一百名。
        （一）培训工作
        组织暑期培训三次,参训教师两千人次。
        二、提升教育质量
        中考成绩稳步提高,优秀率提升五个百分点。
        1、课堂改革
        推进小组合作学习,覆盖全部初中。
        三、改善办学条件
        新建学校三所,改扩建学校五所。
        """,
        """
        某区教育局年度工作总结

        前言:一年来全区教育工作稳步推进,成绩显著。
        一、加强师资队伍建设
        全区教师培训覆盖率达到百分之九十八,新增骨干教师一百二十名。
        （一）培训工作
        组织暑期培训四次,参训教师两千人次。
        二、提升教育质量
        中考成绩稳步提高,优秀率提升五个百分点。
        1、课堂改革
        推进小组合作学习,覆盖全部初中和部分小学。
        """,
        """
        某区教育局年度工作总结

        前言:一年来全区教育工作稳步推进。
        一、师资队伍建设全面加强
        全区教师培训覆盖率达到百分之九十五,新增骨干教师一百名。
        二、提升教育质量
        中考成绩稳步提高,优秀率提升六个百分点。
        三、改善办学条件
        新建学校三所,改扩建学校五所,均已投入使用。
        """,
    ]
    static let notes = ["数据需要核实", "与去年相比有进步", "表述不够具体", "值得推广", "缺少经费说明"]
    static let tags = ["重点", "review", "经费", "师资"]

    /// What a scenario ended with, to show that the scenarios exercise conflicts, merges and orphans.
    struct Outcome: CustomStringConvertible {
        var scenariosWithOpenConflicts = 0
        var mergedAnnotations = 0
        var orphanedAnnotations = 0
        var revisions = 0

        mutating func add(_ other: Outcome) {
            scenariosWithOpenConflicts += other.scenariosWithOpenConflicts
            mergedAnnotations += other.mergedAnnotations
            orphanedAnnotations += other.orphanedAnnotations
            revisions += other.revisions
        }

        var description: String {
            "\(revisions) revisions, \(scenariosWithOpenConflicts) ended with open conflicts, \(mergedAnnotations) annotations merged automatically, \(orphanedAnnotations) orphaned"
        }
    }

    @discardableResult
    func run() throws -> Outcome {
        var random = SeededGenerator(state: seed)
        // Fixed peer identities and counting clocks make every revision id, and so every run, repeat exactly.
        let stores = try (0..<peers).map { index in
            try MarginStore.create(
                at: StoreTestSupport.temporaryFolder(), author: "peer\(index)",
                peer: PeerID(rawValue: String(format: "%016x", index + 1)),
                clock: .counting(from: 1_700_000_000_000 + Int64(index) * 1_000_000))
        }
        defer { for store in stores { try? FileManager.default.removeItem(atPath: store.path) } }
        for store in stores {
            let summary = try store.importReports(from: Data(Self.versions[0].utf8), fileName: "report.txt")
            try #require(summary.reports.count == 1, "seed \(seed): the scenario report parses")
        }
        var written = Set<String>()
        for _ in 0..<operations {
            let store = stores[Int.random(in: 0..<peers, using: &random)]
            if Int.random(in: 0..<4, using: &random) == 0 {
                let other = stores.filter { $0 !== store }.randomElement(using: &random)!
                try sync(from: other, to: store, cutAfterPages: Bool.random(using: &random) ? Int.random(in: 0..<3, using: &random) : nil, &random)
            } else {
                try edit(store, &random)
            }
            written.formUnion(try revisionIDs(store))
        }
        // A full round, twice: everyone pulls from everyone.
        for _ in 0..<2 {
            for target in stores {
                for source in stores where source !== target { try sync(from: source, to: target, cutAfterPages: nil, &random) }
            }
        }
        let reference = try canonicalState(stores[0])
        for (index, store) in stores.enumerated() {
            #expect(try canonicalState(store) == reference, "seed \(seed): peer \(index) differs from peer 0")
            #expect(try revisionIDs(store) == written.union(try revisionIDs(stores[0])), "seed \(seed): peer \(index) lacks revisions")
            #expect(try store.integrityProblems().isEmpty, "seed \(seed)")
            let (kept, scanned) = try store.read { db in
                (try ShortIdentifiers.length(db), try ShortIdentifiers.scannedLength(db))
            }
            #expect(kept == scanned, "seed \(seed): peer \(index) keeps short-identity length \(kept), not \(scanned)")
        }
        #expect(try revisionIDs(stores[0]).isSuperset(of: written), "seed \(seed): a written revision was lost")
        return try stores[0].read { db in
            Outcome(
                scenariosWithOpenConflicts: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record WHERE conflicted = 1")! > 0 ? 1 : 0,
                mergedAnnotations: try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM record WHERE kind = 'annotation' AND head_count > 1 AND conflicted = 0")!,
                orphanedAnnotations: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM annotation WHERE anchor_status = 'orphaned'")!,
                revisions: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM revision")!)
        }
    }

    /// Pulls what `target` lacks from `source` in small pages, optionally stopping after a number of pages.
    func sync(from source: MarginStore, to target: MarginStore, cutAfterPages: Int?, _ random: inout SeededGenerator) throws {
        var pages = 0
        while true {
            if let cutAfterPages, pages >= cutAfterPages { return }
            let page = try source.revisions(
                missingFrom: try target.versionVector(), limit: Int.random(in: 1...6, using: &random), maxBytes: 1 << 20,
                size: { $0.body.utf8.count })
            if page.revisions.isEmpty { return }
            try target.receive(page.revisions, source: "peer")
            pages += 1
            if !page.more { return }
        }
    }

    func edit(_ store: MarginStore, _ random: inout SeededGenerator) throws {
        let report = try #require(try store.reports().first)
        let sections = try store.outline(of: report.id.rawValue).sections
        let section = sections.randomElement(using: &random)!
        let annotations = try liveAnnotations(store)
        let conflicts = try store.conflicts()
        switch Int.random(in: 0..<8, using: &random) {
        case 0, 1:
            let detail = try store.section(section.reference)
            let scalars = Array(detail.text.unicodeScalars)
            var quote: String?
            if Bool.random(using: &random), scalars.count > 6 {
                let start = Int.random(in: 0..<(scalars.count - 4), using: &random)
                let candidate = String(String.UnicodeScalarView(scalars[start..<min(scalars.count, start + 4)]))
                if detail.text.components(separatedBy: candidate).count == 2 { quote = candidate }
            }
            try store.addAnnotation(on: section.reference, text: Self.notes.randomElement(using: &random)!, quote: quote)
        case 2:
            guard let annotation = annotations.filter({ !$0.conflicted }).randomElement(using: &random) else { return }
            try store.editAnnotation(annotation.id.rawValue, text: mutate(annotation.text, &random))
        case 3:
            guard let annotation = annotations.filter({ !$0.conflicted }).randomElement(using: &random) else { return }
            try store.deleteAnnotation(annotation.id.rawValue)
        case 4:
            try store.tag(section.reference, with: [Self.tags.randomElement(using: &random)!])
        case 5:
            guard let tag = try store.section(section.reference).tags.randomElement(using: &random) else { return }
            try store.untag(section.reference, removing: [tag])
        case 6:
            guard let conflict = conflicts.randomElement(using: &random) else { return }
            try settle(conflict, keeping: conflict.sides.randomElement(using: &random)!, on: store, &random)
        default:
            let version = Self.versions.randomElement(using: &random)!
            try importRefusedWhileInConflict(Data(version.utf8), into: store, &random)
        }
    }

    /// Imports a version of the scenario report as a person would. While the report is in conflict the import must
    /// be refused with nothing written, and the person then settles the conflict as `margin resolve` would; when
    /// the version clashes with what other peers imported since this one last did, it must be refused with nothing
    /// written, and the person then imports it with `--replace`.
    func importRefusedWhileInConflict(_ data: Data, into store: MarginStore, _ random: inout SeededGenerator) throws {
        let before = try revisionIDs(store)
        do {
            _ = try store.importReports(from: data, fileName: "report.txt")
        } catch let error as MarginStoreError {
            if case .importClashes = error.kind {
                #expect(try revisionIDs(store) == before, "seed \(seed): a clashing import wrote a revision")
                _ = try store.importReports(from: data, fileName: "report.txt", replacingLaterEdits: true)
                return
            }
            guard case let .reportInConflict(reference) = error.kind else { throw error }
            #expect(try revisionIDs(store) == before, "seed \(seed): a refused import wrote a revision")
            let conflict = try store.reportConflict(reference)
            // Sides in an order that does not depend on revision ids, which some scenarios re-issue at random.
            let sides = conflict.sides.sorted { ($0.createdAt, $0.author, $0.text) < ($1.createdAt, $1.author, $1.text) }
            try settle(conflict, keeping: sides.randomElement(using: &random)!, on: store, &random)
        }
    }

    /// Settles `conflict` one of the two ways a person would: keeping one side, or merging (an annotation's texts
    /// joined; a report's sections merged, keeping `side` when two sides changed the same part).
    func settle(_ conflict: ConflictView, keeping side: ConflictSide, on store: MarginStore, _ random: inout SeededGenerator) throws {
        let reference = conflict.annotation.rawValue
        let keep = Bool.random(using: &random)
        if conflict.kind == .report {
            if !keep {
                do {
                    try store.resolveReportConflictByMerging(reference)
                    return
                } catch let error as MarginStoreError {
                    guard case .mergeNeedsPerson = error.kind else { throw error }
                }
            }
            try store.resolveReportConflict(reference, keeping: side.revision.rawValue)
        } else if keep {
            try store.resolveConflict(reference, keeping: side.revision.rawValue)
        } else {
            try store.resolveConflict(reference, text: "合并:" + conflict.sides.map(\.text).sorted().joined(separator: "/"))
        }
    }

    /// A small edit at the start, the middle or the end, so some concurrent edits merge and some conflict.
    func mutate(_ text: String, _ random: inout SeededGenerator) -> String {
        var characters = Array(text)
        let insert = Array(["新", "改", "!", "?"].randomElement(using: &random)!)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: characters.insert(contentsOf: insert, at: 0)
        case 1: characters.insert(contentsOf: insert, at: characters.count / 2)
        default: characters.append(contentsOf: insert)
        }
        return String(characters)
    }

    func liveAnnotations(_ store: MarginStore) throws -> [AnnotationView] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM annotation WHERE deleted = 0 ORDER BY id")
                .map { MarginStore.annotationView($0, shortLength: 8) }
        }
    }

    func revisionIDs(_ store: MarginStore) throws -> Set<String> {
        try store.read { db in Set(try String.fetchAll(db, sql: "SELECT id FROM revision")) }
    }

    /// Everything a person can see, as canonical JSON: reports with sections, tags and annotations, every
    /// annotation row (including deleted and orphaned), open conflicts and tag counts.
    func canonicalState(_ store: MarginStore) throws -> String {
        struct State: Encodable {
            var reports: [ReportExport]
            var annotations: [AnnotationView]
            var conflicts: [ConflictView]
            var tags: [TagCount]
        }
        let state = State(
            reports: try store.reports().map { try store.export($0.id.rawValue) },
            annotations: try store.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM annotation ORDER BY id").map { MarginStore.annotationView($0, shortLength: 8) }
            },
            conflicts: try store.conflicts(), tags: try store.tagCounts())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(state), as: UTF8.self)
    }
}

import GRDB
