import ArgumentParser
import Foundation
import MarginCore
import MarginStore

/// `margin remote`: the peers this store syncs with.
struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Manage the servers this store syncs with.",
        subcommands: [Add.self, List.self, Remove.self],
        defaultSubcommand: List.self)

    /// `margin remote add NAME URL [--ca-cert FILE] [--token-file FILE | --token-stdin]`, or the token in $MARGIN_TOKEN.
    struct Add: ParsableCommand {
        // Every subcommand is named: a name derived from the type costs each `margin` process a runtime
        // protocol-conformance scan at start-up (String(describing:) on the type), whatever command it runs.
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Save a server to sync with under a name.",
            discussion: """
                The server's bearer token, if it needs one, comes from --token-file FILE, from standard input with \
                --token-stdin (on a terminal it is asked for without being shown), or else from the environment \
                variable MARGIN_TOKEN. It is saved in the store's credentials file (mode 0600, beside the database), \
                never in the database, and never printed. --token TOKEN is deprecated: it still works, with a warning, \
                but leaves the token in the shell's history and in the process list.

                For an https:// server whose certificate is self-signed (or signed by an authority of your own), \
                --ca-cert FILE names that certificate (PEM); it is remembered with the remote. Without it the system's \
                trusted authorities decide.
                """)

        @OptionGroup var store: StoreOptions

        @Argument(help: ArgumentHelp("The remote's name, used by `margin sync NAME`.", valueName: "name"))
        var name: String

        @Argument(help: ArgumentHelp("The server's base URL, e.g. http://127.0.0.1:8080 or https://lab.example:8443.", valueName: "url"))
        var url: String

        @Option(
            name: .customLong("token-file"),
            help: ArgumentHelp("A file holding the bearer token (one line), e.g. as `margin user add` printed it.", valueName: "file"))
        var tokenFile: String?

        @Flag(
            name: .customLong("token-stdin"),
            help: "Read the bearer token from standard input (one line); on a terminal, ask for it without showing it.")
        var tokenStdin = false

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Deprecated: the bearer token itself, which lands in shell history and the process list; use --token-file, --token-stdin or $MARGIN_TOKEN.",
                valueName: "token"))
        var token: String?

        @Option(
            name: .customLong("ca-cert"),
            help: ArgumentHelp(
                "A PEM certificate to trust for this https:// server besides the system's: its self-signed certificate, or the authority that signed it.",
                valueName: "file"))
        var caCertificate: String?

        func validate() throws {
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == "/" }) else {
                throw ValidationError("A remote name must be non-empty, without spaces or slashes.")
            }
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ValidationError("“\(url)” is not an http(s) URL; write it as http://HOST:PORT.")
            }
            let sources = [token != nil, tokenFile != nil, tokenStdin].filter { $0 }.count
            guard sources <= 1 else {
                throw ValidationError("Give the token one way: --token-file, --token-stdin or --token.")
            }
            if let token, let problem = AccountToken.problem(with: token) {
                throw ValidationError("The --token value cannot be used: \(problem).")
            }
            if caCertificate != nil, URL(string: url)?.scheme != "https" {
                throw ValidationError("--ca-cert is for https:// servers; “\(url)” is plain HTTP.")
            }
        }

        func run() throws {
            // The certificate is checked now, so that a wrong file is found when adding, not at the first sync.
            let trusted = try caCertificate.map { path in
                _ = try TLSFiles.certificates(at: path, flag: "--ca-cert")
                return URL(fileURLWithPath: path).standardizedFileURL.path
            }
            let (token, source) = try resolvedToken()
            let store = try self.store.open()
            guard try store.addRemote(name: name, url: url, token: token, trustedCertificatePath: trusted) else {
                throw MarginCLIError.remoteExists(name)
            }
            let details = [source.map { "with the token from \($0)" }, trusted.map { "trusting the certificate in \($0)" }]
                .compactMap { $0 }
            let note = details.isEmpty ? "" : " (" + details.joined(separator: ", ") + ")"
            Console.current.print("Added remote \(name) → \(url)\(note).")
        }

        /// The token and where it came from, or (nil, nil) for a server that needs none.
        func resolvedToken() throws -> (token: String?, source: String?) {
            let input = InputEnvironment.current
            let raw: String
            let source: String
            if let token {
                Console.current.printError(
                    "warning: --token is deprecated: the token is now in your shell's history and was visible in the process list; next time use --token-file, --token-stdin or $MARGIN_TOKEN.")
                return (token, "--token")
            } else if let tokenFile {
                let data = try FileContents.read(tokenFile)
                (raw, source) = (String(decoding: data, as: UTF8.self), tokenFile)
            } else if tokenStdin {
                if input.standardInputIsTerminal, let typed = HiddenPrompt.readLine(prompt: "Token for \(name) (not shown): ") {
                    (raw, source) = (typed, "the prompt")
                } else {
                    if input.standardInputIsTerminal {
                        Console.current.printError("Paste the token, press Return, then Ctrl-D:")
                    }
                    (raw, source) = (String(decoding: try input.readStandardInput(), as: UTF8.self), "standard input")
                }
            } else if let environment = input.variables["MARGIN_TOKEN"], !environment.isEmpty {
                (raw, source) = (environment, "$MARGIN_TOKEN")
            } else {
                return (nil, nil)
            }
            // One line, as `margin user add > FILE` or `echo` writes it: the final line break is not part of the token.
            let token = raw.trimmingWhiteSpace()
            if let problem = AccountToken.problem(with: token) {
                throw MarginCLIError.unusableToken(source: source, reason: problem)
            }
            return (token, source)
        }
    }

    /// `margin remote list [--json]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the saved remotes, sorted by name.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        struct Entry: Encodable {
            var name: String
            var url: String
            var hasToken: Bool
            var trustedCertificate: String?
            var serverPeer: String?
            var lastSyncAt: String?
        }

        func run() throws {
            let remotes = try store.open().remotes()
            let entries = remotes.map {
                Entry(
                    name: $0.name, url: $0.url, hasToken: $0.token != nil, trustedCertificate: $0.trustedCertificatePath,
                    serverPeer: $0.serverPeer?.rawValue,
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
                let trusted = remote.trustedCertificatePath.map { "  (trusts \($0))" } ?? ""
                let synced = remote.lastSyncAt.map(Formatting.time) ?? "never"
                Console.current.print("\(remote.name)\t\(remote.url)\(token)\(trusted)\tlast sync: \(synced)")
            }
        }
    }

    /// `margin remote remove NAME`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Forget a saved remote (nothing is deleted on the server).")

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
