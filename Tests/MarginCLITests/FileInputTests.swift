import Foundation
import MarginStore
import Testing

@testable import MarginCLI

/// Files named on the command line are read whatever they are: regular files, pipes (`--file <(…)`) and devices.
@Suite("Files that are pipes or devices")
struct FileInputTests {
    /// A named pipe at `path` in `sandbox`, fed with `text` by a thread of its own once a reader opens it.
    static func pipe(_ name: String, in sandbox: CLISandbox, feeding text: String) throws -> String {
        let path = sandbox.folder.appendingPathComponent(name).path
        try #require(mkfifo(path, 0o600) == 0, "mkfifo: \(String(cString: strerror(errno)))")
        let writer = Thread {
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.write(Data(text.utf8))
            try? handle.close()
        }
        writer.start()
        return path
    }

    @Test("a note and an import come through a named pipe, as from `--file <(…)`")
    func notesAndPagesThroughAPipe() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let notePipe = try Self.pipe("note.fifo", in: sandbox, feeding: "#待核 从管道读来的批注\n第二行\n")
        let added = await sandbox.run(["annotate", section.reference, "--file", notePipe, "--json"], input: .fixed())
        #expect(added.status == 0, "\(added.errors)")
        #expect(try added.decode(AnnotationView.self).text == "#待核 从管道读来的批注\n第二行")

        let reports = try sandbox.open().reports().count
        let page = "某县教育局二〇二五年工作总结\n\n一、基本情况\n全县新建幼儿园两所。\n二、下一步打算\n继续推进集团化办学。\n"
        let pagePipe = try Self.pipe("page.fifo", in: sandbox, feeding: page)
        let imported = await sandbox.run(["import", pagePipe], input: .fixed())
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(try sandbox.open().reports().count == reports + 1)
    }

    @Test("/dev/null is an empty file: the note is refused as empty (64), not as unreadable, and nothing is written")
    func devNullIsEmptyNotUnreadable() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let before = try sandbox.changeCount()
        let empty = await sandbox.run(["annotate", section.reference, "--file", "/dev/null"], input: .fixed())
        #expect(empty.status == 64, "as for an empty note given on the command line")
        #expect(!empty.errors.contains("Cannot read"), "\(empty.errors)")
        #expect(empty.errors.contains("empty"), "\(empty.errors)")
        #expect(try sandbox.changeCount() == before)
    }

    @Test("a folder cannot be read, and a file past the bound is refused before it is held whole")
    func foldersAndEndlessDevices() throws {
        #expect(throws: MarginCLIError.self) { try FileContents.read(FileManager.default.temporaryDirectory.path) }
        #expect(throws: MarginCLIError.self) { try FileContents.read("/nonexistent/margin-file") }
        do {
            _ = try FileContents.read("/dev/zero", limit: 3 << 20)
            Issue.record("/dev/zero was read whole")
        } catch {
            guard case let .fileTooLarge(path, limit) = error else {
                Issue.record("expected fileTooLarge, got \(error)")
                return
            }
            #expect(path == "/dev/zero" && limit == 3 << 20)
            #expect(error.description.contains("more than 3 MiB"))
        }
        #expect(try FileContents.read("/dev/null").isEmpty)
    }
}
