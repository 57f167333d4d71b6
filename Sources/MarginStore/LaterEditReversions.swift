import Foundation
import GRDB
import MarginCore

/// Finds where a new text of a report undoes another peer's later edit of a part (the title, a section): the mark
/// of a text edited from an old copy (a file saved before a sync brought that edit), which written as it is would
/// silently drop the edit.
enum LaterEditReversions {
    /// The parts of `new` (named as a person reads them: `the title`, `2 二、课外阅读`) that undo an edit another
    /// peer than `peer` made after an earlier revision and that still stands in the current revision `head`:
    /// - the part's text is what it said in that earlier revision (the title, a section), or
    /// - a section, whatever else changed in it, holds every sentence the edit took out of it and none the edit put
    ///   in (a copy saved before the edit, with changes of one's own elsewhere in the section).
    ///
    /// A person undoing their own edit is not stopped.
    static func parts(of new: ReportBody, against head: Revision, peer: PeerID, _ db: Database) throws -> [String] {
        let earlier = try RevisionGraph.earlierRevisions(of: head, db).filter { !ReportBody.isRemoved($0.body) }
        guard !earlier.isEmpty else { return [] }
        let ordered = (earlier + [head]).sorted { ($0.clock, $0.id.rawValue) < ($1.clock, $1.id.rawValue) }
        let bodies = try ordered.map { try $0.reportBody() }
        let current = bodies[bodies.count - 1]
        let edits = SentenceEdits(ordered: ordered, bodies: bodies, byOtherThan: peer)

        /// Whether `text` is what `part` read in some revision, and a later revision by another peer changed it.
        func reverts(_ text: String, _ part: (ReportBody) -> String?) -> Bool {
            guard let last = bodies.lastIndex(where: { part($0) == text }) else { return false }
            return (last + 1..<ordered.count).contains { ordered[$0].origin != peer && part(bodies[$0]) != text }
        }
        var parts: [String] = []
        if new.title != current.title, reverts(new.title, { $0.title }) { parts.append("the title") }
        for (index, section) in new.sections.enumerated() {
            guard let now = current.sections.first(where: { $0.id == section.id }), now.text != section.text else { continue }
            let text = { (body: ReportBody) in body.sections.first { $0.id == section.id }?.text }
            if reverts(section.text, text) || edits.undone(in: section.text, current: now.text, part: text) {
                let name = section.level == 0 ? "the opening text" : "\(section.label)\(section.heading)"
                parts.append("\(index) \(name)")
            }
        }
        return parts
    }
}

/// The edits other peers made to a report's parts, sentence by sentence: for each revision of theirs with one
/// parent, the sentences it took out of a part and those it put in.
struct SentenceEdits {
    private let ordered: [Revision]
    private let bodies: [ReportBody]
    private let others: [Int]
    private let index: [RevisionID: Int]

    /// `ordered`, a report's revisions, and `bodies`, theirs; the edits of revisions whose origin is not `peer`.
    init(ordered: [Revision], bodies: [ReportBody], byOtherThan peer: PeerID) {
        self.ordered = ordered
        self.bodies = bodies
        others = ordered.indices.filter { ordered[$0].origin != peer && ordered[$0].parents.count == 1 }
        index = Dictionary(ordered.indices.map { (ordered[$0].id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether `text`, a new text of a part (read from a body by `part`), undoes an edit of another peer that
    /// still stands in `current`: it holds every sentence the edit took out and none it put in.
    func undone(in text: String, current: String, part: (ReportBody) -> String?) -> Bool {
        let new = Self.sentences(text)
        let now = Self.sentences(current)
        return others.contains { child in
            guard let parent = index[ordered[child].parents[0]],
                  let before = part(bodies[parent]).map(Self.sentences),
                  let after = part(bodies[child]).map(Self.sentences)
            else { return false }
            let takenOut = before.subtracting(after)
            let putIn = after.subtracting(before)
            guard !takenOut.isEmpty || !putIn.isEmpty,
                  putIn.isSubset(of: now), takenOut.isDisjoint(with: now)  // the edit still stands
            else { return false }
            return takenOut.isSubset(of: new) && putIn.isDisjoint(with: new)
        }
    }

    /// A text's sentences, without the spaces around them; blank ones left out.
    static func sentences(_ text: String) -> Set<String> {
        Set(ThreeWayMerge.sentences(of: text).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty })
    }
}
