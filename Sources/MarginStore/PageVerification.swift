import Dispatch
import MarginCore
import Synchronization

/// Checks every revision of a received page (its content hash and every rule of ``RevisionValidator``), on another
/// thread while the page is applied.
///
/// Hashing is pure computation and applying is mostly SQLite, so the two overlap on a second core. The page's
/// transaction commits only after ``wait()`` returned without error; a mismatch rolls the whole page back, as if
/// it had been found first. Small pages are checked before anything else: a thread is not worth it for them.
///
/// A page that is materialized (a pull) also keeps its annotations' bodies as the check read them, so that
/// materializing them neither reads their text again nor waits for it on the applying thread.
final class PageVerification: Sendable {
    /// Pages smaller than this are checked on the calling thread, up front.
    static let concurrentThreshold = 256

    private let finished = DispatchSemaphore(value: 0)
    private let failure = Mutex<MarginCoreError?>(nil)
    private let bodies = Mutex<[RevisionID: AnnotationBody]>([:])

    /// Starts checking `revisions`; throws at once for a small page that fails. With `keepingAnnotationBodies`,
    /// ``annotationBodies()`` gives the bodies of the page's annotation revisions once the check is over.
    init(_ revisions: [Revision], keepingAnnotationBodies: Bool = false) throws(MarginCoreError) {
        guard revisions.count >= Self.concurrentThreshold else {
            let read = try Self.check(revisions, keepingAnnotationBodies: keepingAnnotationBodies)
            bodies.withLock { $0 = read }
            finished.signal()
            return
        }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            do throws(MarginCoreError) {
                let read = try Self.check(revisions, keepingAnnotationBodies: keepingAnnotationBodies)
                bodies.withLock { $0 = read }
            } catch {
                failure.withLock { $0 = error }
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

    /// The bodies of the page's annotation revisions, by revision, that read as exactly an annotation body (any
    /// other is left to be decoded as usual); empty unless asked for. Call after ``wait()`` returned.
    func annotationBodies() -> [RevisionID: AnnotationBody] {
        bodies.withLock { $0 }
    }

    /// Checks each revision in turn, stopping at the first that fails.
    private static func check(
        _ revisions: [Revision], keepingAnnotationBodies: Bool
    ) throws(MarginCoreError) -> [RevisionID: AnnotationBody] {
        var bodies: [RevisionID: AnnotationBody] = [:]
        if keepingAnnotationBodies { bodies.reserveCapacity(revisions.count) }
        for revision in revisions {
            let body = try RevisionValidator.validate(revision)
            if keepingAnnotationBodies, revision.kind == .annotation, let read = AnnotationBody(strictValue: body) {
                bodies[revision.id] = read
            }
        }
        return bodies
    }
}
