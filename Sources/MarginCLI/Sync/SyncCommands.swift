import ArgumentParser
import Foundation

extension MarginCommand {
    /// The commands that talk to other peers (`serve`, `sync`, `remote`, `status`).
    static var syncCommands: [any ParsableCommand.Type] {
        [ServeCommand.self, SyncCommand.self, RemoteCommand.self, StatusCommand.self]
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
