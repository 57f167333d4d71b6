import Foundation
import MarginCore
import SyncProtocol
import Testing

/// The direct reading of revision pages (``RevisionPageDecoding``) gives exactly what `JSONDecoder` gives, or
/// declines and leaves the message to `JSONDecoder`.
@Suite struct RevisionPageDecodingTests {
    @Test func randomPagesReadDirectlyEqualJSONDecoderToTheScalar() throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("RevisionPageDecodingTests seed \(seed)")
        let dice = Dice(seed: seed)
        let encoders: [(String, JSONEncoder)] = [
            ("wire", SyncCoding.encoder()),
            ("default", JSONEncoder()),
            ("pretty", { let e = JSONEncoder(); e.outputFormatting = [.prettyPrinted]; return e }()),
        ]
        for round in 0..<60 {
            let revisions = (0..<dice.below(25)).map { _ in Self.randomRevision(dice) }
            let push = PushRequest(from: PeerID(rawValue: Self.randomText(dice)), revisions: revisions)
            let answer = SyncResponse(
                peer: PeerID(rawValue: "server"), have: VersionVector(), revisions: revisions,
                more: dice.below(2) == 0, maxBodyBytes: 1_000_000, accounts: ["k": "甲"])
            for (name, encoder) in encoders {
                let pushData = try encoder.encode(push)
                let direct = try #require(
                    RevisionPageDecoding.decode(PushRequest.self, from: pushData), "round \(round), \(name) push")
                let reference = try JSONDecoder().decode(PushRequest.self, from: pushData)
                #expect(Self.sameScalars(direct.revisions, reference.revisions), "round \(round), \(name) push")
                #expect(direct.from.rawValue.unicodeScalars.elementsEqual(reference.from.rawValue.unicodeScalars))
                #expect(direct.protocol == reference.protocol && direct.signatures == reference.signatures)

                let answerData = try encoder.encode(answer)
                let directAnswer = try #require(
                    RevisionPageDecoding.decode(SyncResponse.self, from: answerData), "round \(round), \(name) answer")
                let referenceAnswer = try JSONDecoder().decode(SyncResponse.self, from: answerData)
                #expect(Self.sameScalars(directAnswer.revisions, referenceAnswer.revisions))
                var withoutRevisions = (directAnswer, referenceAnswer)
                withoutRevisions.0.revisions = []
                withoutRevisions.1.revisions = []
                #expect(withoutRevisions.0 == withoutRevisions.1, "round \(round), \(name) answer")
                #expect(Self.sameScalars(try SyncCoding.decode(SyncResponse.self, from: answerData).revisions, revisions))
            }
        }
    }

    @Test func jsonEscapesAndWhitespaceAreReadDirectly() throws {
        let text = """
             { "protocol" : 2 , "from" : "p\\u00e9er", "signatures": [],
              "revisions" : [ { "id" : "a\\/b", "record" : "r", "kind" : "annotation", "parents" : [ "x" , "y" ],
                "origin" : "o", "counter" : 9223372036854775807, "clock" : -9223372036854775808, "author" : "\\ud83d\\ude00 甲",
                "createdAt" : 0, "body" : "{\\"text\\":\\"\\b\\f\\n\\r\\t\\\\ \\u0000 \\u2028\\"}" } ] }\t
            """
        let data = Data(text.utf8)
        let direct = try #require(RevisionPageDecoding.decode(PushRequest.self, from: data))
        let reference = try JSONDecoder().decode(PushRequest.self, from: data)
        #expect(Self.sameScalars(direct.revisions, reference.revisions))
        let revision = try #require(direct.revisions.first)
        #expect(revision.id.rawValue == "a/b")
        #expect(revision.author == "😀 甲")
        #expect(revision.counter == Int64.max && revision.clock == Int64.min)
        #expect(revision.parents.map(\.rawValue) == ["x", "y"])
        #expect(Array(revision.body.utf8) == Array("{\"text\":\"\u{8}\u{C}\n\r\t\\ \u{0} \u{2028}\"}".utf8))
        #expect(direct.from.rawValue == "péer")
    }

    /// Texts the direct reading declines, each with what `JSONDecoder` makes of it; `SyncCoding.decode` answers as
    /// `JSONDecoder` does, accepting or refusing.
    @Test(arguments: [
        ("an unknown field", #""extra": 1, "counter": 1"#),
        ("a repeated field", #""counter": 1, "counter": 2"#),
        ("an exponent", #""counter": 1e3"#),
        ("a fraction", #""counter": 1.0"#),
        ("minus zero", #""counter": -0"#),
        ("a leading zero", #""counter": 01"#),
        ("a counter past Int64", #""counter": 9223372036854775808"#),
        ("a counter written as text", #""counter": "1""#),
        ("a missing field", #""clock2": 1"#),
        ("an escaped key", #""\u0063ounter": 1"#),
    ])
    func declinedRevisionsAreLeftToJSONDecoder(_ example: (name: String, fields: String)) throws {
        let data = Data(Self.push(fields: example.fields).utf8)
        #expect(RevisionPageDecoding.decode(PushRequest.self, from: data) == nil, "\(example.name)")
        try Self.expectSameOutcome(data, example.name)
    }

    @Test(arguments: [
        ("revisions named twice", #"{"protocol": 2, "from": "p", "revisions": [], "revisions": []}"#),
        ("no revisions", #"{"protocol": 2, "from": "p"}"#),
        ("text after the message", #"{"protocol": 2, "from": "p", "revisions": []} x"#),
        ("an array", #"[]"#),
        ("an unterminated message", #"{"protocol": 2, "from": "p", "revisions": ["#),
        ("a lone high surrogate in a revision", Self.push(fields: #""counter": 1"#).replacingOccurrences(of: "甲", with: #"\ud800"#)),
        ("a lone low surrogate in a revision", Self.push(fields: #""counter": 1"#).replacingOccurrences(of: "甲", with: #"\udc00"#)),
        ("a raw control character in a revision", Self.push(fields: #""counter": 1"#).replacingOccurrences(of: "甲", with: "\u{1}")),
    ])
    func declinedMessagesAreLeftToJSONDecoder(_ example: (name: String, text: String)) throws {
        let data = Data(example.text.utf8)
        #expect(RevisionPageDecoding.decode(PushRequest.self, from: data) == nil, "\(example.name)")
        try Self.expectSameOutcome(data, example.name)
    }

    @Test func invalidUTF8IsDeclined() throws {
        var bytes = Array(Self.push(fields: #""counter": 1"#).utf8)
        let index = try #require(bytes.firstIndex(of: UInt8(ascii: "A")))
        bytes[index] = 0xFF
        let data = Data(bytes)
        #expect(RevisionPageDecoding.decode(PushRequest.self, from: data) == nil)
        try Self.expectSameOutcome(data, "invalid UTF-8")
    }

    // MARK: Helpers

    /// A push of one revision whose other fields are valid, with `fields` in place of its counter.
    static func push(fields: String) -> String {
        """
        {"protocol": 2, "from": "p", "revisions": [{"id": "i", "record": "r", "kind": "tag", "parents": [],
        "origin": "o", \(fields), "clock": 3, "author": "A 甲", "createdAt": 4, "body": "{}"}]}
        """
    }

    /// `SyncCoding.decode` accepts what `JSONDecoder` accepts, with the same revisions, and refuses what it refuses.
    static func expectSameOutcome(_ data: Data, _ name: String) throws {
        let reference = Result { try JSONDecoder().decode(PushRequest.self, from: data) }
        let decoded = Result { try SyncCoding.decode(PushRequest.self, from: data) }
        switch (reference, decoded) {
        case let (.success(expected), .success(actual)):
            #expect(sameScalars(actual.revisions, expected.revisions), "\(name)")
        case (.failure, .failure):
            break
        default:
            Issue.record("\(name): JSONDecoder gave \(reference), SyncCoding.decode gave \(decoded)")
        }
    }

    static func sameScalars(_ a: [Revision], _ b: [Revision]) -> Bool {
        func fields(_ r: Revision) -> [String] {
            [r.id.rawValue, r.record.rawValue, r.kind.rawValue, r.origin.rawValue, r.author, r.body]
                + r.parents.map(\.rawValue)
        }
        return a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.counter == y.counter && x.clock == y.clock && x.createdAt == y.createdAt
                && x.parents.count == y.parents.count
                && zip(fields(x), fields(y)).allSatisfy { Array($0.utf8) == Array($1.utf8) }
        }
    }

    static func randomRevision(_ dice: Dice) -> Revision {
        let integers: [Int64] = [0, 1, -1, Int64.max, Int64.min, 1_700_000_000_000, -42]
        func integer() -> Int64 {
            dice.below(2) == 0
                ? integers[dice.below(integers.count)] : Int64(bitPattern: dice.generator.next())
        }
        return Revision(
            id: RevisionID(rawValue: randomText(dice)), record: RecordID(rawValue: randomText(dice)),
            kind: RecordKind(rawValue: randomText(dice)),
            parents: (0..<dice.below(4)).map { _ in RevisionID(rawValue: randomText(dice)) },
            origin: PeerID(rawValue: randomText(dice)), counter: integer(), clock: integer(),
            author: randomText(dice), createdAt: integer(), body: randomText(dice))
    }

    /// Text mixing what needs escaping in JSON with plain, multi-byte, astral and combining characters.
    static func randomText(_ dice: Dice) -> String {
        let pieces = [
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\r", "\u{0}", "\u{1F}", "\u{7F}", "甲", "报告", "é",
            "e\u{301}", "😀", "\u{2028}", "\u{FEFF}", "{\"text\":\"x\"}", "\u{10FFFF}",
        ]
        return String((0..<dice.below(12)).map { _ in pieces[dice.below(pieces.count)] }.joined())
    }
}
