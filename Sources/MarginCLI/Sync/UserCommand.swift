import ArgumentParser
import Foundation
import MarginCore
import MarginStore

/// `margin user`: the accounts a server's store admits (run against the store `margin serve` serves).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the accounts of a sync server (run against the store that `margin serve` serves).",
        discussion: """
            Each account has a name and its own bearer token, which `margin user add` prints once; the store keeps \
            only a SHA-256 hash of it. A running server checks the accounts on every request, so `margin user revoke` \
            takes effect at once. \(AccountName.rule.prefix(1).uppercased() + AccountName.rule.dropFirst()); names \
            are never reused, even after a revocation. A server started with --token, --read-token or --token-file \
            accepts those tokens as well. With --database (or $MARGIN_DATABASE) the accounts are those of a \
            PostgreSQL database that `margin serve --database` serves.
            """,
        subcommands: [Add.self, List.self, Revoke.self],
        defaultSubcommand: List.self)

    /// Parses a typed account name, or explains the rule (exit 64).
    static func accountName(_ typed: String) throws -> AccountName {
        guard let name = AccountName(typed: typed) else {
            throw ValidationError("“\(typed)” is not a usable account name: \(AccountName.rule).")
        }
        return name
    }

    /// `margin user add NAME [--read-only]`.
    struct Add: AsyncParsableCommand {
        // Every subcommand is named: a name derived from the type costs each `margin` process a runtime
        // protocol-conformance scan at start-up (String(describing:) on the type), whatever command it runs.
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add an account and print its new token, once.",
            discussion: """
                The token goes to standard output alone (so `margin user add NAME > FILE` saves it); the rest goes \
                to standard error. It cannot be shown again: if it is lost, revoke the account and add another.
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The account's name: 1-64 characters of a-z, 0-9, “.”, “_” and “-”.", valueName: "name"))
        var name: String

        @Flag(name: .customLong("read-only"), help: "The account may pull but not push.")
        var readOnly = false

        func validate() throws { _ = try UserCommand.accountName(name) }

        func run() async throws {
            let name = try UserCommand.accountName(name)
            let token = AccountToken.generate()
            let readOnly = self.readOnly
            let added = try await AccountBook.with(database, store) { accounts in
                try await accounts.add(named: name, readOnly: readOnly, token: token)
            }
            guard let account = added else {
                throw MarginCLIError.accountExists(name.rawValue)
            }
            let console = Console.current
            console.printError(
                "Added account \(account.name) (\(account.isReadOnly ? "read-only" : "read-write")). Its token follows; it is shown only this once. Give it to its holder, who saves it with `margin remote add NAME URL --token-file FILE` (or --token-stdin):")
            console.print(token)
        }
    }

    /// `margin user list [--json]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the accounts, sorted by name (tokens are never shown: only their hashes are kept).")

        @OptionGroup var store: StoreOptions
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        struct Entry: Encodable {
            var name: String
            var access: String
            var createdAt: Timestamp
            var revoked: Bool
            var revokedAt: Timestamp?
        }

        func run() async throws {
            let accounts = try await AccountBook.with(database, store) { accounts in try await accounts.all() }
            let entries = accounts.map {
                Entry(
                    name: $0.name.rawValue, access: $0.isReadOnly ? "read-only" : "read-write", createdAt: $0.createdAt,
                    revoked: $0.isRevoked, revokedAt: $0.revokedAt)
            }
            if output.json {
                try JSONOutput.print(entries)
                return
            }
            if entries.isEmpty {
                Console.current.print("No accounts; add one with `margin user add NAME [--read-only]`.")
            }
            for entry in entries {
                let state = entry.revokedAt.map { "revoked \($0.iso8601)" } ?? "active"
                Console.current.print("\(entry.name)\t\(entry.access)\tcreated \(entry.createdAt.iso8601)\t\(state)")
            }
        }
    }

    /// `margin user revoke NAME`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke an account: its token is refused from the next request on, also by a running server.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The account's name.", valueName: "name"))
        var name: String

        func validate() throws { _ = try UserCommand.accountName(name) }

        func run() async throws {
            let name = try UserCommand.accountName(self.name)
            let (revocation, known) = try await AccountBook.with(database, store) { accounts in
                let revocation = try await accounts.revoke(named: name)
                if case .unknown = revocation { return (revocation, try await accounts.all().map(\.name.rawValue)) }
                return (revocation, [])
            }
            switch revocation {
            case let .revoked(account):
                Console.current.print("Revoked account \(account.name); its token is refused from now on.")
            case let .alreadyRevoked(account):
                Console.current.print(
                    "Account \(account.name) was already revoked (\(account.revokedAt?.iso8601 ?? "earlier")); nothing changed.")
            case .unknown:
                throw MarginCLIError.unknownAccount(name.rawValue, known: known)
            }
        }
    }
}
