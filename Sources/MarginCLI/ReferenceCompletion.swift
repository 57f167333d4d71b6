import ArgumentParser
import Foundation
import MarginStore

/// Shell completion of references: report ids and section references (`3da8/2.1`) from the store the command
/// line names (`--store PATH`, else `$MARGIN_STORE`, else `./.margin`).
enum ReferenceCompletion {
    /// Completes report ids, and section references once a report id and `/` are typed.
    static let reportsAndSections = CompletionKind.custom { words, _, prefix in candidates(words: words, prefix: prefix) }

    /// The references that start with `prefix`, at most 200 of them; none when there is no store to read.
    static func candidates(words: [String], prefix: String) -> [String] {
        guard let store = try? MarginStore.open(at: storePath(in: words), connections: .single) else { return [] }
        if let slash = prefix.firstIndex(of: "/") {
            let report = String(prefix[..<slash])
            guard let outline = try? store.outline(of: report) else { return [] }
            let references = outline.sections.map { "\(report)/\($0.number)" }
            return Array(references.filter { $0.hasPrefix(prefix) }.prefix(200))
        }
        let reports = (try? store.reports()) ?? []
        return Array(reports.map(\.shortID).filter { $0.hasPrefix(prefix) }.prefix(200))
    }

    /// The store folder a command line names.
    static func storePath(in words: [String]) -> String {
        for (index, word) in words.enumerated() {
            if word == "--store", index + 1 < words.count { return words[index + 1] }
            if word.hasPrefix("--store=") { return String(word.dropFirst("--store=".count)) }
        }
        return ProcessInfo.processInfo.environment["MARGIN_STORE"] ?? ".margin"
    }
}
