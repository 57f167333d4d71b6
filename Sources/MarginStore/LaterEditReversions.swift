import GRDB
import MarginCore

/// Finds where a new text of a report puts back what a part (the title, a section) said before another peer's
/// later edit of it: the mark of a text edited from an old copy (a file saved before a sync brought that edit),
/// which written as it is would silently undo the edit.
enum LaterEditReversions {
    /// The parts of `new` (named as a person reads them: `the title`, `2 二、课外阅读`) whose text differs from the
    /// current revision `head`'s and equals what that part said in an earlier revision, when a revision after that
    /// one, from another peer than `peer`, changed it. A person undoing their own edit is not stopped.
    static func parts(of new: ReportBody, against head: Revision, peer: PeerID, _ db: Database) throws -> [String] {
        let earlier = try RevisionGraph.earlierRevisions(of: head, db).filter { !ReportBody.isRemoved($0.body) }
        guard !earlier.isEmpty else { return [] }
        let ordered = (earlier + [head]).sorted { ($0.clock, $0.id.rawValue) < ($1.clock, $1.id.rawValue) }
        let bodies = try ordered.map { try $0.reportBody() }
        let current = bodies[bodies.count - 1]

        /// Whether `text` is what `part` read in some revision, and a later revision by another peer changed it.
        func reverts(_ text: String, _ part: (ReportBody) -> String?) -> Bool {
            guard let last = bodies.lastIndex(where: { part($0) == text }) else { return false }
            return (last + 1..<ordered.count).contains { ordered[$0].origin != peer && part(bodies[$0]) != text }
        }
        var parts: [String] = []
        if new.title != current.title, reverts(new.title, { $0.title }) { parts.append("the title") }
        for (index, section) in new.sections.enumerated() {
            guard let now = current.sections.first(where: { $0.id == section.id }), now.text != section.text else { continue }
            if reverts(section.text, { body in body.sections.first { $0.id == section.id }?.text }) {
                let name = section.level == 0 ? "the opening text" : "\(section.label)\(section.heading)"
                parts.append("\(index) \(name)")
            }
        }
        return parts
    }
}
