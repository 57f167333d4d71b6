import Foundation
import GRDB
import MarginCore
import ReportParser

/// What a minimal hand-written store would do with the same reports: a `report` row per report, a `section` row per
/// section and a trigram FTS5 index on section text — no revisions, change log, heads or JSON bodies.
///
/// It is the yardstick for the store's import: the gap between the two is the price of versioning.
/// Settings mirror the store's so that only the design differs: WAL with `synchronous = NORMAL` (what GRDB sets for
/// WAL), one transaction per batch, prepared statements, and 32-digit hex identities like the store's.
struct RawSQLiteBaseline {
    fileprivate let queue: DatabaseQueue

    /// Creates the baseline database, with its schema, in `folder`.
    init(folder: String) throws {
        var configuration = Configuration()
        configuration.journalMode = .wal
        queue = try DatabaseQueue(path: folder + "/baseline.sqlite", configuration: configuration)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE report (id TEXT PRIMARY KEY, title TEXT NOT NULL, section_count INTEGER NOT NULL);
                CREATE TABLE section (
                    rowid INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    report_id TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    level INTEGER NOT NULL,
                    label TEXT NOT NULL,
                    heading TEXT NOT NULL,
                    text TEXT NOT NULL,
                    parent_id TEXT
                );
                CREATE INDEX section_by_report ON section(report_id, position);
                CREATE VIRTUAL TABLE section_fts USING fts5(heading, text, tokenize = 'trigram');
                """)
        }
    }

    /// Inserts one batch of reports in one transaction.
    func insert(_ reports: [ParsedReport]) throws {
        try queue.write { db in
            let insertReport = try db.cachedStatement(sql: "INSERT INTO report (id, title, section_count) VALUES (?, ?, ?)")
            let insertSection = try db.cachedStatement(sql: """
                INSERT INTO section (id, report_id, position, level, label, heading, text, parent_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertSearch = try db.cachedStatement(sql: "INSERT INTO section_fts (rowid, heading, text) VALUES (?, ?, ?)")
            for report in reports {
                // Hashed identities cost a SHA-256 each, as in the store; integer keys would flatter the baseline.
                let reportID = Identity.report(title: report.title)
                try insertReport.execute(arguments: [reportID.rawValue, report.title, report.sections.count])
                var sectionIDs: [String] = []
                for (position, section) in report.sections.enumerated() {
                    let sectionID = Identity.section(report: reportID, headingPath: [String(position)]).rawValue
                    sectionIDs.append(sectionID)
                    try insertSection.execute(arguments: [
                        sectionID, reportID.rawValue, position, section.level, section.label, section.heading,
                        section.text, section.parentIndex.map { sectionIDs[$0] },
                    ])
                    try insertSearch.execute(arguments: [db.lastInsertedRowID, section.heading, section.text])
                }
            }
        }
    }

    /// How many sections the baseline holds, to check that it did the same work as the store.
    func sectionCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM section") ?? 0 }
    }
}

extension RawSQLiteBaseline {
    /// The first `limit` reports by title and how many there are: what a paged listing reads at the least.
    func firstReportsByTitle(_ limit: Int) throws -> (shown: Int, total: Int) {
        try queue.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, title, section_count FROM report ORDER BY title LIMIT ?", arguments: [limit])
            return (rows.count, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM report") ?? 0)
        }
    }

    /// The first `limit` sections whose heading or text contains `text`, and how many do: what a one-character
    /// search that shows a page and a total reads at the least (the trigram index cannot serve one character).
    func firstSectionsContaining(_ text: String, _ limit: Int) throws -> (shown: Int, total: Int) {
        try queue.read { db in
            let matching = "FROM section WHERE instr(text, ?1) > 0 OR instr(heading, ?1) > 0"
            let rows = try Row.fetchAll(db, sql: "SELECT id, heading, text \(matching) LIMIT ?2", arguments: [text, limit])
            return (rows.count, try Int.fetchOne(db, sql: "SELECT COUNT(*) \(matching)", arguments: [text]) ?? 0)
        }
    }
}
