import Foundation
import MarginCore
import MarginStore
import MarginTestSupport
import Testing

/// `notes`, `show`, `export` and `annotate --reanchor --section` on notes whose quote moved to another section.
@Suite("Notes that follow their quotes, on the command line")
struct NotesFollowQuotesCommandTests {
    static let text = QuoteFollowingFixture.text
    static let quote = QuoteFollowingFixture.quote

    /// A store with the report and a note on 一 quoting the ultrasound sentence; the report is then imported again
    /// as `revised`. Returns the note's identity and the import's output.
    static func noteAfterReimport(_ revised: String) async throws -> (CLISandbox, RecordID, CommandResult) {
        let sandbox = try await CLISandbox.initialized()
        let file = try sandbox.write("柳河镇.txt", text: text)
        try #require(await sandbox.run("import", file).status == 0)
        let report = try #require(try sandbox.open().reports().first).shortID
        let first = try #require(try sandbox.open().outline(of: report).sections.first { $0.heading == "门诊服务" })
        let added = try await sandbox.run("annotate", first.reference, "设备用途待核实", "--quote", quote, "--json")
            .decode(AnnotationView.self)
        _ = try sandbox.write("柳河镇.txt", text: revised)
        let reimport = await sandbox.run("import", file)
        try #require(reimport.status == 0, "\(reimport.errors)")
        return (sandbox, added.id, reimport)
    }

    /// Current references of the report's sections, by heading.
    static func sections(_ sandbox: CLISandbox) throws -> [String: OutlineEntry] {
        let store = try sandbox.open()
        let report = try #require(try store.reports().first).shortID
        return Dictionary(uniqueKeysWithValues: try store.outline(of: report).sections.map { ($0.heading, $0) })
    }

    static let moved = text.replacingOccurrences(of: "新购置一台彩色超声诊断仪。\n", with: "") + "\n新购置一台彩色超声诊断仪。"

    @Test("notes, show, the CSV and the JSON say where a relocated note was written")
    func relocatedNoteIsShownWithWhereItCameFrom() async throws {
        let (sandbox, id, reimport) = try await Self.noteAfterReimport(Self.moved)
        let note = try sandbox.open().annotation(id.rawValue)
        let sections = try Self.sections(sandbox)
        let first = try #require(sections["门诊服务"]), second = try #require(sections["公共卫生"])
        #expect(reimport.output.contains("annotation \(note.shortID) “\(Self.quote)” followed its quote to \(second.reference) (relocated)"),
            "\(reimport.output)")

        let listed = await sandbox.run("notes")
        #expect(listed.status == 0)
        #expect(listed.lines.contains("  moved from \(first.reference) 一、门诊服务 to \(second.reference) 二、公共卫生"),
            "\(listed.output)")
        #expect(listed.lines.contains { $0.hasPrefix("  \(second.reference)  二、公共卫生") }, "\(listed.output)")
        #expect(!listed.output.contains("orphaned"))

        let json = try JSONConventionTests.object(await sandbox.run("notes", "--json"))
        let item = try #require((json["items"] as? [[String: Any]])?.first)
        #expect(item["placement"] as? String == "relocated")
        #expect(item["movedFrom"] as? String == first.id.rawValue)
        #expect(item["movedFromReference"] as? String == first.reference)
        #expect(item["section"] as? String == second.id.rawValue)
        #expect(item["sectionReference"] as? String == second.reference)

        let csv = try CSVReader.records(await sandbox.run("export", "--all", "--format", "csv").output)
        #expect(csv.first?.last == "moved_from_reference")
        let row = Dictionary(uniqueKeysWithValues: zip(csv[0], try #require(csv.dropFirst().first)))
        #expect(row["moved_from_reference"] == first.reference)
        #expect(row["section_reference"] == second.reference)
        #expect(row["placement"] == "relocated")

        let shown = await sandbox.run("show", note.shortID)
        #expect(shown.output.contains("moved from \(first.reference)"), "\(shown.output)")
        let shownJSON = try JSONConventionTests.object(await sandbox.run("show", note.shortID, "--json"))
        #expect(shownJSON["movedFrom"] as? String == first.id.rawValue)
        #expect(shownJSON["movedFromReference"] as? String == first.reference)
        // The section it followed its quote to lists it, and so does the report's export, under that section.
        let section = await sandbox.run("show", second.reference)
        #expect(section.output.contains(note.shortID) && section.output.contains("moved from \(first.reference)"))
        let report = try #require(first.reference.split(separator: "/").first).description
        let markdown = await sandbox.run("export", report).output
        let underSecond = try #require(markdown.range(of: "二、公共卫生"))
        #expect(markdown[underSecond.upperBound...].contains(
            "> **tester** (moved from \(first.reference)): “\(Self.quote)” — 设备用途待核实"), "\(markdown)")
        #expect(!markdown.contains("Orphaned notes"))
    }

    @Test("a note whose quote is in two sections lists both, and --reanchor --section places it")
    func ambiguousNoteIsPlacedByHand() async throws {
        let (sandbox, id, _) = try await Self.noteAfterReimport(QuoteFollowingFixture.quoteInTwoOtherSections)
        let sections = try Self.sections(sandbox)
        let first = try #require(sections["门诊服务"]), second = try #require(sections["公共卫生"])
        let third = try #require(sections["下一步"])
        let short = try sandbox.open().annotation(id.rawValue).shortID

        let listed = await sandbox.run("notes", "--orphaned")
        #expect(listed.lines.first?.hasSuffix("⚠ orphaned") == true)
        #expect(listed.lines.contains(
            "  its quote is in \(second.reference), \(third.reference); place it with margin annotate --reanchor \(short) --section SECTION"),
            "\(listed.output)")
        let json = try JSONConventionTests.object(await sandbox.run("show", short, "--json"))
        #expect(json["candidateReferences"] as? [String] == [second.reference, third.reference])
        #expect(json["candidates"] as? [String] == [second.id.rawValue, third.id.rawValue])
        #expect(await sandbox.run("show", short).output.contains("is in \(second.reference), \(third.reference)"))
        let report = try #require(first.reference.split(separator: "/").first).description
        #expect(await sandbox.run("export", report).output.contains(
            "(orphaned; was in \(first.reference) 一、门诊服务; its quote is in \(second.reference), \(third.reference))"))

        // Refused where the quote is not, with nothing written.
        let refused = await sandbox.run("annotate", "--reanchor", short, "--section", first.reference)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("not in the section text"), "\(refused.errors)")
        #expect(try sandbox.open().history(of: short).count == 1)
        // --section belongs to --reanchor.
        #expect(await sandbox.run("annotate", first.reference, "新批注", "--section", third.reference).status == 64)

        let placed = await sandbox.run("annotate", "--reanchor", short, "--section", third.reference)
        #expect(placed.status == 0, "\(placed.errors)")
        #expect(placed.lines == ["Placed annotation \(short) on \(third.reference)."])
        let view = try sandbox.open().annotation(id.rawValue)
        #expect(view.placement == "exact" && view.section == third.id)
        #expect(try sandbox.open().history(of: short).count == 2)
        #expect(try sandbox.open().orphanedAnnotations().isEmpty)
        let again = await sandbox.run("annotate", "--reanchor", short, "--section", third.reference)
        #expect(again.status == 0 && again.lines == ["Nothing to do: the annotation is anchored there already."])
    }
}
