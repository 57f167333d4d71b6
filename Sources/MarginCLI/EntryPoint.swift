import ArgumentParser
import Foundation

/// Runs `margin` with arguments; the one entry point of the executable and of in-process tests.
public enum MarginCLI {
    /// Parses and runs a command line (without the program name) and returns the exit code:
    /// 0 on success, 64 on usage errors, 1 on other errors. Errors go to the console's standard error.
    public static func run(_ arguments: [String], console: Console = .standard) async -> Int32 {
        await Console.$current.withValue(console) {
            if let complaint = CommandLineRepair.unknownHelpTopic(arguments) {
                console.printError("error: " + complaint)
                return 64
            }
            let arguments = CommandLineRepair.hoistingSharedOptions(arguments)
            if var plain = PlainCommandLine(arguments)?.runnable() {
                do {
                    try await plain.runPlain()
                    return 0
                } catch {
                    return report(error, console: console)
                }
            }
            var command: any ParsableCommand
            do {
                command = try MarginCommand.parseAsRoot(arguments)
            } catch {
                return report(error, console: console, arguments: arguments)
            }
            do {
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
                return 0
            } catch {
                return report(error, console: console)
            }
        }
    }

    /// Runs a command line given as the bytes the operating system passed, refusing (exit 64, nothing run) any
    /// argument that is not valid UTF-8 instead of storing U+FFFD in its place.
    public static func run(rawArguments: [[UInt8]], console: Console = .standard) async -> Int32 {
        switch text(of: rawArguments) {
        case let .success(arguments):
            return await run(arguments, console: console)
        case let .failure(notText):
            let shown = String(decoding: rawArguments[notText.index], as: UTF8.self)
            console.printError(
                "error: argument \(notText.index + 1) (“\(shown)”) is not valid UTF-8 text, so nothing was done. margin keeps text as UTF-8: convert it first, e.g. with iconv -f GB18030 -t UTF-8.")
            return 64
        }
    }

    /// The index of an argument that is not valid UTF-8.
    struct NotUTF8: Error {
        var index: Int
    }

    /// The arguments as text, or the first one that is not valid UTF-8.
    static func text(of rawArguments: [[UInt8]]) -> Result<[String], NotUTF8> {
        var arguments: [String] = []
        for (index, bytes) in rawArguments.enumerated() {
            guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(NotUTF8(index: index)) }
            arguments.append(text)
        }
        return .success(arguments)
    }

    /// Runs a plain command line (see ``PlainCommandLine``) whose command waits on nothing (every plain command but
    /// `sync`) here, on the calling thread, and returns its exit code; nil for any other line,
    /// which ``run(rawArguments:console:)`` runs. Called before anything asynchronous, it spares such a command
    /// Swift's concurrency runtime: the dispatch threads that drain the main queue and run tasks, and the hand-offs
    /// between them. A `margin annotate` then starts one thread instead of four, and waits about 0.7 ms less on this
    /// two-core machine.
    public static func runOnThisThread(rawArguments: [[UInt8]], console: Console = .standard) -> Int32? {
        guard case let .success(arguments) = text(of: rawArguments),
            let line = PlainCommandLine(CommandLineRepair.hoistingSharedOptions(arguments)), line.runsOnThisThread,
            var command = line.runnable()
        else { return nil }
        return Console.$current.withValue(console) {
            do {
                try command.run()
                return 0
            } catch {
                return report(error, console: console)
            }
        }
    }

    /// The process's own arguments, without the program name, as the bytes the operating system passed.
    public static var processArguments: [[UInt8]] {
        (1..<Int(CommandLine.argc)).map { index in
            guard let pointer = CommandLine.unsafeArgv[index] else { return [] }
            return Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer)))
        }
    }

    /// Prints an error the way `margin` does and returns its exit code. `arguments` are given for an error of
    /// parsing, so that a mistyped option or text starting with `-` can be explained.
    static func report(_ error: any Error, console: Console, arguments: [String]? = nil) -> Int32 {
        // An exit code thrown on purpose (import's failed files, demo's failed step) was reported where it arose.
        if let exit = error as? ExitCode { return exit.rawValue }
        let code = MarginCommand.exitCode(for: error)
        if code == .success {
            // --help and --version are reported as errors by the parser but are successful runs.
            console.print(MarginCommand.fullMessage(for: error))
            return 0
        }
        if error is ValidationError || code.rawValue == 64 {
            guard let arguments else {
                // Found while running, past parsing: the parser would add the usage of `margin` itself, which says
                // nothing about the command that was run. The sentence names what to change.
                console.printError("error: " + description(of: error))
                return 64
            }
            var message = MarginCommand.fullMessage(for: error)
            if let better = CommandLineRepair.diagnosis(of: arguments) {
                // Keep the parser's usage lines; replace its first sentence with the better one.
                let rest = message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst()
                message = (["error: " + better] + rest.map(String.init)).joined(separator: "\n")
            } else if message.hasPrefix("Error: ") {
                // One spelling for every error margin prints, the parser's included.
                message = "error: " + message.dropFirst("Error: ".count)
            }
            console.printError(message)
            return 64
        }
        // fullMessage would prefix the parser's own "Error: ", giving "error: Error: …"; print the sentence itself.
        console.printError("error: " + description(of: error))
        return 1
    }

    /// The one-sentence description of an error: its `LocalizedError` text, else its `description`.
    static func description(of error: any Error) -> String {
        if let localized = error as? any LocalizedError, let text = localized.errorDescription { return text }
        return String(describing: error)
    }
}
