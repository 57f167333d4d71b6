import Foundation
import MarginStore

/// `show` and `find` on the scaled corpus: per process through the `margin` executable (start-up included, as a
/// person at a shell experiences it), and in process on a store opened once (the floor the CLI could reach).
struct QueryBenchmarks {
    /// A command typed at a shell should answer before a person notices a pause.
    static let perProcessTarget = 50.0

    /// One read the CLI and the store API both offer.
    struct Query {
        /// How it reads in the table, e.g. `find 质量`.
        var name: String
        /// The `margin` arguments after the subcommand's `--store` is inserted, e.g. `["find", "质量"]`.
        var command: [String]
        /// The same read through the API; returns how many items it produced (sections, characters or hits).
        var inProcess: (MarginStore) throws -> String
    }

    let options: BenchmarkOptions
    /// The store folder holding the scaled corpus.
    let storePath: String

    /// Tags a few sections `x` (so that `find --tag x` has something to find) and picks the report to show.
    func prepareQueries() throws -> [Query] {
        let store = try MarginStore.open(at: storePath)
        // The report with the most sections is the worst case for `show`; ties go to the first title.
        let summaries = try store.reports()
        guard let largest = summaries.max(by: { ($0.sections, $1.title) < ($1.sections, $0.title) }) else {
            throw ImportMismatch(description: "the query store has no reports")
        }
        let report = largest.shortID
        let tagged = try store.find(text: "教育", limit: 500).filter { $0.kind == .section }.map(\.reference)
        for reference in Set(tagged).sorted().prefix(8) { try store.tag(reference, with: ["x"]) }
        print("\nqueries on \(summaries.count) reports: showing \(report) (\(largest.sections) sections, "
            + "\"\(largest.title)\"); tagged \(min(8, Set(tagged).count)) sections with x")

        func hits(_ text: String, tags: [String] = []) -> (MarginStore) throws -> String {
            { store in
                let page = try store.search(text: text, tags: tags, limit: 20)
                return "\(page.items.count) of \(page.total) hits"
            }
        }
        return [
            Query(name: "show \(report)", command: ["show", report]) { store in
                "\(try store.outline(of: report).sections.count) sections"
            },
            Query(name: "show \(report)/1", command: ["show", "\(report)/1"]) { store in
                "\(try store.section("\(report)/1").text.count) characters"
            },
            Query(name: "find 教育局", command: ["find", "教育局"], inProcess: hits("教育局")),
            Query(name: "find 质量", command: ["find", "质量"], inProcess: hits("质量")),
            Query(name: "find --tag x 教育", command: ["find", "--tag", "x", "教育"], inProcess: hits("教育", tags: ["x"])),
        ]
    }

    /// Times each query through the API on one store opened beforehand, plus the cost of opening it.
    func runInProcess(_ queries: [Query], into report: inout BenchmarkReport) throws {
        print("\nin process (store opened once)")
        let open = try Stopwatch.measure(runs: options.runs) { _ = try MarginStore.open(at: storePath) }
        report.record(BenchmarkResult(group: "in-process", name: "open store", samples: open))
        let store = try MarginStore.open(at: storePath)
        for query in queries {
            var produced = ""
            let samples = try Stopwatch.measure(runs: options.runs) { produced = try query.inProcess(store) }
            report.record(BenchmarkResult(group: "in-process", name: query.name, samples: samples, detail: produced))
        }
    }

    /// Times each query as a `margin` process, after two floors: spawning `/bin/true` (the cost of `Process`
    /// itself) and `margin --help` (loading the executable and its libraries, without touching the store).
    func runCommandLine(_ queries: [Query], into report: inout BenchmarkReport) throws {
        guard let executable = options.marginExecutable else {
            let looked = options.margin.map { [$0] } ?? BenchmarkOptions.defaultMarginPaths
            report.skip("per-process timings: no margin executable at \(looked.joined(separator: " or ")); "
                + "build it with `swift build -c release --product margin` or pass --margin PATH")
            return
        }
        print("\nper process (\(executable), start-up included)")
        if FileManager.default.isExecutableFile(atPath: "/bin/true") {
            let spawn = try CommandTimer(executable: "/bin/true")
            defer { spawn.cleanUp() }
            report.record(BenchmarkResult(
                group: "cli", name: "spawn /bin/true", samples: try spawn.measure([], runs: options.runs).samples))
        }
        let margin = try CommandTimer(executable: executable)
        defer { margin.cleanUp() }
        var commands: [(name: String, arguments: [String], target: Double?)] = [("margin --help", ["--help"], nil)]
        for query in queries {
            // `--store` belongs to the subcommand, so it goes right after the subcommand's name.
            let arguments = [query.command[0], "--store", storePath] + query.command.dropFirst()
            commands.append(("margin " + query.name, arguments, Self.perProcessTarget))
        }
        for command in commands {
            do {
                let (samples, output) = try margin.measure(command.arguments, runs: options.runs)
                let lines = output.split(separator: "\n", omittingEmptySubsequences: false).count - 1
                report.record(BenchmarkResult(
                    group: "cli", name: command.name, samples: samples, targetMilliseconds: command.target,
                    detail: "\(lines) lines of output"))
            } catch let failure as CommandTimer.Failure {
                // One unfinished subcommand should not hide the timings of the others.
                report.skip(failure.description)
            }
        }
    }
}
