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
        let code = MarginCommand.exitCode(for: error)
        if code == .success {
            // --help and --version are reported as errors by the parser but are successful runs.
            console.print(MarginCommand.fullMessage(for: error))
            return 0
        }
        let message = MarginCommand.fullMessage(for: error)
        if error is ValidationError || code.rawValue == 64 {
            console.printError(message)
            return 64
        }
        console.printError("error: " + message)
        return 1
    }
}
