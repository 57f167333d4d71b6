import Testing

@testable import SyncClient

/// A retry waits as long as the server asked (`Retry-After`), when that is longer than the backoff, and never longer
/// than the bound: a server that asks for an hour does not make a sync hang.
@Suite struct RetryAfterTests {
    @Test func theLongerOfBackoffAndRetryAfterWithinTheBound() {
        #expect(SyncTransport.wait(backoff: .milliseconds(250), retryAfter: nil) == .milliseconds(250))
        #expect(SyncTransport.wait(backoff: .milliseconds(250), retryAfter: .seconds(5)) == .seconds(5))
        #expect(SyncTransport.wait(backoff: .seconds(2), retryAfter: .seconds(1)) == .seconds(2))
        #expect(SyncTransport.wait(backoff: .milliseconds(250), retryAfter: .seconds(3_600)) == SyncTransport.longestRetryAfter)
        #expect(SyncTransport.longestRetryAfter == .seconds(10))
    }
}
