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
        let warnings = WarningLog()
        #expect(await PoolRun.stop(pool, within: .milliseconds(50), logger: warnings.logger) == false)
        #expect(warnings.messages.count == 1, "no warning that the pool was left behind")
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
