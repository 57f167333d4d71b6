import Foundation
import MarginStore
import Testing

/// Note text through the built `margin`'s real standard input, and no `vi` when there is no editor and no terminal.
@Suite struct MarginBinaryInputTests {
    /// Runs `margin` with `input` on standard input (a file, so not a terminal) and without `$VISUAL`/`$EDITOR`.
    static func run(_ margin: URL, _ arguments: [String], input: Data) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = margin
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["VISUAL"] = nil
        environment["EDITOR"] = nil
        process.environment = environment
        let inputFile = SyncTestSupport.temporaryFolder("stdin")
        try input.write(to: URL(fileURLWithPath: inputFile))
        defer { try? FileManager.default.removeItem(atPath: inputFile) }
        let stdin = try #require(FileHandle(forReadingAtPath: inputFile))
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test func aMegabyteNoteThroughStandardInputAndNoEditorWithoutATerminal() throws {
        guard let margin = MarginBinaryTests.marginExecutable() else {
            Issue.record("No built `margin` executable found; run `swift build` before `swift test`.")
            return
        }
        let store = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let section = try SyncTestSupport.firstSection(store)
        let note = "#长文\n" + String(repeating: "教育经费执行情况与去年对比，增减原因分析。\n", count: 17_000) + "完"
        #expect(note.utf8.count > 1_000_000, "more than a command line can carry")

        let piped = try Self.run(margin, ["annotate", section, "-", "--store", store.path], input: Data(note.utf8))
        #expect(piped.status == 0, "\(piped.errors)")
        #expect(try store.section(section).annotations.map(\.text) == [note])

        let before = try store.changeLog(limit: 1_000).count
        // Standard input is a file, not a terminal, and no editor is named: `vi` must not be started.
        let noEditor = try Self.run(margin, ["annotate", section, "--store", store.path], input: Data())
        #expect(noEditor.status == 64)
        #expect(noEditor.errors.contains("No editor to open"), "\(noEditor.errors)")
        let broken = try Self.run(margin, ["annotate", section, "-", "--store", store.path], input: Data([0x61, 0xFF, 0x62]))
        #expect(broken.status == 64)
        #expect(broken.errors.contains("Standard input is not valid UTF-8 text"), "\(broken.errors)")
        #expect(try store.changeLog(limit: 1_000).count == before)
    }
}
