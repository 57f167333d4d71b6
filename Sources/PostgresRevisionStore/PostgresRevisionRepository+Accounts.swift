import Foundation
import MarginCore
import NIOCore
import PostgresNIO

extension PostgresRevisionRepository {
    /// An account a sync server admits. Its token is never kept, only ``AccountToken/hash(of:)`` of it.
    public struct Account: Sendable, Equatable {
        /// The account's name.
        public var name: AccountName
        /// True when the account may only pull.
        public var isReadOnly: Bool
        /// When the account was added, in milliseconds since 1970.
        public var createdAt: Int64
        /// When the account was revoked, if it was, in milliseconds since 1970: its token is refused from then on.
        public var revokedAt: Int64?

        /// True when the account's token is refused.
        public var isRevoked: Bool { revokedAt != nil }
    }

    /// What ``revokeAccount(named:)`` did.
    public enum AccountRevocation: Sendable, Equatable {
        /// The account was active and is now revoked.
        case revoked(Account)
        /// The account had been revoked before; nothing changed.
        case alreadyRevoked(Account)
        /// There is no account of that name.
        case unknown
    }

    /// Adds an account whose bearer token is `token`; only the token's hash is stored. Returns nil, changing nothing,
    /// when an account of that name exists (revoked accounts keep their names).
    public func addAccount(named name: AccountName, readOnly: Bool, token: String) async throws -> Account? {
        let account = Account(name: name, isReadOnly: readOnly, createdAt: Self.nowMilliseconds(), revokedAt: nil)
        let hash = ByteBuffer(bytes: AccountToken.hash(of: token))
        return try await onConnection { connection in
            let rows = try await connection.query("""
                INSERT INTO account (name, token_hash, read_only, created_at)
                VALUES (\(name.rawValue), \(hash), \(readOnly), \(account.createdAt))
                ON CONFLICT (name) DO NOTHING RETURNING name
                """, logger: logger)
            var inserted = false
            for try await _ in rows { inserted = true }
            return inserted ? account : nil
        }
    }

    /// Revokes an account: from the next request on, every server over this database refuses its token.
    public func revokeAccount(named name: AccountName) async throws -> AccountRevocation {
        let now = Self.nowMilliseconds()
        return try await onConnection { connection in
            let revoked = try await Self.accounts(connection.query("""
                UPDATE account SET revoked_at = \(now) WHERE name = \(name.rawValue) AND revoked_at IS NULL
                RETURNING \(unescaped: Self.accountColumns)
                """, logger: logger))
            if let account = revoked.first { return .revoked(account) }
            let existing = try await Self.accounts(connection.query(
                "SELECT \(unescaped: Self.accountColumns) FROM account WHERE name = \(name.rawValue)", logger: logger))
            return existing.first.map(AccountRevocation.alreadyRevoked) ?? .unknown
        }
    }

    /// Every account, revoked or not, sorted by name.
    public func accounts() async throws -> [Account] {
        try await onConnection { connection in
            try await Self.accounts(connection.query(
                "SELECT \(unescaped: Self.accountColumns) FROM account ORDER BY name", logger: logger))
        }
    }

    /// The account whose token is `token`, revoked or not, or nil when no account has it: one lookup under the
    /// unique index on the token's hash, then the hashes compared in constant time. It reads the accounts as they
    /// are now, so a revocation made through any server holds from the next request.
    public func account(presenting token: String) async throws -> Account? {
        let hash = AccountToken.hash(of: token)
        return try await onConnection { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: Self.accountColumns), token_hash FROM account
                WHERE token_hash = \(ByteBuffer(bytes: hash))
                """, logger: logger)
            for try await row in rows {
                let (name, readOnly, createdAt, revokedAt, storedHash) = try row.decode(
                    (String, Bool, Int64, Int64?, ByteBuffer).self)
                guard AccountToken.constantTimeEqual(Array(storedHash.readableBytesView), hash) else { return nil }
                return Account(
                    name: AccountName(rawValue: name), isReadOnly: readOnly, createdAt: createdAt, revokedAt: revokedAt)
            }
            return nil
        }
    }

    /// True when the database has any account, revoked or not: then a server over it requires a token, and revoking
    /// the last account never opens it.
    public func hasAccounts() async throws -> Bool {
        try await onConnection { connection in
            var any = false
            for try await _ in try await connection.query("SELECT 1 FROM account LIMIT 1", logger: logger) { any = true }
            return any
        }
    }

    private static let accountColumns = "name, read_only, created_at, revoked_at"

    private static func accounts(_ rows: PostgresRowSequence) async throws -> [Account] {
        var accounts: [Account] = []
        for try await (name, readOnly, createdAt, revokedAt) in rows.decode((String, Bool, Int64, Int64?).self) {
            accounts.append(Account(
                name: AccountName(rawValue: name), isReadOnly: readOnly, createdAt: createdAt, revokedAt: revokedAt))
        }
        return accounts
    }

    static func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
