import Synchronization

/// The first of several outcomes, awaited by one waiter: whichever party settles first wins, later ones are ignored.
///
/// Waiting on unstructured tasks through it, rather than on child tasks, lets a caller stop waiting for work that
/// may never end: a task group cannot end before every child has. It also hands a value from a callback to a task
/// (a server's bound port, or why it could not bind).
///
/// ```swift
/// let ready = FirstOutcome<Result<Int, any Error>>()
/// startServer { port in ready.settle(.success(port)) }
/// let port = try await ready.value().get()
/// ```
public final class FirstOutcome<Value: Sendable>: Sendable {
    private struct State {
        var outcome: Value?
        var waiter: CheckedContinuation<Value, Never>?
    }

    private let state = Mutex(State())

    /// An outcome not settled yet.
    public init() {}

    /// Records `outcome` unless one came first, and wakes the waiter; true when this outcome is the one kept.
    @discardableResult
    public func settle(_ outcome: Value) -> Bool {
        let (kept, waiter): (Bool, CheckedContinuation<Value, Never>?) = state.withLock { state in
            guard state.outcome == nil else { return (false, nil) }
            state.outcome = outcome
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        waiter?.resume(returning: outcome)
        return kept
    }

    /// True once an outcome is kept.
    public var isSettled: Bool { state.withLock { $0.outcome != nil } }

    /// The first outcome, once there is one; call it once.
    public func value() async -> Value {
        await withCheckedContinuation { continuation in
            let settled: Value? = state.withLock { state in
                if state.outcome == nil { state.waiter = continuation }
                return state.outcome
            }
            if let settled { continuation.resume(returning: settled) }
        }
    }
}
