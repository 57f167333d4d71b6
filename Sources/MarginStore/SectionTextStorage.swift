/// Where a section's text is kept: once, in the body of its report's current revision, which the store keeps
/// anyway. `stored_section` holds everything else about a section; the `section` view adds the text, read from the
/// body by the section's position (`$.sections[position].text`), so every reader of `section` sees the same columns
/// as when the text had a column of its own. A row keeps its own text only where the body would not give it back
/// exactly (see ``insertSQL``), so nothing depends on that reading being right.
///
/// Reading a text parses its report's body; SQLite keeps the last few parses of a statement, so reading every
/// section of a report parses its body once.
enum SectionTextStorage {
    /// The JSON path of the text of the section at `position` in a report body, as SQL.
    static func textPath(position: String) -> String {
        "'$.sections[' || \(position) || '].text'"
    }

    /// The `section` view: `stored_section` with its text, from its own column or else from the body of its
    /// report's current revision. Its columns are those `section` had as a table, `rowid` included; a query that
    /// reads no text reads no body (the subquery is not run).
    static let viewSQL = """
        CREATE VIEW section AS
        SELECT stored_section.rowid AS rowid, stored_section.id AS id, stored_section.report_id AS report_id,
            stored_section.position AS position, stored_section.outline AS outline, stored_section.level AS level,
            stored_section.label AS label, stored_section.heading AS heading,
            COALESCE(stored_section.text, (
                SELECT json_extract(revision.body, \(textPath(position: "stored_section.position")))
                FROM report JOIN revision ON revision.id = report.revision_id
                WHERE report.id = stored_section.report_id)) AS text,
            stored_section.parent_id AS parent_id
        FROM stored_section
        """

    /// Inserts one section: id, report, position, outline, level, label, heading, parent, then the revision whose
    /// body it comes from and its text as decoded. The text is kept in the row only when SQLite reads the body's
    /// text otherwise (a body from a peer with a repeated key, say), which canonical bodies never do.
    static let insertSQL = """
        INSERT INTO stored_section (id, report_id, position, outline, level, label, heading, parent_id, text)
        SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
            \(keptText(body: "(SELECT body FROM revision WHERE id = ?9)", position: "?3", text: "?10"))
        """

    /// SQL for what `stored_section.text` holds: NULL when the body gives back `text` at `position`, else `text`
    /// (a body that is not JSON to SQLite, or reads otherwise).
    static func keptText(body: String, position: String, text: String) -> String {
        """
        CASE WHEN NOT json_valid(\(body)) THEN \(text)
            WHEN json_extract(\(body), \(textPath(position: position))) IS \(text) THEN NULL ELSE \(text) END
        """
    }
}
