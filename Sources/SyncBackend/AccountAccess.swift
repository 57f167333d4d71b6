import MarginCore

/// What an account's token allows, as the server checks it on each request.
public struct AccountAccess: Sendable, Equatable {
    /// The account's name.
    public var name: AccountName
    /// True when the account may only pull.
    public var isReadOnly: Bool
    /// True when the account was revoked: its token is refused.
    public var isRevoked: Bool

    /// Makes an account's access.
    public init(name: AccountName, isReadOnly: Bool, isRevoked: Bool) {
        self.name = name
        self.isReadOnly = isReadOnly
        self.isRevoked = isRevoked
    }
}
