import Foundation
import GRDB
import ReportParser

/// How large a store is against the text imported into it: bytes per imported byte (target ``target``) and bytes
/// per revision, measured once its first search has indexed everything, as a person's store is after a `find`.
struct StoreFootprint: Encodable, Sendable {
    /// A store may take at most this many bytes per byte of imported text.
    static let target = 4.0

    /// Which store, e.g. `seeds`.
    var name: String
    /// The database's size: pages × page size, as a reader sees it (the write-ahead log's committed pages
    /// included, which a checkpoint moves into the file), free pages included.
    var storeBytes: Int64
    /// Bytes in free pages, part of ``storeBytes``: space SQLite reuses before it grows the file.
    var freeBytes: Int64
    /// Bytes of text imported: the files' bytes for the seeds, titles and section texts in UTF-8 for a generated
    /// corpus.
    var importedBytes: Int64
    /// Revisions the store holds.
    var revisions: Int
    /// The largest tables and indexes, bytes each (from SQLite's `dbstat`), when SQLite offers it.
    var largest: [String: Int64]

    var bytesPerImportedByte: Double { Double(storeBytes) / Double(max(1, importedBytes)) }
    var bytesPerRevision: Double { Double(storeBytes) / Double(max(1, revisions)) }
    var meetsTarget: Bool { bytesPerImportedByte <= Self.target }

    /// Measures the store at `path` (the folder `MarginStore` opens), which `importedBytes` of text went into.
    static func measure(name: String, storePath: String, importedBytes: Int64) throws -> StoreFootprint {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: storePath + "/store.sqlite", configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let free = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            let revisions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stored_revision") ?? 0
            let rows = (try? Row.fetchAll(db, sql: """
                SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 6
                """)) ?? []
            return StoreFootprint(
                name: name, storeBytes: pages * pageSize, freeBytes: free * pageSize, importedBytes: importedBytes,
                revisions: revisions,
                largest: Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as String, $0["bytes"] as Int64) }))
        }
    }

    /// The bytes of text in `reports`: titles, and sections' labels, headings and texts, in UTF-8.
    static func textBytes(_ reports: [ParsedReport]) -> Int64 {
        reports.reduce(0) { total, report in
            total + Int64(report.title.utf8.count) + report.sections.reduce(0) { sum, section in
                sum + Int64(section.text.utf8.count)
            }
        }
    }

    /// One line for the table and the progress output.
    var line: String {
        String(
            format: "%@: store %.2f MB (%.2f MB free) for %.2f MB of text: %.2f bytes per imported byte (target ≤ %.1f: %@), %.0f bytes per revision (%d revisions)",
            name, Double(storeBytes) / 1_000_000, Double(freeBytes) / 1_000_000, Double(importedBytes) / 1_000_000,
            bytesPerImportedByte, Self.target, meetsTarget ? "met" : "NOT met", bytesPerRevision, revisions)
    }

    /// The largest tables and indexes, for the progress output.
    var largestLine: String {
        largest.sorted { $0.value > $1.value }
            .map { String(format: "%@ %.2f MB", $0.key, Double($0.value) / 1_000_000) }.joined(separator: ", ")
    }

    private enum CodingKeys: String, CodingKey {
        case name, storeBytes, freeBytes, importedBytes, revisions, largest, bytesPerImportedByte, bytesPerRevision
        case target, meetsTarget
    }

    // Written by hand only to include the computed ratios.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(storeBytes, forKey: .storeBytes)
        try container.encode(freeBytes, forKey: .freeBytes)
        try container.encode(importedBytes, forKey: .importedBytes)
        try container.encode(revisions, forKey: .revisions)
        try container.encode(largest, forKey: .largest)
        try container.encode(bytesPerImportedByte, forKey: .bytesPerImportedByte)
        try container.encode(bytesPerRevision, forKey: .bytesPerRevision)
        try container.encode(Self.target, forKey: .target)
        try container.encode(meetsTarget, forKey: .meetsTarget)
    }
}

extension BenchmarkReport {
    /// Adds a store's footprint and prints it at once.
    mutating func record(_ footprint: StoreFootprint) {
        footprints.append(footprint)
        print("  footprint " + footprint.line)
        if !footprint.largest.isEmpty { print("    largest: " + footprint.largestLine) }
    }
}
