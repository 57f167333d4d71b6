import GRDB
import MarginCore

extension MarginStore {
    /// Undoes the delete of an annotation: a new revision brings back the text and anchor it had in its last live
    /// revision before the delete. It syncs like any edit.
    ///
    /// - Returns: the restored annotation.
    /// - Throws: ``MarginStoreError`` when the annotation is not deleted, is in conflict, or is unknown.
    @discardableResult
    public func restoreAnnotation(_ reference: String) throws -> AnnotationView {
        let peer = self.peer
        return try write { db in
            let id = try Self.resolveAnnotation(reference, db)
            guard let record = try Row.fetchOne(
                db, sql: "SELECT current_revision, conflicted FROM record WHERE id = ?", arguments: [id.rawValue])
            else { throw MarginStoreError(.unknownReference(reference, expected: "annotations")) }
            if record["conflicted"] as Bool { throw MarginStoreError(.annotationInConflict(reference)) }
            let revisions = try Dictionary(
                Revision.fetchAll(db, sql: "SELECT * FROM revision WHERE record_id = ?", arguments: [id.rawValue])
                    .map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            guard let current = revisions[RevisionID(rawValue: record["current_revision"])] else {
                throw MarginStoreError(.unknownReference(reference, expected: "annotations"))
            }
            let body = try BodyCoding.decode(AnnotationBody.self, from: current.body, kind: .annotation)
            guard body.deleted else { throw MarginStoreError(.annotationNotDeleted(reference)) }
            guard let live = try Self.lastLiveBody(before: current, in: revisions) else {
                throw MarginStoreError(.annotationDeleted(reference))
            }
            var restored = body
            restored.deleted = false
            restored.text = live.text
            restored.anchor = live.anchor
            _ = try RevisionLedger.appendLocal(
                db, peer: peer, at: self.clock.milliseconds(), record: id, kind: .annotation,
                body: BodyCoding.encode(restored, keepingUnknownFieldsOf: current.body))
            return try Self.annotationView(id, db)
        }
    }

    /// The body of the latest live (not deleted) ancestor of `revision`: latest by Lamport clock, so the same on
    /// every peer that holds the same revisions.
    private static func lastLiveBody(before revision: Revision, in revisions: [RevisionID: Revision]) throws -> AnnotationBody? {
        var seen: Set<RevisionID> = []
        var pending = revision.parents
        var best: (revision: Revision, body: AnnotationBody)?
        while let next = pending.popLast() {
            guard seen.insert(next).inserted, let ancestor = revisions[next] else { continue }
            pending += ancestor.parents
            let body = try BodyCoding.decode(AnnotationBody.self, from: ancestor.body, kind: .annotation)
            guard !body.deleted else { continue }
            if let current = best, (current.revision.clock, current.revision.id.rawValue) > (ancestor.clock, ancestor.id.rawValue) {
                continue
            }
            best = (ancestor, body)
        }
        return best?.body
    }
}
