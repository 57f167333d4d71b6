/// The order reports are listed in: titles compare character by character (by Unicode code point), except that a
/// run of ASCII digits compares by its value, so `第2篇` comes before `第10篇` and `#0042` after `#41`.
///
/// ``key(for:)`` turns a title into a string whose plain binary order is that order. The store keeps it in the
/// `report.title_order` column under an index, so SQLite sorts, pages and counts the listing without reading every
/// title into the process.
enum TitleOrder {
    /// The sort key of `title`: each run of digits becomes two digits giving its length without leading zeros
    /// (capped at 99), then those digits. `第10篇` becomes `第0210篇`, `第2篇` `第012篇`.
    ///
    /// A run is encoded as digits again, so it still sorts where a digit would against every other character.
    static func key(for title: String) -> String {
        var key = String.UnicodeScalarView()
        var run: [Unicode.Scalar] = []
        func flushRun() {
            guard !run.isEmpty else { return }
            let significant = run.drop { $0 == "0" }
            let digits = significant.isEmpty ? ["0"] : Array(significant)
            let length = min(digits.count, 99)
            key.append(Unicode.Scalar(UInt8(ascii: "0") + UInt8(length / 10)))
            key.append(Unicode.Scalar(UInt8(ascii: "0") + UInt8(length % 10)))
            key.append(contentsOf: digits)
            run.removeAll(keepingCapacity: true)
        }
        for scalar in title.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                run.append(scalar)
            } else {
                flushRun()
                key.append(scalar)
            }
        }
        flushRun()
        return String(key)
    }
}
