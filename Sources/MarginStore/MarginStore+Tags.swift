import GRDB
import MarginCore

extension MarginStore {
    /// Puts tags on a section. Returns the tags that were not there before; tags already present write nothing.
    @discardableResult
    public func tag(_ section: String, with tags: [String]) throws -> [String] {
        try setTags(section, tags, present: true)
    }

    /// Takes tags off a section. Returns the tags that were there; absent tags write nothing.
    @discardableResult
    public func untag(_ section: String, removing tags: [String]) throws -> [String] {
        try setTags(section, tags, present: false)
    }

    /// Every tag in use, with how many sections carry it, most used first.
    public func tagCounts() throws -> [TagCount] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT tag, COUNT(*) AS n FROM section_tag GROUP BY tag ORDER BY n DESC, tag")
                .map { TagCount(tag: $0["tag"], sections: $0["n"]) }
        }
    }

    /// Checks and normalizes a tag as typed: trimmed; no whitespace or commas; 1…64 characters.
    public static func normalizedTag(_ tag: String) throws -> String {
        let trimmed = tag.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 64,
            !trimmed.contains(where: { $0.isWhitespace || $0 == "," || $0 == "，" })
        else { throw MarginStoreError(.invalidTag(tag)) }
        return trimmed
    }

    private func setTags(_ section: String, _ tags: [String], present: Bool) throws -> [String] {
        let normalized = try tags.map(Self.normalizedTag)
        let peer = self.peer
        return try write { db in
            let (sectionID, reportID) = try Self.resolveSection(section, db)
            var changed: [String] = []
            for tag in Set(normalized).sorted() {
                let isPresent = try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM section_tag WHERE section_id = ? AND tag = ?",
                    arguments: [sectionID.rawValue, tag]) ?? false
                guard isPresent != present else { continue }
                let body = TagBody(report: reportID, section: sectionID, tag: tag, present: present)
                let record = Identity.tag(tag, on: sectionID)
                let current = try String.fetchOne(
                    db, sql: "SELECT revision.body FROM record JOIN revision ON revision.id = record.current_revision WHERE record.id = ?",
                    arguments: [record.rawValue])
                _ = try RevisionLedger.appendLocal(
                    db, peer: peer, at: self.clock.milliseconds(), record: record, kind: .tag,
                    body: BodyCoding.encode(body, keepingUnknownFieldsOf: current))
                changed.append(tag)
            }
            return changed
        }
    }
}
