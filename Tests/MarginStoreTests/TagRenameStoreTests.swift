import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("Renaming a tag in the store")
struct TagRenameStoreTests {
    /// A seeded store whose report with the most sections has `old` on three of its sections.
    static func storeWithOldTag() throws -> (store: MarginStore, references: [String]) {
        let store = try StoreTestSupport.seededStore()
        let report = try #require(try store.reports().max { $0.sections < $1.sections })
        let references = Array(try store.outline(of: report.shortID).sections.map(\.reference)[1...3])
        for reference in references { try store.tag(reference, with: ["old"]) }
        return (store, references)
    }

    @Test("a rename that fails part way writes nothing: it is one transaction")
    func oneTransaction() throws {
        let (store, references) = try Self.storeWithOldTag()
        let before = try store.changeLog(limit: 1_000_000).count
        let counts = try store.tagCounts()
        // Fail the third revision the rename writes, after two were written inside the transaction.
        try store.database.write { db in
            try db.execute(sql: """
                CREATE TRIGGER injected_failure BEFORE INSERT ON stored_revision
                WHEN (SELECT COUNT(*) FROM stored_revision) >= \(before + 2)
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                """)
        }

        let error = try #require(throws: MarginStoreError.self) { try store.renameTag("old", to: "new") }
        #expect(error.description.contains("injected failure"), "the fault landed inside the rename")
        #expect(try store.changeLog(limit: 1_000_000).count == before)
        #expect(try store.tagCounts() == counts)
        #expect(try store.integrityProblems().isEmpty)

        try store.database.write { db in try db.execute(sql: "DROP TRIGGER injected_failure") }
        let rename = try store.renameTag("old", to: "new")
        #expect(rename.sections.map(\.reference) == references)
        #expect(rename.revisions == 6)
        #expect(try store.tagCounts().map(\.tag) == ["new"])
    }

    @Test("renamed tags reach another store through ordinary revisions")
    func renameSyncs() throws {
        let (store, references) = try Self.storeWithOldTag()
        let other = try StoreTestSupport.newStore(author: "other")
        _ = try store.renameTag("old", to: "new")
        let page = try store.revisions(missingFrom: [:], limit: 10_000, maxBytes: .max) { $0.body.utf8.count }
        #expect(!page.more)
        _ = try other.receive(page.revisions, source: "test")
        #expect(try other.tagCounts() == [TagCount(tag: "new", sections: 3)])
        for reference in references { #expect(try other.section(reference).tags == ["new"]) }
    }

    @Test("renaming a tag no section carries throws unknownTag with the close tags in use, writing nothing")
    func unknownTag() throws {
        let (store, _) = try Self.storeWithOldTag()
        let before = try store.changeLog(limit: 1_000_000).count
        let error = try #require(throws: MarginStoreError.self) { try store.renameTag("odl", to: "new") }
        guard case let .unknownTag(tag, similar) = error.kind else {
            Issue.record("expected unknownTag, got \(error)")
            return
        }
        #expect(tag == "odl")
        #expect(similar == ["old"])
        #expect(try store.changeLog(limit: 1_000_000).count == before)
        #expect(try store.tagCounts() == [TagCount(tag: "old", sections: 3)])
    }

    @Test("close tags: case variants first, then one edit away for short tags and two for longer ones")
    func similarTags() {
        let inUse = ["Funding", "fundng", "funding", "teachers", "重点", "重点关注", "x"]
        #expect(SimilarTags.closest(to: "funding", among: inUse) == ["Funding", "fundng"])
        #expect(SimilarTags.closest(to: "teacher", among: inUse) == ["teachers"])
        #expect(SimilarTags.closest(to: "重难点", among: inUse) == ["重点"])
        #expect(SimilarTags.closest(to: "重点关", among: inUse) == ["重点", "重点关注"])
        #expect(SimilarTags.closest(to: "budget", among: inUse).isEmpty)
        #expect(SimilarTags.closest(to: "fundin", among: inUse, limit: 2) == ["Funding", "funding"])
        #expect(SimilarTags.closest(to: "fudning", among: inUse) == ["Funding", "funding", "fundng"])
        #expect(SimilarTags.editDistance(Array("odl"), Array("old"), atMost: 1) == 1)
    }
}
