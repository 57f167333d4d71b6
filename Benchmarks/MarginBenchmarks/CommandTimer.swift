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
        let measured = try run(arguments, measuringMemory: false)
        return (measured.elapsed, measured.output)
    }

    /// One run of a command: its times, its standard output and, when asked for, its peak resident memory.
    struct Measured {
        var elapsed: Sample
        var output: String
        /// The child's peak resident set size (`ru_maxrss`), in bytes; nil unless memory was measured.
        var peakMemoryBytes: Int?
    }

    /// Runs the command once; with `measuringMemory`, also its true peak memory.
    ///
    /// `ru_maxrss` from `wait4` is not the child's own peak when the parent is large: `posix_spawn` uses
    /// `vfork` (the child shares the parent's address space until `exec`), and Linux folds the high-water mark of
    /// the address space left at `exec` into the child's `maxrss` — so a child of a 300 MB benchmark process
    /// would report at least 300 MB. To measure memory, the command is therefore started through this very
    /// program in its small helper mode (``runMeasuringHelper(_:)``), which spawns it, waits for it, and writes
    /// its wall time, CPU time and `ru_maxrss` to a file; those inner numbers are the ones returned, so the
    /// helper's own start-up is not counted.
    func run(_ arguments: [String], measuringMemory: Bool) throws -> Measured {
        let outputPath = outputFolder.path + "/stdout"
        let errorPath = outputFolder.path + "/stderr"
        let statsPath = outputFolder.path + "/stats"
        let commandLine = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
        let spawned: (wall: Duration, status: Int32, usage: rusage)
        do {
            if measuringMemory {
                try? FileManager.default.removeItem(atPath: statsPath)
                spawned = try Self.spawnAndWait(
                    Self.selfExecutable, [Self.helperFlag, statsPath, executable] + arguments,
                    stdout: outputPath, stderr: errorPath)
            } else {
                spawned = try Self.spawnAndWait(executable, arguments, stdout: outputPath, stderr: errorPath)
            }
        } catch let error as SpawnError {
            throw Failure(command: commandLine, status: error.code, message: String(cString: strerror(error.code)))
        }
        let printed = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        var exitCode = Self.exitCode(spawned.status)
        var elapsed = Sample(wall: spawned.wall, cpu: Duration(spawned.usage.ru_utime) + Duration(spawned.usage.ru_stime))
        var peak: Int?
        if measuringMemory, exitCode == 0 {
            // "status wall-nanoseconds cpu-microseconds maxrss-bytes", written by the helper.
            let fields = ((try? String(contentsOfFile: statsPath, encoding: .utf8)) ?? "")
                .split(separator: " ").compactMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            guard fields.count == 4 else {
                throw Failure(command: commandLine, status: -1, message: "the measuring helper wrote no statistics")
            }
            exitCode = Int32(fields[0])
            elapsed = Sample(wall: .nanoseconds(fields[1]), cpu: .microseconds(fields[2]))
            peak = Int(fields[3])
        }
        guard exitCode == 0 else {
            let message = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw Failure(command: commandLine, status: exitCode, message: String(message.prefix(300)))
        }
        return Measured(elapsed: elapsed, output: printed, peakMemoryBytes: peak)
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

    // MARK: - Spawning

    /// `posix_spawn` failed with this error number.
    struct SpawnError: Error {
        var code: Int32
    }

    /// The first argument that switches this program into its measuring-helper mode.
    static let helperFlag = "--measure-child"

    /// This program's own executable, for the helper mode.
    static var selfExecutable: String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    /// Helper mode: `MarginBenchmarks --measure-child STATS EXECUTABLE ARGS…` runs the command with this
    /// process's standard streams, waits for it, writes `status wall-ns cpu-µs maxrss-bytes` to STATS and exits
    /// with the command's status. Started as a fresh small process, its children's `ru_maxrss` is their own.
    static func runMeasuringHelper(_ arguments: [String]) -> Never {
        guard arguments.count >= 3, arguments[0] == helperFlag else {
            FileHandle.standardError.write(Data("usage: \(helperFlag) STATS EXECUTABLE [ARGS…]\n".utf8))
            exit(64)
        }
        let statsPath = arguments[1]
        do {
            let (wall, status, usage) = try spawnAndWait(arguments[2], Array(arguments.dropFirst(3)), stdout: nil, stderr: nil)
            let code = exitCode(status)
            let cpu = Duration(usage.ru_utime) + Duration(usage.ru_stime)
            let (seconds, attoseconds) = wall.components
            let (cpuSeconds, cpuAttoseconds) = cpu.components
            #if os(Linux)
            let maxrssBytes = Int64(usage.ru_maxrss) * 1024  // kilobytes on Linux
            #else
            let maxrssBytes = Int64(usage.ru_maxrss)  // bytes on macOS
            #endif
            let line = "\(code) \(seconds * 1_000_000_000 + attoseconds / 1_000_000_000) "
                + "\(cpuSeconds * 1_000_000 + cpuAttoseconds / 1_000_000_000_000) \(maxrssBytes)\n"
            try line.write(toFile: statsPath, atomically: true, encoding: .utf8)
            exit(code)
        } catch {
            FileHandle.standardError.write(Data("cannot start \(arguments[2]): \(error)\n".utf8))
            exit(127)
        }
    }

    /// The exit status of a `wait4` status word: the <sys/wait.h> macros are not imported into Swift; a process
    /// exited normally when the low 7 bits are 0, otherwise it was killed by that signal.
    static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Starts `executable` with stdin from /dev/null and stdout/stderr to the given files (nil: inherited).
    static func spawn(_ executable: String, _ arguments: [String], stdout: String?, stderr: String?) throws -> pid_t {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        #else
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdout { posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        if let stderr { posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw SpawnError(code: spawned) }
        return pid
    }

    /// Waits for `pid` and returns its status word and resource usage.
    static func wait(for pid: pid_t) -> (status: Int32, usage: rusage) {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1, errno == EINTR {}
        return (status, usage)
    }

    /// Spawns, waits, and times from spawn to exit.
    static func spawnAndWait(
        _ executable: String, _ arguments: [String], stdout: String?, stderr: String?
    ) throws -> (wall: Duration, status: Int32, usage: rusage) {
        let clock = ContinuousClock()
        let start = clock.now
        let pid = try spawn(executable, arguments, stdout: stdout, stderr: stderr)
        let (status, usage) = wait(for: pid)
        return (clock.now - start, status, usage)
    }
}

/// A long-running child process — `margin serve` — started in the background, with its output in files.
final class BackgroundProcess {
    /// The process id.
    let pid: pid_t
    /// Where its standard output and error go.
    let outputPath: String
    let errorPath: String
    private var exited = false

    /// Starts `executable` with `arguments`; output goes to files in `folder`.
    init(executable: String, arguments: [String], folder: String) throws {
        outputPath = folder + "/server.stdout"
        errorPath = folder + "/server.stderr"
        do {
            pid = try CommandTimer.spawn(executable, arguments, stdout: outputPath, stderr: errorPath)
        } catch let error as CommandTimer.SpawnError {
            throw CommandTimer.Failure(
                command: executable, status: error.code, message: String(cString: strerror(error.code)))
        }
    }

    deinit { if !exited { kill(pid, SIGKILL); _ = CommandTimer.wait(for: pid) } }

    /// Waits until its standard output contains a line starting with `prefix` and returns the rest of that line.
    /// - Throws: when the process exits first or `timeout` passes.
    func waitForLine(startingWith prefix: String, timeout: Duration = .seconds(30)) throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line.dropFirst(prefix.count))
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                let message = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
                throw CommandTimer.Failure(command: "background process", status: CommandTimer.exitCode(status),
                    message: String(message.prefix(300)))
            }
            usleep(10_000)
        }
        throw CommandTimer.Failure(command: "background process", status: -1, message: "no \"\(prefix)\" line within \(timeout)")
    }

    /// Its peak resident memory so far, in bytes: `VmHWM` from `/proc/PID/status` (Linux only). Unlike `ru_maxrss`,
    /// this is the high-water mark of the process's own address space, unaffected by the parent's size.
    func peakMemoryBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    /// Sends SIGTERM and waits for the exit; returns the exit code and CPU time.
    @discardableResult
    func stop() -> (exitCode: Int32, cpu: Duration) {
        guard !exited else { return (0, .zero) }
        kill(pid, SIGTERM)
        let (status, usage) = CommandTimer.wait(for: pid)
        exited = true
        return (CommandTimer.exitCode(status), Duration(usage.ru_utime) + Duration(usage.ru_stime))
    }
}
