import Foundation
import MarginStore
import Testing

@Suite("margin reports and margin show")
struct ShowCommandTests {
    // MARK: - reports

    @Test("reports lists every report under a header, sorted by title with numbers in order")
    func reportsText() async throws {
        let sandbox = try await CLISandbox.seeded()
        let result = await sandbox.run("reports")

        #expect(result.status == 0)
        #expect(result.lines.count == SeedFiles.reportCount + 1)
        let header = try #require(result.lines.first)
        #expect(header.hasSuffix("  SECT  NOTES  TAGS  TITLE"))
        #expect(header.hasPrefix("ID"))
        let reports = try sandbox.open().reports()
        for (line, report) in zip(result.lines.dropFirst(), reports) {
            #expect(line.hasPrefix(report.shortID + "  "))
            #expect(line.hasSuffix("  " + report.title))
        }
        // Titles sort with their numbers read as numbers: 第2篇 before 第10篇.
        let titles = reports.map(\.title)
        let second = try #require(titles.firstIndex { $0.hasPrefix("第2篇") })
        let tenth = try #require(titles.firstIndex { $0.hasPrefix("第10篇") })
        #expect(second < tenth)
    }

    @Test("reports --json decodes to the 20 reports, and its counts follow annotate and tag")
    func reportsJSON() async throws {
        let sandbox = try await CLISandbox.seeded()
        let before = try await sandbox.run("reports", "--json").decode(ListingPage<ReportSummary>.self).items
        #expect(before.count == SeedFiles.reportCount)
        #expect(Set(before.map(\.id)).count == SeedFiles.reportCount)
        #expect(before.allSatisfy { $0.shortID.count >= 4 && $0.id.rawValue.hasPrefix($0.shortID) })
        #expect(before.allSatisfy { $0.annotations == 0 && $0.tags == 0 && $0.conflicts == 0 })

        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("annotate", section.reference, "第一条批注").status == 0)
        #expect(await sandbox.run("annotate", section.reference, "第二条批注").status == 0)
        #expect(await sandbox.run("tag", section.reference, "重点", "review").status == 0)

        let after = try await sandbox.run("reports", "--json").decode(ListingPage<ReportSummary>.self).items
        let changed = try #require(after.first { $0.id == section.report })
        #expect(changed.annotations == 2)
        #expect(changed.tags == 2)
        #expect(after.filter { $0.id != section.report }.allSatisfy { $0.annotations == 0 && $0.tags == 0 })

        // The text listing shows the same counts in its columns.
        let line = try #require(await sandbox.run("reports").lines.first { $0.hasPrefix(changed.shortID + " ") })
        let columns = line.split(separator: " ", omittingEmptySubsequences: true)
        #expect(columns.count >= 5)
        #expect(columns[1] == "\(changed.sections)")
        #expect(columns[2] == "2")
        #expect(columns[3] == "2")
    }

    @Test("reports on an empty store says how to import")
    func reportsEmpty() async throws {
        let sandbox = try await CLISandbox.initialized()
        let result = await sandbox.run("reports")
        #expect(result.status == 0)
        #expect(result.output.contains("No reports yet"))
        #expect(try await sandbox.run("reports", "--json").decode(ListingPage<ReportSummary>.self).items.isEmpty)
    }

    // MARK: - show REPORT

    @Test("show REPORT prints the title and an outline line per section")
    func showOutline() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let report = try #require(try store.reports().first { $0.sections > 3 })
        let outline = try store.outline(of: report.shortID)

        let result = await sandbox.run("show", report.shortID)
        #expect(result.status == 0)
        #expect(result.lines.first == "\(report.shortID)  \(report.title)")
        #expect(result.lines.dropFirst().first == "")
        let body = Array(result.lines.dropFirst(2))
        #expect(body.count == outline.sections.count)
        for (line, entry) in zip(body, outline.sections) {
            #expect(line.hasPrefix(entry.reference))
            if entry.level == 0 {
                #expect(line.contains("(preamble)"))
            } else {
                #expect(line.contains(entry.label + entry.heading))
            }
        }
        #expect(outline.sections.first?.reference == "\(report.shortID)/0")
    }

    @Test("show REPORT --json decodes to the outline, with tag and note marks after tagging")
    func showOutlineJSON() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let report = String(section.reference.prefix { $0 != "/" })
        #expect(await sandbox.run("tag", section.reference, "funding").status == 0)
        #expect(await sandbox.run("annotate", section.reference, "看这里").status == 0)

        let outline = try await sandbox.run("show", report, "--json").decode(ReportOutline.self)
        #expect(outline.shortID == report)
        #expect(outline.id == section.report)
        let entry = try #require(outline.sections.first { $0.id == section.id })
        #expect(entry.reference == section.reference)
        #expect(entry.tags == ["funding"])
        #expect(entry.annotations == 1)

        let text = await sandbox.run("show", report)
        let line = try #require(text.lines.first { $0.hasPrefix(section.reference + " ") })
        #expect(line.hasSuffix("[1 note, #funding]"), "\(line)")
    }

    // MARK: - show SECTION

    @Test("show SECTION prints heading, report, tags, text, and annotations with their quote")
    func showSection() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let (quote, start, end) = Scalars.uniqueQuote(in: section.text)
        #expect(await sandbox.run("tag", section.reference, "b-tag", "a-tag").status == 0)
        #expect(await sandbox.run("annotate", section.reference, "带引文的批注", "--quote", quote).status == 0)

        let result = await sandbox.run("show", section.reference)
        #expect(result.status == 0)
        let lines = result.lines
        #expect(lines[0] == "\(section.reference)  \(section.label)\(section.heading)")
        #expect(lines[1] == "in \(section.reportTitle)")
        #expect(lines[2] == "tags: #a-tag #b-tag")
        #expect(lines[3] == "")
        #expect(result.output.contains(section.text + "\n"))
        #expect(lines.contains("Annotations:"))
        let annotation = try #require(try sandbox.open().section(section.reference).annotations.first)
        #expect(lines.contains { $0.hasPrefix("  \(annotation.shortID)  tester, ") })
        // Positions are shown 1-based with both ends included: scalars start..<end are characters start+1 to end.
        #expect(lines.contains("    on “\(quote)” (characters \(start + 1)–\(end))"))
        #expect(lines.last == "    带引文的批注")
        #expect(!result.output.contains("\u{1B}["), "no terminal highlighting in captured output")
    }

    @Test("show SECTION --json decodes to the section detail")
    func showSectionJSON() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("tag", section.reference, "重点").status == 0)
        #expect(await sandbox.run("annotate", section.reference, "一条批注").status == 0)

        let detail = try await sandbox.run("show", section.reference, "--json").decode(SectionDetail.self)
        #expect(detail.id == section.id)
        #expect(detail.text == section.text)
        #expect(detail.tags == ["重点"])
        #expect(detail.annotations.map(\.text) == ["一条批注"])
        #expect(detail.annotations.first?.anchor == nil)
    }

    @Test("show REPORT/0 shows the preamble")
    func showPreamble() async throws {
        let sandbox = try await CLISandbox.seeded()
        let report = try #require(try sandbox.open().reports().first)
        let result = await sandbox.run("show", "\(report.shortID)/0")
        #expect(result.status == 0)
        #expect(result.lines.first == "\(report.shortID)/0  (preamble)")
    }

    @Test("a full section id works as a reference too")
    func showByFullSectionID() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let detail = try await sandbox.run("show", section.id.rawValue, "--json").decode(SectionDetail.self)
        #expect(detail.reference == section.reference)
    }

    // MARK: - show ANNOTATION

    @Test("show ANNOTATION prints author, quote and text; --json decodes")
    func showAnnotation() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let (quote, start, end) = Scalars.uniqueQuote(in: section.text)
        let added = await sandbox.run("annotate", section.reference, "第一行\n第二行", "--quote", quote, "--json")
        let annotation = try added.decode(AnnotationView.self)

        let result = await sandbox.run("show", annotation.shortID)
        #expect(result.status == 0)
        #expect(result.lines.first?.hasPrefix("\(annotation.shortID)  tester, ") == true)
        // Shown alone, the note says where it is.
        #expect(result.lines.dropFirst().first
            == "  section \(section.reference)  \(section.label)\(section.heading), in \(section.reportTitle)")
        #expect(result.lines.dropFirst(2).first == "  on “\(quote)” (characters \(start + 1)–\(end))")
        #expect(Array(result.lines.suffix(2)) == ["  第一行", "  第二行"])

        let shown = try await sandbox.run("show", annotation.shortID, "--json").decode(AnnotationView.self)
        var expected = annotation
        expected.sectionReference = section.reference
        #expect(shown == expected)
        #expect(shown.section == section.id)
        #expect(shown.sectionReference == section.reference)
        // JSON keeps 0-based scalar offsets, end exclusive.
        #expect(shown.anchor?.start == start && shown.anchor?.end == end)
        #expect(shown.placedStart == start && shown.placedEnd == end)
    }

    @Test("character positions are 1-based: the first character is character 1, a one-character quote one position")
    func oneBasedPositions() async throws {
        let sandbox = try await CLISandbox.initialized()
        let report = try await SkippingReport.imported(into: sandbox)
        let section = try SkippingReport.section("1、教研活动", of: report, in: sandbox)
        // The section's text begins with its heading line, "1、教研活动".
        let first = try await sandbox.run("annotate", section, "开头", "--quote", "1、教研", "--json").decode(AnnotationView.self)
        let single = try await sandbox.run("annotate", section, "一个字", "--quote", "逾", "--json").decode(AnnotationView.self)
        #expect(first.anchor?.start == 0 && first.anchor?.end == 4)
        let singleStart = try #require(single.anchor?.start)

        #expect(await sandbox.run("show", first.shortID).lines.dropFirst(2).first == "  on “1、教研” (characters 1–4)")
        #expect(await sandbox.run("show", single.shortID).lines.dropFirst(2).first == "  on “逾” (character \(singleStart + 1))")
    }

    @Test("show of a deleted annotation says it was deleted instead of printing an empty note")
    func showDeletedAnnotation() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let added = try await sandbox.run("annotate", section.reference, "将被删除", "--json").decode(AnnotationView.self)
        #expect(await sandbox.run("annotate", "--delete", added.shortID).status == 0)

        let result = await sandbox.run("show", added.shortID)
        #expect(result.status == 0)
        #expect(result.lines.count == 2, "the header and the section line: \(result.output)")
        #expect(result.lines.first?.contains("(deleted; margin history \(added.shortID) shows its revisions)") == true)
        let shown = try await sandbox.run("show", added.shortID, "--json").decode(AnnotationView.self)
        #expect(shown.deleted)
        #expect(shown.text.isEmpty)
    }

    // MARK: - bad references

    @Test("an unknown reference exits 1 and says nothing matches")
    func unknownReference() async throws {
        let sandbox = try await CLISandbox.seeded()
        let unused = try Self.unusedPrefix(in: sandbox.open())
        let result = await sandbox.run("show", unused)
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.errorLines.count == 1)
        #expect(result.errors.hasPrefix("error: Nothing matches “\(unused)”"))
        #expect(result.errors.contains("margin reports"))
    }

    @Test("references that are not hexadecimal match nothing", arguments: ["教育局", "zzzz"])
    func malformedReference(_ reference: String) async throws {
        let sandbox = try await CLISandbox.seeded()
        let result = await sandbox.run("show", reference)
        #expect(result.status == 1)
        #expect(result.errors.contains("Nothing matches “\(reference)”"))
    }

    @Test("a section number the report does not have exits 1 and points to the outline")
    func unknownSectionNumber() async throws {
        let sandbox = try await CLISandbox.seeded()
        let report = try #require(try sandbox.open().reports().first)
        let result = await sandbox.run("show", "\(report.shortID)/99.9")
        #expect(result.status == 1)
        #expect(result.errors.contains("has no section 99.9"))
        #expect(result.errors.contains("margin show \(report.shortID)"))
    }

    @Test("a prefix shared by two records is ambiguous and asks for more characters")
    func ambiguousReference() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let section = try store.someHeadingSection()
        // Identities are hashes: add annotations until two identities share their first four characters.
        var prefix: String?
        var seen = Set(try store.reports().map { String($0.id.rawValue.prefix(4)) })
        for number in 1...5_000 where prefix == nil {
            let annotation = try store.addAnnotation(on: section.reference, text: "批注 \(number)")
            let head = String(annotation.id.rawValue.prefix(4))
            if !seen.insert(head).inserted { prefix = head }
        }
        let shared = try #require(prefix)

        let result = await sandbox.run("show", shared)
        #expect(result.status == 1)
        #expect(result.errors.contains("“\(shared)” matches "))
        #expect(result.errors.contains("type at least"))
    }

    /// A 6-character hex prefix that no report or annotation id starts with.
    static func unusedPrefix(in store: MarginStore) throws -> String {
        let ids = try store.reports().map(\.id.rawValue)
        for candidate in ["000000", "ffffff", "123456", "abcdef", "fedcba"] where !ids.contains(where: { $0.hasPrefix(candidate) }) {
            return candidate
        }
        throw CancellationError()
    }
}
