import Foundation

/// Asks for a secret on the terminal and reads one line with echo turned off, as `ssh` and `sudo` do, so the
/// secret never shows on the screen, in a terminal's scrollback or in a screen recording.
///
/// Ctrl-C while it waits restores the terminal's echo before the process ends.
enum HiddenPrompt {
    /// The terminal settings to restore if the process is interrupted while echo is off.
    nonisolated(unsafe) private static var savedSettings = termios()

    /// Writes `prompt` to standard error and reads one line from the terminal `descriptor` without echoing it.
    /// Returns the line without its line break, or nil when the terminal settings cannot be changed.
    static func readLine(prompt: String, from descriptor: Int32 = STDIN_FILENO) -> String? {
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else { return nil }
        var quiet = settings
        quiet.c_lflag &= ~tcflag_t(ECHO)
        savedSettings = settings
        guard tcsetattr(descriptor, TCSAFLUSH, &quiet) == 0 else { return nil }
        let previousHandler = signal(SIGINT) { signalNumber in
            tcsetattr(STDIN_FILENO, TCSANOW, &HiddenPrompt.savedSettings)
            signal(signalNumber, SIG_DFL)
            raise(signalNumber)
        }
        defer {
            tcsetattr(descriptor, TCSAFLUSH, &settings)
            signal(SIGINT, previousHandler)
            // The Return that ended the line was not echoed either.
            Console.current.writeError("\n")
        }
        Console.current.writeError(prompt)
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(descriptor, &byte, 1)
            if count < 0, errno == EINTR { continue }
            if count <= 0 || byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
