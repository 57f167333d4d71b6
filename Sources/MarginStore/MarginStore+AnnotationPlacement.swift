import GRDB
import MarginCore

extension MarginStore {
    /// Places an annotation by hand on another section of its report (an orphaned note whose quote is in several
    /// sections, or one that should follow its quote elsewhere): a new revision names that section, anchored to the
    /// note's quote there (or to `quote`, when given), so every peer shows it there. Writes nothing when the
    /// annotation is anchored there already.
    ///
    /// - Parameters:
    ///   - section: a section reference such as `3f9a/2.1`, of the annotation's own report.
    ///   - quote: a new quote to anchor to; by default the annotation's own quote (an unanchored note stays so).
    ///   - occurrence: which occurrence (1-based) when the quote occurs more than once in that section.
    /// - Returns: the annotation, and whether a revision was written.
    /// - Throws: ``MarginStoreError`` when the annotation is deleted, in conflict or unknown, the section is unknown
    ///   or of another report, or the quote is not in that section's text or is ambiguous there.
    public func placeAnnotation(
        _ reference: String, onSection section: String, quote: String? = nil, occurrence: Int? = nil
    ) throws -> AnnotationChange {
        let peer = self.peer
        return try write { db in
            let (id, body, original) = try Self.liveAnnotation(reference, db)
            let (sectionID, reportID) = try Self.resolveSection(section, db)
            guard reportID == body.report else {
                throw MarginStoreError(.sectionOfAnotherReport(section: section, annotation: reference))
            }
            let sectionText = try String.fetchOne(
                db, sql: "SELECT text FROM section WHERE id = ?", arguments: [sectionID.rawValue]) ?? ""
            var placed = body
            placed.section = sectionID
            if let quote = quote ?? body.anchor?.quote {
                placed.anchor = try TextAnchor.locate(quote: quote, in: sectionText, occurrence: occurrence)
            }
            guard placed != body else { return AnnotationChange(annotation: try Self.annotationView(id, db), written: false) }
            _ = try RevisionLedger.appendLocal(
                db, peer: peer, at: self.clock.milliseconds(), record: id, kind: .annotation,
                body: BodyCoding.encode(placed, keepingUnknownFieldsOf: original))
            return AnnotationChange(annotation: try Self.annotationView(id, db), written: true)
        }
    }
}
