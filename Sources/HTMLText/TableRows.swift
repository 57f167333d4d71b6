/// Tells a table's data rows from its layout rows, so that a data row reads as one line.
///
/// A data row (`<tr><td>学前三年毛入园率</td><td>92%</td><td>94.6%</td></tr>`) is written on one line with its cells
/// separated by a tab (`TableRows.cellSeparator`), so which value belongs to which row stays plain in the text; a tab,
/// not U+3000, because pages indent and space their text with U+3000 and a reader must tell a cell's edge from it.
/// A layout row, of a page laid out in a table (a side bar beside the article), keeps a line per block: a row is
/// layout when a cell holds a nested table, a heading or a list, more than one paragraph or division, or a long text.
enum TableRows {
    /// What separates the cells of a data row on its line.
    static let cellSeparator: Unicode.Scalar = "\t"

    /// The cells of data rows.
    static let cellTags: Set<String> = ["td", "th"]
    /// A cell holding one of these is a page's layout, not a value.
    static let layoutTags: Set<String> = ["table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "menu"]
    /// Blocks a value may be wrapped in once (Word's tables put each cell's text in a `<p>`); two make a layout.
    static let blockTags: Set<String> = [
        "p", "div", "section", "article", "main", "blockquote", "pre", "center", "form", "fieldset", "address",
        "figure", "header", "footer",
    ]
    /// A cell with more characters than this (whitespace not counted) holds an article, not a value.
    static let maximumValueLength = 200

    /// The indices of the kept `<tr>` elements whose cells all hold values.
    static func dataRows(of tree: DocumentTree, keeping kept: [Bool]) -> Set<Int> {
        var rows: Set<Int> = []
        let counts = CharacterCounts(tree: tree, kept: kept)
        for (index, node) in tree.nodes.enumerated() where kept[index] && node.tag == "tr" {
            let cells = node.children.filter { kept[$0] && tree.nodes[$0].tag.map(cellTags.contains) == true }
            if cells.allSatisfy({ holdsAValue($0, tree, kept, counts) }) { rows.insert(index) }
        }
        return rows
    }

    private static func holdsAValue(_ cell: Int, _ tree: DocumentTree, _ kept: [Bool], _ counts: CharacterCounts) -> Bool {
        guard counts.all[cell] <= maximumValueLength else { return false }
        var blocks = 0
        var pending = tree.nodes[cell].children
        while let index = pending.popLast() {
            guard kept[index], let tag = tree.nodes[index].tag else { continue }
            if layoutTags.contains(tag) { return false }
            if blockTags.contains(tag) {
                blocks += 1
                if blocks > 1 { return false }
            }
            pending.append(contentsOf: tree.nodes[index].children)
        }
        return true
    }
}
