extension StrictJSON {
    /// The keys an object has read so far, to refuse a repeated one. Keys are compared byte for byte (their UTF-8),
    /// never by canonical equivalence, as the scalars they were written with.
    ///
    /// Bodies' objects have a handful of members: a new key is compared with each earlier one, which spares a
    /// hash and an allocation per key. An object past ``linearLimit`` members keeps their bytes in a set instead,
    /// so that a hostile object of many members still costs time in proportion to its size.
    struct KeySet {
        /// Members compared one by one up to this many.
        static let linearLimit = 16
        private var hashed: Set<[UInt8]>?

        /// Notes `key`, the key of the member about to join `earlier`; false when one of those has it already.
        mutating func insert(_ key: String, among earlier: [(key: String, value: JSONValue)]) -> Bool {
            if hashed == nil, earlier.count < Self.linearLimit {
                return !earlier.contains { $0.key.utf8.elementsEqual(key.utf8) }
            }
            if hashed == nil { hashed = Set(earlier.map { Array($0.key.utf8) }) }
            return hashed!.insert(Array(key.utf8)).inserted
        }
    }
}
