import Foundation

/// The body of a report revision: a title and the report's sections in document order.
public struct ReportBody: Codable, Hashable, Sendable {
    /// The report's title as it appears in the source.
    public var title: String
    /// The sections in document order; the first one is the preamble.
    public var sections: [SectionBody]

    /// Makes a report body.
    public init(title: String, sections: [SectionBody]) {
        self.title = title
        self.sections = sections
    }
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
    public static func encode<Body: Encodable>(_ body: Body) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Bodies hold only strings, integers, booleans and nested values of those, which always encode.
        let data = try! encoder.encode(body)
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes a body of the given type.
    public static func decode<Body: Decodable>(_ type: Body.Type, from text: String, kind: RecordKind) throws(MarginCoreError) -> Body {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw MarginCoreError(.malformedBody(kind: kind, reason: "\(error)"))
        }
    }
}
