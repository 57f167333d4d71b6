import GRDB
import MarginCore

extension MarginStore {
    /// Adds an annotation to a section, optionally anchored to an exact quote of the section's text.
    ///
    /// - Parameters:
    ///   - section: a section reference such as `3f9a/2.1`.
    ///   - occurrence: which occurrence of the quote (1-based) when it occurs more than once.
    /// - Returns: the new annotation.
    /// - Throws: ``MarginStoreError`` when the text is empty, the section is unknown, or the quote is absent or ambiguous.
    @discardableResult
    public func addAnnotation(on section: String, text: String, quote: String? = nil, occurrence: Int? = nil) throws -> AnnotationView {
        let note = text.trimmingWhiteSpace()
        guard !note.isEmpty else { throw MarginStoreError(.emptyText) }
        let peer = self.peer
        return try write { db in
            let (sectionID, reportID) = try Self.resolveSection(section, db)
            var anchor: TextAnchor?
            if let quote {
                let sectionText = try String.fetchOne(db, sql: "SELECT text FROM section WHERE id = ?", arguments: [sectionID.rawValue]) ?? ""
                anchor = try TextAnchor.locate(quote: quote, in: sectionText, occurrence: occurrence)
            }
            let counter = try RevisionLedger.nextCounter(for: peer.id, db)
            let id = Identity.annotation(origin: peer.id, counter: counter)
            let body = AnnotationBody(report: reportID, section: sectionID, text: note, anchor: anchor)
            _ = try RevisionLedger.appendLocal(db, peer: peer, at: self.clock.milliseconds(), record: id, kind: .annotation, body: BodyCoding.encode(body))
            return try Self.annotationView(id, db)
        }
    }

    /// Replaces an annotation's text with a new revision (its anchor stays); writes nothing when the text is unchanged.
    @discardableResult
    public func editAnnotation(_ reference: String, text: String) throws -> AnnotationView {
        try changeAnnotationText(reference, to: text).annotation
    }

    /// Replaces an annotation's text with a new revision (its anchor stays), unless it already has that text: an
    /// identical revision would only make false conflicts with other peers' edits, so then nothing is written.
    ///
    /// - Parameter seen: the revisions the text was written from (see ``SeenRevisions``); the write is refused when
    ///   the annotation changed since.
    /// - Returns: the annotation, and whether a revision was written.
    /// - Throws: ``MarginStoreError`` when the text is empty, or the annotation is deleted, in conflict, unknown or
    ///   changed since `seen`.
    public func changeAnnotationText(_ reference: String, to text: String, since seen: SeenRevisions? = nil) throws -> AnnotationChange {
        let note = text.trimmingWhiteSpace()
        guard !note.isEmpty else { throw MarginStoreError(.emptyText) }
        let peer = self.peer
        return try write { db in
            try seen?.check(reference: reference, db)
            let (id, body, original) = try Self.liveAnnotation(reference, db)
            guard body.text != note else { return AnnotationChange(annotation: try Self.annotationView(id, db), written: false) }
            var edited = body
            edited.text = note
            _ = try RevisionLedger.appendLocal(db, peer: peer, at: self.clock.milliseconds(), record: id, kind: .annotation, body: BodyCoding.encode(edited, keepingUnknownFieldsOf: original))
            return AnnotationChange(annotation: try Self.annotationView(id, db), written: true)
        }
    }

    /// Deletes an annotation: a new revision marks it deleted; its history stays readable.
    @discardableResult
    public func deleteAnnotation(_ reference: String) throws -> AnnotationView {
        let peer = self.peer
        return try write { db in
            let (id, body, original) = try Self.liveAnnotation(reference, db)
            var deleted = body
            deleted.deleted = true
            deleted.text = ""
            _ = try RevisionLedger.appendLocal(db, peer: peer, at: self.clock.milliseconds(), record: id, kind: .annotation, body: BodyCoding.encode(deleted, keepingUnknownFieldsOf: original))
            return try Self.annotationView(id, db)
        }
    }

    /// Reads one annotation.
    public func annotation(_ reference: String) throws -> AnnotationView {
        try read { db in try Self.annotationView(try Self.resolveAnnotation(reference, db), db) }
    }

    /// Re-attaches an annotation (typically an orphaned one) to an exact quote of its section's current text (for
    /// a note that followed its quote into another section, that section's); writes nothing when it is anchored
    /// there already.
    @discardableResult
    public func reanchorAnnotation(_ reference: String, quote: String, occurrence: Int? = nil) throws -> AnnotationView {
        try moveAnnotationAnchor(reference, toQuote: quote, occurrence: occurrence).annotation
    }

    /// Re-attaches an annotation to an exact quote of its section's current text, unless its anchor is that very
    /// span already (same quote, context and offsets): then nothing is written, as for an unchanged edit.
    ///
    /// - Returns: the annotation, and whether a revision was written.
    /// - Throws: ``MarginStoreError`` when the annotation is deleted, in conflict or unknown, its section is gone, or
    ///   the quote is absent or ambiguous.
    public func moveAnnotationAnchor(_ reference: String, toQuote quote: String, occurrence: Int? = nil) throws -> AnnotationChange {
        let peer = self.peer
        return try write { db in
            let (id, body, original) = try Self.liveAnnotation(reference, db)
            // The section the note is shown on: its own, or the one it followed its quote to, which the new
            // revision then names.
            let shown = try String.fetchOne(
                db, sql: "SELECT section_id FROM annotation WHERE id = ?", arguments: [id.rawValue]
            ).map(SectionID.init(rawValue:)) ?? body.section
            guard let sectionText = try String.fetchOne(
                db, sql: "SELECT text FROM section WHERE id = ?", arguments: [shown.rawValue])
            else { throw MarginStoreError(.sectionGone(reference)) }
            var moved = body
            moved.section = shown
            moved.anchor = try TextAnchor.locate(quote: quote, in: sectionText, occurrence: occurrence)
            guard moved != body else { return AnnotationChange(annotation: try Self.annotationView(id, db), written: false) }
            _ = try RevisionLedger.appendLocal(db, peer: peer, at: self.clock.milliseconds(), record: id, kind: .annotation, body: BodyCoding.encode(moved, keepingUnknownFieldsOf: original))
            return AnnotationChange(annotation: try Self.annotationView(id, db), written: true)
        }
    }

    /// The current body of a live annotation that is not in conflict: the only kind a plain edit may change.
    /// Also returns the body's text, whose fields unknown to this version an edit keeps.
    static func liveAnnotation(_ reference: String, _ db: Database) throws -> (RecordID, AnnotationBody, String) {
        let id = try resolveAnnotation(reference, db)
        if try Bool.fetchOne(db, sql: "SELECT conflicted FROM record WHERE id = ?", arguments: [id.rawValue]) == true {
            throw MarginStoreError(.annotationInConflict(reference))
        }
        guard let body = try String.fetchOne(
            db, sql: "SELECT revision.body FROM record JOIN revision ON revision.id = record.current_revision WHERE record.id = ?",
            arguments: [id.rawValue])
        else { throw MarginStoreError(.unknownReference(reference, expected: "annotations")) }
        let decoded = try BodyCoding.decode(AnnotationBody.self, from: body, kind: .annotation)
        guard !decoded.deleted else { throw MarginStoreError(.annotationDeleted(reference)) }
        return (id, decoded, body)
    }

    /// One annotation as shown to a person, with its section's reference (`3da8/2.1`).
    static func annotationView(_ id: RecordID, _ db: Database) throws -> AnnotationView {
        let length = try ShortIdentifiers.length(db)
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM annotation WHERE id = ?", arguments: [id.rawValue]) else {
            throw MarginStoreError(.unknownReference(id.rawValue, expected: "annotations"))
        }
        return try withSectionReference(annotationView(row, shortLength: length), db)
    }

    static func annotationView(_ row: Row, shortLength: Int) -> AnnotationView {
        let quote: String? = row["quote"]
        let anchor = quote.map { quote in
            TextAnchor(
                quote: quote, prefix: row["quote_prefix"] ?? "", suffix: row["quote_suffix"] ?? "",
                start: row["quote_start"] ?? 0, end: row["quote_end"] ?? 0)
        }
        let id: String = row["id"]
        let movedFrom: String? = row["moved_from_section_id"]
        var view = AnnotationView(
            id: RecordID(rawValue: id), shortID: ShortIdentifiers.shorten(id, length: shortLength),
            section: SectionID(rawValue: row["section_id"]), text: row["text"], author: row["author"],
            createdAt: row["created_at"], updatedAt: row["updated_at"], anchor: anchor,
            placement: row["anchor_status"], placedStart: row["placed_start"], placedEnd: row["placed_end"],
            conflicted: row["conflicted"], deleted: row["deleted"])
        view.movedFrom = movedFrom.map(SectionID.init(rawValue:))
        view.candidates = AnchorPlacer.candidates(row["anchor_candidates"])
        return view
    }
}
