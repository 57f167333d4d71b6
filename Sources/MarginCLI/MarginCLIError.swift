/// An error of the command-line layer. Its description is one sentence and a hint.
enum MarginCLIError: Error, CustomStringConvertible {
    case unreadableFile(String)
    case editorFailed(String)

    var description: String {
        switch self {
        case let .unreadableFile(path):
            return "Cannot read \(path); check the path and its permissions."
        case let .editorFailed(reason):
            return "The editor failed: \(reason); set $EDITOR to a working editor, or pass the text on the command line."
        }
    }
}
