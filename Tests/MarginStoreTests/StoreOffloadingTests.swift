import Testing
@testable import MarginStore

/// Store work called from async code runs elsewhere and comes back with its value or its error.
@Suite("Offloaded store work")
struct StoreOffloadingTests {
    @Test func theValueAndTheErrorComeBackUnchanged() async throws {
        let store = try StoreTestSupport.seededStore()
        let reports = try await MarginStore.offload { try store.reports() }
        #expect(reports == (try store.reports()))
        await #expect(throws: MarginStoreError.self) {
            try await MarginStore.offload { try store.annotation("no-such-note") }
        }
    }

    @Test func manyCallsAtOnceAllFinish() async throws {
        let store = try StoreTestSupport.seededStore()
        let expected = try store.reports().count
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 { group.addTask { try await MarginStore.offload { try store.reports().count } } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: expected, count: 16))
    }
}
