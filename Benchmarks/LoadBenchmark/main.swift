import Foundation

// 50 readers syncing at once against `margin serve` on each backend: the store folder (SQLite) and PostgreSQL.
// Run in release: `make bench-load`. See LoadRun for what one round is.
let options: LoadOptions
do {
    guard let parsed = try LoadOptions.parse(Array(CommandLine.arguments.dropFirst())) else {
        print(LoadOptions.usage)
        exit(0)
    }
    options = parsed
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n\(LoadOptions.usage)\n".utf8))
    exit(64)
}

do {
    exit(try await LoadBenchmark(options: options).run() ? 0 : 1)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
