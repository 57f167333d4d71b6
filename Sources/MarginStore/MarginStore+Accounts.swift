import Foundation
import GRDB
import MarginCore

/// An account a sync server admits, as `margin user list` shows it. Its token is never kept, only a hash of it.
public struct Account: Sendable, Equatable {
    /// The account's name.
    public var name: AccountName
    /// True when the account may only pull.
    public var isReadOnly: Bool
    /// When the account was added.
    public var createdAt: Timestamp
    /// When the account was revoked, if it was: its token is refused from then on.
    public var revokedAt: Timestamp?

    /// True when the account's token is refused.
    public var isRevoked: Bool { revokedAt != nil }
}

/// What ``MarginStore/revokeAccount(named:)`` did.
public enum AccountRevocation: Sendable, Equatable {
    /// The account was active and is now revoked.
    case revoked(Account)
    /// The account had been revoked before; nothing changed.
    case alreadyRevoked(Account)
    /// There is no account of that name.
    case unknown
}

extension MarginStore {
    // MARK: - Writing

    /// Adds an account whose bearer token is `token`; only the token's hash (``AccountToken/hash(of:)``) is stored.
    /// Returns nil, changing nothing, when an account of that name exists (revoked accounts keep their names).
    public func addAccount(named name: AccountName, readOnly: Bool, token: String) throws -> Account? {
        let account = Account(
            name: name, isReadOnly: readOnly, createdAt: Timestamp(milliseconds: RevisionLedger.nowMilliseconds()),
            revokedAt: nil)
        return try write { db in
            try db.execute(
                sql: """
                    INSERT INTO account (name, token_hash, read_only, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(name) DO NOTHING
                    """,
                arguments: [name.rawValue, Data(AccountToken.hash(of: token)), readOnly, account.createdAt.milliseconds])
            return db.changesCount == 1 ? account : nil
        }
    }

    /// Revokes an account: from the next request on, a server over this store refuses its token.
    public func revokeAccount(named name: AccountName) throws -> AccountRevocation {
        try write { db in
            guard let existing = try AccountRow.filter(AccountRow.Columns.name == name.rawValue).fetchOne(db) else {
                return .unknown
            }
            if existing.revokedAt != nil { return .alreadyRevoked(existing.account) }
            let now = RevisionLedger.nowMilliseconds()
            try db.execute(
                sql: "UPDATE account SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                arguments: [now, name.rawValue])
            var revoked = existing.account
            revoked.revokedAt = Timestamp(milliseconds: now)
            return .revoked(revoked)
        }
    }

    // MARK: - Reading

    /// Every account, revoked or not, sorted by name.
    public func accounts() throws -> [Account] {
        try read { db in try AccountRow.order(AccountRow.Columns.name).fetchAll(db).map(\.account) }
    }

    /// The account whose token is `token`, revoked or not, or nil when no account has it.
    ///
    /// One lookup by the token's hash under a unique index, cheap enough for every request; the stored hash is then
    /// compared with the presented one in constant time.
    public func account(presenting token: String) throws -> Account? {
        let hash = AccountToken.hash(of: token)
        let row = try read { db in
            try AccountRow.filter(AccountRow.Columns.tokenHash == Data(hash)).fetchOne(db)
        }
        guard let row, AccountToken.constantTimeEqual(Array(row.tokenHash), hash) else { return nil }
        return row.account
    }

    /// True when the store has any account, revoked or not. A server over a store with accounts requires a token,
    /// so revoking the last account never opens the server.
    public func hasAccounts() throws -> Bool {
        try read { db in try AccountRow.fetchCount(db) > 0 }
    }
}

/// A row of the `account` table.
struct AccountRow: FetchableRecord, TableRecord, Decodable {
    static let databaseTableName = "account"

    enum Columns {
        static let name = Column("name")
        static let tokenHash = Column("token_hash")
        static let readOnly = Column("read_only")
        static let createdAt = Column("created_at")
        static let revokedAt = Column("revoked_at")
    }

    enum CodingKeys: String, CodingKey {
        case name
        case tokenHash = "token_hash"
        case readOnly = "read_only"
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }

    var name: String
    var tokenHash: Data
    var readOnly: Bool
    var createdAt: Int64
    var revokedAt: Int64?

    var account: Account {
        Account(
            name: AccountName(rawValue: name), isReadOnly: readOnly,
            createdAt: Timestamp(milliseconds: createdAt), revokedAt: revokedAt.map(Timestamp.init(milliseconds:)))
    }
}
