import Foundation
import MarginCLI
import MarginStore
import Testing

@Suite("Short prefixes of report and annotation ids")
struct ReferencePrefixTests {
    /// Every id a person can type a prefix of: the reports, and the annotations a test added (seeds have none).
    static func ids(_ store: MarginStore, notes: [AnnotationView] = []) throws -> [String] {
        (try store.reports().map(\.id.rawValue) + notes.map(\.id.rawValue)).sorted()
    }

    /// How many ids start with `prefix`.
    static func matches(_ prefix: String, _ ids: [String]) -> Int { ids.filter { $0.hasPrefix(prefix) }.count }

    @Test("a unique prefix of two or three characters shows the report, and works before /NUMBER")
    func uniqueShortPrefix() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let ids = try Self.ids(store)
        for length in [2, 3] {
            let report = try #require(
                try store.reports().first { Self.matches(String($0.id.rawValue.prefix(length)), ids) == 1 },
                "some report has a unique \(length)-character prefix")
            let prefix = String(report.id.rawValue.prefix(length))
            let short = await sandbox.run("show", prefix)
            #expect(short.status == 0, "\(prefix): \(short.errors)")
            #expect(short.output == (await sandbox.run("show", report.shortID)).output)
            let section = await sandbox.run("show", prefix + "/1")
            #expect(section.status == 0, "\(prefix)/1: \(section.errors)")
            #expect(section.output == (await sandbox.run("show", report.shortID + "/1")).output)
        }
    }

    @Test("a unique prefix of an annotation id shows the annotation")
    func annotationPrefix() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let section = try store.someHeadingSection()
        var found: (prefix: String, id: String)?
        var notes: [AnnotationView] = []
        for number in 1...50 where found == nil {
            let note = try store.addAnnotation(on: section.reference, text: "短前缀批注 \(number)")
            notes.append(note)
            let ids = try Self.ids(store, notes: notes)
            let prefix = String(note.id.rawValue.prefix(3))
            if Self.matches(prefix, ids) == 1 { found = (prefix, note.id.rawValue) }
        }
        let (prefix, id) = try #require(found)
        let shown = try await sandbox.run("show", prefix, "--json").decode(AnnotationView.self)
        #expect(shown.id.rawValue == id)
    }

    @Test("an ambiguous prefix says how many reports and annotations match and how many characters pick one")
    func ambiguousPrefix() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let section = try store.someHeadingSection()
        // Add notes until some two-character prefix is shared (twenty reports and a few notes make it likely).
        var notes: [AnnotationView] = []
        var ids = try Self.ids(store)
        var shared = Dictionary(grouping: ids) { String($0.prefix(2)) }.first { $0.value.count > 1 }
        var number = 0
        while shared == nil, number < 500 {
            number += 1
            notes.append(try store.addAnnotation(on: section.reference, text: "前缀 \(number)"))
            ids = try Self.ids(store, notes: notes)
            shared = Dictionary(grouping: ids) { String($0.prefix(2)) }.first { $0.value.count > 1 }
        }
        let (prefix, matching) = try #require(shared)
        let reportIDs = Set(try store.reports().map(\.id.rawValue))
        let reports = matching.filter(reportIDs.contains).count
        let annotations = matching.count - reports
        let sorted = matching.sorted()
        let needed = max(4, zip(sorted, sorted.dropFirst()).map { pair in
            zip(pair.0, pair.1).prefix { $0 == $1 }.count
        }.max()! + 1)

        let result = await sandbox.run("show", prefix)
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1)
        let counts = [(reports, "report"), (annotations, "annotation")].filter { $0.0 > 0 }
            .map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.1 + "s")" }.joined(separator: " and ")
        #expect(result.errors.contains("“\(prefix)” matches \(counts); type at least \(needed) characters"), "\(result.errors)")
        // That many characters of any of them is enough.
        for id in matching {
            #expect(await sandbox.run("show", String(id.prefix(needed))).status == 0)
        }
    }

    @Test("one character is too short and says at least two are needed")
    func oneCharacter() async throws {
        let sandbox = try await CLISandbox.seeded()
        for reference in ["3", "a/1"] {
            let result = await sandbox.run("show", reference)
            #expect(result.status == 1)
            #expect(result.errorLines.count == 1)
            #expect(result.errors.contains("“\(reference)” is too short"))
            #expect(result.errors.contains("at least 2 characters"))
        }
    }
}
