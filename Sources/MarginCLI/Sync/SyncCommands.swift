import ArgumentParser
import Foundation

extension MarginCommand {
    /// The commands that talk to other peers (`serve`, `sync`, `remote`, `status`).
    static var syncCommands: [any ParsableCommand.Type] {
        [ServeCommand.self, SyncCommand.self, RemoteCommand.self, StatusCommand.self]
    }
}

/// An error from the sync commands: one sentence saying what happened and what to do.
struct SyncCommandError: Error, CustomStringConvertible, LocalizedError {
    let description: String
    init(_ description: String) { self.description = description }
    var errorDescription: String? { description }

    static func unknownRemote(_ name: String, known: [String]) -> SyncCommandError {
        let list = known.isEmpty ? "there are none yet" : "known remotes: " + known.joined(separator: ", ")
        return SyncCommandError("There is no remote named “\(name)” (\(list)); add it with `margin remote add \(name) URL`.")
    }
}

/// Formats milliseconds since 1970 as an ISO 8601 UTC timestamp, for stable output.
func isoTimestamp(_ milliseconds: Int64?) -> String? {
    guard let milliseconds else { return nil }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
}
