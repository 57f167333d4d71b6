/// A parsed page as plain Swift values, copied out of libxml2's tree so that libxml2's memory is freed at once and
/// the text rules are pure code.
///
/// Nodes are stored in document order (a parent before its children), so walking the array backwards visits every
/// child before its parent.
struct DocumentTree {
    enum Kind: Equatable {
        /// An element, with its lowercase tag name.
        case element(String)
        /// Character data (entities already decoded).
        case text(String)
    }

    struct Node {
        var kind: Kind
        var parent: Int?
        var children: [Int] = []
        /// The attributes the text rules read (`hidden`, `style`, `role`, `aria-hidden`, `type`, `href`, `name`,
        /// `id`), lowercase names.
        var attributes: [String: String] = [:]

        var tag: String? {
            if case .element(let name) = kind { return name }
            return nil
        }
    }

    /// Every node; the roots are those without a parent.
    var nodes: [Node] = []

    /// Appends a node under `parent` and returns its index.
    @discardableResult
    mutating func append(_ kind: Kind, parent: Int?, attributes: [String: String] = [:]) -> Int {
        let index = nodes.count
        nodes.append(Node(kind: kind, parent: parent, attributes: attributes))
        if let parent { nodes[parent].children.append(index) }
        return index
    }

    /// Indices of the roots, in document order.
    var roots: [Int] { nodes.indices.filter { nodes[$0].parent == nil } }
}
