import Foundation
import MarginStore
import Testing

/// The `--json` documents of show, export, notes and conflicts, read as plain JSON: every object names what it
/// describes by its full `id` and a `reference` people type, a field pointing at another thing gives its full id and
/// a `…Reference`, and times are ISO 8601 UTC strings.
@Suite("JSON convention of show, export, notes and conflicts")
struct JSONConventionTests {
    static func object(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
    }

    static func isISOTime(_ value: Any?) -> Bool {
        guard let text = value as? String else { return false }
        return text.hasSuffix("Z") && text.contains("T") && Timestamp.parse(text) != nil
    }

    @Test("a time is written to the millisecond and reads back as the same millisecond")
    func timestampsKeepEveryMillisecond() throws {
        let seconds: [Int64] = [0, 1_591_012_800, 1_717_243_200, 1_798_000_000]
        for second in seconds {
            for millisecond in Int64(0)..<1000 {
                let time = Timestamp(milliseconds: second * 1000 + millisecond)
                let digits = String(millisecond)
                #expect(time.iso8601.hasSuffix("." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"), "\(time.iso8601)")
                let decoded = try JSONDecoder().decode(Timestamp.self, from: JSONEncoder().encode(time))
                #expect(decoded == time, "\(time.milliseconds) read back as \(decoded.milliseconds)")
            }
        }
        #expect(Timestamp(milliseconds: 1_717_243_200_002).iso8601 == "2024-06-01T12:00:00.002Z")
    }

    @Test("an annotation: id, reference, section and sectionReference, ISO times")
    func annotation() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let added = try await sandbox.run("annotate", section.reference, "批注", "--json").decode(AnnotationView.self)
        // What a write prints names the section as show does.
        #expect(added.sectionReference == section.reference)
        let edited = try Self.object(await sandbox.run("annotate", "--edit", added.shortID, "改过的批注", "--json"))
        #expect(edited["sectionReference"] as? String == section.reference, "\(edited)")

        let shown = try Self.object(await sandbox.run("show", added.shortID, "--json"))
        #expect(shown["id"] as? String == added.id.rawValue)
        #expect(shown["reference"] as? String == added.shortID)
        #expect(shown["shortID"] == nil)
        #expect(shown["section"] as? String == section.id.rawValue)
        #expect(shown["sectionReference"] as? String == section.reference)
        #expect(Self.isISOTime(shown["createdAt"]) && Self.isISOTime(shown["updatedAt"]), "\(shown)")
        // The typed reference works.
        #expect(await sandbox.run("show", try #require(shown["reference"] as? String)).status == 0)
        #expect(await sandbox.run("show", try #require(shown["sectionReference"] as? String)).status == 0)
    }

    @Test("a section and a report outline: id, reference, report and reportReference")
    func sectionAndOutline() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("annotate", section.reference, "批注").status == 0)
        let report = String(section.reference.prefix { $0 != "/" })

        let detail = try Self.object(await sandbox.run("show", section.reference, "--json"))
        #expect(detail["id"] as? String == section.id.rawValue)
        #expect(detail["reference"] as? String == section.reference)
        #expect(detail["report"] as? String == section.report.rawValue)
        #expect(detail["reportReference"] as? String == report)
        let note = try #require((detail["annotations"] as? [[String: Any]])?.first)
        #expect(note["sectionReference"] as? String == section.reference)
        #expect(Self.isISOTime(note["createdAt"]))

        let outline = try Self.object(await sandbox.run("show", report, "--json"))
        #expect(outline["id"] as? String == section.report.rawValue)
        #expect(outline["reference"] as? String == report)
        #expect(outline["shortID"] == nil)
        let entry = try #require((outline["sections"] as? [[String: Any]])?.first { $0["id"] as? String == section.id.rawValue })
        #expect(entry["reference"] as? String == section.reference)
    }

    @Test("an export: id and reference of the report, sections as in show")
    func export() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("annotate", section.reference, "批注").status == 0)
        let report = String(section.reference.prefix { $0 != "/" })
        let export = try Self.object(await sandbox.run("export", report, "--json"))
        #expect(export["id"] as? String == section.report.rawValue)
        #expect(export["reference"] as? String == report)
        let sections = try #require(export["sections"] as? [[String: Any]])
        let exported = try #require(sections.first { $0["reference"] as? String == section.reference })
        #expect(exported["reportReference"] as? String == report)
        let note = try #require((exported["annotations"] as? [[String: Any]])?.first)
        #expect(Self.isISOTime(note["createdAt"]))
        #expect(note["sectionReference"] as? String == section.reference)
    }

    @Test("notes: id, reference, report and section with their references, ISO times")
    func notes() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("annotate", section.reference, "批注").status == 0)
        let listing = try Self.object(await sandbox.run("notes", "--json"))
        #expect(listing["total"] as? Int == 1)
        let note = try #require((listing["items"] as? [[String: Any]])?.first)
        let reference = try #require(note["reference"] as? String)
        #expect((note["id"] as? String)?.hasPrefix(reference) == true)
        #expect(note["report"] as? String == section.report.rawValue)
        #expect(note["reportReference"] as? String == String(section.reference.prefix { $0 != "/" }))
        #expect(note["section"] as? String == section.id.rawValue)
        #expect(note["sectionReference"] as? String == section.reference)
        #expect(Self.isISOTime(note["createdAt"]) && Self.isISOTime(note["updatedAt"]))
        #expect(await sandbox.run("show", reference).status == 0)
    }

    @Test("a conflict: the annotation's id and reference, its section and report, each side's revision and ISO time")
    func conflict() async throws {
        let (a, _, annotation) = try await ConflictCommandTests.conflicted()
        let result = await a.run("conflicts", "--json")
        let conflicts = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
        let conflict = try #require(conflicts.first)
        #expect(conflict["id"] as? String == annotation)
        let reference = try #require(conflict["reference"] as? String)
        #expect(annotation.hasPrefix(reference))
        let detail = try a.open().annotation(annotation)
        #expect(conflict["section"] as? String == detail.section.rawValue)
        let sectionReference = try #require(conflict["sectionReference"] as? String)
        #expect(try a.open().section(sectionReference).id == detail.section)
        let report = try #require(conflict["report"] as? String)
        #expect(conflict["reportReference"] as? String == String(sectionReference.prefix { $0 != "/" }))
        #expect(report.hasPrefix(try #require(conflict["reportReference"] as? String)))
        let sides = try #require(conflict["sides"] as? [[String: Any]])
        #expect(sides.count == 2)
        for side in sides + [try #require(conflict["base"] as? [String: Any])] {
            let id = try #require(side["id"] as? String)
            let short = try #require(side["reference"] as? String)
            #expect(id.count == 64 && id.hasPrefix(short))
            #expect(Self.isISOTime(side["createdAt"]), "\(side)")
        }
        // The side's reference is what --keep takes.
        let keep = try #require(sides.first?["reference"] as? String)
        #expect(await a.run("resolve", reference, "--keep", keep).status == 0)
    }
}
