import Dispatch
import Foundation
import GRDB
import MarginCore
import Synchronization

/// What materializing a chunk of a bulk load reads before it writes, read ahead (see ``BulkPrefetch``): the
/// records' single heads, the annotation bodies among them decoded, and the first revision's author and time of
/// annotations whose heads are later revisions.
///
/// Everything in it is immutable once stored (a revision, and which revision of a record came first), so it stays
/// right whatever was written since it was read. The writer still reads its chunk's records and their heads itself,
/// and takes from here only what it finds by revision or by record; it reads anything else as before.
struct PreparedChunk: Sendable {
    /// Head revisions, by identity.
    var revisions: [RevisionID: Revision] = [:]
    /// Annotation bodies of those heads, decoded, by revision.
    var annotationBodies: [RevisionID: AnnotationBody] = [:]
    /// The first revision's author and time, by annotation record.
    var firstAuthorship: [RecordID: Authorship] = [:]
    /// The row of the chunk's last record; nil when no record waited (or nothing could be read).
    var last: Int64?
}

/// Reads the next chunk of a bulk materialization on a reader connection, on another thread, while the writer
/// materializes the current one.
///
/// Materializing the first pull of a million revisions is one writer thread, and the reading part of a chunk
/// (finding each record's head by hash, decoding the bodies) is about a third of its time. Read ahead on another
/// core, it overlaps the writing of the chunk before.
///
/// The read runs on a thread of its own, not on a shared queue: the writer blocks until it is done, and a writer
/// running on a thread of a shared pool (Swift's tasks run on dispatch's global threads) must not wait for work
/// queued behind it on that same pool, whose threads may all be waiting alike.
final class BulkPrefetch: Sendable {
    private let prepared = Mutex<PreparedChunk?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    /// Starts reading the phase's chunk of `limit` records after row `after`, from `reader`'s latest committed
    /// state. A read that fails prepares nothing: the writer then reads everything itself.
    init(_ phase: BulkMaterialization.Phase, after: Int64, limit: Int, reader: any DatabaseReader) {
        let thread = Thread { [self] in
            let chunk = (try? reader.read { db in
                try BulkMaterialization.prepareChunk(phase, after: after, limit: limit, db)
            }) ?? PreparedChunk()
            prepared.withLock { $0 = chunk }
            ready.signal()
        }
        thread.name = "margin.bulk-prefetch"
        thread.start()
    }

    /// Waits for the chunk to be read, and returns it. Call once.
    func wait() -> PreparedChunk {
        ready.wait()
        return prepared.withLock { $0 } ?? PreparedChunk()
    }
}
