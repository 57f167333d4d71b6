import ArgumentParser
import MarginStore

/// `margin status`: what is not yet pushed to each remote, when each last synced, and open conflicts.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show, per remote, the revisions not yet pushed and the last sync, and the open conflicts.",
        discussion: "Counts come from what each remote reported at the last sync; run `margin sync` to refresh them.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        var peer: String
        var revisions: Int64
        var openConflicts: Int
        var remotes: [RemoteStatus]
    }

    struct RemoteStatus: Encodable {
        var name: String
        var url: String
        var notPushed: Int64
        var lastSyncAt: String?
    }

    func run() throws {
        let store = try self.store.open()
        let vector = try store.versionVector()
        let remotes = try store.remotes().map { remote in
            RemoteStatus(
                name: remote.name, url: remote.url, notPushed: try store.countMissing(from: remote.knownVector),
                lastSyncAt: isoTimestamp(remote.lastSyncAt))
        }
        let report = Report(
            peer: store.peer.id.rawValue, revisions: vector.values.reduce(0, +),
            openConflicts: try store.openConflictCount(), remotes: remotes)
        if output.json {
            try JSONOutput.print(report)
            return
        }
        let console = Console.current
        console.print("Peer \(report.peer): \(report.revisions) revision(s), \(report.openConflicts) open conflict(s).")
        if remotes.isEmpty { console.print("No remotes; add one with `margin remote add NAME URL`.") }
        for remote in remotes {
            console.print(
                "\(remote.name)\t\(remote.url)\t\(remote.notPushed) not pushed\tlast sync: \(remote.lastSyncAt ?? "never")")
        }
    }
}
