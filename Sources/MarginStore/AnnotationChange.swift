/// What a write to an annotation did: the annotation as it now stands, and whether a revision was written.
///
/// In JSON it is the annotation's own fields plus `"written": true|false`, so that a script reading the annotation
/// reads it the same way whether or not anything changed.
public struct AnnotationChange: Sendable, Equatable, Encodable {
    /// The annotation after the write (or as it was, when nothing was written).
    public var annotation: AnnotationView
    /// False when the write would have changed nothing, so no revision was written.
    public var written: Bool

    /// Makes a result.
    public init(annotation: AnnotationView, written: Bool) {
        self.annotation = annotation
        self.written = written
    }

    private enum CodingKeys: String, CodingKey {
        case written
    }

    /// Encodes the annotation's fields, then `written` beside them.
    public func encode(to encoder: any Encoder) throws {
        try annotation.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(written, forKey: .written)
    }
}
