/// The one-character numbers Word writes for its numbered lists, and the kind of label each stands for: `⑴` … `⒇`
/// (U+2474–U+2487) for `（1）` … `（20）`, `①` … `⑳` (U+2460–U+2473) for the deepest level, and the Roman numerals
/// `Ⅰ` … `Ⅻ` (U+2160–U+216B) for a top level.
enum EnclosedNumbers {
    /// The kind and number `c` stands for; nil for any other scalar. Called for every scalar of a line (as part of the
    /// screen for labels), so a switch on ranges.
    static func label(_ c: Unicode.Scalar) -> (kind: HeadingLabel.Kind, number: Int)? {
        switch c.value {
        case 0x2474...0x2487: (.parenArabic, Int(c.value - 0x2474) + 1)
        case 0x2460...0x2473: (.circled, Int(c.value - 0x2460) + 1)
        case 0x2160...0x216B: (.roman, Int(c.value - 0x2160) + 1)
        default: nil
        }
    }
}
