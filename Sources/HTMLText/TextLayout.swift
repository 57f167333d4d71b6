/// Lays out the kept nodes as lines, the way a browser shows them and a person copies them: blocks start new lines,
/// inline elements run on, whitespace collapses to single spaces (except inside `<pre>`), and `<br>` breaks a line.
///
/// Blocks that browsers set apart with a margin (paragraphs, headings, lists, quotations) are separated by a blank
/// line, which is what the report parser reads as the end of a title. U+3000 (ideographic space) is text, not
/// collapsible whitespace, so a paragraph's ideographic indentation stays.
enum TextLayout {
    /// Blocks with a vertical margin in browsers' default style: a blank line before and after.
    static let paragraphTags: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl", "figure", "hr", "listing",
        "xmp", "plaintext",
    ]
    /// Other blocks: a line of their own.
    static let blockTags: Set<String> = [
        "html", "body", "div", "section", "article", "main", "header", "footer", "address", "center", "li", "dd",
        "dt", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "form", "fieldset", "legend",
        "details", "summary", "figcaption", "hgroup", "dir", "menu", "nav", "aside", "noscript",
    ]

    /// The kept nodes as lines; a data row of a table is one line, its cells separated as `TableRows` says.
    static func text(of tree: DocumentTree, keeping kept: [Bool]) -> String {
        var writer = LineWriter()
        enum Step { case enter(Int), exit(String, dataCell: Bool) }
        var steps: [Step] = tree.roots.reversed().map { .enter($0) }
        var preDepth = 0
        let dataRows = TableRows.dataRows(of: tree, keeping: kept)
        // Inside a cell of a data row, blocks (a `<p>` wrapping the value) break no line.
        var dataCellDepth = 0
        while let step = steps.popLast() {
            switch step {
            case .exit(let tag, let dataCell):
                if tag == "pre" || tag == "listing" || tag == "xmp" || tag == "plaintext" { preDepth -= 1 }
                if dataCell { dataCellDepth -= 1 }
                if dataCellDepth == 0 && !dataCell { writer.requireBreaks(breaks(around: tag)) }
            case .enter(let index):
                guard kept[index] else { continue }
                let node = tree.nodes[index]
                switch node.kind {
                case .text(let text):
                    writer.write(text, preserving: preDepth > 0)
                case .element(let tag):
                    if tag == "br" { writer.breakLine(); continue }
                    if tag == "pre" || tag == "listing" || tag == "xmp" || tag == "plaintext" { preDepth += 1 }
                    let dataCell = TableRows.cellTags.contains(tag) && node.parent.map(dataRows.contains) == true
                    if dataCell {
                        writer.separateCell()
                        dataCellDepth += 1
                    } else if dataCellDepth == 0 {
                        writer.requireBreaks(breaks(around: tag))
                    }
                    steps.append(.exit(tag, dataCell: dataCell))
                    steps.append(contentsOf: node.children.reversed().map { .enter($0) })
                }
            }
        }
        return writer.text
    }

    /// The page's `<title>`, whitespace collapsed.
    static func title(of tree: DocumentTree) -> String? {
        guard let index = tree.nodes.indices.first(where: { tree.nodes[$0].tag == "title" }) else { return nil }
        var writer = LineWriter()
        for child in tree.nodes[index].children {
            if case .text(let text) = tree.nodes[child].kind { writer.write(text, preserving: false) }
        }
        let title = writer.text
        return title.isEmpty ? nil : title
    }

    private static func breaks(around tag: String) -> Int {
        if paragraphTags.contains(tag) { return 2 }
        if blockTags.contains(tag) { return 1 }
        return 0
    }
}

/// Accumulates text with collapsed whitespace and merged line breaks.
struct LineWriter {
    /// The text so far, as UTF-8 (appending scalars to a String copies it on every append of a long page).
    private var utf8: [UInt8] = []
    private var lastScalar: Unicode.Scalar?
    /// Line breaks that blocks require before the next text: the largest request wins (1 new line, 2 a blank line).
    private var requiredBreaks = 0
    /// Line breaks written by `<br>` (and newlines in `<pre>`) since the last text; they add up.
    private var forcedBreaks = 0
    private var pendingSpace = false
    /// A table cell of a data row began since the last text: `TableRows.cellSeparator` before the next text on the line.
    private var pendingCell = false
    /// Whether the pending whitespace holds a line break of the source, which CSS drops between two wide
    /// (Chinese, Japanese) characters: a paragraph wrapped in the source reads as one run of text.
    private var pendingSegmentBreak = false

    /// Whitespace that collapses: ASCII whitespace and the no-break space pages use for indentation.
    static func collapses(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\n", "\r", "\u{0C}", "\u{A0}": true
        default: false
        }
    }

    var text: String { String(decoding: utf8, as: UTF8.self) }

    mutating func requireBreaks(_ count: Int) { requiredBreaks = max(requiredBreaks, count) }

    /// Starts a cell of a data row: its text follows the row's earlier text on the same line, after the separator.
    mutating func separateCell() { pendingCell = true }

    mutating func breakLine() {
        forcedBreaks += 1
        pendingSpace = false
        pendingSegmentBreak = false
    }

    mutating func write(_ chunk: String, preserving: Bool) {
        for scalar in chunk.unicodeScalars {
            if preserving {
                if scalar == "\n" { breakLine() } else if scalar != "\r" { put(scalar) }
            } else if Self.collapses(scalar) {
                pendingSpace = true
                if scalar == "\n" || scalar == "\r" { pendingSegmentBreak = true }
            } else {
                put(scalar)
            }
        }
    }

    private mutating func put(_ scalar: Unicode.Scalar) {
        let breaks = max(requiredBreaks, forcedBreaks)
        if lastScalar != nil {
            if breaks > 0 {
                utf8.append(contentsOf: repeatElement(0x0A, count: breaks))
            } else if pendingCell {
                UTF8.encode(TableRows.cellSeparator) { utf8.append($0) }
            } else if pendingSpace, !(pendingSegmentBreak && Self.isWide(lastScalar) && Self.isWide(scalar)) {
                utf8.append(0x20)
            }
        }
        UTF8.encode(scalar) { utf8.append($0) }
        lastScalar = scalar
        requiredBreaks = 0
        forcedBreaks = 0
        pendingSpace = false
        pendingSegmentBreak = false
        pendingCell = false
    }

    /// East Asian wide characters other than Hangul (CSS Text's segment break rule): CJK ideographs and
    /// punctuation, kana, fullwidth forms.
    static func isWide(_ scalar: Unicode.Scalar?) -> Bool {
        guard let value = scalar?.value else { return false }
        switch value {
        case 0x2E80...0x303E, 0x3040...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
