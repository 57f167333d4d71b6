import GRDB
import MarginCore

/// What renaming a tag changed, for `margin tags rename`.
public struct TagRename: Sendable, Codable, Equatable {
    /// The tag taken off, as stored.
    public var from: String
    /// The tag put on, in normal form.
    public var to: String
    /// The sections that carried ``from``, in report and document order.
    public var sections: [RenamedSection]
    /// How many revisions were written.
    public var revisions: Int
}

/// A section whose tag was renamed.
public struct RenamedSection: Sendable, Codable, Equatable {
    /// The section identity.
    public var id: SectionID
    /// The reference a person types for it (`3f9a/2.1`); absent when the section is no longer in its report.
    public var reference: String?
    /// True when the section already had the new tag, so that the two tags merged.
    public var merged: Bool
}

extension MarginStore {
    /// Puts tags on a section. Tags are taken in their normal form (see ``TagName``). Returns the tags that were not
    /// there before; tags already present write nothing.
    @discardableResult
    public func tag(_ section: String, with tags: [String]) throws -> [String] {
        try setTags(section, tags, present: true)
    }

    /// Takes tags off a section. Tags are taken in their normal form (see ``TagName``). Returns the tags that were
    /// there; absent tags write nothing.
    @discardableResult
    public func untag(_ section: String, removing tags: [String]) throws -> [String] {
        try setTags(section, tags, present: false)
    }

    /// Every tag in use, with how many sections carry it, most used first. Only sections of the current text of
    /// reports that are not removed count (see ``TagsInUse``): a section a later import or edit dropped, or one of a
    /// removed report, is not counted, just as `find --tag` and `notes --tag` do not list it.
    public func tagCounts() throws -> [TagCount] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT section_tag.tag AS tag, COUNT(*) AS n FROM section_tag \(TagsInUse.join)
                GROUP BY section_tag.tag ORDER BY n DESC, section_tag.tag
                """)
                .map { TagCount(tag: $0["tag"], sections: $0["n"]) }
        }
    }

    /// The normal form of a tag as typed (see ``TagName``).
    /// - Throws: ``MarginStoreError`` (`invalidTag`) when the tag is not usable.
    public static func normalizedTag(_ tag: String) throws -> String {
        do {
            return try TagName(typed: tag).rawValue
        } catch {
            throw MarginStoreError(.invalidTag(tag))
        }
    }

    /// Renames a tag on every section that carries it, in one transaction: each such section loses `old` and gains
    /// `new` (unless it has it already, in which case the two merge), through ordinary tag revisions that sync.
    ///
    /// `old` names a tag as it is stored when a tag with exactly that text (trimmed) exists, so that tags written
    /// before the normal form (`#x`, `Funding `) can be cleaned up; otherwise it is taken in its normal form.
    /// `new` is always taken in its normal form. Returns what changed (nothing when both name one tag).
    /// - Throws: ``MarginStoreError`` `unknownTag`, with the tags in use it may have meant, when no section carries
    ///   `old`; nothing is written.
    public func renameTag(_ old: String, to new: String) throws -> TagRename {
        let target = try Self.normalizedTag(new)
        let peer = self.peer
        return try write { db in
            let source = try Self.storedTag(old, db)
            guard try Self.isCarried(source, db) else {
                throw MarginStoreError(.unknownTag(source, similar: SimilarTags.closest(to: source, among: try TagsInUse.all(db))))
            }
            var rename = TagRename(from: source, to: target, sections: [], revisions: 0)
            guard !source.utf8.elementsEqual(target.utf8) else { return rename }
            let carriers = try Row.fetchAll(db, sql: """
                SELECT section_tag.section_id, section_tag.report_id FROM section_tag
                LEFT JOIN section ON section.id = section_tag.section_id
                WHERE section_tag.tag = ? ORDER BY section_tag.report_id, section.position, section_tag.section_id
                """, arguments: [source])
            var references = try RecordReferences(db)
            for row in carriers {
                let section = SectionID(rawValue: row["section_id"])
                let report = RecordID(rawValue: row["report_id"])
                _ = try self.setTag(source, present: false, on: section, of: report, peer: peer, db)
                let added = try self.setTag(target, present: true, on: section, of: report, peer: peer, db)
                rename.revisions += added ? 2 : 1
                rename.sections.append(RenamedSection(
                    id: section, reference: try references.section(section, db), merged: !added))
            }
            return rename
        }
    }

    /// The stored tag a typed name means: exactly the typed text (trimmed) when some section carries that, else
    /// its normal form.
    private static func storedTag(_ typed: String, _ db: Database) throws -> String {
        let literal = typed.trimmingWhiteSpace()
        return try isCarried(literal, db) ? literal : try normalizedTag(typed)
    }

    /// Whether any section, current or not, carries `tag` exactly as stored.
    private static func isCarried(_ tag: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM section_tag WHERE tag = ?)", arguments: [tag]) ?? false
    }

    private func setTags(_ section: String, _ tags: [String], present: Bool) throws -> [String] {
        let normalized = try tags.map(Self.normalizedTag)
        let peer = self.peer
        return try write { db in
            let (sectionID, reportID) = try Self.resolveSection(section, db)
            var changed: [String] = []
            for tag in Set(normalized.map(TagName.init(rawValue:))).sorted().map(\.rawValue) {
                if try setTag(tag, present: present, on: sectionID, of: reportID, peer: peer, db) { changed.append(tag) }
            }
            return changed
        }
    }

    /// Writes a revision of one tag record when the tag's presence on the section changes; returns whether it did.
    private func setTag(
        _ tag: String, present: Bool, on section: SectionID, of report: RecordID, peer: PeerIdentity, _ db: Database
    ) throws -> Bool {
        let isPresent = try Bool.fetchOne(
            db, sql: "SELECT 1 FROM section_tag WHERE section_id = ? AND tag = ?",
            arguments: [section.rawValue, tag]) ?? false
        guard isPresent != present else { return false }
        let body = TagBody(report: report, section: section, tag: tag, present: present)
        let record = Identity.tag(tag, on: section)
        let current = try String.fetchOne(
            db, sql: "SELECT revision.body FROM record JOIN revision ON revision.id = record.current_revision WHERE record.id = ?",
            arguments: [record.rawValue])
        _ = try RevisionLedger.appendLocal(
            db, peer: peer, at: clock.milliseconds(), record: record, kind: .tag,
            body: BodyCoding.encode(body, keepingUnknownFieldsOf: current))
        return true
    }
}
