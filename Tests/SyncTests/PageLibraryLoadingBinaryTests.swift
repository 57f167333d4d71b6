import Foundation
import Testing

/// The built `margin` loads libxml2 only when it reads a web page: the dynamic loader's own log (`LD_DEBUG=libs`,
/// glibc) lists every library a process loads.
@Suite struct PageLibraryLoadingBinaryTests {
    /// Runs `margin` with the loader's log on; its standard error, where the log goes, and exit status.
    private static func runLogged(_ margin: URL, _ arguments: [String]) throws -> (status: Int32, log: String) {
        let process = Process()
        process.executableURL = margin
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LD_DEBUG"] = "libs"
        process.environment = environment
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let log = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: log, as: UTF8.self))
    }

    #if os(Linux)
    @Test("a command that reads no page never loads libxml2; an import of a page loads it and reads the page")
    func libxml2IsLoadedForPagesOnly() throws {
        guard let margin = MarginBinaryTests.marginExecutable() else {
            Issue.record("No built `margin` executable found; run `swift build` before `swift test`.")
            return
        }
        let folder = SyncTestSupport.temporaryFolder("page-library")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = folder + "/store"

        let created = try Self.runLogged(margin, ["init", "--store", store])
        #expect(created.status == 0)
        #expect(created.log.contains("libsqlite3.so.0"), "the loader's log is there to read: \(created.log.prefix(300))")
        #expect(!created.log.contains("libxml2"), "\(created.log)")

        let page = folder + "/report.html"
        let html = "<html><head><title>县教育局工作总结</title></head><body><h1>县教育局工作总结</h1>"
            + "<p>一、基本情况</p><p>全县共有学校四十所。</p></body></html>"
        try Data(html.utf8).write(to: URL(fileURLWithPath: page))
        let imported = try Self.runLogged(margin, ["import", page, "--store", store])
        #expect(imported.status == 0, "\(imported.log.suffix(500))")
        #expect(imported.log.contains("libxml2.so.2"), "the import loads libxml2")
    }
    #endif
}
