import Foundation
import MarginStore
import Testing

/// Tag counts count the sections in use: those of each report's current text, reports not removed. They agree
/// with what `find --tag` and `notes --tag` list.
@Suite("Tag counts count only sections of current report texts")
struct TagCountTests {
    /// A report of three sections: a preamble, 一、主要工作 and 二、存在的问题.
    static let threeSections = EditCommandTests.report
    /// The same report without 二、存在的问题.
    static let withoutProblems = """
        2024年教育局工作总结

        今年以来，我局坚持立德树人根本任务，全面推进各项工作。

        一、主要工作

        全年新建校舍三万平方米，组织教师培训四十场。
        """

    struct Hits: Decodable {
        struct Hit: Decodable { var sectionReference: String }
        var items: [Hit]
        var total: Int
    }

    /// The sandbox, the report's reference, and the two headed sections, each tagged 重点 and the second also
    /// 问题 with a note on it.
    static func tagged() async throws -> (CLISandbox, String, file: String) {
        let sandbox = try await CLISandbox.initialized()
        let file = try sandbox.write("东城区.txt", text: threeSections)
        #expect(await sandbox.run("import", file).status == 0)
        let report = try #require(try sandbox.open().reports().first?.shortID)
        #expect(await sandbox.run("tag", report + "/1", "重点").status == 0)
        #expect(await sandbox.run("tag", report + "/2", "重点", "问题").status == 0)
        #expect(await sandbox.run("annotate", report + "/2", "班额偏大要跟进").status == 0)
        return (sandbox, report, file)
    }

    /// `margin tags --json` as a dictionary from tag to count.
    static func counts(_ sandbox: CLISandbox) async throws -> [String: Int] {
        let counts = try await sandbox.run("tags", "--json").decode([TagCount].self)
        return Dictionary(uniqueKeysWithValues: counts.map { ($0.tag, $0.sections) })
    }

    /// How many sections `find --tag` lists for `tag`.
    static func found(_ tag: String, _ sandbox: CLISandbox) async throws -> Int {
        try await sandbox.run("find", "--tag", tag, "--json").decode(Hits.self).total
    }

    @Test func aSectionAReimportDroppedIsNotCounted() async throws {
        let (sandbox, report, file) = try await Self.tagged()
        #expect(try await Self.counts(sandbox) == ["重点": 2, "问题": 1])
        try Self.withoutProblems.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(await sandbox.run("import", file).status == 0)

        #expect(try await Self.counts(sandbox) == ["重点": 1])
        #expect(await sandbox.run("tags").lines == ["1\t#重点"])
        #expect(try await Self.found("重点", sandbox) == 1)
        #expect(try await Self.found("问题", sandbox) == 0)
        #expect(try sandbox.open().reports().first?.tags == 1, "margin reports counts the same tags")
        // The note on the dropped section is orphaned, and no longer under a tag in use.
        #expect(await sandbox.run("notes", "--tag", "问题").status == 1)
        #expect(try await sandbox.run("notes", "--tag", "重点", "--json").decode(NotesCount.self).total == 0)
        #expect(await sandbox.run("notes", "--orphaned").output.contains("班额偏大要跟进"))

        // Importing the section back brings its tags back.
        try Self.threeSections.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(await sandbox.run("import", file).status == 0)
        #expect(try await Self.counts(sandbox) == ["重点": 2, "问题": 1])
        #expect(try await Self.found("重点", sandbox) == 2)
        #expect(try sandbox.open().reports().first?.tags == 3)
        _ = report
    }

    @Test func aSectionAnEditDroppedIsNotCounted() async throws {
        let (sandbox, report, _) = try await Self.tagged()
        let edited = try sandbox.write("edited.txt", text: Self.withoutProblems)
        #expect(await sandbox.run("edit", report, "--file", edited).status == 0)
        #expect(try await Self.counts(sandbox) == ["重点": 1])
        #expect(try await Self.found("重点", sandbox) == 1)
        #expect(try await sandbox.run("reports", "--json").output.contains("\"tags\" : 1"))
    }

    @Test func aRemovedReportIsNotCountedAndNotesByTagAgree() async throws {
        let (sandbox, report, _) = try await Self.tagged()
        #expect(try await sandbox.run("notes", "--tag", "问题", "--json").decode(NotesCount.self).total == 1)
        #expect(await sandbox.run("remove", report).status == 0)
        #expect(try await Self.counts(sandbox).isEmpty)
        #expect(try await Self.found("重点", sandbox) == 0)
        #expect(await sandbox.run("notes", "--tag", "问题").status == 1)
        #expect(await sandbox.run("remove", "--restore", report).status == 0)
        #expect(try await Self.counts(sandbox) == ["重点": 2, "问题": 1])
        #expect(try await sandbox.run("notes", "--tag", "问题", "--json").decode(NotesCount.self).total == 1)
    }

    struct NotesCount: Decodable { var total: Int }
}
