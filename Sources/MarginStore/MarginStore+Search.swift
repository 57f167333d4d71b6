import Foundation
import GRDB
import MarginCore

extension MarginStore {
    /// Finds sections (by heading and text) and annotations (by text) containing `text`, restricted to sections
    /// carrying every tag in `tags`, and counts all of them. With no text, lists the tagged sections in report order.
    ///
    /// Sections are found through a one-token-per-character index (see ``SectionSearch``): a query of three
    /// characters or more matches wherever it occurs, whatever the case of its letters; shorter ones (common in
    /// Chinese: `教育`) match exactly, and the rare short query with punctuation is a substring scan, so every query
    /// works. Annotations are found through an index of the same kind (see ``AnnotationSearch``).
    ///
    /// Section hits are ranked by relevance while at most ``SectionSearch/rankingLimit`` sections might match, and
    /// note hits likewise, counted on their own. A query found in more of them than that (one character such as
    /// `师` is in most sections) weighs almost nothing in any, and scoring every match would cost time in proportion
    /// to the store; those hits come unscored (score 0), after the ranked ones: sections in report order, notes in
    /// identity order (so that every peer holding the same notes lists them alike). When neither is ranked, notes
    /// come first. Either way the total comes from a count in SQL and only the page asked for is read.
    ///
    /// - Parameters:
    ///   - offset: how many hits of the whole ranking to skip.
    ///   - limit: at most this many hits.
    public func search(text: String?, tags: [String] = [], offset: Int = 0, limit: Int = 50) throws -> ListingPage<SearchHit> {
        try search(text: text, tags: tags, offset: offset, limit: limit, rankingLimit: SectionSearch.rankingLimit)
    }

    /// ``search(text:tags:offset:limit:)`` with another ranking limit, so tests can reach both orders.
    func search(
        text: String?, tags: [String], offset: Int, limit: Int, rankingLimit: Int
    ) throws -> ListingPage<SearchHit> {
        let query = text?.trimmingWhiteSpace() ?? ""
        let normalizedTags = try tags.map(Self.normalizedTag)
        let offset = max(0, offset)
        let limit = max(0, limit)
        try indexWaitingSections()
        return try read { db in
            let length = try ShortIdentifiers.length(db)
            let sections = SectionSearch(
                query: query, tags: normalizedTags, rankingLimit: rankingLimit,
                indexesComplete: try !SectionIndexes.hasPending(db))
            let (sectionTotal, ranked) = try sections.count(db)
            guard !query.isEmpty else {
                let hits = try sections.inReportOrder(offset: offset, limit: limit, db)
                return ListingPage(items: hits.map { $0.hit(query, shortLength: length) }, total: sectionTotal, offset: offset)
            }
            let annotations = AnnotationSearch(query: query, tags: normalizedTags)
            let (annotationRows, annotationTotal, annotationsRanked) = try annotations.ranked(
                offset + limit, rankingLimit: rankingLimit, db)
            let annotationHits = annotationRows.map { $0.hit(query, shortLength: length) }
            let total = sectionTotal + annotationTotal
            guard ranked else {
                // Annotations first, ranked or in identity order; then sections in report order.
                let shownAnnotations = Array(annotationHits.dropFirst(offset).prefix(limit))
                let sectionHits = try sections.inReportOrder(
                    offset: max(0, offset - annotationTotal), limit: limit - shownAnnotations.count, db)
                return ListingPage(
                    items: shownAnnotations + sectionHits.map { $0.hit(query, shortLength: length) }, total: total,
                    offset: offset)
            }
            let sectionHits = try sections.best(offset + limit, db).map { $0.hit(query, shortLength: length) }
            // Ranked sections, then unranked notes: the page needs at most `offset + limit` of each.
            let merged = annotationsRanked ? Self.merged(annotationHits, sectionHits) : sectionHits + annotationHits
            return ListingPage(items: Array(merged.dropFirst(offset).prefix(limit)), total: total, offset: offset)
        }
    }

    /// Indexes the sections of reports materialized since the last search (see ``SectionIndexes``); a read-only
    /// store leaves them waiting, and its searches read the sections themselves meanwhile.
    func indexWaitingSections() throws {
        guard !isReadOnly, try read({ db in try SectionIndexes.hasPending(db) }) else { return }
        try write { db in try SectionIndexes.catchUp(db) }
    }

    /// Two rankings merged by score, each keeping its own order (which SQL settled, ties included, so that every
    /// page cuts the same ranking); on equal scores the first list's hit comes first.
    static func merged(_ first: [SearchHit], _ second: [SearchHit]) -> [SearchHit] {
        var result: [SearchHit] = []
        result.reserveCapacity(first.count + second.count)
        var (i, j) = (0, 0)
        while i < first.count || j < second.count {
            if j == second.count || (i < first.count && first[i].score >= second[j].score) {
                result.append(first[i])
                i += 1
            } else {
                result.append(second[j])
                j += 1
            }
        }
        return result
    }

    /// The best `limit` hits of ``search(text:tags:offset:limit:)``, without the page around them.
    public func find(text: String?, tags: [String] = [], limit: Int = 50) throws -> [SearchHit] {
        try search(text: text, tags: tags, limit: limit).items
    }

    /// SQL restricting a section column to sections that carry every tag in `tags` (nothing when there are none).
    static func tagFilter(_ tags: [String], column: String) -> (sql: String, arguments: StatementArguments) {
        guard !tags.isEmpty else { return ("", []) }
        let placeholders = tags.map { _ in "?" }.joined(separator: ", ")
        let sql = " AND \(column) IN (SELECT section_id FROM section_tag WHERE tag IN (\(placeholders)) GROUP BY section_id HAVING COUNT(DISTINCT tag) = \(tags.count))"
        return (sql, StatementArguments(tags))
    }

    /// SQL counting the occurrences of the query (bound twice, as `?`) in a column: the ranking of substring
    /// scans, which have no index to rank by.
    static func occurrences(_ column: String) -> String {
        "((length(\(column)) - length(replace(\(column), ?, ''))) * 1.0 / length(?))"
    }
}

/// A matching row read for a hit: what it needs to become a ``SearchHit``.
struct MatchedRow {
    var kind: SearchHit.Kind
    var row: Row

    static let sectionColumns = """
        section.id AS section_id, section.outline, section.label, section.heading, section.text, section.report_id,
        report.title AS report_title
        """

    func hit(_ query: String, shortLength: Int) -> SearchHit {
        let reportID: String = row["report_id"]
        let label: String = row["label"]
        let heading: String = row["heading"]
        let annotation: String? = kind == .annotation ? row["annotation_id"] : nil
        let reportReference = ShortIdentifiers.shorten(reportID, length: shortLength)
        let sectionReference = "\(reportReference)/\(row["outline"] as String)"
        return SearchHit(
            kind: kind, section: SectionID(rawValue: row["section_id"]), reference: sectionReference,
            sectionReference: sectionReference,
            annotation: annotation.map { ShortIdentifiers.shorten($0, length: shortLength) },
            annotationID: annotation.map(RecordID.init(rawValue:)),
            report: RecordID(rawValue: reportID), reportReference: reportReference, reportTitle: row["report_title"],
            heading: kind == .section && (label + heading).isEmpty ? "(preamble)" : label + heading,
            snippet: SearchSnippet.around(query, in: row["text"]), score: row["score"])
    }
}
