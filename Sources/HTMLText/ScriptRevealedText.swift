/// The article a page's script reveals: an element hidden by its inline style (`visibility: hidden`,
/// `display: none`) that holds most of the page's sentences.
///
/// A saved WeChat article (`<div id="js_content" style="visibility: hidden;">`) and some sites' lazy article views
/// hide the text until a script has laid it out; the browser shows it, so a person reading the page sees it. Hidden
/// menus, pop-ups and tab panels are small beside the page's text, so an element counts only when it holds at least
/// `minimumSentences` sentence ends and more than half of the page's.
enum ScriptRevealedText {
    static let minimumSentences = 3

    /// Elements hidden by their style that are nevertheless the page's text; empty on most pages.
    static func revealed(in tree: DocumentTree) -> Set<Int> {
        let hiddenByStyle = tree.nodes.indices.filter { index in
            tree.nodes[index].attributes["style"].map(ChromeFilter.hidesElement) ?? false
        }
        guard !hiddenByStyle.isEmpty else { return [] }
        // What the page would hold if styles hid nothing.
        var kept = [Bool](repeating: true, count: tree.nodes.count)
        for index in tree.nodes.indices {
            if let parent = tree.nodes[index].parent, !kept[parent] { kept[index] = false; continue }
            kept[index] = !ChromeFilter.isStructuralChrome(index, in: tree, revealing: nil)
        }
        let counts = CharacterCounts(tree: tree, kept: kept)
        let total = tree.roots.reduce(0) { $0 + counts.sentenceEnds[$1] }
        return Set(hiddenByStyle.filter { index in
            kept[index] && counts.sentenceEnds[index] >= minimumSentences && counts.sentenceEnds[index] * 2 > total
        })
    }
}
