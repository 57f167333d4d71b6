/// Decides, from the page's structure alone, which nodes are page furniture rather than text: scripts and styles,
/// navigation, the page's banner and footer, side bars, forms and controls, hidden elements, and blocks that are
/// mostly links (menus, "related articles", previous/next links).
///
/// These decisions run before any rule about lines, so the text rules only ever see what a reader sees.
enum ChromeFilter {
    /// Elements whose content is never the page's text.
    static let droppedTags: Set<String> = [
        "head", "title", "script", "style", "noscript", "template", "nav", "aside", "iframe", "frame", "frameset",
        "select", "option", "button", "input", "textarea", "object", "embed", "svg", "math", "canvas", "audio", "video",
        "map", "dialog", "menu",
    ]

    /// `header` and `footer` are the page's banner and footer only outside sectioning content; inside an article
    /// they hold that article's title and notes (HTML's own rule for the banner and contentinfo roles).
    static let landmarkTags: Set<String> = ["header", "footer"]
    static let sectioningTags: Set<String> = ["article", "section", "main", "aside", "nav"]

    /// ARIA roles that mark the same furniture when a site builds it from divs.
    static let droppedRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "toolbar", "dialog",
    ]

    /// A form is a site's search box, login box or comment box when a person can type or click in it and it holds a
    /// few words: fewer than this many characters outside links and fewer than `formSentencesToKeep` sentence ends.
    /// It is then dropped whole. Any other form is read like a div (only its controls are dropped): ASP.NET WebForms
    /// sites wrap the whole body in one form, whose only inputs are hidden, and often put a search box inside it.
    static let formTextToKeep = 200
    /// A login box may end one sentence ("忘记密码？"); a page's text ends several.
    static let formSentencesToKeep = 2
    /// A block that holds a control directly is that control's label ("站内搜索：") when it has fewer than this many
    /// characters outside links and no sentence end: dropped, inside a form read like a div as anywhere else.
    static let controlLabelLength = 40

    /// The controls that make a form a box to fill in; an `<input type="hidden">` is none.
    static let formControlTags: Set<String> = ["input", "select", "textarea", "button"]

    /// Elements tested as link lists: blocks whose characters are mostly link text. Inline elements are not
    /// tested, so two links run into a paragraph stay in it; a menu of inline links is caught at its block.
    static let linkListTags: Set<String> = [
        "div", "ul", "ol", "dl", "p", "li", "table", "tbody", "tr", "td", "th", "section", "center", "dd", "dt",
        "h1", "h2", "h3", "h4", "h5", "h6", "form", "article", "main", "body", "blockquote",
    ]
    /// A link list has at least this many links…
    static let linkListMinimumLinks = 2
    /// …at least this share (in percent) of its characters inside them…
    static let linkListMinimumLinkShare = 60
    /// …fewer than this many characters outside them (a long text with many links is still text)…
    static let linkListMaximumOtherText = 200
    /// …and no sentence ends outside them: what a menu or a list of titles has between its links is separators and
    /// labels (`|`, `>`, `上一篇：`), never a finished sentence, so a short text beside a menu is not taken for one.
    static let sentenceEnds: Set<Unicode.Scalar> = ["。", "！", "？", "；", "!", "?"]

    /// Whether each node of `tree` is kept.
    static func keptNodes(of tree: DocumentTree) -> [Bool] {
        var kept = [Bool](repeating: true, count: tree.nodes.count)
        let revealed = ScriptRevealedText.revealed(in: tree)
        // Document order: a parent's decision is made before its children inherit it.
        for index in tree.nodes.indices {
            let node = tree.nodes[index]
            if let parent = node.parent, !kept[parent] { kept[index] = false; continue }
            kept[index] = !isStructuralChrome(index, in: tree, revealing: revealed)
        }
        let counts = CharacterCounts(tree: tree, kept: kept)
        let inContentsLinks = TableOfContents.charactersInForwardLinks(of: tree, kept: kept)
        for index in tree.nodes.indices where kept[index] {
            if let parent = tree.nodes[index].parent, !kept[parent] { kept[index] = false; continue }
            guard let tag = tree.nodes[index].tag else { continue }
            let other = counts.all[index] - counts.inLinks[index]
            if tag == "form", other < formTextToKeep, counts.sentenceEnds[index] < formSentencesToKeep,
               holdsVisibleControl(index, in: tree) {
                kept[index] = false; continue
            }
            if linkListTags.contains(tag), other < controlLabelLength, counts.sentenceEnds[index] == 0,
               holdsVisibleControl(index, in: tree, directly: true) {
                kept[index] = false; continue
            }
            if linkListTags.contains(tag), counts.all[index] > 0, inContentsLinks[index] == counts.all[index] {
                kept[index] = false; continue  // An entry of a table of contents (see `TableOfContents`).
            }
            if linkListTags.contains(tag), counts.links[index] >= linkListMinimumLinks,
               counts.inLinks[index] * 100 >= counts.all[index] * linkListMinimumLinkShare,
               other < linkListMaximumOtherText, counts.sentenceEnds[index] == 0 {
                kept[index] = false
            }
        }
        return kept
    }

    /// Whether the element at `index` is furniture by its tag, role or attributes; an element of `revealing` (the page's
    /// text, hidden until a script shows it: `ScriptRevealedText`) is not hidden by its style. With `revealing` nil,
    /// no style hides anything.
    static func isStructuralChrome(_ index: Int, in tree: DocumentTree, revealing: Set<Int>?) -> Bool {
        let node = tree.nodes[index]
        guard let tag = node.tag else { return false }
        if droppedTags.contains(tag) { return true }
        if landmarkTags.contains(tag), !hasAncestor(index, in: tree, among: sectioningTags) { return true }
        if let role = node.attributes["role"]?.lowercased(), droppedRoles.contains(role) { return true }
        if node.attributes["hidden"] != nil || node.attributes["aria-hidden"]?.lowercased() == "true" { return true }
        if let revealing, !revealing.contains(index), let style = node.attributes["style"], hidesElement(style) { return true }
        return false
    }

    /// Whether an element under `index` (a child of it, when `directly`) is a control a person sees: anything but a
    /// hidden input.
    private static func holdsVisibleControl(_ index: Int, in tree: DocumentTree, directly: Bool = false) -> Bool {
        var pending = tree.nodes[index].children
        while let child = pending.popLast() {
            let node = tree.nodes[child]
            if let tag = node.tag, formControlTags.contains(tag), node.attributes["type"]?.lowercased() != "hidden" {
                return true
            }
            if !directly { pending.append(contentsOf: node.children) }
        }
        return false
    }

    private static func hasAncestor(_ index: Int, in tree: DocumentTree, among tags: Set<String>) -> Bool {
        var current = tree.nodes[index].parent
        while let parent = current {
            if let tag = tree.nodes[parent].tag, tags.contains(tag) { return true }
            current = tree.nodes[parent].parent
        }
        return false
    }

    /// Whitespace, with a fast path for ASCII (most of a page's markup text).
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar == " " || (0x09...0x0D).contains(scalar.value) }
        return scalar.properties.isWhitespace
    }

    /// `display: none` or `visibility: hidden` in an inline style.
    static func hidesElement(_ style: String) -> Bool {
        let compact = style.lowercased().filter { !$0.isWhitespace }
        return compact.contains("display:none") || compact.contains("visibility:hidden")
    }
}

/// Per element, over its kept descendants: characters of text (whitespace not counted), characters inside links,
/// the number of links, and sentence ends outside links. An `<a name>` without an `href` is an anchor a link points
/// to (a heading's), not a link; any other `<a>` is one (a saved page's menu may have lost its `href`s).
struct CharacterCounts {
    var all: [Int]
    var inLinks: [Int]
    var links: [Int]
    var sentenceEnds: [Int]

    init(tree: DocumentTree, kept: [Bool]) {
        let count = tree.nodes.count
        all = [Int](repeating: 0, count: count)
        inLinks = [Int](repeating: 0, count: count)
        links = [Int](repeating: 0, count: count)
        sentenceEnds = [Int](repeating: 0, count: count)
        // Children come after their parents, so walking backwards finishes every child first.
        for index in tree.nodes.indices.reversed() where kept[index] {
            let node = tree.nodes[index]
            switch node.kind {
            case .text(let text):
                for scalar in text.unicodeScalars {
                    if ChromeFilter.isSpace(scalar) { continue }
                    all[index] += 1
                    if scalar.value > 0x20, ChromeFilter.sentenceEnds.contains(scalar) { sentenceEnds[index] += 1 }
                }
            case .element(let tag):
                if tag == "a", node.attributes["href"] != nil || node.attributes["name"] == nil {
                    inLinks[index] = all[index]
                    links[index] += 1
                    sentenceEnds[index] = 0
                }
            }
            if let parent = node.parent {
                all[parent] += all[index]
                inLinks[parent] += inLinks[index]
                links[parent] += links[index]
                sentenceEnds[parent] += sentenceEnds[index]
            }
        }
    }
}
