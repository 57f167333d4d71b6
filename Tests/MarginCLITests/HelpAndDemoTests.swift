import Foundation
import MarginStore
import Testing

@Suite("margin --help and margin demo")
struct HelpAndDemoTests {
    static let subcommands = [
        "init", "import", "reports", "show", "annotate", "tag", "untag", "tags", "find", "log", "history", "notes", "export",
        "conflicts", "resolve", "demo",
    ]

    @Test("margin --help lists every subcommand and exits 0")
    func rootHelp() async throws {
        for arguments in [["--help"], ["-h"], ["help"]] {
            let result = await CLISandbox.runBare(arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(result.errors.isEmpty)
            #expect(result.output.contains("USAGE: margin <subcommand>"), "\(arguments): \(result.output)")
            #expect(result.output.contains("SUBCOMMANDS:"))
            for name in Self.subcommands {
                #expect(result.output.contains("  \(name) "), "root help lists \(name)")
            }
        }
    }

    @Test("margin SUBCOMMAND --help prints its usage and exits 0", arguments: subcommands)
    func subcommandHelp(_ name: String) async throws {
        for arguments in [[name, "--help"], ["help", name]] {
            let result = await CLISandbox.runBare(arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(result.errors.isEmpty)
            #expect(result.output.contains("USAGE: margin \(name)"), "\(arguments): \(result.output)")
            #expect(result.output.contains("OPTIONS:"))
            #expect(result.output.contains("-h, --help"))
            if name != "demo" {
                #expect(result.output.contains("--store <path>"), "\(name) takes --store")
            }
        }
    }

    @Test("every read command documents --json", arguments: [
        "reports", "show", "tags", "find", "log", "history", "import", "annotate", "notes", "export", "conflicts", "status",
        "sync",
    ])
    func jsonDocumented(_ name: String) async throws {
        let result = await CLISandbox.runBare([name, "--help"])
        #expect(result.output.contains("--json"))
    }

    @Test("demo runs the tour on a fresh store and exits 0")
    func demo() async throws {
        let sandbox = try CLISandbox()
        let demoStore = sandbox.folder.appendingPathComponent("demo").path
        let result = await CLISandbox.runBare(["demo", "--seeds", SeedFiles.directory.path, "--store", demoStore])

        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.isEmpty)
        for step in ["$ margin init --author alice", "$ margin import ", "$ margin reports", "$ margin show ", "$ margin annotate ",
                     "$ margin tag ", "$ margin find --tag 重点 教育", "$ margin log --limit 5",
                     "$ margin remote add shared http://127.0.0.1:", "$ margin sync", "New conflict: annotation ",
                     "$ margin conflicts", "$ margin resolve ", "$ margin status"] {
            #expect(result.output.contains(step), "demo shows \(step)")
        }
        #expect(result.lines.last?.hasPrefix("The demo store is at \(demoStore)") == true)

        let store = try MarginStore.open(at: demoStore)
        #expect(store.peer.author == "alice", "the tour calls the first store Alice")
        let reports = try store.reports()
        #expect(reports.count == SeedFiles.reportCount)
        #expect(reports.map(\.annotations).reduce(0, +) == 1)
        // After the sync tour, the demo store holds Bob's tag too, and the conflict is resolved for both.
        #expect(try store.tagCounts().map(\.tag).sorted() == ["review", "待核实", "重点"])
        #expect(try store.conflicts().isEmpty)
        let annotation = try #require(try store.changeLog(limit: 1000).first { $0.kind == .annotation })
        #expect(try store.annotation(annotation.record.rawValue).text == "值得与前年及全省的数据对比。")
        // Alice's 20 imports, annotation, 2 tags, edit and resolution; Bob's 20 imports, edit and tag.
        #expect(try store.changeLog(limit: 1000).count == 2 * SeedFiles.reportCount + 7)
    }

    @Test("demo without --seeds imports the seeds shipped beside margin, not a seeds folder of the working directory")
    func demoWithShippedSeeds() async throws {
        let sandbox = try CLISandbox()
        let demoStore = sandbox.folder.appendingPathComponent("demo").path
        let result = await CLISandbox.runBare(["demo", "--store", demoStore])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("Marginalia_MarginCLI.resources/DemoSeeds/"), "the shipped seeds are imported")
        #expect(try MarginStore.open(at: demoStore).reports().count == SeedFiles.reportCount)
    }

    @Test("demo with a folder holding no seeds is a usage error; on an existing store it fails")
    func demoErrors() async throws {
        let sandbox = try await CLISandbox.initialized()
        let empty = sandbox.folder.appendingPathComponent("no-seeds")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let noSeeds = await CLISandbox.runBare(["demo", "--seeds", empty.path, "--store", sandbox.folder.appendingPathComponent("d").path])
        #expect(noSeeds.status == 64)
        #expect(noSeeds.errors.contains("No .txt files in \(empty.path)"))

        let existing = await CLISandbox.runBare(["demo", "--seeds", SeedFiles.directory.path, "--store", sandbox.storePath])
        #expect(existing.status != 0)
        #expect(existing.errors.contains("already exists"))
        #expect(try sandbox.changeCount() == 0)
    }
}
