import Foundation
import GRDB
@testable import MarginStore

/// Checks the notes' character index (`annotation_characters`) against the notes themselves. The index keeps no
/// text, and FTS5's own integrity check cannot compare it with any: an entry removed with other text than it was
/// made from leaves stray tokens behind, and a note indexed twice is counted twice. So each token is looked up and
/// its notes compared with the notes whose text holds it.
enum AnnotationIndexAudit {
    /// What is wrong with the index: empty when every token of every live note finds exactly the live notes holding
    /// it, and the index holds one entry per live note. `probes` adds texts whose tokens are looked up as well (texts
    /// notes held before, whose tokens must find nothing more).
    static func problems(in store: MarginStore, probes: [String] = []) throws -> [String] {
        try store.read { db in
            let live = try Row.fetchAll(db, sql: "SELECT rowid, text FROM annotation WHERE deleted = 0")
            var expected: [String: Set<Int64>] = [:]
            for row in live {
                for token in tokens(row["text"]) { expected[token, default: []].insert(row["rowid"]) }
            }
            for token in probes.flatMap(tokens) where expected[token] == nil { expected[token] = [] }
            var problems: [String] = []
            let entries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM annotation_characters_docsize") ?? -1
            if entries != live.count { problems.append("\(entries) index entries for \(live.count) live notes") }
            for (token, rowids) in expected.sorted(by: { $0.key < $1.key }) {
                let found = Set(try Int64.fetchAll(
                    db, sql: "SELECT rowid FROM annotation_characters WHERE annotation_characters MATCH ?",
                    arguments: ["\"" + token + "\""]))
                if found != rowids { problems.append("token \(token): index \(found.sorted()), notes \(rowids.sorted())") }
            }
            return problems
        }
    }

    /// The index's tokens of a text, in the case the index folds letters to.
    private static func tokens(_ text: String) -> Set<String> {
        Set(CharacterIndex.spaced(text).split(separator: " ").map { $0.lowercased() })
    }
}
