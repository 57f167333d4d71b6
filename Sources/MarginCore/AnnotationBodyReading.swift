/// Reading an annotation body without `JSONDecoder`.
///
/// Materializing a pulled note decoded its body with `JSONDecoder`, about 5 µs a note: a tenth of a pull of 2,000
/// notes. Bodies are strict JSON, and this reads them with ``StrictJSON`` instead, taking only text it reads exactly
/// as `JSONDecoder` would: one object whose members are the body's own fields, each once, with the types the body
/// declares (`anchor` may be null or left out). Anything else (an unknown member, a number with a fraction, a
/// repeated key) gives nil, and ``BodyCoding/decode(_:from:kind:)`` leaves the text to `JSONDecoder`, which accepts
/// or refuses it as it always did.
extension AnnotationBody {
    /// The body written in `text`, or nil when the text is not one this reading takes.
    init?(strictJSON text: String) {
        guard let value = try? StrictJSON.parse(text, maximumDepth: 2) else { return nil }
        self.init(strictValue: value)
    }

    /// The body `value` holds, as read by ``StrictJSON`` (for example by ``RevisionValidator/validate(_:)``), or
    /// nil when it is not exactly an annotation body's members, as ``init(strictJSON:)`` would read them.
    public init?(strictValue value: JSONValue) {
        guard case let .object(members) = value else { return nil }
        var report: String?
        var section: String?
        var body: String?
        var deleted: Bool?
        var anchor: TextAnchor?
        for (key, value) in members {
            switch (MemberName(key, among: Self.memberNames), value) {
            case let (.known(0), .string(text)): report = text
            case let (.known(1), .string(text)): section = text
            case let (.known(2), .string(text)): body = text
            case let (.known(3), .bool(flag)): deleted = flag
            case (.known(4), .null): anchor = nil
            case let (.known(4), .object(fields)):
                guard let read = TextAnchor(strictMembers: fields) else { return nil }
                anchor = read
            default: return nil
            }
        }
        guard let report, let section, let body, let deleted else { return nil }
        self.init(
            report: RecordID(rawValue: report), section: SectionID(rawValue: section), text: body, anchor: anchor,
            deleted: deleted)
    }

    /// The body's members, in the order the reading numbers them.
    private static let memberNames: [StaticString] = ["report", "section", "text", "deleted", "anchor"]
}

extension TextAnchor {
    /// The anchor of an annotation body's `anchor` object, or nil when it is not exactly an anchor's members.
    init?(strictMembers members: [(key: String, value: JSONValue)]) {
        var texts: [String?] = [nil, nil, nil]
        var offsets: [Int?] = [nil, nil]
        for (key, value) in members {
            switch (MemberName(key, among: Self.memberNames), value) {
            case let (.known(index), .string(text)) where index < 3:
                texts[index] = text
            case let (.known(index), .integer(offset)) where index >= 3:
                guard let offset = Int(exactly: offset) else { return nil }
                offsets[index - 3] = offset
            default: return nil
            }
        }
        guard let quote = texts[0], let prefix = texts[1], let suffix = texts[2], let start = offsets[0],
            let end = offsets[1]
        else { return nil }
        self.init(quote: quote, prefix: prefix, suffix: suffix, start: start, end: end)
    }

    /// The anchor's members, in the order the reading numbers them: texts first, then offsets.
    private static let memberNames: [StaticString] = ["quote", "prefix", "suffix", "start", "end"]
}

/// Which of a body's member names a key is, compared byte for byte (``StrictJSON`` refuses a repeated key).
private enum MemberName: Equatable {
    case known(Int)
    case other

    init(_ key: String, among names: [StaticString]) {
        for (index, name) in names.enumerated()
        where key.utf8.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)) {
            self = .known(index)
            return
        }
        self = .other
    }
}
