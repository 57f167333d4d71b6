import Foundation
import MarginCore

/// A message whose bulk is its `revisions` array: a pull's answer (``SyncResponse``) and a push (``PushRequest``).
public protocol RevisionCarrying: Decodable {
    /// The revisions the message carries.
    var revisions: [Revision] { get set }
}

extension SyncResponse: RevisionCarrying {}
extension PushRequest: RevisionCarrying {}

/// Decodes the messages that carry revisions faster than `JSONDecoder` alone, giving exactly what `JSONDecoder`
/// gives, or nothing.
///
/// `JSONDecoder` spent 8 to 9 µs on each revision of a push page, the largest part of a server's CPU for a push:
/// every field goes through a keyed container, and every object through a dictionary of its members. Here the
/// `revisions` array is read directly from the bytes (about 2.3 µs a revision, see the ingest benchmark), and the
/// rest of the message (with `"revisions": []` in place of the array) by `JSONDecoder` as before, so every other
/// field keeps its decoding and its checks.
///
/// The direct reading takes only text that it reads exactly as `JSONDecoder` would: each revision an object with
/// the ten fields of ``Revision`` once each and no other, strings whose escapes are JSON's, integers written as
/// plain digits within Int64, and a message that names `revisions` once. Anything else (an unknown or repeated
/// field, a number with a fraction or an exponent, a lone surrogate, malformed JSON) returns nil, and the caller
/// decodes the whole message with `JSONDecoder`, which then accepts or refuses it as it always did, with its own
/// error. So a peer sees no difference but speed.
public enum RevisionPageDecoding {
    /// The message in `data`, or nil when the text is not one the direct reading takes (decode it with
    /// `JSONDecoder` then).
    public static func decode<Message: RevisionCarrying>(_ type: Message.Type, from data: Data) -> Message? {
        data.withUnsafeBytes { raw -> Message? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var scanner = JSONBytes(bytes)
            guard let span = scanner.memberValueSpan(named: JSONBytes.revisionsKey) else { return nil }
            var reader = JSONBytes(bytes, at: span.lowerBound)
            guard let revisions = reader.revisionArray(), reader.position == span.upperBound else { return nil }
            var envelope = Data(capacity: bytes.count - span.count + 2)
            envelope.append(UnsafeBufferPointer(rebasing: bytes[..<span.lowerBound]))
            envelope.append(contentsOf: [UInt8(ascii: "["), UInt8(ascii: "]")])
            envelope.append(UnsafeBufferPointer(rebasing: bytes[span.upperBound...]))
            guard var message = try? SyncCoding.decoder().decode(Message.self, from: envelope) else { return nil }
            message.revisions = revisions
            return message
        }
    }
}

/// A cursor over JSON text as UTF-8 bytes, for ``RevisionPageDecoding``. Every reading method returns nil (or
/// false) for text it does not take, leaving the position wherever it stopped.
struct JSONBytes {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int

    static let revisionsKey = Array("revisions".utf8)

    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    // MARK: The message

    /// The byte range of the value of the top-level object's member `key`, when the text is one object naming it
    /// exactly once (with a key written without escapes). Other values are skipped, not checked: the caller has
    /// them decoded by `JSONDecoder`.
    mutating func memberValueSpan(named key: [UInt8]) -> Range<Int>? {
        var found: Range<Int>?
        skipWhitespace()
        let read = object { reader, name in
            let start = reader.position
            guard reader.skipValue(depth: 0) else { return false }
            if name.elementsEqual(key) {
                if found != nil { return false }
                found = start..<reader.position
            }
            return true
        }
        skipWhitespace()
        return read && position == bytes.count ? found : nil
    }

    /// A JSON object, each member's value read by `member` (given the member's key, written without escapes),
    /// which returns false for a value it does not take.
    private mutating func object(_ member: (inout JSONBytes, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            skipWhitespace()
            guard let key = plainKey() else { return false }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            guard member(&self, key) else { return false }
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    /// Skips one value of any kind, tracking only strings and nesting; false at the end of the text or past a
    /// nesting no message has.
    private mutating func skipValue(depth: Int) -> Bool {
        guard depth < 64, position < bytes.count else { return false }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            return skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = bytes[position] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            position += 1
            while true {
                skipWhitespace()
                guard position < bytes.count else { return false }
                if consume(close) { return true }
                if bytes[position] == UInt8(ascii: ",") || bytes[position] == UInt8(ascii: ":") {
                    position += 1
                    continue
                }
                guard skipValue(depth: depth + 1) else { return false }
            }
        default:
            let start = position
            while position < bytes.count, Self.isScalarValueByte(bytes[position]) { position += 1 }
            return position > start
        }
    }

    private static func isScalarValueByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "-"),
            UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "E"):
            true
        default: false
        }
    }

    private mutating func skipString() -> Bool {
        position += 1
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                position += 1
                return true
            case UInt8(ascii: "\\"):
                position += 2
            default:
                position += 1
            }
        }
        return false
    }

    // MARK: Revisions

    /// A JSON array of revisions.
    mutating func revisionArray() -> [Revision]? {
        array { $0.revision() }
    }

    /// A JSON array whose every element `element` reads.
    private mutating func array<Element>(_ element: (inout JSONBytes) -> Element?) -> [Element]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var elements: [Element] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return elements }
        while true {
            skipWhitespace()
            guard let value = element(&self) else { return nil }
            elements.append(value)
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]")) ? elements : nil
        }
    }

    /// One revision: an object with exactly the ten fields of ``Revision``, in any order.
    private mutating func revision() -> Revision? {
        var id: String?, record: String?, kind: String?, origin: String?, author: String?, body: String?
        var parents: [RevisionID]?
        var counter: Int64?, clock: Int64?, createdAt: Int64?
        /// Sets a field read once, from a value `read` takes.
        func once<Value>(_ field: inout Value?, _ read: () -> Value?) -> Bool {
            guard field == nil, let value = read() else { return false }
            field = value
            return true
        }
        let read = object { reader, key in
            switch RevisionField(key) {
            case .id?: once(&id) { reader.string() }
            case .record?: once(&record) { reader.string() }
            case .kind?: once(&kind) { reader.string() }
            case .origin?: once(&origin) { reader.string() }
            case .author?: once(&author) { reader.string() }
            case .body?: once(&body) { reader.string() }
            case .parents?: once(&parents) { reader.identifierArray() }
            case .counter?: once(&counter) { reader.integer() }
            case .clock?: once(&clock) { reader.integer() }
            case .createdAt?: once(&createdAt) { reader.integer() }
            case nil: false
            }
        }
        guard read, let id, let record, let kind, let parents, let origin, let counter, let clock, let author,
            let createdAt, let body
        else { return nil }
        return Revision(
            id: RevisionID(rawValue: id), record: RecordID(rawValue: record), kind: RecordKind(rawValue: kind),
            parents: parents, origin: PeerID(rawValue: origin), counter: counter, clock: clock, author: author,
            createdAt: createdAt, body: body)
    }

    /// The fields of a revision object, by their keys.
    private enum RevisionField {
        case id, record, kind, parents, origin, counter, clock, author, createdAt, body

        init?(_ key: UnsafeBufferPointer<UInt8>) {
            func matches(_ name: StaticString) -> Bool {
                name.utf8CodeUnitCount == key.count
                    && name.withUTF8Buffer { $0.elementsEqual(key) }
            }
            switch key.count {
            case 2 where matches("id"): self = .id
            case 4 where matches("kind"): self = .kind
            case 4 where matches("body"): self = .body
            case 5 where matches("clock"): self = .clock
            case 6 where matches("record"): self = .record
            case 6 where matches("origin"): self = .origin
            case 6 where matches("author"): self = .author
            case 7 where matches("parents"): self = .parents
            case 7 where matches("counter"): self = .counter
            case 9 where matches("createdAt"): self = .createdAt
            default: return nil
            }
        }
    }

    /// A JSON array of strings, as revision ids.
    private mutating func identifierArray() -> [RevisionID]? {
        array { $0.string().map(RevisionID.init(rawValue:)) }
    }

    // MARK: Scalars

    /// Opens a string and moves past its plain bytes, up to its closing quote, its first backslash or its first
    /// control character; returns where they start.
    private mutating func plainRun() -> Int? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            position += 1
        }
        return start
    }

    /// An object key written without escapes, as its bytes.
    private mutating func plainKey() -> UnsafeBufferPointer<UInt8>? {
        guard let start = plainRun(), consume(UInt8(ascii: "\"")) else { return nil }
        return UnsafeBufferPointer(rebasing: bytes[start..<(position - 1)])
    }

    /// A JSON string: valid UTF-8, no raw control characters, JSON's escapes only, and every `\u` escape a scalar
    /// (a high surrogate followed by a low one, or neither).
    mutating func string() -> String? {
        guard let start = plainRun() else { return nil }
        if consume(UInt8(ascii: "\"")) {
            return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<(position - 1)]), as: UTF8.self)
        }
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\\") else { return nil }
        return escapedString(from: start)
    }

    /// The rest of a string that holds escapes, from its first byte at `start` (the position is at its first
    /// backslash).
    private mutating func escapedString(from start: Int) -> String? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(position - start + 64)
        decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(validating: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position + 1 < bytes.count else { return nil }
                let escape = bytes[position + 1]
                position += 2
                if let short = JSONEscape.shortEscape(escape) {
                    decoded.append(short)
                } else if escape == UInt8(ascii: "u"),
                    let scalar = try? JSONEscape.unicodeScalar(in: bytes, at: &position)
                {
                    decoded.append(contentsOf: UTF8.encode(scalar)!)
                } else {
                    return nil
                }
            default:
                if byte < 0x20 { return nil }
                decoded.append(byte)
                position += 1
            }
        }
        return nil
    }

    /// An integer written as plain digits (`-?(0|[1-9][0-9]*)`, not `-0`) within Int64, not followed by a
    /// fraction or an exponent.
    mutating func integer() -> Int64? {
        let negative = consume(UInt8(ascii: "-"))
        let start = position
        var magnitude: UInt64 = 0
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            let digit = UInt64(bytes[position] - UInt8(ascii: "0"))
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
            position += 1
        }
        let digits = position - start
        guard digits > 0, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
        if position < bytes.count {
            let next = bytes[position]
            guard next != UInt8(ascii: "."), next != UInt8(ascii: "e"), next != UInt8(ascii: "E") else { return nil }
        }
        if negative {
            guard magnitude != 0, magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    // MARK: Bytes

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }
}
