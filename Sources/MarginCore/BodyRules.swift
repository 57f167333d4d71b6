/// The shape each known kind's body must have, one entry per kind. A kind without an entry (one a newer peer
/// knows) is only checked to be a strict JSON object within the size limit.
///
/// Fields a body has beyond these are allowed and kept (a newer peer may add some); fields named here must have
/// exactly the type shown. Absent optional fields may also be written as `null`.
enum BodyRules {
    /// A broken body rule.
    struct Failure: Error {
        let rule: ValidationRule
        let reason: String
    }

    typealias Check = @Sendable (Revision, JSONValue) throws -> Void

    static let byKind: [RecordKind: Check] = [
        .report: checkReport,
        .annotation: checkAnnotation,
        .tag: checkTag,
    ]

    // MARK: - Kinds

    /// `{"title": line, "sections": [{"id", "level", "label", "heading", "text", "parent"?}, …],
    /// "source"?: {"file": line, "title": line, "occurrence": 1…}, "removed"?: bool}`.
    static func checkReport(_ revision: Revision, _ body: JSONValue) throws {
        _ = try line(body, "title", maximumBytes: RevisionLimits.maximumLineBytes)
        if let removed = body["removed"], removed != .null {
            guard case .bool = removed else { throw shape("“removed” must be a boolean") }
        }
        if let source = body["source"], source != .null {
            guard case .object = source else { throw shape("“source” must be an object") }
            let file = try line(source, "file", maximumBytes: RevisionLimits.maximumLineBytes)
            guard !file.isEmpty else { throw shape("“source”'s “file” is empty") }
            _ = try line(source, "title", maximumBytes: RevisionLimits.maximumLineBytes)
            _ = try integer(source, "occurrence", in: 1...RevisionLimits.maximumInteger, rule: .integerRange)
        }
        guard case let .array(sections)? = body["sections"] else { throw shape("“sections” must be an array") }
        guard (1...RevisionLimits.maximumSections).contains(sections.count) else {
            throw Failure(rule: .size, reason: "a report has 1 to \(RevisionLimits.maximumSections) sections")
        }
        var levels: [SectionID: Int64] = [:]
        var paths: [SectionID: [String]] = [:]
        var pathCounts: [[UInt8]: Int] = [:]
        for (index, section) in sections.enumerated() {
            guard case .object = section else { throw shape("section \(index) is not an object") }
            let id = SectionID(rawValue: try identifier(section, "id", "section \(index)"))
            let level = try integer(section, "level", in: 0...Int64(RevisionLimits.maximumSectionLevel), rule: .sectionTree)
            let label = try line(section, "label", maximumBytes: RevisionLimits.maximumLineBytes)
            let heading = try line(section, "heading", maximumBytes: RevisionLimits.maximumLineBytes)
            _ = try text(section, "text")
            let parent = try optionalIdentifier(section, "parent", "section \(index)").map(SectionID.init(rawValue:))
            guard levels[id] == nil else { throw Failure(rule: .sectionTree, reason: "section id \(id) occurs twice") }
            guard (index == 0) == (level == 0) else {
                throw Failure(rule: .sectionTree, reason: "section \(index) has level \(level); only the first section, the preamble, has level 0")
            }
            var parentPath: [String] = []
            if let parent {
                guard let parentLevel = levels[parent], parentLevel < level else {
                    throw Failure(rule: .sectionTree, reason: "section \(index)'s parent is not an earlier section of a lower level")
                }
                parentPath = paths[parent] ?? []
            }
            // Section identities derive from the report and the chain of headings (see ``Identity``), so a body
            // cannot claim another report's sections.
            let path: [String]
            let expected: SectionID
            if index == 0 {
                path = []
                expected = Identity.preamble(report: revision.record)
            } else {
                path = parentPath + [heading.isEmpty ? label : heading]
                let key = Identity.occurrenceKey(path)
                let occurrence = (pathCounts[key] ?? 0) + 1
                pathCounts[key] = occurrence
                expected = Identity.section(report: revision.record, headingPath: path, occurrence: occurrence)
            }
            guard id == expected else {
                throw Failure(rule: .derivedIdentity, reason: "section \(index)'s id is not the one its report and headings derive (\(expected))")
            }
            levels[id] = level
            paths[id] = path
        }
    }

    /// `{"report", "section", "text", "anchor"?: {"quote", "prefix", "suffix", "start", "end"}, "deleted"}`.
    static func checkAnnotation(_ revision: Revision, _ body: JSONValue) throws {
        _ = try identifier(body, "report", "the body")
        _ = try identifier(body, "section", "the body")
        _ = try text(body, "text")
        _ = try bool(body, "deleted")
        if let anchor = body["anchor"], anchor != .null {
            guard case .object = anchor else { throw shape("“anchor” must be an object") }
            _ = try text(anchor, "quote")
            _ = try text(anchor, "prefix")
            _ = try text(anchor, "suffix")
            let start = try integer(anchor, "start", in: 0...RevisionLimits.maximumInteger, rule: .integerRange)
            _ = try integer(anchor, "end", in: start...RevisionLimits.maximumInteger, rule: .integerRange)
        }
        if revision.parents.isEmpty {
            let expected = Identity.annotation(origin: revision.origin, counter: revision.counter)
            guard revision.record == expected else {
                throw Failure(rule: .derivedIdentity, reason: "a new annotation's record id must derive from its origin and counter (\(expected))")
            }
        }
    }

    /// `{"report", "section", "tag": line, "present"}`.
    static func checkTag(_ revision: Revision, _ body: JSONValue) throws {
        _ = try identifier(body, "report", "the body")
        let section = SectionID(rawValue: try identifier(body, "section", "the body"))
        let tag = try line(body, "tag", maximumBytes: RevisionLimits.maximumTagBytes)
        guard !tag.isEmpty else { throw shape("“tag” is empty") }
        _ = try bool(body, "present")
        let expected = Identity.tag(tag, on: section)
        guard revision.record == expected else {
            throw Failure(rule: .derivedIdentity, reason: "a tag's record id must derive from its tag and section (\(expected))")
        }
    }

    // MARK: - Fields

    static func shape(_ reason: String) -> Failure { Failure(rule: .bodyShape, reason: reason) }

    static func string(_ object: JSONValue, _ key: String) throws -> String {
        guard let value = object[key] else { throw shape("“\(key)” is missing") }
        guard case let .string(text) = value else { throw shape("“\(key)” must be a string") }
        return text
    }

    static func line(_ object: JSONValue, _ key: String, maximumBytes: Int) throws -> String {
        let value = try string(object, key)
        guard value.utf8.count <= maximumBytes else {
            throw Failure(rule: .size, reason: "“\(key)” is longer than \(maximumBytes) bytes")
        }
        guard TextRules.isSingleLine(value) else {
            throw Failure(rule: .string, reason: "“\(key)” contains a control character")
        }
        return value
    }

    static func text(_ object: JSONValue, _ key: String) throws -> String {
        let value = try string(object, key)
        guard TextRules.isText(value) else {
            throw Failure(rule: .string, reason: "“\(key)” contains a control character other than newline and tab")
        }
        return value
    }

    static func identifier(_ object: JSONValue, _ key: String, _ owner: String) throws -> String {
        let value = try string(object, key)
        guard IdentifierFormat.record.accepts(value) else {
            throw Failure(rule: .identifier, reason: "\(owner)'s “\(key)” is not an identifier")
        }
        return value
    }

    static func optionalIdentifier(_ object: JSONValue, _ key: String, _ owner: String) throws -> String? {
        guard let value = object[key], value != .null else { return nil }
        return try identifier(object, key, owner)
    }

    static func integer(_ object: JSONValue, _ key: String, in range: ClosedRange<Int64>, rule: ValidationRule) throws -> Int64 {
        guard let value = object[key] else { throw shape("“\(key)” is missing") }
        guard case let .integer(number) = value else { throw shape("“\(key)” must be an integer") }
        guard range.contains(number) else {
            throw Failure(rule: rule, reason: "“\(key)” is \(number), outside \(range.lowerBound)…\(range.upperBound)")
        }
        return number
    }

    static func bool(_ object: JSONValue, _ key: String) throws -> Bool {
        guard let value = object[key] else { throw shape("“\(key)” is missing") }
        guard case let .bool(flag) = value else { throw shape("“\(key)” must be true or false") }
        return flag
    }
}
