import GRDB

/// Schema v19: notes are searched through the same one-token-per-character index as sections
/// (`annotation_characters`, see ``CharacterIndex``), in place of a trigram index.
///
/// - A trigram index cannot answer a query of one or two characters, so `find 核实` read the text of every note,
///   the most common kind of Chinese query costing time in proportion to the store (56 ms over 60,000 notes). The
///   character index answers it exactly, and ranks it by bm25 as it does sections.
/// - The index keeps no copy of the text (contentless): an entry is removed by giving the text it was made from,
///   which the `annotation` row still holds when the materializer replaces it (``AnnotationSearchWrites``). The
///   trigram index kept its own copy of every note's text besides its trigrams.
enum AnnotationIndexMigration {
    static let identifier = "v19-notes-searched-by-character"

    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            DROP TABLE annotation_fts;
            \(createSQL);
            """)
        let insert = try db.makeStatement(sql: AnnotationSearchWrites.insertSQL)
        let rows = try Row.fetchCursor(db, sql: "SELECT rowid, text FROM annotation WHERE deleted = 0 ORDER BY rowid")
        while let row = try rows.next() {
            try insert.execute(arguments: [row["rowid"], CharacterIndex.spaced(row["text"])])
        }
    }

    /// The index: letters and numbers folded in case but keeping their diacritics, as `section_characters`.
    static let createSQL = """
        CREATE VIRTUAL TABLE annotation_characters USING fts5(
            text, tokenize = 'unicode61 remove_diacritics 0', content = '')
        """
}
