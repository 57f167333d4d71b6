import Logging
import Synchronization

/// A log handler that keeps the messages of the warnings logged through it.
struct WarningLog: LogHandler {
    private final class Box: Sendable { let messages = Mutex<[String]>([]) }
    private let box = Box()

    /// The warnings' messages, in the order logged.
    var messages: [String] { box.messages.withLock { $0 } }

    /// A logger that writes here.
    var logger: Logger { Logger(label: "test") { _ in self } }

    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        if level == .warning { box.messages.withLock { $0.append("\(message)") } }
    }
}
