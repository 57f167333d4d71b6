import Foundation
import MarginCore

/// Encodes the messages that carry revisions faster than `JSONEncoder` alone, giving exactly the bytes
/// ``SyncCoding/encoder()`` gives.
///
/// `JSONEncoder` spent about 10 µs on each revision of a page: a server answering a pull of 2,000 notes spent half
/// its CPU there, and a client pushing them a third of its own. Here the rest of the message is encoded by
/// `JSONEncoder` with an empty `revisions` array, and the array is written directly into that place, in the
/// encoder's own form: keys sorted, no whitespace, `"`, `\` and control characters escaped as it escapes them
/// (`\b`, `\t`, `\n`, `\f`, `\r`, other controls as `\u00xx`), everything else (slashes, non-ASCII) as it is.
/// `RevisionPageEncodingTests` holds the two encodings equal byte for byte, on random text too.
public enum RevisionPageEncoding {
    /// The message as ``SyncCoding/encoder()`` would encode it.
    public static func encode<Message: RevisionCarrying & Encodable>(_ message: Message) throws -> Data {
        var envelope = message
        envelope.revisions = []
        let head = try SyncCoding.encoder().encode(envelope)
        return try head.withUnsafeBytes { raw -> Data in
            let bytes = raw.bindMemory(to: UInt8.self)
            var scanner = JSONBytes(bytes)
            guard let span = scanner.memberValueSpan(named: JSONBytes.revisionsKey), span.count == 2 else {
                // Not reached for the messages of this module; the general encoder stays the answer.
                return try SyncCoding.encoder().encode(message)
            }
            var writer = RevisionJSONWriter(capacity: bytes.count + estimatedSize(of: message.revisions))
            writer.append(UnsafeBufferPointer(rebasing: bytes[..<span.lowerBound]))
            writer.revisions(message.revisions)
            writer.append(UnsafeBufferPointer(rebasing: bytes[span.upperBound...]))
            return Data(writer.bytes)
        }
    }

    /// The bytes to reserve for `revisions`: their text, plus the keys and identifiers around it.
    private static func estimatedSize(of revisions: [Revision]) -> Int {
        revisions.reduce(2) { $0 + 320 + $1.body.utf8.count + $1.body.utf8.count / 8 + $1.parents.count * 67 }
    }
}

/// Writes revisions as JSON the way ``SyncCoding/encoder()`` writes them (see ``RevisionPageEncoding``).
struct RevisionJSONWriter {
    private(set) var bytes: [UInt8] = []

    private static let hexDigits = Array("0123456789abcdef".utf8)

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func append(_ raw: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    /// `[revision,revision,…]`.
    mutating func revisions(_ revisions: [Revision]) {
        bytes.append(UInt8(ascii: "["))
        for (index, revision) in revisions.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            self.revision(revision)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// One revision, its members in sorted key order.
    mutating func revision(_ revision: Revision) {
        literal("{\"author\":")
        string(revision.author)
        literal(",\"body\":")
        string(revision.body)
        literal(",\"clock\":")
        integer(revision.clock)
        literal(",\"counter\":")
        integer(revision.counter)
        literal(",\"createdAt\":")
        integer(revision.createdAt)
        literal(",\"id\":")
        string(revision.id.rawValue)
        literal(",\"kind\":")
        string(revision.kind.rawValue)
        literal(",\"origin\":")
        string(revision.origin.rawValue)
        literal(",\"parents\":[")
        for (index, parent) in revision.parents.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(parent.rawValue)
        }
        literal("],\"record\":")
        string(revision.record.rawValue)
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func literal(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A JSON string: runs that need no escape are copied whole.
    mutating func string(_ value: String) {
        var value = value
        bytes.append(UInt8(ascii: "\""))
        value.withUTF8 { utf8 in
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                escape(byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            let hex = Self.hexDigits
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }

    /// An integer in decimal, as `JSONEncoder` writes it (counters, clocks and millisecond times fit in a small
    /// string, which is not allocated).
    mutating func integer(_ value: Int64) {
        bytes.append(contentsOf: String(value).utf8)
    }
}
