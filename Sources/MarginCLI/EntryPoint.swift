import ArgumentParser
import Foundation

/// Runs `margin` with arguments; the one entry point of the executable and of in-process tests.
public enum MarginCLI {
    /// Parses and runs a command line (without the program name) and returns the exit code:
    /// 0 on success, 64 on usage errors, 1 on other errors. Errors go to the console's standard error.
    public static func run(_ arguments: [String], console: Console = .standard) async -> Int32 {
        await Console.$current.withValue(console) {
            do {
                var command = try MarginCommand.parseAsRoot(arguments)
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

    /// Prints an error the way `margin` does and returns its exit code.
    static func report(_ error: any Error, console: Console) -> Int32 {
        // An exit code thrown on purpose (import's failed files, demo's failed step) was reported where it arose.
        if let exit = error as? ExitCode { return exit.rawValue }
        let code = MarginCommand.exitCode(for: error)
        if code == .success {
            // --help and --version are reported as errors by the parser but are successful runs.
            console.print(MarginCommand.fullMessage(for: error))
            return 0
        }
        if error is ValidationError || code.rawValue == 64 {
            console.printError(MarginCommand.fullMessage(for: error))
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
