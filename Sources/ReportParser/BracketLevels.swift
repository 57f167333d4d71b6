/// Where a report numbers with brackets (`【一】`, `〔一〕`, `［一］`) and with parentheses (`（一）`) alike, the form
/// that comes first is the level above: `【一】加强领导` over `（一）健全机制` reads as `一、` over `（一）`.
///
/// Brackets alone stand where parentheses would (`【一】` as `（一）`, `【1】` as `（1）`). They move up one kind only
/// when that kind is free in the report (no `一、` for `【一】`, no `1.` for `【1】`) and the first bracketed label comes
/// before the first parenthesised one of its numerals.
struct BracketLevels {
    private var promoted: Set<HeadingLabel.Kind> = []

    /// The decision for a report whose body lines carry `labels`.
    init(labels: [HeadingLabel?]) {
        for (paren, above) in [(HeadingLabel.Kind.parenChinese, HeadingLabel.Kind.chinese), (.parenArabic, .arabic)] {
            guard !labels.contains(where: { $0?.kind == above }),
                  let firstBracket = labels.firstIndex(where: { $0.map { $0.kind == paren && Self.isBracketed($0) } ?? false }),
                  let firstParen = labels.firstIndex(where: { $0.map { $0.kind == paren && !Self.isBracketed($0) } ?? false }),
                  firstBracket < firstParen else { continue }
            promoted.insert(paren)
        }
    }

    /// `label` at the level the report gives its form.
    func apply(_ label: HeadingLabel) -> HeadingLabel {
        guard promoted.contains(label.kind), Self.isBracketed(label) else { return label }
        var moved = label
        (moved.kind, moved.level) = label.kind == .parenChinese ? (.chinese, 1) : (.arabic, 3)
        return moved
    }

    private static func isBracketed(_ label: HeadingLabel) -> Bool {
        guard let first = label.label.unicodeScalars.first else { return false }
        return first == "【" || first == "〔" || first == "［"
    }
}
