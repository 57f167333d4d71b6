/// One page of a longer listing (`margin reports`, `margin find`): the items shown and how many there are in all.
///
/// In JSON: `items`, `total` (items in the whole listing), `offset` (items skipped before this page).
public struct ListingPage<Item: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
    /// The items on this page, in listing order.
    public var items: [Item]
    /// How many items the whole listing holds.
    public var total: Int
    /// How many items of the listing come before this page.
    public var offset: Int

    /// Makes a page.
    public init(items: [Item], total: Int, offset: Int) {
        self.items = items
        self.total = total
        self.offset = offset
    }

    /// How many items of the listing come after this page.
    public var remaining: Int { max(0, total - offset - items.count) }
}
