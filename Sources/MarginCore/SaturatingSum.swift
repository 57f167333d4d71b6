extension Sequence where Element == Int64 {
    /// The sum of values that are not negative, or `Int64.max` where it would overflow: for totals of counters
    /// another peer claims, which a hostile peer can make as large as the protocol allows (each up to 2^53 − 1, as
    /// many as it likes).
    public func saturatingSum() -> Int64 {
        var total: Int64 = 0
        for value in self {
            let (sum, overflow) = total.addingReportingOverflow(value)
            if overflow { return .max }
            total = sum
        }
        return total
    }
}
