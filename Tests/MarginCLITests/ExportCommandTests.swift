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

    @Test("export prints Markdown with the title, headings, tags, text and annotations as quotes")
    func markdown() async throws {
        let (sandbox, section, quote) = try await Self.preparedStore()
        let report = String(section.reference.prefix { $0 != "/" })
        let outline = try sandbox.open().outline(of: report)

        let result = await sandbox.run("export", report)
        #expect(result.status == 0)
        #expect(result.errors.isEmpty)
        let blocks = MarkdownStructure.parse(result.output)
        #expect(blocks.first == .heading(1, outline.title))
        let headings = MarkdownStructure.headings(blocks)
        #expect(headings.filter { $0.level == 1 }.count == 1, "only the title is a level-1 heading")
        #expect(headings.dropFirst().map(\.text) == outline.sections.filter { $0.level > 0 }.map { $0.label + $0.heading })
        let paragraphs = MarkdownStructure.paragraphLines(blocks)
        #expect(paragraphs.contains("Tags: #review #重点"))
        // The section's text under its heading, without its first line when that line is the heading alone.
        let headingLine = section.label + section.heading
        let headingAlone = ["", "。", "：", ":"].map { headingLine + $0 }
        for (index, textLine) in section.text.components(separatedBy: "\n").enumerated() where !textLine.isEmpty {
            if index == 0 && headingAlone.contains(textLine.trimmingCharacters(in: .whitespaces)) { continue }
            #expect(paragraphs.contains(textLine))
        }
        // A heading line alone is said once, as the heading: no section's text repeats it under its heading.
        var underHeading: String?
        for block in blocks.dropFirst() {
            switch block {
            case let .heading(_, text): underHeading = text
            case let .paragraph(lines):
                let repeated = underHeading.map { heading in ["", "。", "："].contains { lines == [heading + $0] } } ?? false
                #expect(!repeated, "a paragraph repeats its heading")
            case .quote: break
            }
        }
        #expect(outline.sections.contains { $0.level > 0 } && paragraphs.count > 0)
        let quotes = MarkdownStructure.quotes(blocks)
        #expect(quotes.contains(["**tester**: “\(quote)” — 有引文的批注"]))
        #expect(quotes.contains(["**tester**: 没有引文的批注"]))
        // The tags come right under the section's heading, before its text.
        let heading = try #require(blocks.firstIndex { if case .heading(_, section.label + section.heading) = $0 { true } else { false } })
        #expect(blocks[heading + 1] == .paragraph(["Tags: #review #重点"]))
        #expect(result.output == (try sandbox.open().export(report).markdown()) + "\n")
    }

    @Test("heading levels are consecutive in every seed report: none deeper than one below the heading before")
    func seedHeadingLevelsNeverSkip() async throws {
        let sandbox = try await CLISandbox.seeded()
        var deepest = 0
        for report in try sandbox.open().reports() {
            let headings = MarkdownStructure.headings(MarkdownStructure.parse(try sandbox.open().export(report.shortID).markdown()))
            #expect(headings.first?.level == 1)
            for (previous, next) in zip(headings, headings.dropFirst()) {
                #expect(next.level >= 2 && next.level <= previous.level + 1, "\(report.shortID): \(previous) then \(next)")
            }
            deepest = max(deepest, headings.map(\.level).max() ?? 0)
        }
        #expect(deepest >= 4, "the seeds nest deep enough for a skip to show")
    }

    @Test("a report whose numbering skips a level gets consecutive Markdown heading levels")
    func skippedOutlineLevels() async throws {
        let sandbox = try await CLISandbox.initialized()
        let report = try await SkippingReport.imported(into: sandbox)
        #expect(try sandbox.open().outline(of: report).sections.map(\.level) == [0] + SkippingReport.headings.map(\.level))

        let result = await sandbox.run("export", report)
        #expect(result.status == 0)
        let headings = MarkdownStructure.headings(MarkdownStructure.parse(result.output))
        // 一、 is level 1 and 1、 level 3 in the report; under the title they are ## and ###, and （1）, one below 1、, is ####.
        let expected: [(Int, String)] = [
            (1, SkippingReport.title), (2, "一、课程建设"), (3, "1、教研活动"), (2, "二、队伍建设"), (3, "1、教师培训"),
            (4, "（1）名师工作室"),
        ]
        #expect(headings.map(\.level) == expected.map(\.0))
        #expect(headings.map(\.text) == expected.map(\.1))
    }

    @Test("every line of a multi-line note is inside its block quote, none in the report's text")
    func multiLineNote() async throws {
        let sandbox = try await CLISandbox.initialized()
        let report = try await SkippingReport.imported(into: sandbox)
        let section = try SkippingReport.section("1、教研活动", of: report, in: sandbox)
        let note = "第一行：数据需要核实\n第二行：与去年对比\n\n第四行在空行之后\n#重点 以井号开头的一行"
        #expect(await sandbox.run("annotate", section, note, "--quote", "每月组织一次全区教研活动").status == 0)

        let blocks = MarkdownStructure.parse(await sandbox.run("export", report).output)
        let quotes = MarkdownStructure.quotes(blocks)
        #expect(quotes.count == 1)
        let lines = try #require(quotes.first)
        #expect(lines == [
            "**tester**: “每月组织一次全区教研活动” — 第一行：数据需要核实", "第二行：与去年对比", "", "第四行在空行之后",
            "\\#重点 以井号开头的一行",
        ])
        let body = MarkdownStructure.paragraphLines(blocks)
        for line in note.components(separatedBy: "\n") where !line.isEmpty {
            #expect(!body.contains { $0.contains(line) }, "“\(line)” is outside the quote")
        }
        #expect(!MarkdownStructure.headings(blocks).contains { $0.text.contains("重点") })
        // The note comes right after its section's text.
        let quoteIndex = try #require(blocks.firstIndex(of: .quote(lines)))
        #expect(blocks[quoteIndex - 1] == .paragraph(["每月组织一次全区教研活动，参加教师逾三百人次。"]))
    }

    @Test("orphaned notes are listed last under Orphaned notes with their old quote, not as anchored")
    func orphanedNotes() async throws {
        let sandbox = try await CLISandbox.initialized()
        let report = try await SkippingReport.imported(into: sandbox)
        let research = try SkippingReport.section("1、教研活动", of: report, in: sandbox)
        let studio = try SkippingReport.section("（1）名师工作室", of: report, in: sandbox)
        #expect(await sandbox.run("annotate", research, "引文将被改写", "--quote", "每月组织一次全区教研活动").status == 0)
        #expect(await sandbox.run("annotate", research, "没有引文，仍在原处").status == 0)
        #expect(await sandbox.run("annotate", studio, "所在小节将被删除", "--quote", "示范课二十节").status == 0)
        // Rewrite the quoted line and drop the last section, then re-import.
        let changed = SkippingReport.text
            .replacingOccurrences(of: "每月组织一次全区教研活动，参加教师逾三百人次。", with: "教研改为每季度一次。")
            .replacingOccurrences(of: "（1）名师工作室\n名师工作室开展示范课二十节，辐射带动青年教师。\n", with: "")
        // The same report (its short form may have grown since: see NotesCommandTests.orphaned).
        #expect(try await SkippingReport.imported(into: sandbox, text: changed).hasPrefix(report))
        #expect(try sandbox.open().orphanedAnnotations().count == 2)

        let result = await sandbox.run("export", report)
        #expect(result.status == 0)
        let blocks = MarkdownStructure.parse(result.output)
        let orphanedHeading = try #require(blocks.firstIndex(of: .heading(2, "Orphaned notes")))
        #expect(MarkdownStructure.headings(Array(blocks[orphanedHeading...])).count == 1, "the orphaned part is last")
        let anchoredQuotes = MarkdownStructure.quotes(Array(blocks[..<orphanedHeading]))
        let orphanedQuotes = MarkdownStructure.quotes(Array(blocks[orphanedHeading...]))
        #expect(anchoredQuotes == [["**tester**: 没有引文，仍在原处"]])
        #expect(orphanedQuotes == [
            ["**tester** (orphaned; was in \(research) 1、教研活动): “每月组织一次全区教研活动” — 引文将被改写"],
            ["**tester** (orphaned; was its section is no longer in the report): “示范课二十节” — 所在小节将被删除"],
        ])

        let json = try await sandbox.run("export", report, "--json").decode(ReportExport.self)
        #expect(json.notesOnRemovedSections.map(\.text) == ["所在小节将被删除"])
        let section = try #require(json.sections.first { $0.reference == research })
        #expect(section.annotations.map(\.placement) == ["orphaned", nil])
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

    @Test("export --format json (or --json) decodes to the report with its sections, tags and annotations")
    func json() async throws {
        let (sandbox, section, quote) = try await Self.preparedStore()
        let report = String(section.reference.prefix { $0 != "/" })
        let outline = try sandbox.open().outline(of: report)

        let result = await sandbox.run("export", report, "--format", "json")
        #expect(result.status == 0)
        #expect(await sandbox.run("export", report, "--json").output == result.output)
        #expect(await sandbox.run("export", report, "--json", "--format", "json").output == result.output)
        let export = try result.decode(ReportExport.self)
        #expect(export.id == section.report)
        #expect(export.shortID == report)
        #expect(export.title == outline.title)
        #expect(export.revision == outline.revision)
        #expect(export.sections.map(\.id) == outline.sections.map(\.id))
        let exported = try #require(export.sections.first { $0.id == section.id })
        #expect(exported.tags == ["review", "重点"])
        #expect(exported.text == section.text)
        #expect(exported.annotations.map(\.text) == ["有引文的批注", "没有引文的批注"])
        #expect(exported.annotations.allSatisfy { $0.sectionReference == section.reference })
        #expect(exported.annotations.first?.anchor?.quote == quote)
        #expect(export.sections.filter { $0.id != section.id }.allSatisfy { $0.tags.isEmpty && $0.annotations.isEmpty })
        #expect(export.notesOnRemovedSections.isEmpty)
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

    @Test(
        "usage errors: an unknown format, no report, a report with --all, CSV of one report, --json against --format",
        arguments: [
            ["--format", "xml", "abcd"], [], ["--all", "abcd"], ["--format", "csv", "abcd"],
            ["--json", "--format", "markdown", "abcd"],
        ])
    func usageErrors(_ arguments: [String]) async throws {
        let sandbox = try await CLISandbox.seeded()
        let result = await sandbox.run(["export"] + arguments)
        #expect(result.status == 64)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("Usage: margin export"))
    }

    @Test("export --help documents --json and --all")
    func help() async throws {
        let result = await CLISandbox.runBare(["export", "--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("--json") && result.output.contains("--all") && result.output.contains("csv"))
        let notes = await CLISandbox.runBare(["notes", "--help"])
        #expect(notes.status == 0)
        for option in ["--author", "--tag", "--since", "--report", "--orphaned", "--conflicted", "--limit", "--json"] {
            #expect(notes.output.contains(option), "notes --help documents \(option)")
        }
    }

    // MARK: - export --all

    /// Notes on two reports: a multi-line one with commas and quotes in its text and quote, and a plain one.
    static func notesOnTwoReports() async throws -> (CLISandbox, own: String, seeded: SectionDetail) {
        let sandbox = try await CLISandbox.seeded()
        let own = try await SkippingReport.imported(into: sandbox)
        let research = try SkippingReport.section("1、教研活动", of: own, in: sandbox)
        let seeded = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("annotate", seeded.reference, "种子报告上的批注").status == 0)
        #expect(await sandbox.run(
            "annotate", research, "第一行, 有逗号\n第二行 \"有引号\"\n第三行", "--quote", "参加教师逾三百人次").status == 0)
        // A new note's identity can lengthen every short reference (when its prefix meets another's): read both
        // references again, as the store gives them now.
        let store = try sandbox.open()
        let ownNow = try #require(try store.reports().first { $0.title == SkippingReport.title }).shortID
        let number = try #require(seeded.reference.split(separator: "/").last)
        return (sandbox, ownNow, try store.section(seeded.report.rawValue + "/" + number))
    }

    @Test("export --all --format csv is RFC 4180: a header, one row per note, multi-line text in one quoted field")
    func allAsCSV() async throws {
        let (sandbox, own, seeded) = try await Self.notesOnTwoReports()
        let result = await sandbox.run("export", "--all", "--format", "csv")
        #expect(result.status == 0)
        #expect(result.output.hasSuffix("\r\n"))
        let records = try CSVReader.records(result.output)
        #expect(records.first == [
            "id", "reference", "report", "report_reference", "report_title", "section_reference", "heading", "quote",
            "author", "created", "updated", "placement", "conflicted", "text", "moved_from_reference",
        ])
        let rows = records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(records[0], $0)) }
        #expect(rows.count == 2)
        #expect(records.allSatisfy { $0.count == 15 })
        let notes = try sandbox.open().notes().items
        #expect(rows.map { $0["id"] } == notes.map(\.id.rawValue))

        let multiLine = try #require(rows.first { $0["report_reference"] == own })
        #expect(multiLine["text"] == "第一行, 有逗号\n第二行 \"有引号\"\n第三行")
        #expect(multiLine["quote"] == "参加教师逾三百人次")
        #expect(multiLine["report_title"] == SkippingReport.title)
        #expect(multiLine["section_reference"] == "\(own)/1.1")
        #expect(multiLine["heading"] == "1、教研活动")
        #expect(multiLine["author"] == "tester")
        #expect(multiLine["placement"] == "exact")
        #expect(multiLine["conflicted"] == "false")
        #expect(multiLine["moved_from_reference"] == "")
        let created = try #require(multiLine["created"])
        #expect(Timestamp.parse(created) != nil && created.hasSuffix("Z"), "\(created)")

        let plain = try #require(rows.first { $0["report"] == seeded.report.rawValue })
        #expect(plain["section_reference"] == seeded.reference)
        #expect(plain["quote"] == "")
        #expect(plain["text"] == "种子报告上的批注")
    }

    @Test("export --all --format json is every note; --all --json is the same")
    func allAsJSON() async throws {
        let (sandbox, own, seeded) = try await Self.notesOnTwoReports()
        let result = await sandbox.run("export", "--all", "--format", "json")
        #expect(result.status == 0)
        #expect(await sandbox.run("export", "--all", "--json").output == result.output)
        let listing = try result.decode(ListingPage<NoteEntry>.self)
        #expect(listing.total == 2)
        #expect(Set(listing.items.compactMap(\.reportReference)) == [own, String(seeded.reference.prefix { $0 != "/" })])
    }

    @Test("export --all as Markdown: a heading per report and per section, every note line inside its quote")
    func allAsMarkdown() async throws {
        let (sandbox, own, seeded) = try await Self.notesOnTwoReports()
        let result = await sandbox.run("export", "--all")
        #expect(result.status == 0)
        let blocks = MarkdownStructure.parse(result.output)
        let headings = MarkdownStructure.headings(blocks)
        #expect(headings.first?.level == 1)
        #expect(headings.filter { $0.level == 2 }.count == 2)
        #expect(headings.contains { $0.level == 2 && $0.text == "\(SkippingReport.title) (\(own))" })
        #expect(headings.contains { $0.level == 3 && $0.text == "\(own)/1.1 1、教研活动" })
        #expect(headings.contains { $0.level == 3 && $0.text == "\(seeded.reference) \(seeded.label)\(seeded.heading)" })
        for (previous, next) in zip(headings, headings.dropFirst()) { #expect(next.level <= previous.level + 1) }
        let quote = try #require(MarkdownStructure.quotes(blocks).first { $0.first?.contains("第一行") == true })
        #expect(quote.count == 3)
        #expect(quote[0].hasSuffix("“参加教师逾三百人次” — 第一行, 有逗号"))
        #expect(quote[1] == "第二行 \"有引号\"")
        #expect(quote[2] == "第三行")
    }

    @Test("export --all on a store without notes prints a header row only, or an empty listing")
    func allWithoutNotes() async throws {
        let sandbox = try await CLISandbox.seeded()
        let csv = await sandbox.run("export", "--all", "--format", "csv")
        #expect(csv.status == 0)
        #expect(try CSVReader.records(csv.output).count == 1)
        let listing = try await sandbox.run("export", "--all", "--json").decode(ListingPage<NoteEntry>.self)
        #expect(listing.items.isEmpty && listing.total == 0)
    }
}
