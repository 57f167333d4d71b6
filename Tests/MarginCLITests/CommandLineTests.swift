import Foundation
import MarginCLI
import MarginStore
import Testing

/// What `margin` does with a command line before a command runs: shared options before the subcommand,
/// `--version`, `help`, mistyped options, text that looks like an option, and arguments that are not UTF-8.
@Suite("margin command lines")
struct CommandLineTests {
    @Test("--store and --json before the subcommand work as after it")
    func sharedOptionsBeforeTheSubcommand() async throws {
        let sandbox = try await CLISandbox.seeded()
        let after = await CLISandbox.runBare(["reports", "--json", "--store", sandbox.storePath])
        let before = await CLISandbox.runBare(["--store", sandbox.storePath, "--json", "reports"])
        let equals = await CLISandbox.runBare(["--store=\(sandbox.storePath)", "reports", "--json"])
        #expect(after.status == 0)
        #expect(before.status == 0, "\(before.errors)")
        #expect(equals.status == 0, "\(equals.errors)")
        #expect(before.output == after.output)
        #expect(equals.output == after.output)

        // Before a nested subcommand, and with text after `--` that must stay text.
        let remote = await CLISandbox.runBare(["--store", sandbox.storePath, "remote", "add", "hub", "http://127.0.0.1:9"])
        #expect(remote.status == 0, "\(remote.errors)")
        #expect(try sandbox.open().remotes().map(\.name) == ["hub"])
        let section = try sandbox.open().someHeadingSection().reference
        let dashed = await CLISandbox.runBare(["--store", sandbox.storePath, "annotate", section, "--", "--store"])
        #expect(dashed.status == 0, "\(dashed.errors)")
        #expect(try sandbox.open().section(section).annotations.map(\.text) == ["--store"])
    }

    @Test("--version prints the version and exits 0")
    func version() async {
        let result = await CLISandbox.runBare(["--version"])
        #expect(result.status == 0)
        #expect(result.output == MarginVersion.description + "\n")
        #expect(result.output.hasPrefix("margin "))
    }

    @Test("help for a command that does not exist exits 64 and suggests the nearest")
    func helpForAnUnknownCommand() async {
        let unknown = await CLISandbox.runBare(["help", "nosuch"])
        #expect(unknown.status == 64)
        #expect(unknown.output.isEmpty)
        #expect(unknown.errors.contains("margin has no command “nosuch”"))
        let typo = await CLISandbox.runBare(["help", "anotate"])
        #expect(typo.status == 64)
        #expect(typo.errors.contains("Did you mean “annotate”?"))
        let nested = await CLISandbox.runBare(["help", "remote", "ad"])
        #expect(nested.status == 64)
        #expect(nested.errors.contains("margin remote has no command “ad”"))
        let known = await CLISandbox.runBare(["help", "remote", "add"])
        #expect(known.status == 0)
        #expect(known.output.contains("USAGE: margin remote add"))
    }

    @Test("a mistyped option names the option meant, and writes nothing")
    func mistypedOption() async throws {
        let sandbox = try await CLISandbox.seeded()
        let before = try sandbox.changeCount()
        let section = try sandbox.open().someHeadingSection().reference
        let result = await sandbox.run("annotate", section, "note", "--qoute", "x")
        #expect(result.status == 64)
        #expect(result.errors.hasPrefix("error: Unknown option “--qoute”. Did you mean “--quote”?"), "\(result.errors)")
        #expect(result.errors.contains("Usage: margin annotate"), "the usage lines stay")
        let far = await sandbox.run("reports", "--zzzzzz")
        #expect(far.status == 64)
        #expect(far.errors.contains("Unknown option “--zzzzzz”; `margin reports --help` lists the options."))
        #expect(try sandbox.changeCount() == before)
    }

    @Test("note text starting with - gets a hint to use --")
    func textThatLooksLikeAnOption() async throws {
        let sandbox = try await CLISandbox.seeded()
        let before = try sandbox.changeCount()
        let section = try sandbox.open().someHeadingSection().reference
        let result = await sandbox.run("annotate", section, "-3% 的降幅")
        #expect(result.status == 64)
        #expect(result.errors.contains("“-3% 的降幅” starts with “-”"), "\(result.errors)")
        #expect(result.errors.contains("put -- before it"))
        #expect(try sandbox.changeCount() == before)
        // `--store` goes before `--`: everything after it is text.
        let fixed = await CLISandbox.runBare(["annotate", "--store", sandbox.storePath, section, "--", "-3% 的降幅"])
        #expect(fixed.status == 0, "\(fixed.errors)")
        #expect(try sandbox.open().section(section).annotations.map(\.text) == ["-3% 的降幅"])
    }

    @Test("an argument that is not UTF-8 is refused with exit 64 and the store is unchanged")
    func invalidUTF8Arguments() async throws {
        let sandbox = try await CLISandbox.seeded()
        let before = try sandbox.changeCount()
        let section = try sandbox.open().someHeadingSection().reference
        let invalidLines: [[UInt8]] = [
            [0xFF], [0x61, 0xC3], [0xE9, 0x87, 0x8D, 0xE7], [0xED, 0xA0, 0x80] /* an encoded surrogate */,
            Array("重点".utf8.dropLast()),
        ]
        for invalid in invalidLines {
            for arguments in [["tag", section], ["annotate", section]] {
                let console = Console.capturing()
                let raw = arguments.map { Array($0.utf8) } + [invalid] + [Array("--store".utf8), Array(sandbox.storePath.utf8)]
                let status = await MarginCLI.run(rawArguments: raw, console: console)
                #expect(status == 64, "\(arguments) \(invalid)")
                #expect(console.errors.contains("argument 3"))
                #expect(console.errors.contains("is not valid UTF-8"))
                #expect(console.output.isEmpty)
            }
        }
        #expect(try sandbox.changeCount() == before)
        #expect(try sandbox.open().tagCounts().isEmpty)

        let valid = Console.capturing()
        let status = await MarginCLI.run(
            rawArguments: ["tag", section, "重点", "--store", sandbox.storePath].map { Array($0.utf8) }, console: valid)
        #expect(status == 0, "\(valid.errors)")
        #expect(try sandbox.changeCount() == before + 1)
    }

    @Test("NO_COLOR and TERM=dumb turn highlighting off")
    func colorFollowsTheEnvironment() {
        #expect(Console.capturingTerminal(environment: ["TERM": "xterm-256color"]).highlights)
        #expect(Console.capturingTerminal(environment: ["TERM": "xterm-256color"]).isTerminal)
        #expect(!Console.capturingTerminal(environment: ["TERM": "xterm", "NO_COLOR": "1"]).highlights)
        #expect(Console.capturingTerminal(environment: ["TERM": "xterm", "NO_COLOR": "1"]).isTerminal)
        #expect(Console.capturingTerminal(environment: ["TERM": "xterm", "NO_COLOR": ""]).highlights)
        #expect(!Console.capturingTerminal(environment: ["TERM": "dumb"]).highlights)
        #expect(!Console.capturingTerminal(environment: ["TERM": "dumb"]).isTerminal)
        #expect(!Console.capturing().highlights)
    }

    @Test("a highlighted section has no escape codes under NO_COLOR")
    func noColorSection() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        let quote = Scalars.uniqueQuote(in: section.text).quote
        #expect(await sandbox.run("annotate", section.reference, "note", "--quote", quote).status == 0)
        for (environment, escaped) in [(["TERM": "xterm"], true), (["TERM": "xterm", "NO_COLOR": "1"], false), (["TERM": "dumb"], false)] {
            let console = Console.capturingTerminal(environment: environment)
            let status = await MarginCLI.run(["show", section.reference, "--store", sandbox.storePath], console: console)
            #expect(status == 0)
            #expect(console.output.contains("\u{1B}[") == escaped, "\(environment)")
        }
    }

    @Test("a terminal gets DEL and C1 controls written out; a pipe gets the bytes")
    func controlsReachNoTerminal() {
        let terminal = Console.capturingTerminal(environment: ["TERM": "xterm"])
        terminal.print("a\u{9B}2J b\u{7F} c\u{85} 报告\u{A0}é \u{1B}[7mmark\u{1B}[0m")
        #expect(terminal.output == "a\\u{9b}2J b\\u{7f} c\\u{85} 报告\u{A0}é \u{1B}[7mmark\u{1B}[0m\n")
        terminal.printError("x\u{90}y")
        #expect(terminal.errors == "x\\u{90}y\n")
        let pipe = Console.capturing()
        pipe.print("a\u{9B}2J")
        #expect(pipe.output == "a\u{9B}2J\n")
    }

    @Test("a note's C1 control, which the rules let through, is shown, not sent, on a terminal")
    func aNotesControlIsShown() async throws {
        let sandbox = try await CLISandbox.seeded()
        let section = try sandbox.open().someHeadingSection()
        #expect(await sandbox.run("annotate", section.reference, "before\u{9B}2Jafter").status == 0)
        let console = Console.capturingTerminal(environment: ["TERM": "xterm"])
        #expect(await MarginCLI.run(["show", section.reference, "--store", sandbox.storePath], console: console) == 0)
        #expect(console.output.contains("before\\u{9b}2Jafter"), "\(console.output)")
        #expect(!console.output.unicodeScalars.contains { (0x80...0x9F).contains($0.value) })
        let piped = await sandbox.run("show", section.reference)
        #expect(piped.output.contains("before\u{9B}2Jafter"))
    }
}
