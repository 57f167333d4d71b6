import GRDB
import MarginCore

extension MarginStore {
    /// Finds sections (by heading and text) and annotations (by text) containing `text`, restricted to sections
    /// carrying every tag in `tags`. Ranked by relevance; with no text, lists the tagged sections in report order.
    ///
    /// Queries of three characters or more use the trigram full-text index; shorter ones (common in Chinese:
    /// `教育`) fall back to a substring scan, so every query works.
    public func find(text: String?, tags: [String] = [], limit: Int = 50) throws -> [SearchHit] {
        let query = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let normalizedTags = try tags.map(Self.normalizedTag)
        return try read { db in
            let length = try ShortIdentifiers.length(db)
            var hits: [SearchHit] = []
            hits += try Self.sectionHits(query, tags: normalizedTags, shortLength: length, db)
            if !query.isEmpty {
                hits += try Self.annotationHits(query, tags: normalizedTags, shortLength: length, db)
            }
            let ranked = query.isEmpty ? hits : hits.sorted { $0.score != $1.score ? $0.score > $1.score : $0.reference < $1.reference }
            return Array(ranked.prefix(limit))
        }
    }

    private static func tagFilter(_ tags: [String], column: String) -> (sql: String, arguments: StatementArguments) {
        guard !tags.isEmpty else { return ("", []) }
        let placeholders = tags.map { _ in "?" }.joined(separator: ", ")
        let sql = " AND \(column) IN (SELECT section_id FROM section_tag WHERE tag IN (\(placeholders)) GROUP BY section_id HAVING COUNT(DISTINCT tag) = \(tags.count))"
        return (sql, StatementArguments(tags))
    }

    private static func sectionHits(_ query: String, tags: [String], shortLength: Int, _ db: Database) throws -> [SearchHit] {
        let filter = tagFilter(tags, column: "section.id")
        let columns = "section.outline, section.label, section.heading, section.text, section.report_id, report.title AS report_title"
        let rows: [Row]
        if query.isEmpty {
            rows = try Row.fetchAll(db, sql: """
                SELECT \(columns), 0.0 AS score FROM section JOIN report ON report.id = section.report_id
                WHERE 1 \(filter.sql) ORDER BY report.title, section.report_id, section.position
                """, arguments: filter.arguments)
        } else if query.unicodeScalars.count >= 3 {
            rows = try Row.fetchAll(db, sql: """
                SELECT \(columns), -bm25(section_fts, 5.0, 1.0) AS score
                FROM section_fts JOIN section ON section.rowid = section_fts.rowid
                JOIN report ON report.id = section.report_id
                WHERE section_fts MATCH ? \(filter.sql)
                """, arguments: [phrase(query)] + filter.arguments)
        } else {
            rows = try Row.fetchAll(db, sql: """
                SELECT \(columns), 0.0 AS score FROM section JOIN report ON report.id = section.report_id
                WHERE (instr(section.text, ?) > 0 OR instr(section.heading, ?) > 0) \(filter.sql)
                """, arguments: [query, query] + filter.arguments)
        }
        return rows.map { row in
            let text: String = row["text"]
            let heading: String = row["heading"]
            let reportID: String = row["report_id"]
            let label: String = row["label"]
            let score: Double = query.isEmpty ? 0 : fallbackScore(row["score"], query: query, heading: heading, text: text)
            return SearchHit(
                kind: .section, reference: "\(ShortIdentifiers.shorten(reportID, length: shortLength))/\(row["outline"] as String)",
                annotation: nil, reportTitle: row["report_title"], heading: (label + heading).isEmpty ? "(preamble)" : label + heading,
                snippet: Snippet.around(query, in: text), score: score)
        }
    }

    private static func annotationHits(_ query: String, tags: [String], shortLength: Int, _ db: Database) throws -> [SearchHit] {
        let filter = tagFilter(tags, column: "annotation.section_id")
        let columns = """
            annotation.id, annotation.text, annotation.report_id, section.outline, section.label, section.heading,
            report.title AS report_title
            """
        let rows: [Row]
        if query.unicodeScalars.count >= 3 {
            rows = try Row.fetchAll(db, sql: """
                SELECT \(columns), -bm25(annotation_fts) AS score
                FROM annotation_fts JOIN annotation ON annotation.rowid = annotation_fts.rowid
                JOIN section ON section.id = annotation.section_id JOIN report ON report.id = annotation.report_id
                WHERE annotation_fts MATCH ? AND annotation.deleted = 0 \(filter.sql)
                """, arguments: [phrase(query)] + filter.arguments)
        } else {
            rows = try Row.fetchAll(db, sql: """
                SELECT \(columns), 0.0 AS score FROM annotation
                JOIN section ON section.id = annotation.section_id JOIN report ON report.id = annotation.report_id
                WHERE instr(annotation.text, ?) > 0 AND annotation.deleted = 0 \(filter.sql)
                """, arguments: [query] + filter.arguments)
        }
        return rows.map { row in
            let text: String = row["text"]
            let reportID: String = row["report_id"]
            let id: String = row["id"]
            return SearchHit(
                kind: .annotation, reference: "\(ShortIdentifiers.shorten(reportID, length: shortLength))/\(row["outline"] as String)",
                annotation: ShortIdentifiers.shorten(id, length: shortLength), reportTitle: row["report_title"],
                heading: (row["label"] as String) + (row["heading"] as String),
                snippet: Snippet.around(query, in: text),
                score: fallbackScore(row["score"], query: query, heading: "", text: text) * 1.5)
        }
    }

    /// FTS5 phrase syntax: the query as one quoted phrase, so punctuation in it is not read as operators.
    private static func phrase(_ query: String) -> String {
        "\"" + query.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// bm25 when the index ranked the row; otherwise (short queries) occurrences, with heading matches counting more.
    private static func fallbackScore(_ indexScore: Double, query: String, heading: String, text: String) -> Double {
        if indexScore != 0 { return indexScore }
        let inText = text.components(separatedBy: query).count - 1
        let inHeading = heading.components(separatedBy: query).count - 1
        return Double(inText) + 5 * Double(inHeading)
    }
}

/// A short excerpt around the first match, with the match bracketed.
enum Snippet {
    static func around(_ query: String, in text: String, context: Int = 24) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        guard !query.isEmpty, let range = flat.range(of: query) else {
            return flat.count > context * 2 ? String(flat.prefix(context * 2)) + "…" : flat
        }
        let start = flat.index(range.lowerBound, offsetBy: -context, limitedBy: flat.startIndex) ?? flat.startIndex
        let end = flat.index(range.upperBound, offsetBy: context, limitedBy: flat.endIndex) ?? flat.endIndex
        return (start > flat.startIndex ? "…" : "") + flat[start..<range.lowerBound] + "[" + flat[range] + "]"
            + flat[range.upperBound..<end] + (end < flat.endIndex ? "…" : "")
    }
}
