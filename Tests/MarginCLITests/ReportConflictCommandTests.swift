import Foundation
import MarginCore
import MarginStore
import Testing

/// `margin conflicts`, `show`, `edit` and `resolve` on a report edited on two peers.
@Suite("Report conflict commands")
struct ReportConflictCommandTests {
    static let text = """
        柳河镇中心校2024年工作回顾
        这一年学校把力气花在两件事上:改善校舍,带好教师。
        一、改善校舍
        年内为十二所村小换上了新的课桌椅。
        二、带好教师
        青年教师外出听课三批次,回校后各上一节汇报课。
        """

    /// Two stores holding the report, each of which edited it (A replacing `ours`, B replacing `theirs` in the
    /// text), exchanged; and the report's reference.
    static func conflicted(
        ours: (String, String), theirs: (String, String)
    ) async throws -> (a: CLISandbox, b: CLISandbox, report: String) {
        let a = try await CLISandbox.initialized(author: "a")
        let b = try await CLISandbox.initialized(author: "b")
        let file = try a.write("柳河镇.txt", Data(text.utf8))
        let imported = await a.run("import", file, "--json")
        #expect(imported.status == 0, "\(imported.errors)")
        let report = try #require(try a.open().reports().first).shortID
        try ConflictCommandTests.exchange(a, b)
        for (sandbox, change) in [(a, ours), (b, theirs)] {
            let edited = try sandbox.write("edited.txt", Data(text.replacingOccurrences(of: change.0, with: change.1).utf8))
            let result = await sandbox.run("edit", report, "--file", edited)
            #expect(result.status == 0, "\(result.errors)")
        }
        try ConflictCommandTests.exchange(a, b)
        return (a, b, report)
    }

    @Test func editsOfDifferentSectionsAreListedAndMergeWithOneCommand() async throws {
        let (a, b, report) = try await Self.conflicted(ours: ("十二所", "十五所"), theirs: ("三批次", "四批次"))
        let listed = await a.run("conflicts")
        #expect(listed.status == 0)
        #expect(listed.output.contains("report \(report)"))
        #expect(listed.output.contains("edited on 2 peers"))
        #expect(listed.output.contains("changed 1 一、改善校舍"))
        #expect(listed.output.contains("changed 2 二、带好教师"))
        #expect(listed.output.contains("the changes do not clash: margin resolve \(report) --merge"))
        #expect(try await a.run("conflicts", "--json").decode([ConflictView].self).map(\.kind) == [.report])
        #expect(await a.run("show", report).output.contains("edited on two peers"))

        // An edit meanwhile would settle it with one side's text: refused, nothing written.
        let before = try a.changeCount()
        let again = try a.write("again.txt", Data(Self.text.utf8))
        let edit = await a.run("edit", report, "--file", again)
        #expect(edit.status == 1)
        #expect(edit.errors.contains("margin resolve \(report)"))
        #expect(await a.run("resolve", report, "--text", "别的").status == 64)
        #expect(try a.changeCount() == before)

        let merged = await a.run("resolve", report, "--merge")
        #expect(merged.status == 0, "\(merged.errors)")
        #expect(merged.output.contains("Resolved report \(report)"))
        #expect(await a.run("conflicts").output.contains("No open conflicts"))
        try ConflictCommandTests.exchange(a, b)
        for sandbox in [a, b] {
            let shown = await sandbox.run("show", report + "/1")
            #expect(shown.output.contains("十五所"))
            #expect(await sandbox.run("show", report + "/2").output.contains("四批次"))
        }
    }

    @Test func aClashIsMergedByAPersonBetweenMarkers() async throws {
        let (a, b, report) = try await Self.conflicted(ours: ("十二所", "十五所"), theirs: ("十二所", "二十所"))
        #expect(await a.run("conflicts").output.contains("1 part clashes"))
        let before = try a.changeCount()
        let refused = await a.run("resolve", report, "--merge")
        #expect(refused.status == 1)
        #expect(refused.errors.contains("--edit"))
        #expect(try a.changeCount() == before)

        let template = a.folder.appendingPathComponent("template.txt").path
        let merged = Self.text.replacingOccurrences(of: "十二所", with: "十八所")
        let mergedFile = try a.write("merged.txt", Data(merged.utf8))
        let editor = try a.editorScript("merge.sh", """
            cp "$1" \(Shell.quote(template))
            { cat \(Shell.quote(mergedFile)); echo; sed -n '/^# -* >8 -*$/,$p' "$1"; } > "$1.new" && mv "$1.new" "$1"
            """)
        let resolved = await a.run(["resolve", report, "--edit"], input: CLISandbox.editor(editor))
        #expect(resolved.status == 0, "\(resolved.errors) \(resolved.output)")
        let opened = try String(contentsOfFile: template, encoding: .utf8)
        #expect(opened.contains("<<<<<<< ") && opened.contains("||||||| base") && opened.contains(">>>>>>>"))
        #expect(opened.contains("十五所") && opened.contains("二十所") && opened.contains("十二所"))
        // The part no side clashed on is there once, merged, outside the markers.
        #expect(opened.components(separatedBy: "三批次").count == 2)
        try ConflictCommandTests.exchange(a, b)
        for sandbox in [a, b] {
            #expect(try sandbox.open().conflicts().isEmpty)
            #expect(await sandbox.run("show", report + "/1").output.contains("十八所"))
        }
    }
}
