import Synchronization
import SyncClient

/// What a sync had moved so far, from its progress. Each pulled page is kept as it arrives, so a sync that fails
/// later (a push the server refuses) has still brought something, and the person is told how much.
final class SyncTally: Sendable {
    private let counts = Mutex<(received: Int64, sent: Int64)>((0, 0))

    /// Takes the progress of the sync's current phase.
    func note(_ progress: SyncProgress) {
        counts.withLock { counts in
            switch progress.phase {
            case .pull: counts.received = progress.done
            case .push: counts.sent = progress.done
            case .materialize: break
            }
        }
    }

    /// Revisions received and kept, and revisions the server took, so far.
    var moved: (received: Int64, sent: Int64) { counts.withLock { $0 } }
}
