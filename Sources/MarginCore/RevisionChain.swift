import Crypto

/// The hash chain of one origin's revisions: a 32-byte value that commits to every revision the origin made, in
/// counter order, so that one signature over the chain at counter *n* covers revisions 1…*n* at once.
///
/// ```text
/// chain(0) = SHA-256("marginalia-chain-1\norigin <origin>")
/// chain(n) = SHA-256(chain(n − 1) ‖ the 32 bytes of revision n's id)
/// ```
///
/// A revision's id is the hash of its whole content (see ``RevisionHasher``), so the chain covers content, not just
/// names. Counters are gap-free, so every holder of revisions 1…*n* computes the same chain(*n*). Specified in
/// `Protocol/PROTOCOL.md`, "Signatures".
public struct RevisionChain: Sendable, Hashable {
    /// The 32 bytes of the chain value.
    public private(set) var bytes: [UInt8]

    /// The chain of an origin that has made no revision yet.
    public static func start(of origin: PeerID) -> RevisionChain {
        RevisionChain(bytes: Array(SHA256.hash(data: Array("marginalia-chain-1\norigin \(origin.rawValue)".utf8))))
    }

    /// A chain value as stored (32 bytes); nil for anything else.
    public init?(stored bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// The chain after one more revision, `id` (a valid revision id: 64 lowercase hexadecimal digits).
    ///
    /// Every push, pull and signature runs this once per revision, so the 64 input bytes are put together on the
    /// stack, not in arrays.
    public func appending(_ id: RevisionID) -> RevisionChain {
        guard id.rawValue.utf8.count == 64, bytes.count == 32 else {
            var input = bytes
            Hexadecimal.append(decoding: id.rawValue, to: &input)
            return RevisionChain(bytes: Array(SHA256.hash(data: input)))
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { input in
            input.initialize(repeating: 0)
            _ = input.initialize(from: bytes)
            var text = id.rawValue
            text.withUTF8 { hex in Hexadecimal.decode(hex, into: UnsafeMutableBufferPointer(rebasing: input[32...])) }
            return RevisionChain(bytes: Array(SHA256.hash(data: UnsafeRawBufferPointer(input))))
        }
    }

    /// The chain after `ids`, in order.
    public func appending(contentsOf ids: some Sequence<RevisionID>) -> RevisionChain {
        ids.reduce(self) { $0.appending($1) }
    }

    /// Lowercase hexadecimal, for messages and the spec's examples.
    public var hexadecimal: String { Hexadecimal.encode(bytes) }
}

/// Lowercase hexadecimal text of bytes, and back.
public enum Hexadecimal {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The lowercase hexadecimal text of `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(max(64, 2 * bytes.underestimatedCount))
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of lowercase hexadecimal text; nil when it is not that (odd length, another character).
    public static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.count % 2 == 0, text.utf8.allSatisfy({ nibble($0) != nil }) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        append(decoding: text, to: &bytes)
        return bytes
    }

    /// Appends the bytes of valid lowercase hexadecimal text (characters that are not digits count as 0).
    static func append(decoding text: String, to bytes: inout [UInt8]) {
        var text = text
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: text.utf8.count / 2))
        text.withUTF8 { hex in
            bytes.withUnsafeMutableBufferPointer { decode(hex, into: UnsafeMutableBufferPointer(rebasing: $0[start...])) }
        }
    }

    /// Writes the bytes of valid lowercase hexadecimal UTF-8 into `bytes`, as many as both hold (characters that
    /// are not digits count as 0).
    static func decode(_ text: UnsafeBufferPointer<UInt8>, into bytes: UnsafeMutableBufferPointer<UInt8>) {
        for index in 0..<min(bytes.count, text.count / 2) {
            bytes[index] = (nibble(text[2 * index]) ?? 0) << 4 | (nibble(text[2 * index + 1]) ?? 0)
        }
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
