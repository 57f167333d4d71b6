import Foundation
import MarginCore
import Testing

@Suite("Tag normal form")
struct TagNameTests {
    @Test("a typed tag is NFC, trimmed and without leading #",
          arguments: [
            ("#重点", "重点"), ("##x", "x"), (" # x ", "x"), ("＃重点", "重点"), ("\tfunding\n", "funding"),
            ("c#", "c#"), ("a#b", "a#b"), ("Funding", "Funding"), ("e\u{301}cole", "\u{E9}cole"),
          ])
    func normalForm(_ typed: String, _ expected: String) throws {
        let tag = try TagName(typed: typed)
        // Bytes, not Swift's canonical equivalence: the store compares and hashes bytes.
        #expect(Array(tag.rawValue.utf8) == Array(expected.utf8))
    }

    @Test("case is kept: Funding and funding are two tags")
    func caseIsKept() throws {
        #expect(try TagName(typed: "Funding") != TagName(typed: "funding"))
    }

    @Test("canonically equivalent spellings are one tag, and byte-different raw tags are two")
    func equivalence() throws {
        #expect(try TagName(typed: "e\u{301}") == TagName(typed: "\u{E9}"))
        // Stored tags (from peers) are compared by bytes, never renormalized.
        #expect(TagName(rawValue: "e\u{301}") != TagName(rawValue: "\u{E9}"))
        #expect(Set([TagName(rawValue: "e\u{301}"), TagName(rawValue: "\u{E9}")]).count == 2)
    }

    @Test("unusable tags are refused with the reason",
          arguments: [
            ("", TagName.Refusal.Reason.empty), ("   ", .empty), ("#", .empty), ("## ", .empty),
            ("has space", .whitespace), ("全角\u{3000}空格", .whitespace), ("a,b", .comma), ("中文，逗号", .comma),
            ("甲、乙", .comma), ("bell\u{7}", .controlCharacter), ("del\u{7F}", .controlCharacter),
            ("c1\u{85}x", .controlCharacter), ("bad\u{FFFD}", .replacementCharacter),
            (String(repeating: "x", count: 65), .tooLong), (String(repeating: "字", count: 65), .tooLong),
          ])
    func refused(_ typed: String, _ reason: TagName.Refusal.Reason) {
        #expect(throws: TagName.Refusal(typed: typed, reason: reason)) { try TagName(typed: typed) }
    }

    @Test("64 characters are allowed")
    func longest() throws {
        #expect(try TagName(typed: String(repeating: "字", count: 64)).rawValue.count == 64)
    }

    @Test("a refusal is one sentence that names the tag and what to do")
    func refusalMessage() {
        let message = TagName.Refusal(typed: "a b", reason: .whitespace).description
        #expect(message.hasPrefix("“a b” is not a usable tag: "))
        #expect(message.hasSuffix("."))
        #expect(!message.contains("\n"))
    }

    @Test("normalizing is idempotent, and every accepted tag is in normal form (randomized)")
    func randomized() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("TagNameTests.randomized seed: \(seed)")
        var generator = TagTestGenerator(seed: seed)
        let pool: [String] = ["#", "＃", " ", "\t", "a", "A", "重", "点", "e", "\u{301}", "\u{E9}", ",", "-", "_", "1", "\u{3000}"]
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...8, using: &generator)
            let typed = (0..<length).map { _ in pool.randomElement(using: &generator)! }.joined()
            let once = TagName.normalize(typed)
            #expect(TagName.normalize(once) == once, "seed \(seed): “\(typed)”")
            guard let tag = try? TagName(typed: typed) else { continue }
            #expect(!tag.rawValue.hasPrefix("#") && !tag.rawValue.hasPrefix("＃"), "seed \(seed): “\(typed)”")
            #expect(!tag.rawValue.contains { $0.isWhitespace }, "seed \(seed): “\(typed)”")
            #expect(Array(tag.rawValue.utf8) == Array(tag.rawValue.precomposedStringWithCanonicalMapping.utf8))
            #expect(try TagName(typed: tag.rawValue) == tag, "an accepted tag typed again is the same tag")
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failing run can be repeated from its printed seed.
private struct TagTestGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
