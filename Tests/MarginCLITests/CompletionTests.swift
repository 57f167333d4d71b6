import ArgumentParser
import Foundation
@testable import MarginCLI
import MarginStore
import Testing

/// Shell completions: scripts for bash, zsh and fish, and completion of report and section references from the
/// store the command line names.
@Suite("margin completions")
struct CompletionTests {
    @Test("completion scripts name every command", arguments: ["bash", "zsh", "fish"])
    func scripts(_ shell: String) async {
        let result = await CLISandbox.runBare(["--generate-completion-script", shell])
        #expect(result.status == 0)
        for command in ["annotate", "notes", "sync", "resolve"] {
            #expect(result.output.contains(command), "\(shell) script lacks \(command)")
        }
        // References are completed by asking margin itself.
        #expect(result.output.contains("---completion"))
    }

    @Test("report ids, then a report's section references, are offered from the named store")
    func references() async throws {
        let sandbox = try await CLISandbox.seeded()
        let store = try sandbox.open()
        let reports = try store.reports().map(\.shortID)
        let words = ["margin", "show", "--store", sandbox.storePath]
        #expect(Set(ReferenceCompletion.candidates(words: words, prefix: "")) == Set(reports))
        let report = try #require(reports.first)
        let some = ReferenceCompletion.candidates(words: words, prefix: String(report.prefix(2)))
        #expect(some.contains(report))
        #expect(some.allSatisfy { $0.hasPrefix(String(report.prefix(2))) })
        let sections = ReferenceCompletion.candidates(words: words, prefix: report + "/")
        #expect(sections == (try store.outline(of: report).sections.map(\.reference)))
        #expect(sections.contains(report + "/0"))
        let narrowed = ReferenceCompletion.candidates(words: words, prefix: report + "/1")
        #expect(!narrowed.isEmpty && narrowed.allSatisfy { $0.hasPrefix(report + "/1") })
        #expect(ReferenceCompletion.candidates(words: ["margin", "show", "--store", sandbox.storePath + "-none"], prefix: "").isEmpty)
    }

    @Test("the custom completion runs through the command line as the shells call it")
    func throughTheCommandLine() async throws {
        let sandbox = try await CLISandbox.seeded()
        let report = try #require(try sandbox.open().reports().first).shortID
        // What a shell runs: margin ---completion SUBCOMMAND -- ARGUMENT ARGUMENT-INDEX CURSOR-INDEX WORDS…
        let typed = report + "/"
        let result = await CLISandbox.runBare([
            "---completion", "show", "--", "positional@0", "4", "\(typed.count)",
            "margin", "show", "--store", sandbox.storePath, typed,
        ])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.lines.contains(report + "/0"), "\(result.output)")
    }
}
