import MarginCore
import MarginTestSupport
import Testing

/// The identifier formats judge text exactly as their definitions say (`Protocol/PROTOCOL.md` §3), written here
/// plainly, byte by byte.
@Suite("Identifier formats")
struct IdentifierFormatTests {
    static func isHex(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (97...102).contains(byte) }
    static func isName(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (97...122).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    /// Each format with its definition.
    static let definitions: [(name: String, format: IdentifierFormat, accepts: @Sendable ([UInt8]) -> Bool)] = [
        ("revision", .revision, { $0.count == 64 && $0.allSatisfy(isHex) }),
        ("peer", .peer, { $0.count == 16 && $0.allSatisfy(isHex) }),
        ("record", .record, { (1...64).contains($0.count) && $0.allSatisfy(isName) }),
        ("kind", .kind, { (1...32).contains($0.count) && (97...122).contains($0[0]) && $0.allSatisfy(isName) }),
    ]

    @Test("examples at the edges of each format")
    func examples() {
        let hex64 = String(repeating: "0123456789abcdef", count: 4)
        #expect(IdentifierFormat.revision.accepts(hex64))
        #expect(!IdentifierFormat.revision.accepts(hex64.uppercased()))
        #expect(!IdentifierFormat.revision.accepts(String(hex64.dropLast())))
        #expect(!IdentifierFormat.peer.accepts("a1b2c3d4e5f6071g"))
        #expect(IdentifierFormat.peer.accepts("a1b2c3d4e5f60718"))
        #expect(IdentifierFormat.record.accepts("-"))
        #expect(!IdentifierFormat.record.accepts(""))
        #expect(!IdentifierFormat.record.accepts(String(repeating: "a", count: 65)))
        #expect(!IdentifierFormat.record.accepts("批注"))
        #expect(IdentifierFormat.kind.accepts("annotation"))
        #expect(!IdentifierFormat.kind.accepts("1tag"))
        #expect(!IdentifierFormat.kind.accepts("_tag"))
        #expect(IdentifierFormat.kind.accepts("t_-9"))
        // Bridged or sliced text, whose bytes are not one contiguous run, is judged alike.
        #expect(IdentifierFormat.record.accepts(String("xx" + hex64.prefix(30))))
    }

    @Test("random bytes are judged as the definitions judge them (randomized)")
    func randomized() {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("IdentifierFormatTests.randomized seed: \(seed)")
        var generator = SplitMix64(seed: seed)
        // Mostly bytes that are allowed somewhere, so that long valid runs occur, and some that never are.
        let pool = Array("0123456789abcdefxyz-_".utf8) + [UInt8(ascii: "A"), UInt8(ascii: " "), 0, 0x7F]
        for _ in 0..<4_000 {
            let length = [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65].randomElement(using: &generator)!
            let bytes = (0..<length).map { _ in pool.randomElement(using: &generator)! }
            let text = String(decoding: bytes, as: UTF8.self)
            for definition in Self.definitions {
                #expect(definition.format.accepts(text) == definition.accepts(bytes),
                        "seed \(seed): \(definition.name) of “\(text)”")
            }
        }
    }
}
