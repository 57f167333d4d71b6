import Foundation
import MarginStore
import Testing

/// `margin edit` refuses a text that lost its title line or kept nothing but it: nothing is written, and text
/// written in the editor stays in the file the message names.
@Suite("margin edit refuses a text without its title line or its sections")
struct EditRefusalTests {
    static let scissors = "# ------------------------ >8 ------------------------"

    /// Runs `margin edit` on the sandbox's report with an editor script, and checks that nothing was written and
    /// that the kept file starts with `keptPrefix`. Returns the error text.
    static func refusedEdit(_ script: String, keptPrefix: String) async throws -> String {
        let (sandbox, reference) = try await EditCommandTests.sandboxWithReport()
        let before = try sandbox.changeCount()
        let editor = try sandbox.editorScript("editor.sh", script)
        let result = await sandbox.run(["edit", reference], input: CLISandbox.editor(editor))
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(try sandbox.changeCount() == before, "nothing is written")
        #expect(try sandbox.open().reports().map(\.title) == ["2024年教育局工作总结"])
        #expect(try EditCommandTests.headings(reference, in: sandbox) == ["", "主要工作", "存在的问题"])
        let kept = try #require(result.keptTextFile, "the edited text is kept: \(result.errors)")
        defer { try? FileManager.default.removeItem(atPath: kept) }
        let text = try String(contentsOfFile: kept, encoding: .utf8)
        #expect(text.hasPrefix(keptPrefix), "\(text)")
        #expect(text.contains(Self.scissors))
        return result.errors
    }

    @Test func aDeletedTitleLineIsRefusedWhenTheTextMovesUpIntoItsPlace() async throws {
        let errors = try await Self.refusedEdit("sed -i '1d' \"$1\"", keptPrefix: "\n今年以来")
        #expect(errors.contains("error: Nothing written: the title line seems to have been deleted"), "\(errors)")
        #expect(errors.contains("the first line, “今年以来，我局坚持立德树人根本任务，全面推进各项工作。”, is a line of the report's text"))
        #expect(errors.contains("put the title (“2024年教育局工作总结”) back on the first line"))
    }

    @Test func aDeletedTitleLineIsRefusedWhenAHeadingMovesUpIntoItsPlace() async throws {
        // Title, blank line, preamble and blank line gone: the first line is the heading 一、主要工作.
        let errors = try await Self.refusedEdit("sed -i '1,4d' \"$1\"", keptPrefix: "一、主要工作\n")
        #expect(errors.contains("Nothing written: the title line was deleted: the first line, “一、主要工作”, is a heading"), "\(errors)")
        #expect(errors.contains("put the title (“2024年教育局工作总结”) back on the first line"))
    }

    @Test func aTextWithOnlyItsTitleIsRefused() async throws {
        // Keeps the title line, then the scissors line and the instructions: every section is gone.
        let errors = try await Self.refusedEdit(
            "{ head -n 1 \"$1\"; sed -n '/>8/,$p' \"$1\"; } > \"$1.new\" && cat \"$1.new\" > \"$1\" && rm \"$1.new\"",
            keptPrefix: "2024年教育局工作总结\n" + Self.scissors)
        #expect(errors.contains("Nothing written: the edited text keeps only its title line, which would drop every section"), "\(errors)")
    }

    @Test func theSameRefusalsHoldForFile() async throws {
        let (sandbox, reference) = try await EditCommandTests.sandboxWithReport()
        let before = try sandbox.changeCount()
        let titleOnly = try sandbox.write("title-only.txt", text: "2024年教育局工作总结\n\n\n")
        let headingFirst = try sandbox.write("heading-first.txt", text: "二、存在的问题\n\n部分学校班额偏大。\n")
        let textFirst = try sandbox.write("text-first.txt", text: "城乡之间教育资源仍不均衡，部分学校班额偏大。\n\n一、主要工作\n")
        for (file, words) in [
            (titleOnly, "keeps only its title line"), (headingFirst, "“二、存在的问题”, is a heading"),
            (textFirst, "the title line seems to have been deleted"),
        ] {
            let result = await sandbox.run("edit", reference, "--file", file)
            #expect(result.status == 1)
            #expect(result.errors.contains(words), "\(result.errors)")
        }
        #expect(try sandbox.changeCount() == before)
    }

    @Test func aNewTitleAndAReportWithOnlyAPreambleAreStillSaved() async throws {
        let (sandbox, reference) = try await EditCommandTests.sandboxWithReport()
        let retitled = try sandbox.write("retitled.txt", text: EditCommandTests.report.replacingOccurrences(
            of: "2024年教育局工作总结", with: "东城区教育局2024年度工作总结"))
        let result = await sandbox.run("edit", reference, "--file", retitled)
        #expect(result.status == 0, "\(result.errors)")
        #expect(try sandbox.open().reports().map(\.title) == ["东城区教育局2024年度工作总结"])
        let preambleOnly = try sandbox.write("preamble.txt", text: "东城区教育局2024年度工作总结\n\n全年工作另见附件。\n")
        let short = await sandbox.run("edit", reference, "--file", preambleOnly)
        #expect(short.status == 0, "\(short.errors)")
        #expect(try EditCommandTests.headings(reference, in: sandbox) == [""])
    }
}
