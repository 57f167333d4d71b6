import Foundation
import MarginCore

/// Where commands write. Tests swap in a capturing console; the real one writes to stdout and stderr.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private var capturedOutput = ""
    private var capturedErrors = ""
    private let capturing: Bool
    /// Whether output goes to an interactive terminal that understands ANSI escapes: true only on a TTY whose
    /// `TERM` is not `dumb`. Progress lines that rewrite themselves need it.
    public let isTerminal: Bool
    /// Whether output may be highlighted (reverse video): on such a terminal, unless `NO_COLOR` is set to anything
    /// non-empty (https://no-color.org). Without it, highlighted spans are marked with plain characters.
    public let highlights: Bool

    /// A console writing to the process's standard output and error.
    public static let standard = Console(
        capturing: false, tty: isatty(STDOUT_FILENO) == 1, environment: ProcessInfo.processInfo.environment)

    /// A console that keeps what is written, for tests.
    public static func capturing() -> Console { Console(capturing: true, tty: false, environment: [:]) }

    /// A console that keeps what is written and behaves as if writing to a terminal with `environment`
    /// (for tests of highlighting, `NO_COLOR` and `TERM=dumb`).
    public static func capturingTerminal(environment: [String: String]) -> Console {
        Console(capturing: true, tty: true, environment: environment)
    }

    init(capturing: Bool, tty: Bool, environment: [String: String]) {
        self.capturing = capturing
        self.isTerminal = tty && environment["TERM"] != "dumb"
        self.highlights = isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
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

    /// Text as a terminal should get it: DEL and the C1 controls (U+0080–U+009F), which a terminal may take for the
    /// start of an escape sequence and which no report, note or name needs, written out as `\u{…}`. Received text
    /// may hold them (a revision's strings are refused only with C0 controls); margin's own escapes are C0 and pass.
    /// Output to a pipe or a file keeps its bytes.
    static func showingControls(_ text: String) -> String {
        // C1 controls are encoded 0xC2 0x80…0x9F: text without 0xC2 or DEL has none.
        guard text.utf8.contains(where: { $0 == 0xC2 || $0 == 0x7F }) else { return text }
        return TextRules.writingOut(text.unicodeScalars, where: TextRules.isDeleteOrC1)
    }

    /// Writes all of `text` to `descriptor` with `write(2)`, as `FileHandle` would, without first copying it into
    /// `Data` (whose initializer from a sequence looks up a protocol conformance at run time).
    private static func writeAll(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            guard var next = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let written = Foundation.write(descriptor, next, left)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return }
                next += written
                left -= written
            }
        }
    }

    private func write(_ text: String, error: Bool) {
        let text = isTerminal ? Self.showingControls(text) : text
        if capturing {
            lock.withLock {
                if error { capturedErrors += text } else { capturedOutput += text }
            }
        } else {
            Self.writeAll(text, to: error ? STDERR_FILENO : STDOUT_FILENO)
        }
    }
}
