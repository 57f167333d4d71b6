import Foundation

// Benchmarks for the Marginalia store and CLI; see Benchmarks/README.md. All logic lives in BenchmarkProgram.
if CommandLine.arguments.dropFirst().first == CommandTimer.helperFlag {
    // Not a benchmark run: the small helper that starts one timed command and reports its peak memory.
    CommandTimer.runMeasuringHelper(Array(CommandLine.arguments.dropFirst()))
}
do {
    guard let options = try BenchmarkOptions.parse(Array(CommandLine.arguments.dropFirst())) else {
        print(BenchmarkOptions.usage)
        exit(0)
    }
    try BenchmarkProgram(options: options).run()
} catch let error as BenchmarkOptions.UsageError {
    FileHandle.standardError.write(Data("error: \(error)\n\n\(BenchmarkOptions.usage)\n".utf8))
    exit(64)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
