import GRDB

/// How the sections matching a `find` are found, counted and ranked: through the one-token-per-character index
/// (``CharacterIndex``), as a phrase that is exact up to case for three characters or more and checked against the
/// text for one or two letters or digits, or by a substring scan (short queries with punctuation, short queries
/// restricted by tags, whose tagged sections are few, and the rare long query the index cannot answer exactly).
struct SectionSearch {
    /// Above this many possible matches, sections are listed in report order instead of ranked: scoring every
    /// match costs about a microsecond and a half each, and a query in that many sections weighs almost nothing.
    static let rankingLimit = 5_000

    private enum Path {
        case tagged
        /// Three characters or more: the phrase matches exactly the sections holding the query, up to the case of
        /// its letters (what the trigram index that came before matched).
        case longPhrase(String)
        case characters(phrase: String, exact: Bool)
        case scan
    }

    let query: String
    let tags: [String]
    /// The ranking limit in force (``rankingLimit`` but in tests).
    let rankingLimit: Int
    private let path: Path

    /// - Parameter indexesComplete: false while some report's sections wait to be indexed (a read-only store, see
    ///   ``SectionIndexes``): every query is then a substring scan, which sees every section.
    init(query: String, tags: [String], rankingLimit: Int = Self.rankingLimit, indexesComplete: Bool = true) {
        self.query = query
        self.tags = tags
        self.rankingLimit = rankingLimit
        if query.isEmpty {
            path = .tagged
        } else if !indexesComplete {
            path = .scan
        } else if let match = CharacterIndex.match(for: query) {
            if match.isLong {
                path = .longPhrase(match.phrase)
            } else {
                path = tags.isEmpty ? .characters(phrase: match.phrase, exact: !match.checked) : .scan
            }
        } else {
            path = .scan
        }
    }

    private var tagFilter: (sql: String, arguments: StatementArguments) {
        MarginStore.tagFilter(tags, column: "section.id")
    }

    /// The condition on `section` that keeps exactly the matching sections.
    private var condition: (sql: String, arguments: StatementArguments) {
        let filter = tagFilter
        let substring = "(instr(section.text, ?) > 0 OR instr(section.heading, ?) > 0)"
        // Removed reports have no index entries; paths that do not go through the index leave them out here.
        let kept = "section.report_id NOT IN (SELECT id FROM report WHERE removed = 1)"
        switch path {
        case .tagged:
            return (kept + filter.sql, filter.arguments)
        case let .longPhrase(phrase):
            return (
                "section.rowid IN (SELECT rowid FROM section_characters WHERE section_characters MATCH ?)" + filter.sql,
                [phrase] + filter.arguments)
        case let .characters(phrase, exact):
            // The character index folds case and diacritics; instr keeps exact matches only, unless the index
            // cannot be wrong for this query.
            let index = "section.rowid IN (SELECT rowid FROM section_characters WHERE section_characters MATCH ?)"
            return exact ? (index, [phrase]) : (index + " AND " + substring, [phrase, query, query])
        case .scan:
            return (substring + " AND " + kept + filter.sql, [query, query] + filter.arguments)
        }
    }

    /// How many sections match, and whether they are few enough to rank.
    ///
    /// Ranking is decided by the index's count of possible matches, which costs a pass over the query's index
    /// entries and no section rows; where the index is exact, that count is the total too.
    func count(_ db: Database) throws -> (total: Int, ranked: Bool) {
        switch path {
        case .tagged:
            return (try exactCount(db), false)
        case .scan:
            return (try exactCount(db), true)
        case .longPhrase, .characters:
            let candidates = try candidateCount(db)
            let indexIsExact: Bool
            switch path {
            case .longPhrase: indexIsExact = tags.isEmpty
            case let .characters(_, exact): indexIsExact = exact
            default: indexIsExact = false
            }
            let total = indexIsExact ? candidates : candidates == 0 ? 0 : try exactCount(db)
            return (total, candidates <= rankingLimit)
        }
    }

    private func exactCount(_ db: Database) throws -> Int {
        let condition = condition
        return try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM section WHERE \(condition.sql)", arguments: condition.arguments) ?? 0
    }

    private func candidateCount(_ db: Database) throws -> Int {
        switch path {
        case let .longPhrase(phrase), let .characters(phrase, _):
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM section_characters WHERE section_characters MATCH ?",
                arguments: [phrase]) ?? 0
        case .tagged, .scan:
            try exactCount(db)
        }
    }

    /// The matching sections in report listing order (then document order), unscored.
    func inReportOrder(offset: Int, limit: Int, _ db: Database) throws -> [MatchedRow] {
        guard limit > 0 else { return [] }
        let condition = condition
        // With many matches, walking reports in listing order finds a page at once; with a tag filter the tagged
        // sections are few, and SQLite's own plan (the tagged sections, then sorted) is the quick one.
        let join = tags.isEmpty ? "CROSS JOIN" : "JOIN"
        return try Row.fetchAll(db, sql: """
            SELECT \(MatchedRow.sectionColumns), 0.0 AS score
            FROM report \(join) section ON section.report_id = report.id
            WHERE \(condition.sql) ORDER BY report.title_order, report.id, section.position LIMIT ? OFFSET ?
            """, arguments: condition.arguments + [limit, offset]
        ).map { MatchedRow(kind: .section, row: $0) }
    }

    /// The `limit` best matching sections, best first (ties in report and document order).
    func best(_ limit: Int, _ db: Database) throws -> [MatchedRow] {
        let filter = tagFilter
        let columns = MatchedRow.sectionColumns
        let order = "ORDER BY score DESC, report.title_order, report.id, section.position LIMIT ?"
        let rows: [Row]
        switch path {
        case .tagged:
            return try inReportOrder(offset: 0, limit: limit, db)
        case let .longPhrase(phrase):
            rows = try ranked(phrase: phrase, check: filter.sql, filter.arguments, limit, db)
        case let .characters(phrase, exact):
            // Where the index is exact no text is read; otherwise only the candidates' texts are checked.
            rows = exact
                ? try ranked(phrase: phrase, check: "", [], limit, db)
                : try ranked(
                    phrase: phrase, check: " AND (instr(section.text, ?) > 0 OR instr(section.heading, ?) > 0)",
                    [query, query], limit, db)
        case .scan:
            let score = "\(MarginStore.occurrences("section.text")) + 5 * \(MarginStore.occurrences("section.heading"))"
            rows = try Row.fetchAll(db, sql: """
                SELECT \(columns), \(score) AS score
                FROM section JOIN report ON report.id = section.report_id
                WHERE (instr(section.text, ?) > 0 OR instr(section.heading, ?) > 0) AND report.removed = 0
                    \(filter.sql) \(order)
                """, arguments: StatementArguments(Array(repeating: query, count: 6)) + filter.arguments + [limit])
        }
        return rows.map { MatchedRow(kind: .section, row: $0) }
    }

    /// The `limit` best sections matching `phrase` in the character index and the extra condition `check`, by
    /// bm25, a match in the heading weighing five times one in the text (weights in the index's column order:
    /// text, heading). They are chosen first, reading no text, and only they are joined with their text (which `section`
    /// reads from the report body), not every match.
    private func ranked(
        phrase: String, check: String, _ arguments: StatementArguments, _ limit: Int, _ db: Database
    ) throws -> [Row] {
        try Row.fetchAll(db, sql: """
            SELECT \(MatchedRow.sectionColumns), best.score
            FROM (
                SELECT section.rowid AS hit, -bm25(section_characters, 1.0, 5.0) AS score,
                    report.title_order AS title_order, report.id AS report_key, section.position AS position
                FROM section_characters JOIN section ON section.rowid = section_characters.rowid
                JOIN report ON report.id = section.report_id
                WHERE section_characters MATCH ? \(check)
                ORDER BY score DESC, report.title_order, report.id, section.position LIMIT ?
            ) AS best
            JOIN section ON section.rowid = best.hit JOIN report ON report.id = section.report_id
            ORDER BY best.score DESC, best.title_order, best.report_key, best.position
            """, arguments: [phrase] + arguments + [limit])
    }
}

/// How the annotations matching a `find` are found, counted and ranked: through their one-token-per-character index
/// (`annotation_characters`, see ``CharacterIndex``) as sections are, as a phrase that is exact up to case for three
/// characters or more and checked against the text for one or two letters or digits the index folds; by a substring
/// scan of the live annotations for the rare query the index cannot answer (short with punctuation, or holding a
/// character without a token of its own).
struct AnnotationSearch {
    private enum Path {
        /// The index's phrase; `checked` when the index may match more than the text holds (case, one or two
        /// letters), so each candidate's text is checked too.
        case index(phrase: String, checked: Bool)
        case scan
    }

    let query: String
    let tags: [String]
    private let path: Path

    init(query: String, tags: [String]) {
        self.query = query
        self.tags = tags
        path = CharacterIndex.match(for: query).map { .index(phrase: $0.phrase, checked: $0.checked) } ?? .scan
    }

    /// The condition on `annotation` that keeps exactly the matching live annotations.
    private var condition: (sql: String, arguments: StatementArguments) {
        let filter = MarginStore.tagFilter(tags, column: "annotation.section_id")
        switch path {
        case let .index(phrase, checked):
            let index = """
                annotation.rowid IN (SELECT rowid FROM annotation_characters WHERE annotation_characters MATCH ?) \
                AND annotation.deleted = 0
                """
            return checked
                ? (index + " AND instr(annotation.text, ?) > 0" + filter.sql, [phrase, query] + filter.arguments)
                : (index + filter.sql, [phrase] + filter.arguments)
        case .scan:
            return ("instr(annotation.text, ?) > 0 AND annotation.deleted = 0" + filter.sql, [query] + filter.arguments)
        }
    }

    /// How many live annotations match and can be shown: a note whose section is gone from its report (an
    /// orphan) has no section to name, so it is neither listed nor counted.
    ///
    /// - Parameter candidates: the index's own count of the phrase's matches, when the caller has read it.
    func count(_ db: Database, candidates: Int? = nil) throws -> Int {
        if case let .index(phrase, checked: false) = path, tags.isEmpty {
            // Deleted notes are not in the index, so its own count is every live match, less the orphans whose
            // section is gone (few, and under an index of their own); no annotation row is read for the rest.
            let indexed = try candidates ?? Self.candidateCount(phrase, db)
            guard indexed > 0 else { return 0 }
            let unshown = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM annotation
                WHERE anchor_status = 'orphaned' AND deleted = 0
                    AND NOT EXISTS (SELECT 1 FROM section WHERE section.id = annotation.section_id)
                    AND annotation.rowid IN (
                        SELECT rowid FROM annotation_characters WHERE annotation_characters MATCH ?)
                """, arguments: [phrase]) ?? 0
            return indexed - unshown
        }
        let condition = condition
        return try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM annotation WHERE \(condition.sql)
                AND EXISTS (SELECT 1 FROM section WHERE section.id = annotation.section_id)
            """, arguments: condition.arguments) ?? 0
    }

    /// How many notes the index matches for `phrase`: a pass over the phrase's index entries, reading no note.
    private static func candidateCount(_ phrase: String, _ db: Database) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM annotation_characters WHERE annotation_characters MATCH ?",
            arguments: [phrase]) ?? 0
    }

    /// The first `limit` matching annotations and how many match and can be shown in all.
    ///
    /// While the index finds at most `rankingLimit` candidates, the hits are ranked by bm25, best first. Above
    /// that, as for sections (``SectionSearch/rankingLimit``), scoring would read every candidate's note and
    /// index entry, and a query in that many notes weighs almost nothing in any of them: the hits come unscored
    /// (score 0) in identity order, which every peer holding the same notes shares, and only the page asked for
    /// is read.
    func ranked(
        _ limit: Int, rankingLimit: Int, _ db: Database
    ) throws -> (hits: [MatchedRow], total: Int, ranked: Bool) {
        let filter = MarginStore.tagFilter(tags, column: "annotation.section_id")
        let best: (sql: String, arguments: StatementArguments)
        let total: Int?
        var isRanked = true
        switch path {
        case let .index(phrase, checked):
            let check: (sql: String, arguments: StatementArguments) =
                checked ? (" AND instr(annotation.text, ?) > 0", [query]) : ("", [])
            let candidates = try Self.candidateCount(phrase, db)
            isRanked = candidates <= rankingLimit
            // The hits are chosen first (a large store matches thousands of notes), and only those are joined
            // with their section and report.
            best = isRanked
                ? ("""
                    SELECT annotation.rowid AS hit, -1.5 * bm25(annotation_characters) AS score
                    FROM annotation_characters JOIN annotation ON annotation.rowid = annotation_characters.rowid
                    WHERE annotation_characters MATCH ? AND annotation.deleted = 0 \(check.sql) \(filter.sql)
                    ORDER BY score DESC, annotation.id LIMIT ?
                    """, [phrase] + check.arguments + filter.arguments + [max(1, limit)])
                // Unranked, the notes' index by identity is walked in order, each note kept if the phrase's set
                // holds it (`+` keeps SQLite from driving the walk by that set instead, which would read and sort
                // every match), and the walk stops at the page's end.
                : ("""
                    SELECT annotation.rowid AS hit, 0.0 AS score FROM annotation
                    WHERE +annotation.rowid IN (
                        SELECT rowid FROM annotation_characters WHERE annotation_characters MATCH ?)
                        AND annotation.deleted = 0 \(check.sql) \(filter.sql)
                    ORDER BY annotation.id LIMIT ?
                    """, [phrase] + check.arguments + filter.arguments + [max(1, limit)])
            total = try count(db, candidates: candidates)
        case .scan:
            // Without an index every note is read anyway: one pass ranks and, through the window, counts.
            best = ("""
                SELECT annotation.rowid AS hit, 1.5 * \(MarginStore.occurrences("annotation.text")) AS score,
                    COUNT(*) OVER () AS total
                FROM annotation WHERE instr(annotation.text, ?) > 0 AND annotation.deleted = 0 \(filter.sql)
                    AND EXISTS (SELECT 1 FROM section WHERE section.id = annotation.section_id)
                ORDER BY score DESC, annotation.id LIMIT ?
                """, [query, query, query] + filter.arguments + [max(1, limit)])
            total = nil
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT annotation.id AS annotation_id, annotation.text, annotation.report_id, section.id AS section_id,
                section.outline, section.label, section.heading, report.title AS report_title, best.*
            FROM (\(best.sql)) AS best JOIN annotation ON annotation.rowid = best.hit
            JOIN section ON section.id = annotation.section_id JOIN report ON report.id = annotation.report_id
            ORDER BY best.score DESC, annotation.id
            """, arguments: best.arguments)
        return (
            rows.prefix(limit).map { MatchedRow(kind: .annotation, row: $0) }, total ?? rows.first?["total"] ?? 0,
            isRanked
        )
    }
}

extension CharacterIndex {
    /// How the index answers a query, for sections and notes alike: three characters or more as an exact phrase (up
    /// to case), one or two letters or numbers as a phrase whose candidates' text is checked unless the index is
    /// exact for them (``isExact(_:)``); nil when only a substring scan can (punctuation in a short query, or a
    /// character without a token of its own).
    struct Match {
        /// The FTS5 phrase.
        var phrase: String
        /// True when each candidate's text must be checked for the query.
        var checked: Bool
        /// True for a query of three characters or more.
        var isLong: Bool
    }

    /// The index's answer to `query` (see ``Match``); nil for a substring scan.
    static func match(for query: String) -> Match? {
        if query.unicodeScalars.count >= 3 {
            return exactPhrase(query).map { Match(phrase: $0, checked: false, isLong: true) }
        }
        return phrase(query).map { Match(phrase: $0, checked: !isExact(query), isLong: false) }
    }

    /// Whether the index matches exactly the sections that contain `query`, with no substring check needed: one
    /// or two characters that the `unicode61` tokenizer keeps as they are (ideographs, kana, Hangul syllables and
    /// ASCII digits have no case and no diacritics to fold). Each is one token, every other character of the text
    /// a token too (``separator``), so two tokens are side by side exactly where the two characters are.
    static func isExact(_ query: String) -> Bool {
        let exactRanges: [ClosedRange<UInt32>] = [
            0x30...0x39, 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xF900...0xFAFF,
            0x20000...0x3134F,
        ]
        return (1...2).contains(query.count) && query.allSatisfy { character in
            character.unicodeScalars.count == 1
                && exactRanges.contains { $0.contains(character.unicodeScalars.first!.value) }
        }
    }
}
