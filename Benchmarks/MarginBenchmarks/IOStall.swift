import Foundation

/// How long some task on the machine waited for the disk, from Linux's pressure stall information
/// (`/proc/pressure/io`). A disk busy with another's writes, or still discarding what was just deleted, slows every
/// timed write and fsync; whoever reads the numbers later should know how much of a group's time that was.
struct IOStall {
    /// Microseconds some task waited for I/O since boot, when the group started.
    private let startMicroseconds: Int
    private let started = ContinuousClock.now

    /// Starts measuring; nil where the kernel does not report pressure stalls.
    init?() {
        guard let total = Self.totalMicroseconds() else { return nil }
        startMicroseconds = total
    }

    /// "some task waited for I/O during 3.2% of its 41.0 s", or nil when the kernel stopped reporting.
    func summary() -> String? {
        guard let end = Self.totalMicroseconds() else { return nil }
        let elapsed = (ContinuousClock.now - started).milliseconds * 1_000
        guard elapsed > 0 else { return nil }
        return String(format: "some task waited for I/O during %.1f%% of its %.1f s",
            100 * Double(end - startMicroseconds) / elapsed, elapsed / 1_000_000)
    }

    /// The `total=` of the `some` line: microseconds during which at least one task waited for I/O.
    private static func totalMicroseconds() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/pressure/io", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("some ") }),
            let field = line.split(separator: " ").first(where: { $0.hasPrefix("total=") })
        else { return nil }
        return Int(field.dropFirst("total=".count))
    }
}
