import ArgumentParser
import MarginCore
import MarginStore
import SyncClient
import SyncProtocol

/// `margin sync [REMOTE]`: pull then push, page by page, resuming where an interrupted sync stopped.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Exchange revisions with a remote (or with every remote when none is named).",
        discussion: """
            Pulls what the remote has and this store lacks, then pushes what the remote lacks. Each page is applied \
            in one transaction, so an interrupted sync keeps every page it finished and the next sync continues there.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The remote to sync with (default: every saved remote).", valueName: "remote"))
    var remote: String?

    @Flag(name: .customLong("push-only"), help: "Only send this store's revisions; do not pull.")
    var pushOnly = false

    @Flag(name: .customLong("pull-only"), help: "Only fetch the remote's revisions; do not push.")
    var pullOnly = false

    @Option(name: .customLong("page-size"), help: ArgumentHelp(
        "Revisions per page, 1…\(SyncPaging.maximumLimit) (smaller pages suit slow or flaky links).", valueName: "count"))
    var pageSize = SyncPaging.defaultLimit

    func validate() throws {
        if pushOnly && pullOnly { throw ValidationError("--push-only and --pull-only exclude each other; pass one or neither.") }
        guard (1...SyncPaging.maximumLimit).contains(pageSize) else {
            throw ValidationError("--page-size must be between 1 and \(SyncPaging.maximumLimit).")
        }
    }

    /// What `margin sync --json` prints.
    struct Summary: Encodable {
        /// What each remote that synced exchanged.
        var remotes: [SyncReport]
        /// The remotes whose sync failed, with why; nothing of a failed page was applied.
        var failed: [Failure]
        var sent: Int
        var received: Int
        var openConflicts: Int
        /// Conflicts that this sync opened (a script's way to learn of them: `.newConflicts | length`).
        var newConflicts: [ConflictView]
    }

    /// A remote whose sync failed.
    struct Failure: Encodable {
        var remote: String
        var error: String
        /// Revisions received and kept before the failure (each pulled page is kept as it arrives).
        var received: Int64
        /// Revisions the server took before the failure.
        var sent: Int64
    }

    func run() async throws {
        let store = try self.store.open(streaming: true)
        let saved = try store.remotes()
        let targets: [RemoteInfo]
        if let remote {
            guard let found = saved.first(where: { $0.name == remote }) else {
                throw MarginCLIError.unknownRemote(remote, known: saved.map(\.name))
            }
            targets = [found]
        } else {
            guard !saved.isEmpty else {
                throw MarginCLIError.noRemotes
            }
            targets = saved
        }
        let console = Console.current
        let conflictsBefore = Set(try store.conflicts().map(\.annotation))
        let options = SyncOptions(pull: !pushOnly, push: !pullOnly, pageLimit: pageSize)
        var reports: [SyncReport] = []
        var failures: [Failure] = []
        // Every remote is synced, whatever happened with the ones before it; each gets its own line.
        for target in targets {
            let tally = SyncTally()
            do {
                let report = try await sync(store, with: target, options, tally)
                reports.append(report)
                if !output.json {
                    console.print("\(report.remote): sent \(report.sent), received \(report.received).")
                }
                if let heldBack = report.heldBack {
                    // On standard error even with --json, as the identity note: a person must know what waits.
                    console.writeError(Self.describe(heldBack, remote: report.remote, ownOrigin: store.peer.id) + "\n")
                }
            } catch {
                let moved = tally.moved
                let failure = Failure(
                    remote: target.name, error: MarginCLI.description(of: error), received: moved.received, sent: moved.sent)
                failures.append(failure)
                console.printError("error: \(failure.remote): \(failure.error)")
                if !output.json, moved.received > 0 || moved.sent > 0 {
                    console.print(
                        "\(failure.remote): sent \(moved.sent), received \(moved.received) before it failed; what was received is kept.")
                }
            }
        }
        let open = try store.conflicts()
        let newConflicts = open.filter { !conflictsBefore.contains($0.annotation) }
        if output.json {
            try JSONOutput.print(Summary(
                remotes: reports, failed: failures, sent: reports.reduce(0) { $0 + $1.sent },
                received: reports.reduce(0) { $0 + $1.received }, openConflicts: open.count, newConflicts: newConflicts))
        } else {
            for conflict in newConflicts {
                let authors = conflict.sides.map(\.author).joined(separator: " vs ")
                console.print(
                    "New conflict: \(ReportConflictPrinter.subject(conflict)) (\(authors)).")
            }
            console.print(open.isEmpty
                ? "No open conflicts."
                : "\(Formatting.count(open.count, "open conflict")); see them with `margin conflicts`, settle each with `margin resolve`.")
            if targets.count > 1, !failures.isEmpty {
                console.printError(
                    "\(Formatting.count(failures.count, "remote")) of \(targets.count) failed: "
                        + failures.map(\.remote).joined(separator: ", ") + "; the others synced.")
            }
        }
        if !failures.isEmpty { throw ExitCode.failure }
    }

    /// Syncs with one remote, showing progress on a terminal and saying once if the store took a new identity.
    private func sync(
        _ store: MarginStore, with target: RemoteInfo, _ options: SyncOptions, _ tally: SyncTally
    ) async throws -> SyncReport {
        let console = Console.current
        let showProgress = console.isTerminal && !output.json
        let name = target.name
        defer { if showProgress { console.writeError("\r\u{1B}[K") } }
        let report = try await SyncSession(store: store, remote: target).run(options) { progress in
            tally.note(progress)
            guard showProgress else { return }
            let doing = progress.phase == .materialize ? "building notes and search" : progress.phase.rawValue
            console.writeError("\r\(name): \(doing) \(progress.done)/\(progress.total)   ")
        }
        if let recovery = report.identityRecovery {
            // Said once, on standard error even with --json: the one time this store changes its identity.
            console.writeError(Self.describe(recovery, remote: report.remote) + "\n")
        }
        return report
    }

    /// What a person must know when a push left revisions for later: whose, how many, and what they wait for.
    static func describe(_ heldBack: [HeldBackOrigin], remote: String, ownOrigin: PeerID) -> String {
        let refused = heldBack.filter(\.refused)
        let authors = refused.map { "\($0.author) (\(Formatting.count($0.revisions, "revision")))" }
        var text = """
            note: \(remote) has not met the key of \(authors.joined(separator: ", ")), relayed here by another server; \
            \(refused.count == 1 ? "they wait" : "those wait") until \(refused.count == 1 ? "that author syncs" : "each author syncs") \
            with \(remote) once, and a later sync sends them. Everything else was sent.
            """
        let building = heldBack.filter { !$0.refused }
        if !building.isEmpty {
            let own = building.first { $0.origin == ownOrigin }.map { Formatting.count($0.revisions, "revision") + " of this store's own" }
            let others = building.filter { $0.origin != ownOrigin }.reduce(0) { $0 + $1.revisions }
            let parts = [own, others > 0 ? Formatting.count(others, "revision") + " of other authors" : nil].compactMap { $0 }
            text += " " + parts.joined(separator: " and ")
                + " wait too: they build on those, or come after one that does (each author's revisions go in order)."
        }
        return text
    }

    /// What a person must know when the store took a new identity.
    static func describe(_ recovery: IdentityRecovery, remote: String) -> String {
        var text = """
            note: \(remote) holds revisions that another writer made under this store's identity \(recovery.retired) \
            (a copy of this store folder, a backup restored after it had synced, or a peer pushing under its id). \
            This store now writes as \(recovery.fresh); it re-issued \(Formatting.count(recovery.reissued, "revision")) that \
            only it held under the new identity, and nothing was lost. The other writer's revisions are kept as another peer's.
            """
        if !recovery.renamedAnnotations.isEmpty {
            let renames = recovery.renamedAnnotations.prefix(10).map { "\($0.old.rawValue.prefix(8)) → \($0.new.rawValue.prefix(8))" }
            text += " Annotation ids changed: " + renames.joined(separator: ", ")
                + (recovery.renamedAnnotations.count > 10 ? ", …" : "") + "."
        }
        return text
    }
}
