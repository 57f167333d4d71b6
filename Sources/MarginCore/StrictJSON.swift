/// A JSON value as read by ``StrictJSON``: objects keep their members in text order.
public indirect enum JSONValue: Sendable, Equatable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// An integer written without fraction or exponent, within Int64.
    case integer(Int64)
    /// Any other number, kept as written.
    case number(String)
    case bool(Bool)
    case null

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case let (.object(a), .object(b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(a), .array(b)): a == b
        case let (.string(a), .string(b)): a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case let (.integer(a), .integer(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    /// The member named `key` of an object (compared by Unicode scalars, never by canonical equivalence).
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.key.unicodeScalars.elementsEqual(key.unicodeScalars) }?.value
    }
}

/// A strict JSON reader (RFC 8259) for revision bodies: the text must be exactly one value; objects may not repeat
/// a key (implementations disagree on which one wins, so a repeated key could mean different things to different
/// peers); nesting is bounded; `\u` escapes must form valid scalars (no lone surrogates).
///
/// Keys are compared by their Unicode scalars: `"é"` written precomposed and decomposed are two different keys.
public enum StrictJSON {
    /// Why a text is not strict JSON: a sentence naming the byte offset.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Parses `text` into a value.
    public static func parse(_ text: String, maximumDepth: Int = RevisionLimits.maximumBodyDepth) throws(Failure) -> JSONValue {
        var copy = text
        let result = copy.withUTF8 { (bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, Failure> in
            var reader = Reader(bytes: bytes, maximumDepth: maximumDepth)
            do throws(Failure) {
                reader.skipWhitespace()
                let value = try reader.value(depth: 0)
                reader.skipWhitespace()
                guard reader.position == bytes.count else { throw reader.failure("unexpected text after the value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let maximumDepth: Int
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
            self.bytes = bytes
            self.maximumDepth = maximumDepth
        }

        func failure(_ what: String) -> Failure { Failure(description: "\(what) at byte \(position)") }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(Failure) -> JSONValue {
            guard position < bytes.count else { throw failure("the text ends where a value should be") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw failure("unexpected character")
            }
        }

        mutating func literal(_ word: String) throws(Failure) {
            for expected in word.utf8 {
                guard position < bytes.count, bytes[position] == expected else { throw failure("unexpected character") }
                position += 1
            }
        }

        mutating func object(depth: Int) throws(Failure) -> JSONValue {
            guard depth <= maximumDepth else { throw failure("nesting deeper than \(maximumDepth) levels") }
            position += 1
            var members: [(key: String, value: JSONValue)] = []
            var keys = KeySet()
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw failure("an object key must be a string")
                }
                let key = try string()
                guard keys.insert(key, among: members) else {
                    throw failure("the key “\(key)” occurs twice in one object")
                }
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("“:” expected") }
                position += 1
                skipWhitespace()
                members.append((key, try value(depth: depth)))
                skipWhitespace()
                guard position < bytes.count else { throw failure("the text ends inside an object") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                throw failure("“,” or “}” expected")
            }
        }

        mutating func array(depth: Int) throws(Failure) -> JSONValue {
            guard depth <= maximumDepth else { throw failure("nesting deeper than \(maximumDepth) levels") }
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth))
                skipWhitespace()
                guard position < bytes.count else { throw failure("the text ends inside an array") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
                throw failure("“,” or “]” expected")
            }
        }

        mutating func number() throws(Failure) -> JSONValue {
            let start = position
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw failure("a digit expected") }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
            } else {
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            var isInteger = true
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                isInteger = false
                position += 1
                guard position < bytes.count, isDigit(bytes[position]) else { throw failure("a digit expected") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                isInteger = false
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                    position += 1
                }
                guard position < bytes.count, isDigit(bytes[position]) else { throw failure("a digit expected") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            if isInteger, let value = Int64(text) { return .integer(value) }
            return .number(text)
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        mutating func string() throws(Failure) -> String {
            position += 1
            let start = position
            // Fast path: no escapes, so the text between the quotes is the string (already valid UTF-8).
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    position += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw failure("a control character must be escaped inside a string") }
                position += 1
            }
            // Slow path: the string is built as UTF-8 bytes, each escape appending its scalar's encoding (linear in
            // the string, however many escapes it holds).
            var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
            func append(_ scalar: Unicode.Scalar) { utf8.append(contentsOf: UTF8.encode(scalar)!) }
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    return String(decoding: utf8, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    position += 1
                    guard position < bytes.count else { throw failure("the text ends inside an escape") }
                    let escape = bytes[position]
                    position += 1
                    if let short = JSONEscape.shortEscape(escape) {
                        utf8.append(short)
                    } else if escape == UInt8(ascii: "u") {
                        append(try unicodeEscape())
                    } else {
                        throw failure("unknown escape")
                    }
                default:
                    if byte < 0x20 { throw failure("a control character must be escaped inside a string") }
                    utf8.append(byte)
                    position += 1
                }
            }
            throw failure("the text ends inside a string")
        }

        /// The scalar of a `\u` escape (see ``JSONEscape/unicodeScalar(in:at:)``), its refusal explained.
        mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar {
            do {
                return try JSONEscape.unicodeScalar(in: bytes, at: &position)
            } catch {
                switch error {
                case .truncated: throw failure("the text ends inside a \\u escape")
                case .notHexadecimal: throw failure("a \\u escape needs four hexadecimal digits")
                case .loneHighSurrogate: throw failure("a lone high surrogate is not a Unicode scalar")
                case .highSurrogateWithoutLow: throw failure("a high surrogate must be followed by a low one")
                case .loneLowSurrogate: throw failure("a lone low surrogate is not a Unicode scalar")
                }
            }
        }
    }
}
