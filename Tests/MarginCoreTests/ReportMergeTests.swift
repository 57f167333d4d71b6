import Testing
@testable import MarginCore

@Suite("Concurrent report edits: the shown head, the conflict, and the merge section by section")
struct ReportMergeTests {
    static func section(_ id: String, _ text: String, level: Int = 1) -> SectionBody {
        SectionBody(id: SectionID(rawValue: id), level: level, label: "", heading: id, text: text, parent: nil)
    }

    /// A report titled `title` whose sections are `texts` keyed by identity, in order.
    static func body(_ title: String, _ sections: [(String, String)], source: String? = nil) -> ReportBody {
        ReportBody(
            title: title, sections: sections.map { section($0.0, $0.1) },
            source: source.map { ReportSource(file: $0, title: title, occurrence: 1) })
    }

    static func revision(_ body: ReportBody, clock: Int64, origin: String) -> Revision {
        Revision(
            record: RecordID(rawValue: "r"), kind: .report, parents: [RevisionID(rawValue: "base")],
            origin: PeerID(rawValue: origin), counter: 1, clock: clock, author: origin, createdAt: 0,
            body: BodyCoding.encode(body))
    }

    static let base = body("县教育局工作总结", [("a", "一、招生\n秋季招生顺利。"), ("b", "二、师资\n新招教师四十名。")])

    @Test func twoPeersEditingTheTextDifferentlyConflictAndThePreferredEditIsShown() throws {
        let baseRevision = Self.revision(Self.base, clock: 1, origin: "o")
        let first = Self.revision(
            Self.body("县教育局工作总结", [("a", "一、招生\n秋季招生顺利完成。"), ("b", "二、师资\n新招教师四十名。")]), clock: 2, origin: "p")
        let second = Self.revision(
            Self.body("县教育局工作总结", [("a", "一、招生\n秋季招生顺利。"), ("b", "二、师资\n新招教师五十名。")]), clock: 3, origin: "q")
        let resolution = MergeRules.resolve(heads: [first, second], base: baseRevision)
        #expect(resolution.isConflicted)
        #expect(resolution.winner == second)
    }

    @Test func aLaterHeadThatKeptTheBaseTextNeitherConflictsNorHidesTheEdit() throws {
        let baseRevision = Self.revision(Self.base, clock: 1, origin: "o")
        let edit = Self.revision(
            Self.body("县教育局工作总结", [("a", "一、招生\n秋季招生顺利完成。"), ("b", "二、师资\n新招教师四十名。")]), clock: 2, origin: "p")
        // The same text as the base, written later (e.g. a removal, then a restore, on another peer).
        var restored = Self.base
        restored.source = ReportSource(file: "县.txt", title: "县教育局工作总结", occurrence: 1)
        let unchanged = Self.revision(restored, clock: 7, origin: "q")
        let resolution = MergeRules.resolve(heads: [unchanged, edit], base: baseRevision)
        #expect(!resolution.isConflicted)
        #expect(resolution.winner == edit)
    }

    @Test func equalTextsImportedFromDifferentFilesAgreeAndDifferentOnesWithoutABaseConflict() {
        let here = Self.revision(Self.body("标题", [("a", "一、招生")], source: "甲.txt"), clock: 1, origin: "p")
        let there = Self.revision(Self.body("标题", [("a", "一、招生")], source: "乙.txt"), clock: 1, origin: "q")
        #expect(!MergeRules.resolve(heads: [here, there]).isConflicted)
        let other = Self.revision(Self.body("标题", [("a", "一、招生工作")], source: "乙.txt"), clock: 1, origin: "q")
        #expect(MergeRules.resolve(heads: [here, other]).isConflicted)
    }

    @Test func aRemovalNeverConflictsWithAnEdit() {
        var removed = Self.base
        removed.removed = true
        let removal = Self.revision(removed, clock: 9, origin: "q")
        let edit = Self.revision(Self.body("新标题", [("a", "一、招生")]), clock: 2, origin: "p")
        let resolution = MergeRules.resolve(heads: [removal, edit], base: Self.revision(Self.base, clock: 1, origin: "o"))
        #expect(resolution.winner == edit)
        #expect(!resolution.isConflicted)
    }

    @Test func editsOfDifferentSectionsMergeAndEditsOfOneSectionInSentencesApartToo() {
        let base = Self.body("县教育局工作总结", [("a", "一、招生\n秋季招生顺利。新生报到率高。各校按时开学。"), ("b", "二、师资\n新招教师四十名。")])
        let first = Self.body("县教育局工作总结", [("a", "一、招生\n今年秋季招生顺利。新生报到率高。各校按时开学。"), ("b", "二、师资\n新招教师四十名。")])
        let second = Self.body("县教育局工作总结", [("a", "一、招生\n秋季招生顺利。新生报到率高。各校均按时开学。"), ("b", "二、师资\n新招教师五十名。")])
        let merged = ReportMerge.merge(base: base, sides: [first, second])
        #expect(merged.isClean)
        #expect(merged.title == .clean("县教育局工作总结"))
        #expect(merged.sections == [.clean("一、招生\n今年秋季招生顺利。新生报到率高。各校均按时开学。"), .clean("二、师资\n新招教师五十名。")])
    }

    @Test func editsOfOneSentenceOrOfNeighbouringSentencesAreLeftForAPerson() {
        // Spliced by characters, 二十次 → 三十次 and 二十次 → 二十五次 would read 三十五次, which neither side wrote.
        let base = Self.body("镇中学工作小结", [("a", "一、食堂\n家长陪餐二十次。菜谱每周公示。")])
        let thirty = Self.body("镇中学工作小结", [("a", "一、食堂\n家长陪餐三十次。菜谱每周公示。")])
        let twentyFive = Self.body("镇中学工作小结", [("a", "一、食堂\n家长陪餐二十五次。菜谱每周公示。")])
        #expect(ReportMerge.merge(base: base, sides: [thirty, twentyFive]).conflictCount == 1)
        let daily = Self.body("镇中学工作小结", [("a", "一、食堂\n家长陪餐二十次。菜谱每天公示。")])
        #expect(ReportMerge.merge(base: base, sides: [thirty, daily]).conflictCount == 1)
        #expect(ThreeWayMerge.sentences(of: "一、食堂\n陪餐。公示！好?") == ["一、食堂\n", "陪餐。", "公示！", "好?"])
    }

    @Test func oneSectionChangedInTheSamePlaceIsLeftForAPersonWithTheBase() {
        let first = Self.body("县教育局工作总结", [("a", "一、招生\n秋季招生顺利。"), ("b", "二、师资\n新招教师三十名。")])
        let second = Self.body("另一个标题", [("a", "一、招生\n秋季招生顺利。"), ("b", "二、师资\n新招教师五十名。")])
        let merged = ReportMerge.merge(base: Self.base, sides: [first, second])
        #expect(!merged.isClean)
        #expect(merged.conflictCount == 1)
        // Only one side changed the title: it is taken.
        #expect(merged.title == .clean("另一个标题"))
        #expect(merged.sections == [
            .clean("一、招生\n秋季招生顺利。"),
            .conflict(base: "二、师资\n新招教师四十名。", sides: ["二、师资\n新招教师三十名。", "二、师资\n新招教师五十名。"]),
        ])
    }

    @Test func addedSectionsKeepTheirPlaceAndDroppedOnesGoUnlessTheOtherSideChangedThem() {
        // The first side adds c after a; the second adds d at the end and drops b.
        let first = Self.body("县教育局工作总结", [("a", "一、招生\n秋季招生顺利。"), ("c", "二、安全\n新增内容。"), ("b", "三、师资\n新招教师四十名。")])
        let second = Self.body("县教育局工作总结", [("a", "一、招生\n秋季招生顺利。"), ("d", "二、后勤\n食堂改造。")])
        #expect(ReportMerge.sectionOrder([first, second]).map(\.rawValue) == ["a", "c", "b", "d"])
        let merged = ReportMerge.merge(base: Self.base, sides: [first, second])
        // b: the first side only renumbered it (its text changed), the second dropped it: a person decides.
        #expect(merged.sections == [
            .clean("一、招生\n秋季招生顺利。"), .clean("二、安全\n新增内容。"),
            .conflict(base: "二、师资\n新招教师四十名。", sides: ["三、师资\n新招教师四十名。", nil]),
            .clean("二、后勤\n食堂改造。"),
        ])
        // Dropped on one side and left alone on the other: it goes.
        let untouched = Self.body("县教育局工作总结", [("a", "一、招生\n秋季招生顺利。"), ("b", "二、师资\n新招教师四十名。"), ("c", "三、安全\n新增。")])
        let clean = ReportMerge.merge(base: Self.base, sides: [untouched, second])
        #expect(clean.isClean)
        #expect(clean.sections == [.clean("一、招生\n秋季招生顺利。"), .clean("三、安全\n新增。"), .clean("二、后勤\n食堂改造。")])
    }

    @Test func withoutABaseEverySectionTheSidesHoldDifferentlyIsLeftForAPerson() {
        let first = Self.body("标题", [("a", "一、招生\n甲")])
        let second = Self.body("标题", [("a", "一、招生\n乙")])
        let merged = ReportMerge.merge(base: nil, sides: [first, second])
        #expect(merged.title == .clean("标题"))
        #expect(merged.sections == [.conflict(base: nil, sides: ["一、招生\n甲", "一、招生\n乙"])])
    }
}
