internal import CLibXML2

/// Parses markup with libxml2's forgiving HTML parser and copies the result into a `DocumentTree`.
enum LibXML2Reader {
    /// The attributes `ChromeFilter` reads (links and their anchors for `TableOfContents`); others are not copied.
    static let keptAttributes: Set<String> = ["hidden", "style", "role", "aria-hidden", "type", "href", "name", "id"]

    /// Recover from broken markup, say nothing on stderr, never fetch anything, and ignore the page's own charset
    /// declaration: the text is already UTF-8. Without `XML_PARSE_HUGE` libxml2 stops building the tree at depth
    /// 256, and old pages that never close their `<font>` or `<div>` tags nest deeper than that.
    private static let options = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | XML_PARSE_HUGE.rawValue)

    /// - Throws: ``HTMLTextError`` when libxml2 cannot be loaded (see ``LibXML2Library``).
    static func read(_ html: String) throws(HTMLTextError) -> DocumentTree {
        let library = try LibXML2Library.shared.get()
        var tree = DocumentTree()
        var utf8 = Array(html.utf8)
        // libxml2 stops at a NUL byte in recover mode; a NUL means nothing in a page's text.
        utf8.removeAll { $0 == 0 }
        guard !utf8.isEmpty, utf8.count < Int(Int32.max) else { return tree }
        let document = utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                library.readMemory($0.baseAddress, Int32($0.count), nil, "UTF-8", options)
            }
        }
        guard let document else { return tree }
        defer { library.freeDoc(document) }
        copy(document, into: &tree)
        return tree
    }

    /// Copies the document's nodes in document order, iteratively: pages of tag soup nest deeper than a thread's
    /// stack allows recursion.
    private static func copy(_ document: htmlDocPtr, into tree: inout DocumentTree) {
        var pending: [(node: xmlNodePtr, parent: Int?)] = children(of: document.pointee.children).reversed().map { ($0, nil) }
        while let (node, parent) = pending.popLast() {
            let index: Int
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                index = tree.append(.element(name(of: node)), parent: parent, attributes: attributes(of: node))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content {
                    tree.append(.text(String(cString: content)), parent: parent)
                }
                continue
            default:
                // Comments, processing instructions, DTD nodes: nothing a person reads.
                continue
            }
            pending.append(contentsOf: children(of: node.pointee.children).reversed().map { ($0, index) })
        }
    }

    /// A node list: the first node and its next siblings.
    private static func children(of first: xmlNodePtr?) -> [xmlNodePtr] {
        var nodes: [xmlNodePtr] = []
        var node = first
        while let current = node { nodes.append(current); node = current.pointee.next }
        return nodes
    }

    private static func name(of node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name).lowercased()
    }

    private static func attributes(of node: xmlNodePtr) -> [String: String] {
        var result: [String: String] = [:]
        var attribute = node.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            guard let rawName = current.pointee.name else { continue }
            let name = String(cString: rawName).lowercased()
            guard keptAttributes.contains(name) else { continue }
            var value = ""
            var child = current.pointee.children
            while let text = child {
                if let content = text.pointee.content { value += String(cString: content) }
                child = text.pointee.next
            }
            result[name] = value
        }
        return result
    }
}
