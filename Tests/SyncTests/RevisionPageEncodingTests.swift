import Foundation
import MarginCore
import SyncProtocol
import Testing

/// The direct writing of revision pages (``RevisionPageEncoding``) gives exactly the bytes `JSONEncoder` gives with
/// the wire's settings.
@Suite struct RevisionPageEncodingTests {
    @Test func randomPagesEqualJSONEncoderByteForByte() throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("RevisionPageEncodingTests seed \(seed)")
        let dice = Dice(seed: seed)
        let reference = SyncCoding.encoder()
        for round in 0..<80 {
            let revisions = (0..<dice.below(25)).map { _ in RevisionPageDecodingTests.randomRevision(dice) }
            let proofs = (0..<dice.below(3)).map { _ in
                ChainProof(
                    origin: PeerID(rawValue: RevisionPageDecodingTests.randomText(dice)), counter: Int64(dice.below(9)),
                    key: SigningKeyID(rawValue: RevisionPageDecodingTests.randomText(dice)), signature: "ab",
                    tail: dice.below(2) == 0 ? [] : [RevisionID(rawValue: RevisionPageDecodingTests.randomText(dice))])
            }
            let push = PushRequest(
                from: PeerID(rawValue: RevisionPageDecodingTests.randomText(dice)), revisions: revisions,
                signatures: proofs)
            #expect(try RevisionPageEncoding.encode(push) == reference.encode(push), "round \(round), push")
            #expect(try SyncCoding.encode(push) == reference.encode(push), "round \(round), push")

            let have = VersionVector(Dictionary(
                revisions.map { ($0.origin, Int64(dice.below(1_000))) }, uniquingKeysWith: max))
            let answer = SyncResponse(
                peer: PeerID(rawValue: "server"), have: have, revisions: revisions, more: dice.below(2) == 0,
                maxBodyBytes: 1_000_000,
                originHead: dice.below(2) == 0 ? nil : OriginHead(counter: 7, id: RevisionID(rawValue: "h/\"")),
                signatures: proofs, accounts: dice.below(2) == 0 ? [:] : ["k": "甲", "revisions": "[]"])
            let encoded = try RevisionPageEncoding.encode(answer)
            #expect(encoded == (try reference.encode(answer)), "round \(round), answer")
            // And it reads back as what was sent.
            let decoded = try SyncCoding.decode(SyncResponse.self, from: encoded)
            #expect(RevisionPageDecodingTests.sameScalars(decoded.revisions, revisions), "round \(round), answer")
        }
    }

    @Test func everyEscapedCharacterIsWrittenAsJSONEncoderWritesIt() throws {
        var text = ""
        for value in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(value)!) }
        text += "\u{7F}\"\\/\u{2028}\u{2029}é😀\u{FEFF}\u{10FFFF}"
        let revision = Revision(
            id: RevisionID(rawValue: text), record: RecordID(rawValue: "r"), kind: .annotation,
            parents: [RevisionID(rawValue: text), RevisionID(rawValue: "")], origin: PeerID(rawValue: "o"),
            counter: Int64.max, clock: Int64.min, author: text, createdAt: 0, body: text)
        let push = PushRequest(from: PeerID(rawValue: "p"), revisions: [revision, revision])
        let bytes = try RevisionPageEncoding.encode(push)
        #expect(bytes == (try SyncCoding.encoder().encode(push)))
        let written = String(decoding: bytes, as: UTF8.self)
        #expect(written.contains(#"\u0000\u0001"#) && written.contains(#"\b\t\n\u000b\f\r"#))
        #expect(written.contains("\u{7F}\\\"\\\\/\u{2028}"))
    }

    @Test func anEmptyPageIsTheEncodersToo() throws {
        let push = PushRequest(from: PeerID(rawValue: "p"), revisions: [])
        #expect(try RevisionPageEncoding.encode(push) == SyncCoding.encoder().encode(push))
        let text = String(decoding: try SyncCoding.encode(push), as: UTF8.self)
        #expect(text == #"{"from":"p","protocol":2,"revisions":[],"signatures":[]}"#)
    }
}
