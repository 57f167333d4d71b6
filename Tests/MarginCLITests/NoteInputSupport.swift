import Foundation
import MarginCLI
import Testing

extension CLISandbox {
    /// Runs `margin` in process (with `--store`) under `input` instead of the test process's stdin and environment.
    func run(_ arguments: [String], input: InputEnvironment) async -> CommandResult {
        await InputEnvironment.$override.withValue(input) { await run(arguments) }
    }

    /// Runs `margin` in process with exactly these arguments under `input`.
    static func runBare(_ arguments: [String], input: InputEnvironment) async -> CommandResult {
        await InputEnvironment.$override.withValue(input) { await runBare(arguments) }
    }

    /// Writes an executable `/bin/sh` script that stands in for the person's editor; `$1` is the file to edit.
    func editorScript(_ name: String, _ body: String) throws -> String {
        let path = try write(name, text: "#!/bin/sh\n" + body + "\n")
        chmod(path, 0o755)
        return path
    }

    /// An input environment whose editor is `script`, with empty, non-terminal standard input.
    static func editor(_ script: String) -> InputEnvironment { .fixed(variables: ["EDITOR": script]) }
}

extension CommandResult {
    /// The file `margin` said it kept the person's edited text in ("Your text is kept in PATH."), if it said so.
    var keptTextFile: String? {
        errorLines.first { $0.hasPrefix("Your text is kept in ") }
            .map { String($0.dropFirst("Your text is kept in ".count).dropLast()) }
    }
}

/// Shell quoting for text put into editor scripts.
enum Shell {
    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
