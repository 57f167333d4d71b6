import Foundation
import MarginTestSupport
import Testing

@testable import MarginCore

/// Annotation bodies read without `JSONDecoder` (``AnnotationBody/init(strictJSON:)``, and
/// ``AnnotationBody/init(strictValue:)`` from a value already parsed) are exactly what `JSONDecoder` reads, and text
/// the reading declines is decoded as `JSONDecoder` decodes it.
@Suite struct AnnotationBodyReadingTests {
    @Test func randomBodiesReadAsJSONDecoderReadsThem() throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("AnnotationBodyReadingTests seed \(seed)")
        var generator = SplitMix64(seed: seed)
        let pieces = ["a", " ", "\"", "\\", "/", "\n", "\u{0}", "\u{1F}", "\u{7F}", "\u{85}", "甲", "é", "e\u{301}", "😀", "\u{2028}", "{}"]
        func text() -> String {
            (0..<Int.random(in: 0...10, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        }
        for round in 0..<300 {
            let anchor = Bool.random(using: &generator)
                ? TextAnchor(
                    quote: text(), prefix: text(), suffix: text(), start: Int.random(in: 0...1_000, using: &generator),
                    end: Int.random(in: 1_000...Int.max, using: &generator))
                : nil
            let body = AnnotationBody(
                report: RecordID(rawValue: text()), section: SectionID(rawValue: text()), text: text(), anchor: anchor,
                deleted: Bool.random(using: &generator))
            let encoded = BodyCoding.encode(body)
            // Written without `JSONEncoder`, byte for byte as it writes them.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            #expect(Array(encoded.utf8) == Array(try encoder.encode(body)), "round \(round): \(encoded)")
            let read = try #require(AnnotationBody(strictJSON: encoded), "round \(round): \(encoded)")
            let reference = try JSONDecoder().decode(AnnotationBody.self, from: Data(encoded.utf8))
            #expect(Self.sameBytes(read, reference), "round \(round): \(encoded)")
            #expect(Self.sameBytes(try BodyCoding.decode(AnnotationBody.self, from: encoded, kind: .annotation), body))
            // As the check of a received page reads it (the whole text parsed first, at the usual depth).
            let fromValue = try #require(AnnotationBody(strictValue: try StrictJSON.parse(encoded)), "round \(round)")
            #expect(Self.sameBytes(fromValue, reference), "round \(round): \(encoded)")
        }
    }

    /// Texts the reading takes or declines; either way `BodyCoding.decode` gives what `JSONDecoder` gives.
    @Test(arguments: [
        ("a plain note", #"{"deleted":false,"report":"r","section":"s","text":"t"}"#, true),
        ("a null anchor", #"{"anchor":null,"deleted":true,"report":"r","section":"s","text":""}"#, true),
        ("whitespace", #" { "deleted" : false , "report" : "r", "section": "s", "text": "t" } "#, true),
        ("escapes", #"{"deleted":false,"report":"r","section":"s","text":"\u7532\n\"\/"}"#, true),
        ("an anchor", #"{"anchor":{"end":9,"prefix":"p","quote":"q","start":2,"suffix":"s"},"deleted":false,"report":"r","section":"s","text":"t"}"#, true),
        ("an unknown member", #"{"deleted":false,"extra":1,"report":"r","section":"s","text":"t"}"#, false),
        ("a repeated member", #"{"deleted":false,"report":"r","report":"x","section":"s","text":"t"}"#, false),
        ("no deleted", #"{"report":"r","section":"s","text":"t"}"#, false),
        ("deleted as text", #"{"deleted":"no","report":"r","section":"s","text":"t"}"#, false),
        ("a number for the text", #"{"deleted":false,"report":"r","section":"s","text":1}"#, false),
        ("an anchor start with a fraction", #"{"anchor":{"end":9,"prefix":"p","quote":"q","start":2.0,"suffix":"s"},"deleted":false,"report":"r","section":"s","text":"t"}"#, false),
        ("an anchor without its end", #"{"anchor":{"prefix":"p","quote":"q","start":2,"suffix":"s"},"deleted":false,"report":"r","section":"s","text":"t"}"#, false),
        ("an anchor with an extra member", #"{"anchor":{"end":9,"more":0,"prefix":"p","quote":"q","start":2,"suffix":"s"},"deleted":false,"report":"r","section":"s","text":"t"}"#, false),
        ("an anchor as text", #"{"anchor":"q","deleted":false,"report":"r","section":"s","text":"t"}"#, false),
        ("an escaped member name, unescaped as JSONDecoder does", #"{"deleted":false,"\u0072eport":"r","section":"s","text":"t"}"#, true),
        ("a deeply nested unknown member", #"{"deleted":false,"extra":{"a":{"b":[1]}},"report":"r","section":"s","text":"t"}"#, false),
        ("an array", #"[]"#, false),
        ("not JSON", #"{"deleted":false,"#, false),
    ])
    func declinedTextIsLeftToJSONDecoder(_ example: (name: String, text: String, taken: Bool)) throws {
        let read = AnnotationBody(strictJSON: example.text)
        #expect((read != nil) == example.taken, "\(example.name)")
        // The check of a received page parses the whole text first (at the usual depth), then reads the body from
        // the value: it takes and declines the same texts, with the same fields.
        let fromValue = (try? StrictJSON.parse(example.text)).flatMap { AnnotationBody(strictValue: $0) }
        #expect((fromValue != nil) == example.taken, "\(example.name)")
        if let fromValue, let read { #expect(Self.sameBytes(fromValue, read), "\(example.name)") }
        let reference = Result { try JSONDecoder().decode(AnnotationBody.self, from: Data(example.text.utf8)) }
        let decoded = Result { () throws(MarginCoreError) in
            try BodyCoding.decode(AnnotationBody.self, from: example.text, kind: .annotation)
        }
        switch (reference, decoded) {
        case let (.success(expected), .success(actual)):
            #expect(Self.sameBytes(actual, expected), "\(example.name)")
            if let read { #expect(Self.sameBytes(read, expected), "\(example.name)") }
        case (.failure, .failure):
            #expect(read == nil, "\(example.name)")
        default:
            Issue.record("\(example.name): JSONDecoder gave \(reference), BodyCoding.decode gave \(decoded)")
        }
    }

    /// Equal field by field, comparing text as bytes (Swift's `==` on strings is canonical equivalence).
    static func sameBytes(_ a: AnnotationBody, _ b: AnnotationBody) -> Bool {
        func texts(_ body: AnnotationBody) -> [String] {
            [body.report.rawValue, body.section.rawValue, body.text]
                + (body.anchor.map { [$0.quote, $0.prefix, $0.suffix] } ?? [])
        }
        return a.deleted == b.deleted && a.anchor?.start == b.anchor?.start && a.anchor?.end == b.anchor?.end
            && (a.anchor == nil) == (b.anchor == nil)
            && texts(a).count == texts(b).count
            && zip(texts(a), texts(b)).allSatisfy { Array($0.utf8) == Array($1.utf8) }
    }
}
