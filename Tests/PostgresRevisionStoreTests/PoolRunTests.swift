import Logging
@testable import PostgresRevisionStore
import Synchronization
import Testing

/// Stopping a pool waits for it to end, but not forever: a pool task that ignores its cancellation is left behind
/// after the wait, and the work that ran beside it ends all the same.
@Suite struct PoolRunTests {
    @Test func aPoolThatEndsWhenCancelledIsAwaited() async {
        let pool = Task { _ = try? await Task.sleep(for: .seconds(3600)) }
        #expect(await PoolRun.stop(pool, within: .seconds(3600), logger: Logger(label: "test")))
    }

    /// A stop that waited for such a pool would hang this test (tried: it does).
    @Test func aPoolThatNeverEndsIsLeftBehindAfterTheWait() async {
        let held = HeldContinuation()
        // Ignores cancellation, as a pool does that lost track of one of its timers.
        let pool = Task { await withCheckedContinuation { held.keep($0) } }
        let collector = WarningCount()
        let logger = Logger(label: "test") { _ in collector }
        #expect(await PoolRun.stop(pool, within: .milliseconds(50), logger: logger) == false)
        #expect(collector.count == 1, "no warning that the pool was left behind")
        held.resume()
        await pool.value
    }
}

/// A continuation kept to be resumed later.
private final class HeldContinuation: Sendable {
    private let continuation = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let resumed = Mutex(false)

    func keep(_ continuation: CheckedContinuation<Void, Never>) {
        let resumeNow = resumed.withLock { $0 }
        if resumeNow { continuation.resume() } else { self.continuation.withLock { $0 = continuation } }
    }

    func resume() {
        resumed.withLock { $0 = true }
        continuation.withLock { held in
            held?.resume()
            held = nil
        }
    }
}

/// Counts warnings logged.
private struct WarningCount: LogHandler {
    private final class Box: Sendable { let count = Atomic(0) }
    private let box = Box()
    var count: Int { box.count.load(ordering: .relaxed) }

    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        if level == .warning { box.count.add(1, ordering: .relaxed) }
    }
}
