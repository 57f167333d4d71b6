/// Formal (financial) numerals, which number the parts of some formal documents: `壹、` … `玖、`, `拾、`, `拾壹、`,
/// `贰拾、`. A report that uses them over `一、` has them as its top level (`HeadingLabel.Kind.formal`).
enum FormalNumerals {
    /// 1–9 for `壹` … `玖` (simplified and traditional forms); nil for any other scalar, `拾` included.
    static func digit(_ c: Unicode.Scalar) -> Int? {
        switch c {
        case "壹": 1
        case "贰", "貳": 2
        case "叁", "參", "叄": 3
        case "肆": 4
        case "伍": 5
        case "陆", "陸": 6
        case "柒": 7
        case "捌": 8
        case "玖": 9
        default: nil
        }
    }

    /// Whether `c` is a formal numeral (a digit or `拾`).
    static func isNumeral(_ c: Unicode.Scalar) -> Bool { c == "拾" || digit(c) != nil }

    /// Length of a formal numeral 1...99 at `start` (`壹`, `拾`, `拾壹`, `贰拾`, `贰拾壹`), preferring the longest form.
    static func length(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        func isDigit(_ i: Int) -> Bool { i < s.count && digit(s[i]) != nil }
        func isTen(_ i: Int) -> Bool { i < s.count && s[i] == "拾" }
        if isTen(start) { return isDigit(start + 1) ? 2 : 1 }
        guard isDigit(start) else { return nil }
        if s[start] != "壹", isTen(start + 1) { return isDigit(start + 2) ? 3 : 2 }
        return 1
    }

    /// The value of a numeral `length(_:from:)` measured.
    static func value(_ s: ArraySlice<Unicode.Scalar>) -> Int {
        guard let ten = s.firstIndex(of: "拾") else { return s.first.flatMap(digit) ?? 0 }
        let tens = ten == s.startIndex ? 1 : (digit(s[s.startIndex]) ?? 1)
        let ones = ten + 1 < s.endIndex ? (digit(s[ten + 1]) ?? 0) : 0
        return tens * 10 + ones
    }
}
