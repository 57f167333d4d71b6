import Dispatch
import MarginCore
import Synchronization

/// Checks the content hash of every revision of a received page, on another thread while the page is applied.
///
/// Hashing is pure computation and applying is mostly SQLite, so the two overlap on a second core. The page's
/// transaction commits only after ``wait()`` returned without error; a mismatch rolls the whole page back, as if
/// it had been found first. Small pages are checked before anything else: a thread is not worth it for them.
final class PageVerification: Sendable {
    /// Pages smaller than this are checked on the calling thread, up front.
    static let concurrentThreshold = 256

    private let finished = DispatchSemaphore(value: 0)
    private let failure = Mutex<MarginCoreError?>(nil)

    /// Starts checking `revisions`; throws at once for a small page that fails.
    init(_ revisions: [Revision]) throws(MarginCoreError) {
        guard revisions.count >= Self.concurrentThreshold else {
            for revision in revisions { try revision.verify() }
            finished.signal()
            return
        }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            for revision in revisions {
                do throws(MarginCoreError) {
                    try revision.verify()
                } catch {
                    failure.withLock { $0 = error }
                    break
                }
            }
            finished.signal()
        }
    }

    /// Waits for the check to end; throws the first revision that failed it.
    func wait() throws(MarginCoreError) {
        finished.wait()
        finished.signal()
        if let failure = failure.withLock({ $0 }) { throw failure }
    }
}
