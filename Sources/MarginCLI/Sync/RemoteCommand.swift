import ArgumentParser
import Foundation
import MarginStore

/// `margin remote`: the peers this store syncs with.
struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Manage the servers this store syncs with.",
        subcommands: [Add.self, List.self, Remove.self],
        defaultSubcommand: List.self)

    /// `margin remote add NAME URL [--token T]`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save a server to sync with under a name.")

        @OptionGroup var store: StoreOptions

        @Argument(help: ArgumentHelp("The remote's name, used by `margin sync NAME`.", valueName: "name"))
        var name: String

        @Argument(help: ArgumentHelp("The server's base URL, e.g. http://127.0.0.1:8080.", valueName: "url"))
        var url: String

        @Option(name: .long, help: ArgumentHelp("The bearer token the server expects (stored in the store).", valueName: "token"))
        var token: String?

        func validate() throws {
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == "/" }) else {
                throw ValidationError("A remote name must be non-empty, without spaces or slashes.")
            }
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ValidationError("“\(url)” is not an http(s) URL; write it as http://HOST:PORT.")
            }
        }

        func run() throws {
            let store = try self.store.open()
            guard try store.addRemote(name: name, url: url, token: token) else {
                throw MarginCLIError.remoteExists(name)
            }
            Console.current.print("Added remote \(name) → \(url)\(token == nil ? "" : " (with token)").")
        }
    }

    /// `margin remote list [--json]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the saved remotes, sorted by name.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        struct Entry: Encodable {
            var name: String
            var url: String
            var hasToken: Bool
            var serverPeer: String?
            var lastSyncAt: String?
        }

        func run() throws {
            let remotes = try store.open().remotes()
            let entries = remotes.map {
                Entry(
                    name: $0.name, url: $0.url, hasToken: $0.token != nil, serverPeer: $0.serverPeer?.rawValue,
                    lastSyncAt: Formatting.isoTime($0.lastSyncAt))
            }
            if output.json {
                try JSONOutput.print(entries)
                return
            }
            if entries.isEmpty {
                Console.current.print("No remotes; add one with `margin remote add NAME URL`.")
            }
            for remote in remotes {
                let token = remote.token != nil ? "  (token)" : ""
                let synced = remote.lastSyncAt.map(Formatting.time) ?? "never"
                Console.current.print("\(remote.name)\t\(remote.url)\(token)\tlast sync: \(synced)")
            }
        }
    }

    /// `margin remote remove NAME`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget a saved remote (nothing is deleted on the server).")

        @OptionGroup var store: StoreOptions

        @Argument(help: ArgumentHelp("The remote's name.", valueName: "name"))
        var name: String

        func run() throws {
            let store = try self.store.open()
            guard try store.removeRemote(name: name) else {
                throw MarginCLIError.unknownRemote(name, known: try store.remotes().map(\.name))
            }
            Console.current.print("Removed remote \(name).")
        }
    }
}
