import Foundation
import MarginStore
import Testing

/// Re-importing changed text says, per file, which notes it re-anchored and which it orphaned.
@Suite("margin import of changed text")
struct ReimportPlacementTests {
    static let original = """
        某县教育局年度工作报告

        一、学校建设
        今年新建教学楼两栋，改造操场一处，全面完成校舍重建任务。
        二、师资培训
        全年组织教师培训十二次，覆盖全体青年教师。
        三、经费管理
        严格执行预算制度，专项经费全部按期拨付。
        """

    /// The first section gains a sentence before the quote (the note moves); the second loses its quoted sentence
    /// (the note is orphaned); the third is unchanged (its note stays put and is not listed).
    static let changed = """
        某县教育局年度工作报告

        一、学校建设
        年初制定了建设计划。今年新建教学楼两栋，改造操场一处，全面完成校舍重建任务。
        二、师资培训
        全年组织各类活动若干次。
        三、经费管理
        严格执行预算制度，专项经费全部按期拨付。
        """

    struct Document: Decodable {
        var imported: [ImportSummary]
    }

    @Test("the summary and --json list re-anchored and orphaned notes, and nothing else")
    func reimportListsMovedNotes() async throws {
        let sandbox = try await CLISandbox.initialized()
        let file = try sandbox.write("report.txt", text: Self.original)
        #expect(await sandbox.run("import", file).status == 0)
        let store = try sandbox.open()
        let report = try #require(try store.reports().first)
        let sections = try store.outline(of: report.shortID).sections.filter { $0.level == 1 }.map(\.reference)
        try #require(sections.count == 3)
        let moved = try store.addAnnotation(on: sections[0], text: "对比去年", quote: "全面完成校舍重建")
        let orphaned = try store.addAnnotation(on: sections[1], text: "次数存疑", quote: "组织教师培训十二次")
        let steady = try store.addAnnotation(on: sections[2], text: "经费", quote: "专项经费")

        try Self.changed.write(toFile: file, atomically: true, encoding: .utf8)
        let result = await sandbox.run("import", file)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.lines.first == "report.txt: 1 report, 4 sections, 1 new revision")
        #expect(result.lines.count == 3, "\(result.output)")
        #expect(result.output.contains("annotation \(moved.shortID) “全面完成校舍重建” re-anchored (moved)"))
        #expect(result.output.contains("annotation \(orphaned.shortID) “组织教师培训十二次” orphaned"))
        #expect(result.output.contains("margin annotate --reanchor \(orphaned.shortID)"))
        #expect(!result.output.contains(steady.shortID))

        // Back to the original text: the orphan is anchored again, the moved note moves back.
        try Self.original.write(toFile: file, atomically: true, encoding: .utf8)
        let json = await sandbox.run("import", "--json", file)
        #expect(json.status == 0)
        let document = try json.decode(Document.self)
        let changes = try #require(document.imported.first?.reports.first).annotations
        #expect(Set(changes.map(\.id)) == [moved.id, orphaned.id])
        #expect(changes.first { $0.id == orphaned.id }?.change == .restored)
        #expect(changes.first { $0.id == orphaned.id }?.placement == "exact")
        #expect(changes.first { $0.id == moved.id }?.change == .reanchored)
        #expect(document.imported.first?.reports.first?.reference == report.shortID)
    }

    @Test("a changed report whose notes all stay put lists none")
    func unmovedNotesAreNotListed() async throws {
        let sandbox = try await CLISandbox.initialized()
        let file = try sandbox.write("report.txt", text: Self.original)
        #expect(await sandbox.run("import", file).status == 0)
        let store = try sandbox.open()
        let report = try #require(try store.reports().first)
        let third = try #require(try store.outline(of: report.shortID).sections.last).reference
        _ = try store.addAnnotation(on: third, text: "经费", quote: "专项经费")
        try Self.original.replacingOccurrences(of: "改造操场一处", with: "改造操场两处")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let result = await sandbox.run("import", "--json", file)
        let document = try result.decode(Document.self)
        #expect(document.imported.first?.reports.first?.outcome == .revised)
        #expect(document.imported.first?.reports.first?.annotations == [])
    }
}
