import GRDB
import MarginCore

extension MarginStore {
    /// Finds sections (by heading and text) and annotations (by text) containing `text`, restricted to sections
    /// carrying every tag in `tags`. Ranked by relevance; with no text, lists the tagged sections in report order.
    ///
    /// Queries of three characters or more use the trigram full-text index; shorter ones (common in Chinese:
    /// `教育`) use a one-token-per-character index, and the rare short query with punctuation a substring scan,
    /// so every query works.
    public func find(text: String?, tags: [String] = [], limit: Int = 50) throws -> [SearchHit] {
        let query = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let normalizedTags = try tags.map(Self.normalizedTag)
        return try read { db in
            let length = try ShortIdentifiers.length(db)
            var hits: [SearchHit] = []
            hits += try Self.sectionHits(query, tags: normalizedTags, limit: limit, shortLength: length, db)
            if !query.isEmpty {
                hits += try Self.annotationHits(query, tags: normalizedTags, limit: limit, shortLength: length, db)
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

    private static func sectionHits(
        _ query: String, tags: [String], limit: Int, shortLength: Int, _ db: Database
    ) throws -> [SearchHit] {
        let filter = tagFilter(tags, column: "section.id")
        let columns = "section.outline, section.label, section.heading, section.text, section.report_id, report.title AS report_title"
        let from = "FROM section JOIN report ON report.id = section.report_id"
        // Ranking and the limit happen in SQL, so only the hits shown are turned into snippets.
        let rows: [Row]
        if query.isEmpty {
            rows = try Row.fetchAll(db, sql: """
                SELECT \(columns), 0.0 AS score \(from)
                WHERE 1 \(filter.sql) ORDER BY report.title, section.report_id, section.position LIMIT ?
                """, arguments: filter.arguments + [limit])
        } else if query.unicodeScalars.count >= 3 {
            rows = try Row.fetchAll(db, sql: """
                SELECT \(columns), -bm25(section_fts, 5.0, 1.0) AS score
                FROM section_fts JOIN section ON section.rowid = section_fts.rowid
                JOIN report ON report.id = section.report_id
                WHERE section_fts MATCH ? \(filter.sql) ORDER BY score DESC, section.report_id, section.position LIMIT ?
                """, arguments: [phrase(query)] + filter.arguments + [limit])
        } else if tags.isEmpty, let characters = CharacterIndex.phrase(query) {
            // The character index finds candidates (it ignores punctuation between characters); instr keeps
            // exact matches only. With tags, the tagged sections are few and scanning them is cheaper.
            rows = try Row.fetchAll(db, sql: """
                SELECT \(columns), -bm25(section_characters, 5.0, 1.0) AS score
                FROM section_characters JOIN section ON section.rowid = section_characters.rowid
                JOIN report ON report.id = section.report_id
                WHERE section_characters MATCH ? AND (instr(section.text, ?) > 0 OR instr(section.heading, ?) > 0)
                \(filter.sql) ORDER BY score DESC, section.report_id, section.position LIMIT ?
                """, arguments: [characters, query, query] + filter.arguments + [limit])
        } else {
            rows = try Row.fetchAll(db, sql: """
                SELECT \(columns), \(occurrences("section.text")) + 5 * \(occurrences("section.heading")) AS score \(from)
                WHERE (instr(section.text, ?) > 0 OR instr(section.heading, ?) > 0) \(filter.sql)
                ORDER BY score DESC, section.report_id, section.position LIMIT ?
                """, arguments: StatementArguments(Array(repeating: query, count: 6)) + filter.arguments + [limit])
        }
        return rows.map { row in
            let heading: String = row["heading"]
            let reportID: String = row["report_id"]
            let label: String = row["label"]
            return SearchHit(
                kind: .section, reference: "\(ShortIdentifiers.shorten(reportID, length: shortLength))/\(row["outline"] as String)",
                annotation: nil, reportTitle: row["report_title"], heading: (label + heading).isEmpty ? "(preamble)" : label + heading,
                snippet: Snippet.around(query, in: row["text"]), score: row["score"])
        }
    }

    private static func annotationHits(
        _ query: String, tags: [String], limit: Int, shortLength: Int, _ db: Database
    ) throws -> [SearchHit] {
        let filter = tagFilter(tags, column: "annotation.section_id")
        let columns = """
            annotation.id, annotation.text, annotation.report_id, section.outline, section.label, section.heading,
            report.title AS report_title
            """
        let joins = "JOIN section ON section.id = annotation.section_id JOIN report ON report.id = annotation.report_id"
        // The best hits are chosen first (a large store matches thousands of notes), and only those are joined
        // with their section and report.
        let best: (sql: String, arguments: StatementArguments)
        if query.unicodeScalars.count >= 3 {
            best = ("""
                SELECT annotation.rowid AS hit, -1.5 * bm25(annotation_fts) AS score
                FROM annotation_fts JOIN annotation ON annotation.rowid = annotation_fts.rowid
                WHERE annotation_fts MATCH ? AND annotation.deleted = 0 \(filter.sql) ORDER BY score DESC, annotation.id LIMIT ?
                """, [phrase(query)] + filter.arguments + [limit])
        } else {
            best = ("""
                SELECT annotation.rowid AS hit, 1.5 * \(occurrences("annotation.text")) AS score FROM annotation
                WHERE instr(annotation.text, ?) > 0 AND annotation.deleted = 0 \(filter.sql)
                ORDER BY score DESC, annotation.id LIMIT ?
                """, [query, query, query] + filter.arguments + [limit])
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(columns), best.score FROM (\(best.sql)) AS best
            JOIN annotation ON annotation.rowid = best.hit \(joins) ORDER BY best.score DESC, annotation.id
            """, arguments: best.arguments)
        return rows.map { row in
            let reportID: String = row["report_id"]
            let id: String = row["id"]
            return SearchHit(
                kind: .annotation, reference: "\(ShortIdentifiers.shorten(reportID, length: shortLength))/\(row["outline"] as String)",
                annotation: ShortIdentifiers.shorten(id, length: shortLength), reportTitle: row["report_title"],
                heading: (row["label"] as String) + (row["heading"] as String),
                snippet: Snippet.around(query, in: row["text"]), score: row["score"])
        }
    }

    /// SQL counting the occurrences of the query (bound twice, as `?`) in a column: the ranking of short queries,
    /// which the trigram index cannot rank.
    private static func occurrences(_ column: String) -> String {
        "((length(\(column)) - length(replace(\(column), ?, ''))) * 1.0 / length(?))"
    }

    /// FTS5 phrase syntax: the query as one quoted phrase, so punctuation in it is not read as operators.
    private static func phrase(_ query: String) -> String {
        "\"" + query.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A short excerpt around the first match, with the match bracketed.
enum Snippet {
    static func around(_ query: String, in text: String, context: Int = 24) -> String {
        guard !query.isEmpty, let range = text.range(of: query) else {
            let head = text.prefix(context * 2)
            return flat(head) + (head.endIndex < text.endIndex ? "…" : "")
        }
        // Only the window around the match is copied and flattened, never the whole section text.
        let start = text.index(range.lowerBound, offsetBy: -context, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(range.upperBound, offsetBy: context, limitedBy: text.endIndex) ?? text.endIndex
        return (start > text.startIndex ? "…" : "") + flat(text[start..<range.lowerBound]) + "[" + flat(text[range]) + "]"
            + flat(text[range.upperBound..<end]) + (end < text.endIndex ? "…" : "")
    }

    private static func flat(_ text: Substring) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
