import Foundation

/// Where commands write. Tests swap in a capturing console; the real one writes to stdout and stderr.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private var capturedOutput = ""
    private var capturedErrors = ""
    private let capturing: Bool
    /// Whether output goes to an interactive terminal (enables highlighting and progress bars).
    public let isTerminal: Bool

    /// A console writing to the process's standard output and error.
    public static let standard = Console(capturing: false, isTerminal: isatty(STDOUT_FILENO) == 1)

    /// A console that keeps what is written, for tests.
    public static func capturing() -> Console { Console(capturing: true, isTerminal: false) }

    init(capturing: Bool, isTerminal: Bool) {
        self.capturing = capturing
        self.isTerminal = isTerminal
    }

    /// The console of the running command.
    @TaskLocal public static var current: Console = .standard

    /// Writes a line to standard output.
    public func print(_ line: String = "") {
        write(line + "\n", error: false)
    }

    /// Writes a line to standard error.
    public func printError(_ line: String) {
        write(line + "\n", error: true)
    }

    /// Writes text to standard error without a newline (progress updates).
    public func writeError(_ text: String) {
        write(text, error: true)
    }

    /// What was written to standard output (capturing consoles only).
    public var output: String { lock.withLock { capturedOutput } }
    /// What was written to standard error (capturing consoles only).
    public var errors: String { lock.withLock { capturedErrors } }

    private func write(_ text: String, error: Bool) {
        if capturing {
            lock.withLock {
                if error { capturedErrors += text } else { capturedOutput += text }
            }
        } else {
            FileHandle(fileDescriptor: error ? STDERR_FILENO : STDOUT_FILENO).write(Data(text.utf8))
        }
    }
}
