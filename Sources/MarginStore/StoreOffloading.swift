import Dispatch

extension MarginStore {
    /// Runs store work on a dispatch queue of its own and suspends the caller meanwhile.
    ///
    /// Store calls block: SQLite reads and writes a page for hundreds of milliseconds, and waits up to the busy
    /// timeout for another process's write lock. Called from async code (a server's request handlers, a sync),
    /// they would hold one of Swift concurrency's few threads all that time. The work runs to its end even when the
    /// caller is cancelled, so a page is still committed or rolled back whole.
    ///
    /// One serial queue per process: store work runs one call at a time, on one thread. SQLite writes one
    /// transaction at a time anyway, and a page is read in tens of milliseconds; more threads only made more
    /// memory (see `ProcessMemory` in the CLI).
    public static func offload<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            workQueue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    private static let workQueue = DispatchQueue(label: "marginalia.store-work", qos: .userInitiated)
}
