import Foundation
import MarginCore
import SyncProtocol
import Testing

/// The direct reading of revision pages (``RevisionPageDecoding``) is what a client runs on every byte a server
/// sends, and a server on every push: damaged or hostile bytes must never crash it, and whatever it takes it must
/// read exactly as `JSONDecoder` does. Seeded and bounded: the protocol's example pages, each damaged many ways
/// (bytes flipped, replaced by JSON's own punctuation, dropped, doubled, cut short; escapes and numbers bent), each
/// read both ways. `MARGIN_DECODING_FUZZ_SEED=N` replays a run; `MARGIN_DECODING_FUZZ=N` sets the number of damaged
/// pages (40,000).
@Suite struct RevisionPageDecodingFuzzTests {
    static let rounds = ProcessInfo.processInfo.environment["MARGIN_DECODING_FUZZ"].flatMap { Int($0) } ?? 40_000

    @Test func damagedPagesAreReadAsJSONDecoderReadsThemOrDeclined() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["MARGIN_DECODING_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
        print("RevisionPageDecodingFuzzTests seed \(seed) (replay: MARGIN_DECODING_FUZZ_SEED=\(seed))")
        let dice = Dice(seed: seed)
        let examples = SyncTestSupport.examples
        let pushes = try ["03-push.request.json", "04-push-again.request.json", "08-error-hash-mismatch.request.json"]
            .map { Array(try Data(contentsOf: examples.appendingPathComponent($0))) }
        let answers = try ["05-sync-first-page.response.json", "06-sync-next-page.response.json"]
            .map { Array(try Data(contentsOf: examples.appendingPathComponent($0))) }
        var taken = 0
        var declinedButValid = 0
        var mismatches: [String] = []
        for round in 0..<Self.rounds {
            let isPush = dice.below(2) == 0
            var bytes = dice.pick(isPush ? pushes : answers)
            let damage = (0..<(1 + dice.below(3))).map { _ in Self.damage(&bytes, dice) }
            let data = Data(bytes)
            let what = "round \(round) (\(isPush ? "push" : "answer"): \(damage.joined(separator: ", ")))"
            if isPush {
                let direct = RevisionPageDecoding.decode(PushRequest.self, from: data)
                let reference = try? JSONDecoder().decode(PushRequest.self, from: data)
                if let direct {
                    taken += 1
                    if let reference, RevisionPageDecodingTests.sameScalars(direct.revisions, reference.revisions),
                        direct.from.rawValue.unicodeScalars.elementsEqual(reference.from.rawValue.unicodeScalars),
                        direct.protocol == reference.protocol, direct.signatures == reference.signatures
                    {
                        continue
                    }
                    mismatches.append(what + (reference == nil ? ": JSONDecoder refuses it" : ": read differently"))
                } else if reference != nil {
                    declinedButValid += 1
                }
            } else {
                let direct = RevisionPageDecoding.decode(SyncResponse.self, from: data)
                let reference = try? JSONDecoder().decode(SyncResponse.self, from: data)
                if var direct {
                    taken += 1
                    if var reference, RevisionPageDecodingTests.sameScalars(direct.revisions, reference.revisions) {
                        direct.revisions = []
                        reference.revisions = []
                        if direct == reference { continue }
                    }
                    mismatches.append(what + (reference == nil ? ": JSONDecoder refuses it" : ": read differently"))
                } else if reference != nil {
                    declinedButValid += 1
                }
            }
        }
        print("RevisionPageDecodingFuzzTests seed \(seed): \(Self.rounds) damaged pages; read directly \(taken), "
            + "declined though JSONDecoder reads them \(declinedButValid), mismatches \(mismatches.count)")
        #expect(mismatches.isEmpty, "\(mismatches.count) damaged page(s) read otherwise than JSONDecoder: \(mismatches.prefix(3))")
        // The damage must leave many pages readable, or the comparison above compares nothing.
        #expect(taken > Self.rounds / 20, "only \(taken) damaged pages were read directly")
    }

    /// Damages `bytes` one way, and says how.
    static func damage(_ bytes: inout [UInt8], _ dice: Dice) -> String {
        guard !bytes.isEmpty else { return "empty" }
        let at = dice.below(bytes.count)
        switch dice.below(9) {
        case 0:
            let bit = UInt8(1 << dice.below(8))
            bytes[at] ^= bit
            return "flip \(at)"
        case 1:
            let byte = dice.pick(Array(#"{}[],:"\ -+.0159eEtfnu/"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xFF])
            bytes[at] = byte
            return "byte \(at)=\(byte)"
        case 2:
            bytes.remove(at: at)
            return "drop \(at)"
        case 3:
            let length = min(1 + dice.below(12), bytes.count - at)
            bytes.insert(contentsOf: bytes[at..<(at + length)], at: at)
            return "double \(at)+\(length)"
        case 4:
            bytes.removeSubrange(at...)
            return "cut \(at)"
        case 5:
            let escape = dice.pick([#"\u0000"#, #"\ud800"#, #"\udc00"#, #"\ud83d\ude00"#, #"\u00e9"#, #"\/"#, #"\x"#, #"\"#])
            bytes.insert(contentsOf: Array(escape.utf8), at: at)
            return "escape \(at) \(escape)"
        case 6:
            let number = dice.pick(["-0", "1e3", "1.0", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                "00", "+1", "0x10", "1E-2", " 7 "])
            // Over a run of digits, if one starts here.
            var end = at
            while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { end += 1 }
            bytes.replaceSubrange(at..<end, with: Array(number.utf8))
            return "number \(at) \(number)"
        case 7:
            bytes.insert(contentsOf: Array(dice.pick([" ", "\n", "\t", "\r\n", "\u{A0}", "\u{FEFF}"]).utf8), at: at)
            return "space \(at)"
        default:
            let member = dice.pick([#""revisions": [], "#, #""id": "x", "#, #""extra": 1, "#, #""protocol": 2, "#])
            bytes.insert(contentsOf: Array(member.utf8), at: at)
            return "member \(at)"
        }
    }
}
