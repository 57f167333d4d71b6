import Foundation

/// One line of the git comparison: margin's and git's times for the same job, and git's time over margin's.
struct GitComparison {
    var name: String
    var margin: BenchmarkResult
    var git: BenchmarkResult
    /// Totals over every run, where they mean something (writing: every note's command).
    var total: (margin: Sample, git: Sample)?
    /// Git's median over margin's that meets the target: 10 means "ten times faster than git".
    var speedupTarget: Double

    /// Git's median over margin's: above 1, margin is faster.
    var speedup: Double { git.medianMilliseconds / margin.medianMilliseconds }
    /// The same from CPU times.
    var cpuSpeedup: Double { git.cpuMedianMilliseconds / margin.cpuMedianMilliseconds }
    var met: Bool { speedup >= speedupTarget }

    /// The comparison table: one line per comparison, then the totals.
    static func table(_ comparisons: [GitComparison], notes: Int) -> String {
        let header = ["comparison", "margin ms", "git ms", "git / margin", "cpu git / margin", "target", "met"]
        var rows = [header]
        for comparison in comparisons {
            rows.append([
                comparison.name, BenchmarkReport.format(comparison.margin.medianMilliseconds),
                BenchmarkReport.format(comparison.git.medianMilliseconds), String(format: "%.2f×", comparison.speedup),
                String(format: "%.2f×", comparison.cpuSpeedup), String(format: "≥ %g×", comparison.speedupTarget),
                comparison.met ? "yes" : "NO",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            zip(row, widths).enumerated().map { column, pair in
                let padding = String(repeating: " ", count: pair.1 - pair.0.count)
                return column == 0 ? pair.0 + padding : padding + pair.0
            }.joined(separator: "  ")
        }
        lines.insert(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)), at: 1)
        lines.insert("margin vs git, one process per command (\(notes) notes; git/margin above 1: margin is faster)", at: 0)
        for comparison in comparisons {
            if let total = comparison.total {
                lines.append("  \(comparison.name), total: " + String(
                    format: "margin %.1f s (cpu %.1f s), git %.1f s (cpu %.1f s)",
                    total.margin.wall.milliseconds / 1_000, total.margin.cpu.milliseconds / 1_000,
                    total.git.wall.milliseconds / 1_000, total.git.cpu.milliseconds / 1_000))
            }
            for result in [comparison.margin, comparison.git] {
                if let detail = result.detail { lines.append("  \(result.name): \(detail)") }
            }
        }
        return lines.joined(separator: "\n")
    }
}
