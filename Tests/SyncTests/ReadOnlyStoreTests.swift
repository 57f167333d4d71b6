import Foundation
import MarginCore
import MarginStore
import Testing

/// A store the user may only read, through the built `margin` executable: every read command works, a write is
/// refused in one sentence, and nothing is changed. Run as an unprivileged user (`nobody`, through setpriv) when
/// the tests run as root, since root may write anything.
@Suite struct ReadOnlyStoreTests {
    /// The command prefix that runs `margin` as a user who may not write the store.
    static func unprivileged(_ margin: URL) throws -> (URL, [String]) {
        guard getuid() == 0 else { return (margin, []) }
        let margin = try #require(reachableMargin, "cannot place margin where an unprivileged user may run it")
        let setpriv = try #require(
            ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "running as root needs setpriv (util-linux) to drop privileges")
        return (URL(fileURLWithPath: setpriv), ["--reuid=65534", "--regid=65534", "--clear-groups", margin.path])
    }

    /// The built `margin`, where an unprivileged user may run it (made once per test process).
    static let reachableMargin: URL? = MarginBinaryTests.marginExecutable().flatMap { try? reachableCopy(of: $0) }

    /// The executable itself when every folder above it lets others through, else a copy in a folder that does
    /// (a clone under a private home folder is out of `nobody`'s reach).
    static func reachableCopy(of margin: URL) throws -> URL {
        let fileManager = FileManager.default
        var folder = margin.deletingLastPathComponent().path
        var reachable = true
        while folder != "/" && !folder.isEmpty {
            let mode = (try fileManager.attributesOfItem(atPath: folder)[.posixPermissions] as? Int) ?? 0
            if mode & 0o001 == 0 { reachable = false }
            folder = (folder as NSString).deletingLastPathComponent
        }
        if reachable { return margin }
        let copyFolder = SyncTestSupport.temporaryFolder("reader-binary")
        try fileManager.createDirectory(atPath: copyFolder, withIntermediateDirectories: true)
        let copy = URL(fileURLWithPath: copyFolder).appendingPathComponent("margin")
        try fileManager.copyItem(at: margin, to: copy)
        try makeTraversable(copyFolder)
        return copy
    }

    /// Lets others through every folder from `path` up.
    static func makeTraversable(_ path: String) throws {
        let fileManager = FileManager.default
        var folder = path
        while folder != "/" && !folder.isEmpty {
            let mode = (try fileManager.attributesOfItem(atPath: folder)[.posixPermissions] as? Int) ?? 0
            if mode & 0o001 == 0 { try fileManager.setAttributes([.posixPermissions: mode | 0o001], ofItemAtPath: folder) }
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    /// Runs `margin` as the unprivileged user.
    static func runReader(_ margin: URL, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let (executable, prefix) = try unprivileged(margin)
        return try MarginBinaryTests.run(executable, prefix + arguments)
    }

    /// A seeded store with a note and a tag: its path, the section, the note and every revision id. The store is
    /// closed on return (closing the last connection checkpoints the log into the database file).
    static func seededStore() throws -> (path: String, section: String, note: String, revisions: Set<RevisionID>) {
        let store = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let section = try SyncTestSupport.firstSection(store)
        let note = try store.addAnnotation(on: section, text: "只读笔记")
        _ = try store.tag(section, with: ["重点"])
        return (store.path, section, note.shortID, try SyncTestSupport.revisionIDs(store))
    }

    static func makeReadOnly(_ path: String) throws {
        let fileManager = FileManager.default
        for entry in try fileManager.contentsOfDirectory(atPath: path) {
            try fileManager.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path + "/" + entry)
        }
        try fileManager.setAttributes([.posixPermissions: 0o555], ofItemAtPath: path)
        // Every folder above must be traversable by the reader.
        try makeTraversable((path as NSString).deletingLastPathComponent)
    }

    static func makeWritable(_ path: String) {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    @Test("read commands work on a store the user may only read, and writes are refused without a change")
    func readCommandsWork() throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "build the margin product first")
        let (path, section, note, before) = try Self.seededStore()
        let report = String(section.split(separator: "/")[0])
        // No writer has the store open: the reader cannot create the -shm file SQLite would want.
        #expect(!FileManager.default.fileExists(atPath: path + "/store.sqlite-wal"))
        try Self.makeReadOnly(path)
        defer { Self.makeWritable(path) }

        for arguments in [
            ["reports"], ["reports", "--json"], ["show", report], ["show", section], ["show", note], ["log"],
            ["history", note], ["find", "只读"], ["tags"], ["export", report], ["conflicts"], ["status"],
        ] {
            let result = try Self.runReader(margin, arguments + ["--store", path])
            #expect(result.status == 0, "\(arguments): \(result.errors)")
            #expect(!result.errors.contains("readonly database"), "\(arguments)")
        }
        let shown = try Self.runReader(margin, ["show", section, "--store", path])
        #expect(shown.output.contains("只读笔记"))
        #expect(shown.output.contains("#重点"))

        let write = try Self.runReader(margin, ["tag", section, "新", "--store", path])
        #expect(write.status == 1)
        #expect(write.errors.hasPrefix("error: You may only read the store at \(path)"), "\(write.errors)")
        #expect(!FileManager.default.fileExists(atPath: path + "/store.sqlite-shm"), "the reader created nothing")
        Self.makeWritable(path)
        #expect(try SyncTestSupport.revisionIDs(MarginStore.open(at: path)) == before)
    }

    @Test("a reader sees what a writer holding the store open has written but not yet checkpointed")
    func readerSeesTheWritersLog() throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "build the margin product first")
        let (path, section, _, _) = try Self.seededStore()
        // This process keeps the store open (its -wal and -shm files exist) and writes one more note.
        let writer = try MarginStore.open(at: path)
        _ = try writer.addAnnotation(on: section, text: "尚未检查点的笔记")
        #expect(FileManager.default.fileExists(atPath: path + "/store.sqlite-wal"))
        try Self.makeReadOnly(path)
        defer { Self.makeWritable(path) }
        let shown = try Self.runReader(margin, ["show", section, "--store", path])
        #expect(shown.status == 0, "\(shown.errors)")
        #expect(shown.output.contains("尚未检查点的笔记"))
        _ = writer
    }
}
