/// An error of the command-line layer. Its description is one sentence and a hint.
enum MarginCLIError: Error, CustomStringConvertible {
    case unreadableFile(String)
    case fileTooLarge(String, limit: Int)
    case editorFailed(String)
    case nothingWritten(reason: String)
    case unknownRemote(String, known: [String])
    case remoteExists(String)
    case noRemotes
    case emptyTokenFile(String)
    case cannotListen(host: String, port: Int, reason: String)
    case accountExists(String)
    case unknownAccount(String, known: [String])
    case unusableToken(source: String, reason: String)
    case unusableReplica(reason: String)

    var description: String {
        switch self {
        case let .unreadableFile(path):
            return "Cannot read \(path); check the path and its permissions."
        case let .fileTooLarge(path, limit):
            return "\(path) holds more than \(limit >> 20) MiB, more than any report page, note or key file; nothing was read. Check the path."
        case let .editorFailed(reason):
            return "The editor failed: \(reason); set $EDITOR to a working editor, or pass the text on the command line."
        case let .nothingWritten(reason):
            return "Nothing written: \(reason)."
        case let .unknownRemote(name, known):
            let list = known.isEmpty ? "there are none yet" : "known remotes: " + known.joined(separator: ", ")
            return "There is no remote named “\(name)” (\(list)); add it with `margin remote add \(name) URL`."
        case let .remoteExists(name):
            return "A remote named “\(name)” exists already; remove it first with `margin remote remove \(name)`."
        case .noRemotes:
            return "This store has no remotes; add one with `margin remote add NAME URL`, then run `margin sync`."
        case let .unusableReplica(reason):
            return "The read replica of --database-replica cannot be used. \(reason)"
        case let .cannotListen(host, port, reason):
            return "Cannot listen on \(host):\(port): \(reason)."
        case let .accountExists(name):
            return "An account named “\(name)” exists already (names are never reused, even after `margin user revoke`); choose another name."
        case let .unknownAccount(name, known):
            let list = known.isEmpty ? "there are none yet" : "accounts: " + known.joined(separator: ", ")
            return "There is no account named “\(name)” (\(list)); `margin user list` shows them."
        case let .unusableToken(source, reason):
            return "The token from \(source) cannot be used: \(reason); a token is one line of visible ASCII characters, as `margin user add` prints it."
        case let .emptyTokenFile(path):
            return "The token file \(path) has no tokens; add one token per line."
        }
    }
}
