import Foundation

/// Runs an executable as a child process and times it from spawn to exit: what a person at a shell waits for,
/// start-up (dynamic loading, Swift runtime, opening the store) included.
struct CommandTimer {
    /// What went wrong when a timed command did not exit with status 0.
    struct Failure: Error, CustomStringConvertible {
        /// The command line.
        var command: String
        /// Its exit status.
        var status: Int32
        /// The start of its standard error.
        var message: String

        var description: String { "`\(command)` exited with status \(status): \(message)" }
    }

    /// The executable's path.
    let executable: String
    /// Output goes to files rather than pipes: a pipe nobody drains can block a chatty child and distort timings.
    private let outputFolder: TemporaryFolder

    /// Prepares to run `executable`.
    init(executable: String) throws {
        self.executable = executable
        outputFolder = try TemporaryFolder("margin-bench-output")
    }

    /// Runs the command once and returns its wall time and standard output.
    /// - Throws: ``Failure`` when it exits with a non-zero status, so that a broken command is not timed as fast.
    func run(_ arguments: [String]) throws -> (elapsed: Sample, output: String) {
        let outputPath = outputFolder.path + "/stdout"
        let errorPath = outputFolder.path + "/stderr"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer {
            try? output.close()
            try? errors.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        // Foundation reaps the child before `waitUntilExit` returns, so its CPU time is in RUSAGE_CHILDREN by then.
        let elapsed = try Stopwatch.time(cpu: .children) {
            try process.run()
            process.waitUntilExit()
        }
        let printed = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw Failure(
                command: ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " "),
                status: process.terminationStatus, message: String(message.prefix(300)))
        }
        return (elapsed, printed)
    }

    /// Runs the command `warmup + runs` times and returns the timed runs and the last output.
    func measure(_ arguments: [String], runs: Int, warmup: Int = 1) throws -> (samples: [Sample], output: String) {
        var samples: [Sample] = []
        var lastOutput = ""
        for run in 0..<(warmup + runs) {
            let (elapsed, output) = try self.run(arguments)
            if run >= warmup { samples.append(elapsed) }
            lastOutput = output
        }
        return (samples, lastOutput)
    }

    /// Deletes the captured output.
    func cleanUp() { outputFolder.remove() }
}
