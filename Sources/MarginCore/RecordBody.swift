import Foundation

/// The body of a report revision: a title, the report's sections in document order and, since stores record it,
/// the place in a file the report's text came from; and whether the report was removed.
public struct ReportBody: Codable, Hashable, Sendable {
    /// The report's title as it appears in the source.
    public var title: String
    /// The sections in document order; the first one is the preamble.
    public var sections: [SectionBody]
    /// Which report of which file this text was imported from; nil in bodies written before stores recorded it.
    public var source: ReportSource?
    /// True once a person removed the report (a tombstone that keeps its text, so that its history reads on and a
    /// later revision can bring it back). Encoded only when true, so bodies written before peers knew the field
    /// keep their bytes.
    public var removed: Bool

    /// Makes a report body.
    public init(title: String, sections: [SectionBody], source: ReportSource? = nil, removed: Bool = false) {
        self.title = title
        self.sections = sections
        self.source = source
        self.removed = removed
    }

    enum CodingKeys: String, CodingKey { case title, sections, source, removed }

    /// Decodes a body; a `source` that is not of the documented shape (a store may hold one received before it
    /// knew the field) reads as absent rather than making the whole report unreadable.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        sections = try container.decode([SectionBody].self, forKey: .sections)
        source = (try? container.decodeIfPresent(ReportSource.self, forKey: .source)) ?? nil
        removed = try container.decodeIfPresent(Bool.self, forKey: .removed) ?? false
    }

    /// Encodes the body; `removed` only when true.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(sections, forKey: .sections)
        try container.encodeIfPresent(source, forKey: .source)
        if removed { try container.encode(true, forKey: .removed) }
    }

    /// Whether `other` reads the same: the same title and sections (where the text came from, and whether the
    /// report was removed, are not what a person reads or edits).
    public func hasSameText(as other: ReportBody) -> Bool {
        title == other.title && sections == other.sections
    }

    /// Whether a report revision's body says the report was removed, read without decoding its sections; false for
    /// a body that is not a JSON object.
    public static func isRemoved(_ body: String) -> Bool {
        (try? StrictJSON.parse(body))?["removed"] == .bool(true)
    }
}

/// Where a report's text came from: the `occurrence`-th report titled `title` in the file named `file`.
///
/// Importing that file again finds the report through this (so a changed text is a new revision of the same
/// record), and reports with the same title in other files are other records.
public struct ReportSource: Codable, Hashable, Sendable {
    /// The file's base name, in Unicode NFC (``fileName(of:)``).
    public var file: String
    /// The report's title as the file gives it (a later edit of the report's title leaves this as it was).
    public var title: String
    /// 1 for the first report with this title in the file, 2 for the next, …
    public var occurrence: Int

    /// Makes a source.
    public init(file: String, title: String, occurrence: Int) {
        self.file = file
        self.title = title
        self.occurrence = occurrence
    }

    /// The name a file is known by: the last component of `path`, in Unicode NFC (so a name typed on one system
    /// and listed by another agrees), with any control character replaced by U+FFFD (a body line holds none).
    public static func fileName(of path: String) -> String {
        let base = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        var scalars = String.UnicodeScalarView()
        for scalar in base.precomposedStringWithCanonicalMapping.unicodeScalars {
            scalars.append(scalar.properties.generalCategory == .control ? "\u{FFFD}" : scalar)
        }
        return String(scalars)
    }

    /// The identity a report from this source is given when no record has it yet.
    public var derivedIdentity: RecordID { Identity.report(file: file, title: title, occurrence: occurrence) }
}

/// One section of a report.
public struct SectionBody: Codable, Hashable, Sendable {
    /// The section's stable identity.
    public var id: SectionID
    /// 0 for the preamble, 1 for `一、`, 2 for `（一）`, 3 for `1、`, 4 for `（1）`.
    public var level: Int
    /// The numbering as written in the source (`一、`, `（二）`, …); empty for the preamble.
    public var label: String
    /// The heading text after the label; empty for the preamble.
    public var heading: String
    /// The section's own text, heading line included.
    public var text: String
    /// The enclosing section, or nil for the preamble.
    public var parent: SectionID?

    /// Makes a section body.
    public init(id: SectionID, level: Int, label: String, heading: String, text: String, parent: SectionID?) {
        self.id = id
        self.level = level
        self.label = label
        self.heading = heading
        self.text = text
        self.parent = parent
    }
}

/// The body of an annotation revision.
public struct AnnotationBody: Codable, Hashable, Sendable {
    /// The report the annotated section belongs to.
    public var report: RecordID
    /// The annotated section.
    public var section: SectionID
    /// The annotation text; empty once deleted.
    public var text: String
    /// The quoted span the annotation is anchored to, if any.
    public var anchor: TextAnchor?
    /// True once the annotation was deleted (a tombstone: the record keeps its history).
    public var deleted: Bool

    /// Makes an annotation body.
    public init(report: RecordID, section: SectionID, text: String, anchor: TextAnchor?, deleted: Bool = false) {
        self.report = report
        self.section = section
        self.text = text
        self.anchor = anchor
        self.deleted = deleted
    }
}

extension AnnotationBody {
    /// The body as a JSON value, with the members its `Encodable` conformance writes: an absent anchor is left out.
    var jsonValue: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("deleted", .bool(deleted)), ("report", .string(report.rawValue)), ("section", .string(section.rawValue)),
            ("text", .string(text)),
        ]
        if let anchor {
            members.append(("anchor", .object([
                ("end", .integer(Int64(anchor.end))), ("prefix", .string(anchor.prefix)), ("quote", .string(anchor.quote)),
                ("start", .integer(Int64(anchor.start))), ("suffix", .string(anchor.suffix)),
            ])))
        }
        return .object(members)
    }
}

/// The body of a tag revision: whether one tag is on one section.
public struct TagBody: Codable, Hashable, Sendable {
    /// The report the tagged section belongs to.
    public var report: RecordID
    /// The tagged section.
    public var section: SectionID
    /// The tag.
    public var tag: String
    /// True while the tag is on the section.
    public var present: Bool

    /// Makes a tag body.
    public init(report: RecordID, section: SectionID, tag: String, present: Bool) {
        self.report = report
        self.section = section
        self.tag = tag
        self.present = present
    }
}

/// Encodes and decodes record bodies as canonical JSON (sorted keys, no insignificant whitespace).
public enum BodyCoding {
    /// Canonical JSON text for a body.
    ///
    /// An annotation's body, which every `margin annotate` writes, is written as ``JSONValue/canonicalText`` writes
    /// it, the same bytes: `JSONEncoder`'s first use in a process looks up protocol conformances by scanning the
    /// whole executable (about 0.3 ms of the command).
    public static func encode<Body: Encodable>(_ body: Body) -> String {
        if let annotation = body as? AnnotationBody { return annotation.jsonValue.canonicalText }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Bodies hold only strings, integers, booleans and nested values of those, which always encode.
        let data = try! encoder.encode(body)
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes a body of the given type. An annotation's is read without `JSONDecoder` when it can be, with the
    /// same result (see ``AnnotationBody/init(strictJSON:)``).
    public static func decode<Body: Decodable>(_ type: Body.Type, from text: String, kind: RecordKind) throws(MarginCoreError) -> Body {
        if type == AnnotationBody.self, let body = AnnotationBody(strictJSON: text) as? Body {
            return body
        }
        do {
            // Copied through a pointer: Data's initializer from a sequence checks at run time whether it is
            // contiguous bytes, a conformance lookup that scans the whole binary the first time in a process.
            var text = text
            let data = text.withUTF8 { bytes in bytes.baseAddress.map { Data(bytes: $0, count: bytes.count) } ?? Data() }
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw MarginCoreError(.malformedBody(kind: kind, reason: "\(error)"))
        }
    }
}
