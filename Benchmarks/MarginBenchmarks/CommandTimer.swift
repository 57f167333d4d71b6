import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs an executable as a child process and times it from spawn to exit: what a person at a shell waits for,
/// start-up (dynamic loading, Swift runtime, opening the store) included.
///
/// It uses `posix_spawn` and `wait4` rather than Foundation's `Process`: on Linux, `Process.waitUntilExit()` polls
/// its run loop in 50 ms steps, which rounds every command up to about 50 ms and would hide exactly the start-up
/// costs measured here. `wait4` also reports the child's own CPU time.
struct CommandTimer {
    /// What went wrong when a timed command could not start or did not exit with status 0.
    struct Failure: Error, CustomStringConvertible {
        /// The command line.
        var command: String
        /// Its exit status, or the `posix_spawn` error number when it did not start.
        var status: Int32
        /// The start of its standard error.
        var message: String

        var description: String { "`\(command)` failed with status \(status): \(message)" }
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

    /// Runs the command once and returns its wall and CPU time and its standard output.
    /// - Throws: ``Failure`` when it exits with a non-zero status, so that a broken command is not timed as fast.
    func run(_ arguments: [String]) throws -> (elapsed: Sample, output: String) {
        let outputPath = outputFolder.path + "/stdout"
        let errorPath = outputFolder.path + "/stderr"
        let commandLine = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        #else
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }

        var pid: pid_t = 0
        var status: Int32 = 0
        var usage = rusage()
        let clock = ContinuousClock()
        let start = clock.now
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw Failure(command: commandLine, status: spawned, message: String(cString: strerror(spawned)))
        }
        while wait4(pid, &status, 0, &usage) == -1, errno == EINTR {}
        let wall = clock.now - start
        let cpu = Duration(usage.ru_utime) + Duration(usage.ru_stime)

        let printed = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // The <sys/wait.h> macros are not imported into Swift: exited normally when the low 7 bits are 0.
        let exitCode = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitCode == 0 else {
            let message = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw Failure(command: commandLine, status: exitCode, message: String(message.prefix(300)))
        }
        return (Sample(wall: wall, cpu: cpu), printed)
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
