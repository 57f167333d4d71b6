import Foundation
import MarginCore
import MarginTestSupport
import Testing

/// The project's trimming gives what Foundation's `trimmingCharacters(in:)` gives, for both sets it replaces.
@Suite("Trimming white space without Foundation")
struct TextTrimmingTests {
    /// Every scalar Foundation counts as white space or a newline, and its neighbours that it does not.
    static let edges: [Unicode.Scalar] = [
        "\u{0}", "\u{8}", "\t", "\n", "\u{B}", "\u{C}", "\r", "\u{E}", "\u{1F}", " ", "!", "\u{7F}", "\u{84}",
        "\u{85}", "\u{86}", "\u{A0}", "\u{AD}", "\u{1680}", "\u{180E}", "\u{1FFF}", "\u{2000}", "\u{2005}", "\u{200A}",
        "\u{200B}", "\u{200D}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{2060}", "\u{3000}", "\u{3001}",
        "\u{FEFF}", "\u{301}", "a", "重", "，", "😀",
    ]

    @Test("each edge scalar alone, and at either end of text, is trimmed exactly when Foundation trims it")
    func edgeScalars() {
        for scalar in Self.edges {
            for text in [String(scalar), "\(scalar)重点\(scalar)", "\(scalar)\(scalar)a \(scalar)b\(scalar)"] {
                #expect(text.trimmingWhiteSpace() == text.trimmingCharacters(in: .whitespacesAndNewlines),
                        "U+\(String(scalar.value, radix: 16, uppercase: true)) in “\(text.debugDescription)”")
                #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces),
                        "U+\(String(scalar.value, radix: 16, uppercase: true)) in “\(text.debugDescription)”")
            }
        }
    }

    @Test("every basic-plane scalar is judged as Foundation judges it")
    func everyBasicPlaneScalar() {
        var differences: [String] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "x\(scalar)"
            if text.trimmingWhiteSpace() != text.trimmingCharacters(in: .whitespacesAndNewlines)
                || text.trimmingSpaces() != text.trimmingCharacters(in: .whitespaces)
            {
                differences.append("U+" + String(value, radix: 16, uppercase: true))
            }
        }
        #expect(differences.isEmpty, "judged otherwise than Foundation: \(differences.prefix(20))")
    }

    @Test("random mixes of white space, marks and text trim as Foundation trims them (randomized)")
    func randomized() {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("TextTrimmingTests.randomized seed: \(seed)")
        var generator = SplitMix64(seed: seed)
        for _ in 0..<3_000 {
            let length = Int.random(in: 0...7, using: &generator)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<length { scalars.append(Self.edges.randomElement(using: &generator)!) }
            let text = String(scalars)
            #expect(text.trimmingWhiteSpace() == text.trimmingCharacters(in: .whitespacesAndNewlines),
                    "seed \(seed): “\(text.debugDescription)”")
            #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces),
                    "seed \(seed): “\(text.debugDescription)”")
        }
    }

    @Test("untrimmed text comes back as it was, and all-white text as empty")
    func unchangedAndEmpty() {
        #expect("批注".trimmingWhiteSpace() == "批注")
        #expect(" \t\n\u{3000}".trimmingWhiteSpace().isEmpty)
        #expect("\n".trimmingSpaces() == "\n")
        #expect("".trimmingSpaces().isEmpty)
    }
}
