/// What applying a received page did.
public struct ReceiveOutcome: Sendable, Equatable {
    /// Revisions that were new and are now stored.
    public var accepted: Int
    /// Revisions that were already stored (a page received twice is harmless).
    public var duplicates: Int

    /// Makes an outcome.
    public init(accepted: Int, duplicates: Int) {
        self.accepted = accepted
        self.duplicates = duplicates
    }
}
