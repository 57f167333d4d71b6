import Foundation
import MarginStore
import Testing

@Suite("margin init and errors shared by every command")
struct ErrorPathTests {
    @Test("init creates a store with the given author and says what to do next")
    func initCreatesStore() async throws {
        let sandbox = try CLISandbox()
        let result = await sandbox.run("init", "--author", "李伟")
        #expect(result.status == 0)
        #expect(result.errors.isEmpty)
        let store = try sandbox.open()
        #expect(store.peer.author == "李伟")
        #expect(result.lines.first == "Created store \(sandbox.storePath) (peer \(store.peer.id), author 李伟).")
        #expect(result.lines.last == "Next: margin import FILE...")
        #expect(FileManager.default.fileExists(atPath: sandbox.storePath + "/" + MarginStore.databaseFileName))
        #expect(try store.reports().isEmpty)
        #expect(try store.integrityProblems().isEmpty)
    }

    @Test("init twice exits 1, says a store exists, and keeps the first store")
    func initTwice() async throws {
        let sandbox = try await CLISandbox.seeded()
        let peer = try sandbox.open().peer
        let result = await sandbox.run("init", "--author", "someone-else")
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.errorLines.count == 1)
        #expect(result.errors.hasPrefix("error: A Marginalia store already exists at \(sandbox.storePath)"))
        #expect(try sandbox.open().peer == peer)
        #expect(try sandbox.open().reports().count == SeedFiles.reportCount)
    }

    /// One command line per command that needs a store (`--store` is added by the sandbox).
    static let commandsNeedingAStore: [[String]] = [
        ["import", SeedFiles.paths[0]],
        ["reports"], ["reports", "--json"],
        ["show", "abcd"], ["show", "abcd/1"],
        ["annotate", "abcd/1", "批注"], ["annotate", "--edit", "abcd", "批注"], ["annotate", "--delete", "abcd"],
        ["tag", "abcd/1", "x"], ["untag", "abcd/1", "x"], ["tags"],
        ["find", "教育"], ["find", "--tag", "x"],
        ["log"], ["history", "abcd"], ["export", "abcd"], ["export", "abcd", "--format", "json"],
    ]

    @Test("every command without a store exits 1 and mentions margin init", arguments: commandsNeedingAStore)
    func noStore(_ arguments: [String]) async throws {
        let sandbox = try CLISandbox()
        let result = await sandbox.run(arguments)
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.errorLines.count == 1, "one sentence and a hint: \(result.errors)")
        #expect(result.errors.hasPrefix("error: No Marginalia store at \(sandbox.storePath)."))
        #expect(result.errors.contains("margin init"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.storePath), "no store is created by accident")
    }

    @Test("a folder without a store database is no store")
    func emptyFolderIsNoStore() async throws {
        let sandbox = try CLISandbox()
        try FileManager.default.createDirectory(atPath: sandbox.storePath, withIntermediateDirectories: true)
        let result = await sandbox.run("reports")
        #expect(result.status == 1)
        #expect(result.errors.contains("margin init"))
    }

    @Test("margin without arguments prints the overview and exits 0")
    func noArguments() async throws {
        let result = await CLISandbox.runBare([])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("OVERVIEW: "))
        #expect(result.output.contains("USAGE: margin <subcommand>"))
    }

    @Test("demo with a seeds folder that does not exist exits 1 with one sentence naming it")
    func demoMissingSeeds() async throws {
        let sandbox = try CLISandbox()
        let missing = sandbox.folder.appendingPathComponent("no-such-folder").path
        let demoStore = sandbox.folder.appendingPathComponent("demo").path
        let result = await CLISandbox.runBare(["demo", "--seeds", missing, "--store", demoStore])
        #expect(result.status == 1)
        #expect(result.errorLines == ["error: Cannot read \(missing); check the path and its permissions."])
        #expect(!FileManager.default.fileExists(atPath: demoStore))
    }

    @Test("a reference of the wrong kind is named with the right article")
    func wrongKindArticle() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let annotation = try await sandbox.run("annotate", section.reference, "批注", "--json").decode(AnnotationView.self)
        let edit = await sandbox.run("annotate", "--edit", section.reference, "文字")
        #expect(edit.errors.contains("is a section, but an annotation is needed here."), "\(edit.errors)")
        let tag = await sandbox.run("tag", annotation.shortID, "x")
        #expect(tag.errors.contains("“\(annotation.shortID)” is an annotation, but a section"), "\(tag.errors)")
    }

    @Test("an unknown command, option or flag is a usage error", arguments: [
        ["frobnicate"], ["reports", "--bogus"], ["log", "--limit", "many"], ["show"], ["init", "extra"],
    ])
    func usageErrors(_ arguments: [String]) async throws {
        let sandbox = try await CLISandbox.initialized()
        let result = await sandbox.run(arguments)
        #expect(result.status == 64)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("Usage:") || result.errors.contains("USAGE:"), "\(result.errors)")
    }

    @Test("errors are one line on standard error starting with error:, with nothing on standard output")
    func errorShape() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let failures: [[String]] = [
            ["show", "ab"],
            ["annotate", section.reference, "x", "--quote", "不存在的引文内容"],
            ["export", section.reference],
            ["annotate", "--edit", section.reference, "x"],
        ]
        for arguments in failures {
            let result = await sandbox.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.output.isEmpty, "\(arguments)")
            #expect(result.errorLines.count == 1, "\(arguments): \(result.errors)")
            #expect(result.errors.hasPrefix("error: "), "\(arguments)")
            // One sentence plus a hint after a semicolon or a second sentence: never a Swift type dump.
            #expect(!result.errors.contains("MarginStoreError("), "\(arguments)")
            #expect(!result.errors.contains("Kind."), "\(arguments)")
        }
        #expect(try sandbox.changeCount() == SeedFiles.reportCount)
    }
}
