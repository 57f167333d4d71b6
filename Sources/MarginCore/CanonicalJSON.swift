/// The canonical JSON text of a value (`Protocol/PROTOCOL.md`, "Canonical JSON"): object keys sorted by their UTF-8
/// bytes, no whitespace, `"` and `\` escaped with a backslash, control characters as `\b \t \n \f \r` or `\u00xx`,
/// everything else (including `/` and non-ASCII) as raw UTF-8; numbers as they were written.
/// It is byte-for-byte what ``BodyCoding/encode(_:)`` writes for the same value.
extension JSONValue {
    /// The canonical text.
    public var canonicalText: String {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func write(into bytes: inout [UInt8]) {
        switch self {
        case let .object(members):
            bytes.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.value.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        case let .array(elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                element.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case let .string(text): Self.writeString(text, into: &bytes)
        case let .integer(number): bytes.append(contentsOf: String(number).utf8)
        case let .number(text): bytes.append(contentsOf: text.utf8)
        case let .bool(flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x00..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A body type that names the fields it knows, so that rewriting a body keeps the fields a newer peer added.
public protocol KnownBodyFields: Encodable {
    /// The JSON keys this version reads and writes.
    static var knownFields: Set<String> { get }
}

extension AnnotationBody: KnownBodyFields {
    public static let knownFields: Set<String> = ["report", "section", "text", "anchor", "deleted"]
}

extension ReportBody: KnownBodyFields {
    public static let knownFields: Set<String> = ["title", "sections", "source", "removed"]
}

extension TagBody: KnownBodyFields {
    public static let knownFields: Set<String> = ["report", "section", "tag", "present"]
}

extension BodyCoding {
    /// Canonical JSON for a new version of a body, keeping every field of `original` this version does not know
    /// (a newer peer's additions survive an edit made here). Without an original, or when it is not a JSON object,
    /// this is ``encode(_:)``.
    public static func encode<Body: KnownBodyFields>(_ body: Body, keepingUnknownFieldsOf original: String?) -> String {
        let encoded = encode(body)
        guard let original, case let .object(old)? = try? StrictJSON.parse(original) else { return encoded }
        let unknown = old.filter { !Body.knownFields.contains($0.key) }
        guard !unknown.isEmpty, case let .object(new)? = try? StrictJSON.parse(encoded) else { return encoded }
        return JSONValue.object(new + unknown).canonicalText
    }
}
