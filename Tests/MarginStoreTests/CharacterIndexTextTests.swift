import Foundation
import Testing
@testable import MarginStore

/// The character index's text form: the byte path gives exactly what walking `Character`s gives.
@Suite("Character index text")
struct CharacterIndexTextTests {
    @Test func seedTextIsSpacedAsByCharacter() throws {
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../seeds")
        let files = try FileManager.default.contentsOfDirectory(atPath: seeds.path).filter { $0.hasSuffix(".txt") }
        #expect(!files.isEmpty)
        for file in files {
            let data = try Data(contentsOf: seeds.appendingPathComponent(file))
            let text = String(data: data, encoding: .utf8) ?? String(decoding: data, as: UTF8.self)
            for line in text.split(separator: "\n").prefix(400) {
                let line = String(line)
                #expect(CharacterIndex.spaced(line) == CharacterIndex.spacedByCharacter(line), "\(file): \(line.prefix(30))")
            }
        }
    }

    /// Random text over every range the byte path takes and some it refuses (combining marks, joiners, CR LF,
    /// Hangul jamo, emoji), so both paths and the hand-over between them are compared.
    @Test func randomTextIsSpacedAsByCharacter() {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("CharacterIndexTextTests seed: \(seed)")
        var generator = SplitMix(seed: seed)
        let pools: [ClosedRange<UInt32>] = [
            0x09...0x0D, 0x20...0x7E, 0xA0...0x2FF, 0x300...0x36F, 0x2000...0x206F, 0x3000...0x30FF,
            0x4E00...0x4E80, 0x9FF0...0x9FFF, 0x1100...0x11FF, 0xFF00...0xFFEF, 0x1F1E6...0x1F1FF, 0x1F600...0x1F64F,
        ]
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 12) {
                let pool = pools[Int(generator.next() % UInt64(pools.count))]
                let value = pool.lowerBound + UInt32(generator.next() % UInt64(pool.count))
                if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
            }
            #expect(CharacterIndex.spaced(text) == CharacterIndex.spacedByCharacter(text), "seed \(seed): \(Array(text.unicodeScalars))")
        }
    }

    private struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
