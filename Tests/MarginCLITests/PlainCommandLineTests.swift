import ArgumentParser
import MarginTestSupport
import Testing

@testable import MarginCLI

/// The everyday command lines that `margin` runs without swift-argument-parser (``PlainCommandLine``) build the very
/// command the parser builds, and every other line still goes to the parser.
@Suite("plain command lines")
struct PlainCommandLineTests {
    /// Lines the plain path takes, one or more per command that has a plain form.
    static let plainLines: [[String]] = [
        ["annotate", "3f9a/2.1", "教师培训 went well"],
        ["annotate", "3f9a/2.1", "text", "--store", "notes.margin"],
        ["annotate", "--store", "notes.margin", "3f9a/2.1", "text"],
        ["annotate", "3f9a/2.1", "--json", "text", "--store=notes.margin"],
        ["annotate", "3f9a/0", "a note\nover two lines"],
        ["tag", "3f9a/2.1", "funding"],
        ["tag", "3f9a/2.1", "#重点", "teachers", "--store", "s"],
        ["show", "3f9a"],
        ["show", "3f9a/2.1", "--json", "--store", "s"],
        ["find", "师资"],
        ["find", "--store=s", "幼儿园", "--json"],
        ["reports"],
        ["reports", "--json", "--store", "s"],
        ["notes"],
        ["notes", "--store=s"],
        ["status", "--json"],
        ["sync"],
        ["sync", "hub"],
        ["sync", "hub", "--store", "a b/c", "--json"],
        ["sync", "help"],
    ]

    @Test("each plain line builds what the parser builds from it", arguments: plainLines)
    func sameCommandAsTheParser(_ line: [String]) throws {
        let plain = try #require(PlainCommandLine(line)?.runnable(), "\(line) should take the plain path")
        let parsed = try MarginCommand.parseAsRoot(line)
        #expect(Self.contents(plain) == Self.contents(parsed), "\(line)")
        #expect(type(of: plain) == type(of: parsed))
    }

    /// Lines the parser must read: other options, words starting with `-`, `--`, help, repeats, a command without a
    /// plain form, a form the command's plain builder does not take, and lines the command's own checks refuse.
    static let parserLines: [[String]] = [
        [],
        ["--version"],
        ["annotate", "--help"],
        ["help", "annotate"],
        ["reports", "--all"],
        ["reports", "3f9a"],
        ["notes", "--tag", "重点"],
        ["notes", "3f9a"],
        ["status", "hub"],
        ["tags"],
        ["annotate", "3f9a/2.1"],
        ["annotate", "3f9a/2.1", "-"],
        ["annotate", "3f9a/2.1", "--", "-3% fewer"],
        ["annotate", "3f9a/2.1", "-3% fewer"],
        ["annotate", "3f9a/2.1", "text", "--quote", "span"],
        ["annotate", "3f9a/2.1", "text", "extra"],
        ["annotate", "3f9a/2.1", "   "],
        ["annotate", "3f9a/2.1", "text", "--store", "a", "--store", "b"],
        ["annotate", "3f9a/2.1", "text", "--store"],
        ["annotate", "3f9a/2.1", "text", "--store", "--json"],
        ["annotate", "3f9a/2.1", "text", "--store="],
        ["annotate", "3f9a/2.1", "text", "--json", "--json"],
        ["annotate", "3f9a/2.1", ""],
        ["tag", "3f9a/2.1"],
        ["tag", "3f9a/2.1", "funding", "--json"],
        ["tag", "3f9a/2.1", "two words"],
        ["show"],
        ["show", "3f9a", "3f9b"],
        ["find", "师资", "--tag", "funding"],
        ["find", "a", "b"],
        ["sync", "hub", "--push-only"],
        ["sync", "hub", "other"],
        ["sync", "-h"],
    ]

    @Test("every other line goes to the parser", arguments: parserLines)
    func otherLinesGoToTheParser(_ line: [String]) {
        #expect(PlainCommandLine(line)?.runnable() == nil, "\(line) should go to the parser")
    }

    @Test("a line's parts: words in order, the shared options wherever they stand")
    func parts() throws {
        let line = try #require(PlainCommandLine(["annotate", "--json", "3f9a/2.1", "--store=s", "text"]))
        #expect(line == PlainCommandLine(name: "annotate", words: ["3f9a/2.1", "text"], store: "s", json: true))
        #expect(PlainCommandLine(["sync"]) == PlainCommandLine(name: "sync", words: [], store: nil, json: false))
        #expect(PlainCommandLine(["--store", "s", "sync"]) == nil, "the parser's hoisting comes first")
    }

    @Test("random lines: whenever the plain path takes one, the parser builds the same command (randomized)")
    func randomLines() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("PlainCommandLineTests.randomLines seed: \(seed)")
        var generator = SplitMix64(seed: seed)
        let commands = ["annotate", "tag", "show", "find", "sync", "reports", "notes", "status", "untag"]
        let tokens = [
            "3f9a/2.1", "text", "教师", "#重点", "two words", "", " ", "-", "--", "-3%", "--store", "--store=", "--store=s",
            "s", "--json", "--quote", "--limit", "5", "--push-only", "--page-size", "help", "--help", "a,b",
        ]
        var taken = 0
        for _ in 0..<1_500 {
            let count = Int.random(in: 0...5, using: &generator)
            let line = [commands.randomElement(using: &generator)!]
                + (0..<count).map { _ in tokens.randomElement(using: &generator)! }
            guard let plain = PlainCommandLine(line)?.runnable() else { continue }
            taken += 1
            let parsed: any ParsableCommand
            do {
                parsed = try MarginCommand.parseAsRoot(line)
            } catch {
                Issue.record("seed \(seed): \(line) took the plain path, but the parser refuses it: \(error)")
                continue
            }
            #expect(Self.contents(plain) == Self.contents(parsed), "seed \(seed): \(line)")
        }
        #expect(taken > 0, "seed \(seed): no random line took the plain path, so nothing was compared")
    }

    /// Runs a line through ``MarginCLI/runOnThisThread(rawArguments:console:)``; nil when it declines the line.
    static func runOnThisThread(_ arguments: [String]) -> CommandResult? {
        let console = Console.capturing()
        guard let status = MarginCLI.runOnThisThread(rawArguments: arguments.map { Array($0.utf8) }, console: console)
        else { return nil }
        return CommandResult(status: status, output: console.output, errors: console.errors)
    }

    @Test("a plain command that waits on nothing runs on the calling thread, as margin runs it otherwise")
    func runsOnThisThread() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection().reference
        let store = ["--store", sandbox.storePath]

        let added = try #require(Self.runOnThisThread(["annotate", section, "written on this thread"] + store))
        #expect(added.status == 0, "\(added.errors)")
        #expect(added.output.hasPrefix("Added annotation "))
        #expect(try sandbox.open().section(section).annotations.map(\.text) == ["written on this thread"])
        let tagged = try #require(Self.runOnThisThread(["--store", sandbox.storePath, "tag", section, "重点"]))
        #expect(tagged.status == 0, "\(tagged.errors)")
        #expect(try sandbox.open().section(section).tags == ["重点"])

        // Each read and each refusal prints what the usual path prints, with the same exit code.
        for line in [
            ["show", section], ["find", "written", "--json"], ["reports"], ["notes", "--json"], ["status"],
            ["annotate", "zzzz/1", "a note"], ["show", "zzzz"],
        ] {
            let here = try #require(Self.runOnThisThread(line + store), "\(line)")
            let usual = await CLISandbox.runBare(line + store)
            #expect(here.status == usual.status, "\(line)")
            #expect(here.output == usual.output, "\(line)")
            #expect(here.errors == usual.errors, "\(line)")
        }
    }

    @Test("every other line is left to the concurrency runtime's path", arguments: [
        ["sync"], ["sync", "hub", "--store", "s"], ["reports", "--all", "--store", "s"], ["annotate", "3f9a/2.1"],
        ["annotate", "3f9a/2.1", "text", "--quote", "span"], ["--version"], [],
    ])
    func otherLinesAreLeftToTheRuntime(_ line: [String]) {
        #expect(Self.runOnThisThread(line) == nil, "\(line)")
    }

    @Test("an argument that is not UTF-8 is left to the path that refuses it")
    func notUTF8IsLeftToTheUsualPath() {
        let console = Console.capturing()
        let raw: [[UInt8]] = [Array("annotate".utf8), Array("3f9a/2.1".utf8), [0x62, 0x61, 0x64, 0xFF]]
        #expect(MarginCLI.runOnThisThread(rawArguments: raw, console: console) == nil)
        #expect(console.output.isEmpty && console.errors.isEmpty)
    }

    /// Every stored property of a command, the parser's wrappers included (a property the parser left unset, or
    /// that a plain builder forgot, shows as a definition instead of a value).
    static func contents(_ command: any ParsableCommand) -> String {
        var text = ""
        dump(command, to: &text)
        return text
    }
}
