import Foundation
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("Importing reports")
struct ImportTests {
    @Test func seedsImportAsTwentyReportsEachWithOneFirstRevision() throws {
        let store = try StoreTestSupport.seededStore()
        let reports = try store.reports()
        #expect(reports.count == 20)
        let log = try store.changeLog(limit: 100)
        #expect(log.count == 20)
        #expect(log.map(\.sequence) == Array((1...20).reversed()))
        for report in reports {
            let history = try store.history(of: report.shortID)
            #expect(history.count == 1)
            #expect(history[0].revision.parents.isEmpty)
            #expect(history[0].revision.origin == store.peer.id)
        }
        #expect(try store.integrityProblems().isEmpty)
    }

    @Test func reimportingUnchangedTextWritesNothing() throws {
        let store = try StoreTestSupport.seededStore()
        let (data, name) = try StoreTestSupport.seedData("004")
        let summary = try store.importReports(from: data, fileName: name)
        #expect(summary.newRevisions == 0)
        #expect(summary.reports.allSatisfy { $0.outcome == .unchanged })
        #expect(try store.changeLog(limit: 100).count == 20)
    }

    @Test func twoStoresImportingTheSameTextAgreeOnEveryIdentity() throws {
        let first = try StoreTestSupport.seededStore(author: "a")
        let second = try StoreTestSupport.seededStore(author: "b")
        #expect(first.peer.id != second.peer.id)
        let firstReports = try first.reports()
        #expect(firstReports.map(\.id) == (try second.reports()).map(\.id))
        for report in firstReports {
            #expect(try first.outline(of: report.id.rawValue).sections.map(\.id)
                == second.outline(of: report.id.rawValue).sections.map(\.id))
        }
    }

    @Test func changedTextWritesANewRevisionAndKeepsSectionIdentities() throws {
        let store = try StoreTestSupport.seededStore()
        let (data, name) = try StoreTestSupport.seedData("002")
        let original = String(decoding: data, as: UTF8.self)
        let reportID = try #require(try store.reports().first { $0.title == "2016年11月教育局人事科工作总结" }).id
        let before = try store.outline(of: reportID.rawValue)
        let changedLine = "结合人事工作的性质、任务、会议,加强"
        #expect(original.contains(changedLine))
        let changed = original.replacingOccurrences(of: changedLine, with: "结合人事工作的性质、任务、会议(已修订),加强")
        let summary = try store.importReports(from: Data(changed.utf8), fileName: name)
        #expect(summary.newRevisions == 1)
        #expect(summary.reports.first { $0.id == reportID }?.outcome == .revised)

        let after = try store.outline(of: reportID.rawValue)
        #expect(after.sections.map(\.id) == before.sections.map(\.id))
        #expect(after.revision != before.revision)
        let history = try store.history(of: reportID.rawValue, diff: true)
        #expect(history.count == 2)
        #expect(history[1].revision.parents == [history[0].revision.id])
        #expect(history[1].changes?.contains { $0.contains("已修订") } == true)
        // The old revision stays readable.
        #expect(history[0].revision.body.contains(changedLine))
        #expect(!history[0].isHead)
        #expect(history[1].isHead)
    }

    @Test func unparseableInputWritesNothing() throws {
        let store = try StoreTestSupport.seededStore()
        for (data, name) in [(Data(), "empty.txt"), (Data([0, 1, 2, 0, 255, 0]), "blob.bin")] {
            #expect(throws: MarginStoreError.self) { try store.importReports(from: data, fileName: name) }
        }
        do {
            _ = try store.importReports(from: Data(), fileName: "empty.txt")
        } catch {
            #expect("\(error)".contains("empty.txt"))
        }
        #expect(try store.changeLog(limit: 100).count == 20)
    }
}
