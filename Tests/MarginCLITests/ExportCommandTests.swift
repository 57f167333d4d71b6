import Foundation
import MarginStore
import Testing

@Suite("margin export")
struct ExportCommandTests {
    /// A seeded store with one section tagged and annotated (with and without a quote).
    static func preparedStore() async throws -> (CLISandbox, SectionDetail, quote: String) {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let (quote, _, _) = Scalars.uniqueQuote(in: section.text)
        #expect(await sandbox.run("tag", section.reference, "重点", "review").status == 0)
        #expect(await sandbox.run("annotate", section.reference, "有引文的批注", "--quote", quote).status == 0)
        #expect(await sandbox.run("annotate", section.reference, "没有引文的批注").status == 0)
        return (sandbox, section, quote)
    }

    @Test("export prints Markdown with the title, headings by level, text, tags and annotations")
    func markdown() async throws {
        let (sandbox, section, quote) = try await Self.preparedStore()
        let report = String(section.reference.prefix { $0 != "/" })
        let outline = try sandbox.open().outline(of: report)

        let result = await sandbox.run("export", report)
        #expect(result.status == 0)
        #expect(result.errors.isEmpty)
        let lines = result.lines
        #expect(lines.first == "# \(outline.title)")
        for entry in outline.sections where entry.level > 0 {
            let hashes = String(repeating: "#", count: min(6, entry.level + 1))
            #expect(lines.contains("\(hashes) \(entry.label)\(entry.heading)"), "heading of \(entry.reference)")
        }
        #expect(lines.contains("Tags: #review #重点"))
        #expect(lines.contains("> **tester**: “\(quote)” — 有引文的批注"))
        #expect(lines.contains("> **tester**: 没有引文的批注"))
        for textLine in section.text.components(separatedBy: "\n") {
            #expect(lines.contains(textLine))
        }
        // The tags come right under the section's heading, before its text.
        let heading = try #require(lines.firstIndex(of: "\(String(repeating: "#", count: section.level + 1)) \(section.label)\(section.heading)"))
        #expect(lines[heading + 2] == "Tags: #review #重点")
        #expect(result.output == (try sandbox.open().export(report).markdown()) + "\n")
    }

    @Test("export --format markdown is the default")
    func explicitMarkdown() async throws {
        let sandbox = try await CLISandbox.seeded()
        let report = try #require(try sandbox.open().reports().first)
        let implicit = await sandbox.run("export", report.shortID)
        let explicit = await sandbox.run("export", report.shortID, "--format", "markdown")
        #expect(explicit.status == 0)
        #expect(explicit.output == implicit.output)
    }

    @Test("export --format json decodes to the report with its sections, tags and annotations")
    func json() async throws {
        let (sandbox, section, quote) = try await Self.preparedStore()
        let report = String(section.reference.prefix { $0 != "/" })
        let outline = try sandbox.open().outline(of: report)

        let result = await sandbox.run("export", report, "--format", "json")
        #expect(result.status == 0)
        let export = try result.decode(ReportExport.self)
        #expect(export.id == section.report)
        #expect(export.title == outline.title)
        #expect(export.revision == outline.revision)
        #expect(export.sections.map(\.id) == outline.sections.map(\.id))
        let exported = try #require(export.sections.first { $0.id == section.id })
        #expect(exported.tags == ["review", "重点"])
        #expect(exported.text == section.text)
        #expect(exported.annotations.map(\.text) == ["有引文的批注", "没有引文的批注"])
        #expect(exported.annotations.first?.anchor?.quote == quote)
        #expect(export.sections.filter { $0.id != section.id }.allSatisfy { $0.tags.isEmpty && $0.annotations.isEmpty })
    }

    @Test("deleted annotations are not exported")
    func deletedAnnotationsLeftOut() async throws {
        let (sandbox, section, _) = try await Self.preparedStore()
        let report = String(section.reference.prefix { $0 != "/" })
        let annotation = try #require(try sandbox.open().section(section.reference).annotations.last)
        #expect(await sandbox.run("annotate", "--delete", annotation.shortID).status == 0)
        let result = await sandbox.run("export", report)
        #expect(!result.output.contains("没有引文的批注"))
        #expect(result.output.contains("有引文的批注"))
    }

    @Test("exporting a section or an unknown report exits 1")
    func wrongReference() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let onSection = await sandbox.run("export", section.reference)
        #expect(onSection.status == 1)
        #expect(onSection.output.isEmpty)
        #expect(onSection.errors.contains("is a section, but a report is needed"))

        let unknown = await sandbox.run("export", try ShowCommandTests.unusedPrefix(in: sandbox.open()))
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("Nothing matches"))
    }

    @Test("an unknown --format, or no report, is a usage error", arguments: [["--format", "xml", "abcd"], []])
    func usageErrors(_ arguments: [String]) async throws {
        let sandbox = try await CLISandbox.seeded()
        let result = await sandbox.run(["export"] + arguments)
        #expect(result.status == 64)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("Usage: margin export"))
    }
}
