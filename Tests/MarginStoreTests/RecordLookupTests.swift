import GRDB
import Testing

@testable import MarginStore

/// Reading many records in chunks of bound parameters finds each present record once, across chunk boundaries.
@Suite("Records read in chunks")
struct RecordLookupTests {
    @Test(arguments: [0, 1, 499, 500, 501, 1_234])
    func everyPresentIdIsFoundOnceAndNoOther(count: Int) throws {
        let database = try DatabaseQueue()
        let ids = (0..<count).map { "record-\($0)" }
        // Every other id is held; the rest are new, as most of a received page's records are.
        let held = Set(ids.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        var found: [String] = []
        try database.write { db in
            try db.execute(sql: "CREATE TABLE record (id TEXT PRIMARY KEY, kind TEXT NOT NULL)")
            for id in held { try db.execute(sql: "INSERT INTO record (id, kind) VALUES (?, 'annotation')", arguments: [id]) }
            // An id that would break SQL if it were spliced in is only ever a bound value.
            try RecordLookup.forEachRow(
                "SELECT id FROM record WHERE id IN (", ")", ids: ids + ["x') OR 1=1 --"], db
            ) { row in found.append(row[0]) }
        }
        #expect(found.count == held.count)
        #expect(Set(found) == held)
    }
}
