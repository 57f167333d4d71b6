import Foundation

/// Where a store's revision timestamps come from: the wall clock, or (for reproducible randomized tests) a counter.
public struct StoreClock: Sendable {
    /// Milliseconds since 1970.
    public let milliseconds: @Sendable () -> Int64

    /// Makes a clock from a function.
    public init(_ milliseconds: @escaping @Sendable () -> Int64) { self.milliseconds = milliseconds }

    /// The wall clock.
    public static let system = StoreClock { RevisionLedger.nowMilliseconds() }

    /// A clock that starts at `start` and advances one millisecond each time it is read, so that runs repeat exactly.
    public static func counting(from start: Int64) -> StoreClock {
        let value = LockedCounter(start)
        return StoreClock { value.next() }
    }
}

/// A thread-safe counter.
private final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64

    init(_ start: Int64) { value = start }

    func next() -> Int64 {
        lock.withLock {
            value += 1
            return value
        }
    }
}
