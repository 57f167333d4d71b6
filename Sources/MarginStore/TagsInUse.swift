import GRDB

/// The tags in use: those carried by a section of the current text of a report that is not removed. A tag record
/// outlives its section (an import or an edit may drop the section, `margin remove` the report), and such a tag
/// is no longer in use: it is not counted, suggested or listed, just as `find --tag` does not find its section.
enum TagsInUse {
    /// SQL joining `section_tag` to the sections in use: only rows of current sections of kept reports remain.
    static let join = """
        JOIN section ON section.id = section_tag.section_id
        JOIN report ON report.id = section.report_id AND report.removed = 0
        """

    /// Every tag in use, in tag order.
    static func all(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT section_tag.tag FROM section_tag \(join) ORDER BY section_tag.tag")
    }

    /// Whether `tag`, exactly as stored, is in use.
    static func contains(_ tag: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM section_tag \(join) WHERE section_tag.tag = ?)", arguments: [tag]) ?? false
    }
}
