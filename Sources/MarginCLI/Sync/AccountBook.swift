import MarginCore
import MarginStore
import PostgresRevisionStore

/// The accounts `margin user` manages: those of a store folder, or of a PostgreSQL database (`--database`).
enum AccountBook {
    /// An account as `margin user` shows it.
    struct Entry: Sendable, Equatable {
        var name: AccountName
        var isReadOnly: Bool
        var createdAt: Timestamp
        var revokedAt: Timestamp?

        var isRevoked: Bool { revokedAt != nil }
    }

    /// What revoking did.
    enum Revocation: Sendable {
        case revoked(Entry)
        case alreadyRevoked(Entry)
        case unknown
    }

    /// Runs `body` over the accounts of the database `database` names, or else of the store folder.
    static func with<Result: Sendable>(
        _ database: DatabaseOptions, _ store: StoreOptions, _ body: (any Accounts) async throws -> Result
    ) async throws -> Result {
        if let url = database.url {
            return try await database.withRepository(url: url) { repository in try await body(DatabaseAccounts(repository)) }
        }
        return try await body(StoreAccounts(store: try store.open()))
    }

    /// Adds, revokes and lists accounts.
    protocol Accounts: Sendable {
        func add(named name: AccountName, readOnly: Bool, token: String) async throws -> Entry?
        func revoke(named name: AccountName) async throws -> Revocation
        func all() async throws -> [Entry]
    }

    struct StoreAccounts: Accounts {
        let store: MarginStore

        func add(named name: AccountName, readOnly: Bool, token: String) async throws -> Entry? {
            try store.addAccount(named: name, readOnly: readOnly, token: token).map(Self.entry)
        }

        func revoke(named name: AccountName) async throws -> Revocation {
            switch try store.revokeAccount(named: name) {
            case let .revoked(account): .revoked(Self.entry(account))
            case let .alreadyRevoked(account): .alreadyRevoked(Self.entry(account))
            case .unknown: .unknown
            }
        }

        func all() async throws -> [Entry] { try store.accounts().map(Self.entry) }

        static func entry(_ account: Account) -> Entry {
            Entry(name: account.name, isReadOnly: account.isReadOnly, createdAt: account.createdAt, revokedAt: account.revokedAt)
        }
    }

    struct DatabaseAccounts: Accounts {
        let repository: PostgresRevisionRepository

        init(_ repository: PostgresRevisionRepository) { self.repository = repository }

        func add(named name: AccountName, readOnly: Bool, token: String) async throws -> Entry? {
            try await repository.addAccount(named: name, readOnly: readOnly, token: token).map(Self.entry)
        }

        func revoke(named name: AccountName) async throws -> Revocation {
            switch try await repository.revokeAccount(named: name) {
            case let .revoked(account): .revoked(Self.entry(account))
            case let .alreadyRevoked(account): .alreadyRevoked(Self.entry(account))
            case .unknown: .unknown
            }
        }

        func all() async throws -> [Entry] { try await repository.accounts().map(Self.entry) }

        static func entry(_ account: PostgresRevisionRepository.Account) -> Entry {
            Entry(
                name: account.name, isReadOnly: account.isReadOnly,
                createdAt: Timestamp(milliseconds: account.createdAt),
                revokedAt: account.revokedAt.map(Timestamp.init(milliseconds:)))
        }
    }
}
