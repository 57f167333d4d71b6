import Testing
@testable import MarginCore

@Suite("Merge rules for concurrent heads")
struct MergeRulesTests {
    static let section = SectionID(rawValue: "s")
    static let report = RecordID(rawValue: "r")

    static func revision(_ kind: RecordKind, body: String, clock: Int64, origin: String) -> Revision {
        Revision(
            record: RecordID(rawValue: "x"), kind: kind, parents: [RevisionID(rawValue: "base")],
            origin: PeerID(rawValue: origin), counter: 1, clock: clock, author: origin, createdAt: 0, body: body)
    }

    static func annotation(_ text: String, deleted: Bool = false, clock: Int64, origin: String) -> Revision {
        revision(.annotation, body: BodyCoding.encode(AnnotationBody(
            report: report, section: section, text: text, anchor: nil, deleted: deleted)), clock: clock, origin: origin)
    }

    static func tag(present: Bool, clock: Int64, origin: String) -> Revision {
        revision(.tag, body: BodyCoding.encode(TagBody(report: report, section: section, tag: "t", present: present)),
                 clock: clock, origin: origin)
    }

    static func report(_ title: String, removed: Bool, clock: Int64, origin: String) -> Revision {
        let preamble = SectionBody(id: SectionID(rawValue: "p"), level: 0, label: "", heading: "", text: "", parent: nil)
        return revision(.report, body: BodyCoding.encode(ReportBody(title: title, sections: [preamble], removed: removed)),
                        clock: clock, origin: origin)
    }

    @Test func aReportKeptOnOnePeerWinsOverItsRemovalOnAnother() {
        let removal = Self.report("t", removed: true, clock: 9, origin: "q")
        let edit = Self.report("t (edited)", removed: false, clock: 3, origin: "p")
        for heads in [[removal, edit], [edit, removal]] {
            let resolution = MergeRules.resolve(heads: heads)
            #expect(resolution.winner == edit)
            #expect(!resolution.isConflicted)
        }
        // Between two kept heads (or two removals) the preferred one wins, as before.
        let later = Self.report("later", removed: false, clock: 10, origin: "r")
        #expect(MergeRules.resolve(heads: [edit, removal, later]).winner == later)
        let otherRemoval = Self.report("t", removed: true, clock: 4, origin: "r")
        #expect(MergeRules.resolve(heads: [otherRemoval, removal]).winner == removal)
    }

    @Test func aRemovedMarkIsWrittenOnlyWhenSet() throws {
        let kept = ReportBody(title: "t", sections: [])
        #expect(!BodyCoding.encode(kept).contains("removed"))
        var removed = kept
        removed.removed = true
        let encoded = BodyCoding.encode(removed)
        #expect(encoded.contains(#""removed":true"#))
        #expect(ReportBody.isRemoved(encoded))
        #expect(!ReportBody.isRemoved(BodyCoding.encode(kept)))
        #expect(try BodyCoding.decode(ReportBody.self, from: encoded, kind: .report).removed)
    }

    @Test func singleHeadIsTheValue() {
        let head = Self.annotation("a", clock: 1, origin: "p")
        let resolution = MergeRules.resolve(heads: [head])
        #expect(resolution.winner == head)
        #expect(!resolution.isConflicted)
    }

    @Test func winnerIsTheSameWhateverTheOrderOfHeads() {
        let a = Self.annotation("a", clock: 5, origin: "p")
        let b = Self.annotation("b", clock: 5, origin: "q")
        let c = Self.annotation("c", clock: 4, origin: "r")
        let winners = [[a, b, c], [c, b, a], [b, c, a]].map { MergeRules.resolve(heads: $0).winner }
        #expect(Set(winners).count == 1)
        #expect(winners[0].clock == 5)
    }

    @Test func differingAnnotationEditsConflict() {
        let resolution = MergeRules.resolve(heads: [
            Self.annotation("a", clock: 2, origin: "p"), Self.annotation("b", clock: 2, origin: "q"),
        ])
        #expect(resolution.isConflicted)
        #expect(resolution.heads.count == 2)
    }

    @Test func editAgainstDeleteConflictsButDeleteAgainstDeleteDoesNot() {
        #expect(MergeRules.resolve(heads: [
            Self.annotation("a", clock: 2, origin: "p"), Self.annotation("", deleted: true, clock: 3, origin: "q"),
        ]).isConflicted)
        #expect(!MergeRules.resolve(heads: [
            Self.annotation("", deleted: true, clock: 2, origin: "p"), Self.annotation("", deleted: true, clock: 3, origin: "q"),
        ]).isConflicted)
    }

    @Test func tagsMergeWithAddWins() {
        let resolution = MergeRules.resolve(heads: [
            Self.tag(present: false, clock: 9, origin: "p"), Self.tag(present: true, clock: 2, origin: "q"),
        ])
        #expect(!resolution.isConflicted)
        #expect(MergeRules.tagIsPresent(resolution.winner))
    }
}

@Suite("Merging concurrent annotation edits against their base")
struct AnnotationMergeTests {
    static func edit(_ text: String, clock: Int64, origin: String, deleted: Bool = false) -> Revision {
        MergeRulesTests.annotation(text, deleted: deleted, clock: clock, origin: origin)
    }

    @Test func editsOfDifferentPartsMergeWithoutConflict() throws {
        let base = Self.edit("师资建设需要加强,经费投入不足。", clock: 1, origin: "p")
        let resolution = MergeRules.resolve(
            heads: [Self.edit("师资队伍建设需要加强,经费投入不足。", clock: 2, origin: "p"),
                    Self.edit("师资建设需要加强,经费投入明显不足。", clock: 2, origin: "q")],
            base: base)
        #expect(!resolution.isConflicted)
        let body = try BodyCoding.decode(AnnotationBody.self, from: resolution.body, kind: .annotation)
        #expect(body.text == "师资队伍建设需要加强,经费投入明显不足。")
    }

    @Test func overlappingEditsConflictEvenWithABase() {
        let base = Self.edit("数据有误", clock: 1, origin: "p")
        let resolution = MergeRules.resolve(
            heads: [Self.edit("数据正确", clock: 2, origin: "p"), Self.edit("数据存疑", clock: 2, origin: "q")], base: base)
        #expect(resolution.isConflicted)
        #expect(resolution.mergedBody == nil)
    }

    @Test func editAgainstDeleteConflictsEvenWithABase() {
        let base = Self.edit("原文", clock: 1, origin: "p")
        let resolution = MergeRules.resolve(
            heads: [Self.edit("改了", clock: 2, origin: "p"), Self.edit("", clock: 2, origin: "q", deleted: true)], base: base)
        #expect(resolution.isConflicted)
    }
}
