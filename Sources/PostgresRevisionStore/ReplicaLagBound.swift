import Synchronization

/// Bounds how stale a pull answered from a read replica may be: its answer holds every revision the primary had
/// committed `maximum` ago.
///
/// The primary's log position is sampled (``record(_:at:)``) at most once per ``sampleInterval`` while pulls come,
/// and before a pull is read from the replica, the replica's replayed position is compared with
/// ``requiredPosition(at:)``: the position of the oldest sample still at most `maximum` old. Every transaction
/// committed before that sample was taken is in the log before that position, so a replica that has replayed it
/// holds all of them, and lags by at most `maximum`. A replica short of it leaves the pull to the primary.
///
/// With pulls coming at least once per ``sampleInterval``, the required position is the primary's about `maximum`
/// ago; after a quiet spell it is a newer one (the first pull after it requires the position sampled for it), which
/// only errs on the strict side: a replica a moment behind then leaves that pull to the primary.
final class ReplicaLagBound: Sendable {
    /// The most a pull answered from the replica may lag behind the primary.
    let maximum: Duration
    /// How often the primary's position is sampled while pulls come: at most once a second, and at least twice
    /// within `maximum`.
    let sampleInterval: Duration
    /// Samples in the order taken, none older than `maximum` when the last was taken.
    private let samples = Mutex<[(at: ContinuousClock.Instant, position: Int64)]>([])
    /// Whether the last pull found the replica too far behind (so that the log says so once, and once when it is
    /// back).
    private let behind = Mutex(false)

    /// A bound of `maximum`, which is more than zero.
    init(maximum: Duration) {
        precondition(maximum > .zero, "a replica's lag is bounded by more than zero")
        self.maximum = maximum
        sampleInterval = min(.seconds(1), maximum / 2)
    }

    /// True when the newest sample is older than ``sampleInterval`` (or there is none).
    func needsSample(at now: ContinuousClock.Instant) -> Bool {
        samples.withLock { samples in
            guard let newest = samples.last else { return true }
            return now - newest.at >= sampleInterval
        }
    }

    /// Keeps the primary's `position` sampled at `now`, and forgets samples older than `maximum`.
    func record(_ position: Int64, at now: ContinuousClock.Instant) {
        samples.withLock { samples in
            samples.append((now, position))
            samples.removeAll { now - $0.at > maximum }
        }
    }

    /// The position a replica must have replayed at `now` for a pull answered from it to lag by at most `maximum`:
    /// that of the oldest sample at most `maximum` old; nil when there is none.
    func requiredPosition(at now: ContinuousClock.Instant) -> Int64? {
        samples.withLock { samples in samples.first { now - $0.at <= maximum }?.position }
    }

    /// Notes whether the replica is now too far behind; true when that changed since the last pull.
    func noteBehind(_ isBehind: Bool) -> Bool {
        behind.withLock { behind in
            defer { behind = isBehind }
            return behind != isBehind
        }
    }
}
