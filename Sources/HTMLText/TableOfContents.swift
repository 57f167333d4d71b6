/// A table of contents at the top of a page: blocks whose whole text is links to anchors further down the same page
/// (`<p><a href="#s1">一、主要成效</a></p>`, or a word processor's `<a href="#_Toc1">`). The headings they point to
/// follow in the text, so the entries are dropped: read as text, they made an outline of their own before the real
/// one, with empty sections.
///
/// A link counts when its target (an element with that `id`, or an `<a name>`) comes after the link: a heading that
/// links to its own anchor (`<h2><a name="_Toc1"></a><a href="#_Toc1">一、主要工作</a></h2>`) is the target, not an
/// entry, and a "back to the contents" link points up the page.
enum TableOfContents {
    /// For each node, its characters (whitespace not counted) inside links to anchors later on the page; a block is
    /// an entry of a table of contents when this equals all its characters.
    static func charactersInForwardLinks(of tree: DocumentTree, kept: [Bool]) -> [Int] {
        var result = [Int](repeating: 0, count: tree.nodes.count)
        let anchors = anchorPositions(of: tree)
        guard !anchors.isEmpty else { return result }
        var forward = [Bool](repeating: false, count: tree.nodes.count)
        for index in tree.nodes.indices where tree.nodes[index].tag == "a" {
            guard let href = tree.nodes[index].attributes["href"], href.hasPrefix("#"),
                  let target = anchors[String(href.dropFirst())], target > index else { continue }
            forward[index] = !isInside(target, index, in: tree)
        }
        // Children come after their parents, so walking backwards finishes every child first.
        var all = [Int](repeating: 0, count: tree.nodes.count)
        for index in tree.nodes.indices.reversed() where kept[index] {
            let node = tree.nodes[index]
            if case .text(let text) = node.kind {
                all[index] = text.unicodeScalars.reduce(0) { $0 + (ChromeFilter.isSpace($1) ? 0 : 1) }
            }
            if forward[index] { result[index] = all[index] }
            if let parent = node.parent {
                all[parent] += all[index]
                result[parent] += result[index]
            }
        }
        return result
    }

    /// Where each anchor name points: the first element with that `id`, or the first `<a name>` of that name.
    private static func anchorPositions(of tree: DocumentTree) -> [String: Int] {
        var anchors: [String: Int] = [:]
        for (index, node) in tree.nodes.enumerated() {
            if let id = node.attributes["id"], !id.isEmpty, anchors[id] == nil { anchors[id] = index }
            if node.tag == "a", let name = node.attributes["name"], !name.isEmpty, anchors[name] == nil { anchors[name] = index }
        }
        return anchors
    }

    private static func isInside(_ index: Int, _ ancestor: Int, in tree: DocumentTree) -> Bool {
        var current = tree.nodes[index].parent
        while let parent = current {
            if parent == ancestor { return true }
            current = tree.nodes[parent].parent
        }
        return false
    }
}
