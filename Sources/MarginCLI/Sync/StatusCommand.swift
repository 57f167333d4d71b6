import ArgumentParser
import MarginStore

/// `margin status`: what is not yet pushed to each remote, when each last synced, open conflicts and orphaned
/// annotations.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show, per remote, the revisions not yet pushed and the last sync; open conflicts; orphaned annotations.",
        discussion: "Counts come from what each remote reported at the last sync; run `margin sync` to refresh them.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        var peer: String
        var revisions: Int64
        var openConflicts: Int
        var conflicts: [ConflictView]
        var orphanedAnnotations: [AnnotationView]
        var remotes: [RemoteStatus]
        /// True when the store folder was copied or restored since a sync last checked its identity.
        var mayBeACopy: Bool
        /// Records of kinds this version does not know, by kind (kept and forwarded, never shown).
        var unknownKinds: [String: Int]
        /// The database file's size and free pages.
        var file: StoreFileSpace
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
        let savedRemotes = try store.remotes()
        let remotes = try savedRemotes.map { remote in
            RemoteStatus(
                name: remote.name, url: remote.url, notPushed: try store.countMissing(from: remote.knownVector),
                lastSyncAt: Formatting.isoTime(remote.lastSyncAt))
        }
        let conflicts = try store.conflicts()
        let report = Report(
            peer: store.peer.id.rawValue, revisions: vector.values.reduce(0, +), openConflicts: conflicts.count,
            conflicts: conflicts, orphanedAnnotations: try store.orphanedAnnotations(), remotes: remotes,
            mayBeACopy: try store.mayBeACopy(),
            unknownKinds: Dictionary(uniqueKeysWithValues: try store.unknownKindCounts().map { ($0.key.rawValue, $0.value) }),
            file: try store.fileSpace())
        if output.json {
            try JSONOutput.print(report)
            return
        }
        let console = Console.current
        console.print(
            "Peer \(report.peer): \(Formatting.count(report.revisions, "revision")), \(Formatting.count(report.openConflicts, "open conflict")).")
        if report.mayBeACopy {
            console.print(
                "This store was copied or restored from a backup since its last sync: another copy may write under the same identity, so the counts below may be wrong. `margin sync` checks and, if needed, moves this store to a new identity without losing anything.")
        }
        for (kind, count) in report.unknownKinds.sorted(by: { $0.key < $1.key }) {
            console.print("unknown: \(Formatting.count(count, "record")) of kind “\(kind)”, from a newer version of margin; kept and forwarded, not shown.")
        }
        if report.file.worthCompacting {
            console.print(
                "The store's file is \(Formatting.megabytes(report.file.bytes)), \(Formatting.megabytes(report.file.freeBytes)) of it free (left by an upgrade or rewritten indexes); `margin compact` gives it back.")
        }
        if remotes.isEmpty { console.print("No remotes; add one with `margin remote add NAME URL`.") }
        for (remote, saved) in zip(remotes, savedRemotes) {
            let synced = saved.lastSyncAt.map(Formatting.time) ?? "never"
            console.print("\(remote.name)\t\(remote.url)\t\(remote.notPushed) not pushed\tlast sync: \(synced)")
        }
        for conflict in conflicts {
            console.print("conflict: \(ReportConflictPrinter.subject(conflict)) — margin resolve \(conflict.shortID)")
        }
        for orphan in report.orphanedAnnotations {
            let quote = orphan.anchor.map { " (quote “\($0.quote)” no longer found)" } ?? " (its section is gone)"
            console.print("orphaned: annotation \(orphan.shortID) “\(Formatting.clip(orphan.text, 30))”\(quote) — margin annotate --reanchor \(orphan.shortID) --quote \"…\"")
        }
    }
}
