import Foundation
import MarginStore

/// Temporary stores and seed files for the store tests.
enum StoreTestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var seedFiles: [URL] {
        let folder = packageRoot.appendingPathComponent("seeds").resolvingSymlinksInPath()
        return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "txt" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("margin-store-tests-\(UUID().uuidString)").path
    }

    static func newStore(author: String = "tester") throws -> MarginStore {
        try MarginStore.create(at: temporaryFolder(), author: author)
    }

    /// A store with all five seed files imported.
    static func seededStore(author: String = "tester") throws -> MarginStore {
        let store = try newStore(author: author)
        try importSeeds(into: store)
        return store
    }

    static func importSeeds(into store: MarginStore) throws {
        let files = seedFiles
        try #require(files.count == 5, "the five seed files are in seeds/ at the package root")
        for file in files {
            _ = try store.importReports(from: try Data(contentsOf: file), fileName: file.lastPathComponent)
        }
    }

    static func seedData(_ prefix: String) throws -> (Data, String) {
        let file = try #require(seedFiles.first { $0.lastPathComponent.hasPrefix(prefix) })
        return (try Data(contentsOf: file), file.lastPathComponent)
    }
}

import Testing
