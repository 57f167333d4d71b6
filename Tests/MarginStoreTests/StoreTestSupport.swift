import Foundation
import MarginStore
import MarginTestSupport

/// Temporary stores and seed files for the store tests.
enum StoreTestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var seedFiles: [URL] {
        let folder = packageRoot.appendingPathComponent("seeds").resolvingSymlinksInPath()
        return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "txt" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// A new folder path under one shared parent, which is swept of folders left by runs over an hour old.
    static func temporaryFolder() -> String {
        sweptParent.appendingPathComponent(UUID().uuidString).path
    }

    /// The parent of every test store, swept once per test process: stores are small, but a run makes hundreds.
    static let sweptParent = SweptFolder.make(named: "margin-store-tests")

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
