import Foundation
import Testing
@testable import MarginCore

/// The validator's rules, each at its boundary: the last accepted value and the first refused one.
@Suite("Revision validation")
struct RevisionValidatorTests {
    static let origin = PeerID(rawValue: "00000000000000a1")
    static let report = Identity.report(title: "某区教育局工作总结")

    static func reportBody(levels: [Int] = [0, 1, 2], title: String = "某区教育局工作总结") -> String {
        var sections: [SectionBody] = []
        var headings: [[String]] = []
        for (index, level) in levels.enumerated() {
            if index == 0 {
                sections.append(SectionBody(id: Identity.preamble(report: report), level: 0, label: "", heading: "", text: "前言", parent: nil))
                headings = [[]]
                continue
            }
            let parentIndex = sections.lastIndex { $0.level < level } ?? 0
            let heading = "标题\(index)"
            let chain = headings[parentIndex] + [heading]
            let id = Identity.section(report: report, headingPath: chain, occurrence: 1)
            sections.append(SectionBody(
                id: id, level: level, label: "\(index)、", heading: heading, text: "\(heading)\n正文\t一段",
                parent: sections[parentIndex].id))
            headings.append(chain)
        }
        return BodyCoding.encode(ReportBody(title: title, sections: sections))
    }

    static func revision(
        record: RecordID = report, kind: RecordKind = .report, parents: [RevisionID] = [], origin: PeerID = origin,
        counter: Int64 = 1, clock: Int64 = 1, author: String = "李伟", createdAt: Int64 = 1_700_000_000_000,
        body: String = reportBody()
    ) -> Revision {
        Revision(
            record: record, kind: kind, parents: parents, origin: origin, counter: counter, clock: clock,
            author: author, createdAt: createdAt, body: body)
    }

    static func rule(of revision: Revision) -> ValidationRule? {
        do {
            try RevisionValidator.validate(revision)
            return nil
        } catch {
            if case let .invalidRevision(_, rule, _) = error.kind { return rule }
            Issue.record("expected a rule, got \(error)")
            return nil
        }
    }

    static func annotation(text: String = "值得对比", anchor: String = "", counter: Int64 = 1, parents: [RevisionID] = []) -> Revision {
        let section = Identity.preamble(report: report).rawValue
        let body = #"{"deleted":false,"report":"\#(report.rawValue)","section":"\#(section)","text":"\#(text)"\#(anchor)}"#
        return revision(
            record: Identity.annotation(origin: origin, counter: counter), kind: .annotation, parents: parents,
            counter: counter, body: body)
    }

    @Test func wellFormedRevisionsOfEveryKnownKindPass() throws {
        try RevisionValidator.validate(Self.revision())
        try RevisionValidator.validate(Self.annotation(anchor: #","anchor":{"end":2,"prefix":"","quote":"前言","start":0,"suffix":""}"#))
        let section = Identity.preamble(report: Self.report)
        let tag = BodyCoding.encode(TagBody(report: Self.report, section: section, tag: "重点", present: true))
        try RevisionValidator.validate(Self.revision(record: Identity.tag("重点", on: section), kind: .tag, body: tag))
    }

    @Test func integersAreBoundedSoNothingCanOverflow() {
        let top = RevisionLimits.maximumInteger
        #expect(Self.rule(of: Self.revision(counter: top, clock: top, createdAt: top)) == nil)
        #expect(Self.rule(of: Self.revision(clock: top + 1)) == .integerRange)
        #expect(Self.rule(of: Self.revision(clock: Int64.max)) == .integerRange)
        #expect(Self.rule(of: Self.revision(counter: 0)) == .integerRange)
        #expect(Self.rule(of: Self.revision(counter: top + 1)) == .integerRange)
        #expect(Self.rule(of: Self.revision(createdAt: -1)) == .integerRange)
        #expect(Self.rule(of: Self.annotation(anchor: #","anchor":{"end":1,"prefix":"","quote":"x","start":2,"suffix":""}"#)) == .integerRange)
    }

    @Test func identifiersHaveOneFormatAndAreASCII() {
        #expect(Self.rule(of: Self.revision(origin: PeerID(rawValue: "00000000000000A1"))) == .identifier)
        #expect(Self.rule(of: Self.revision(origin: PeerID(rawValue: "a1"))) == .identifier)
        #expect(Self.rule(of: Self.revision(record: RecordID(rawValue: "r\u{0}1"))) == .identifier)
        // NFD “é” is two scalars, neither of them ASCII: refused rather than merged with the NFC form.
        #expect(Self.rule(of: Self.revision(record: RecordID(rawValue: "cafe\u{301}"))) == .identifier)
        #expect(Self.rule(of: Self.revision(record: RecordID(rawValue: String(repeating: "a", count: 65)))) == .identifier)
        #expect(Self.rule(of: Self.revision(kind: RecordKind(rawValue: "Report"))) == .identifier)
        #expect(Self.rule(of: Self.revision(parents: [RevisionID(rawValue: "abc")])) == .identifier)
    }

    @Test func stringsHoldNoControlCharactersAndAreNeverNormalized() throws {
        #expect(Self.rule(of: Self.revision(author: "li\u{0}wei")) == .string)
        #expect(Self.rule(of: Self.revision(author: "li\nwei")) == .string)
        #expect(Self.rule(of: Self.revision(author: String(repeating: "名", count: 100))) == .size)
        #expect(Self.rule(of: Self.annotation(text: #"a\u0000b"#)) == .string)
        #expect(Self.rule(of: Self.annotation(text: #"a\rb"#)) == .string)
        #expect(Self.rule(of: Self.annotation(text: #"line one\nline\ttwo"#)) == nil)
        // The NFC and NFD forms of one author are both valid and hash differently: two values, never merged.
        let composed = Self.revision(author: "Andr\u{E9}")
        let decomposed = Self.revision(author: "Andre\u{301}")
        #expect(Self.rule(of: composed) == nil && Self.rule(of: decomposed) == nil)
        #expect(composed.id != decomposed.id)
    }

    @Test func parentsAreSortedUniqueAndBounded() {
        let a = RevisionID(rawValue: String(repeating: "a", count: 64))
        let b = RevisionID(rawValue: String(repeating: "b", count: 64))
        let annotation = Self.annotation(counter: 2, parents: [a, b])
        #expect(Self.rule(of: annotation) == nil)
        var unsorted = annotation
        unsorted.parents = [b, a]
        unsorted.id = RevisionHasher.hash(of: unsorted)
        #expect(Self.rule(of: unsorted) == .parents)
        var repeated = annotation
        repeated.parents = [a, a]
        repeated.id = RevisionHasher.hash(of: repeated)
        #expect(Self.rule(of: repeated) == .parents)
    }

    @Test func theHashMustMatch() {
        var revision = Self.revision()
        revision.author = "someone else"
        #expect(throws: MarginCoreError.self) { try RevisionValidator.validate(revision) }
        do {
            try RevisionValidator.validate(revision)
        } catch {
            guard case .hashMismatch = error.kind else { Issue.record("expected a hash mismatch, got \(error)"); return }
        }
    }

    @Test func reportSectionsFormATreeOfBoundedDepthWithDerivedIds() throws {
        #expect(Self.rule(of: Self.revision(body: Self.reportBody(levels: [0, 1, 2, 3, 4, 5, 6, 7, 8]))) == nil)
        var body = try JSONSerialization.jsonObject(with: Data(Self.reportBody().utf8)) as! [String: Any]
        func withSections(_ change: (inout [[String: Any]]) -> Void) -> String {
            var copy = body
            var sections = copy["sections"] as! [[String: Any]]
            change(&sections)
            copy["sections"] = sections
            let data = try! JSONSerialization.data(withJSONObject: copy, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        #expect(Self.rule(of: Self.revision(body: withSections { $0[1]["level"] = 1_000_000_000 })) == .sectionTree)
        #expect(Self.rule(of: Self.revision(body: withSections { $0[1]["level"] = 9 })) == .sectionTree)
        #expect(Self.rule(of: Self.revision(body: withSections { $0[1]["level"] = -1 })) == .sectionTree)
        #expect(Self.rule(of: Self.revision(body: withSections { $0[2]["id"] = $0[1]["id"] })) == .sectionTree)
        #expect(Self.rule(of: Self.revision(body: withSections { $0[1]["parent"] = $0[2]["id"] })) == .sectionTree)
        // A section id borrowed from another report (or made up) is not the one this report derives.
        #expect(Self.rule(of: Self.revision(body: withSections { $0[2]["id"] = String(repeating: "c", count: 32) })) == .derivedIdentity)
        #expect(Self.rule(of: Self.revision(body: withSections { $0[1]["level"] = "1" })) == .bodyShape)
        #expect(Self.rule(of: Self.revision(body: withSections { $0[1]["heading"] = "a\u{1}b" })) == .string)
        body["sections"] = []
        #expect(Self.rule(of: Self.revision(body: String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))) == .size)
    }

    @Test func aReportsRemovedMarkIsABooleanOrAbsent() throws {
        var body = try JSONSerialization.jsonObject(with: Data(Self.reportBody().utf8)) as! [String: Any]
        func withRemoved(_ value: Any?) -> String {
            body["removed"] = value
            let data = try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        #expect(Self.rule(of: Self.revision(body: withRemoved(true))) == nil)
        #expect(Self.rule(of: Self.revision(body: withRemoved(NSNull()))) == nil)
        #expect(Self.rule(of: Self.revision(body: withRemoved("yes"))) == .bodyShape)
        #expect(Self.rule(of: Self.revision(body: withRemoved(1))) == .bodyShape)
    }

    @Test func headingsInNFCAndNFDAreTwoPaths() throws {
        let preamble = SectionBody(id: Identity.preamble(report: Self.report), level: 0, label: "", heading: "", text: "", parent: nil)
        let headings = ["caf\u{E9}", "cafe\u{301}"]
        let sections = [preamble] + headings.map { heading in
            SectionBody(
                id: Identity.section(report: Self.report, headingPath: [heading], occurrence: 1), level: 1, label: "一、",
                heading: heading, text: heading, parent: preamble.id)
        }
        #expect(sections[1].id != sections[2].id)
        try RevisionValidator.validate(Self.revision(body: BodyCoding.encode(ReportBody(title: "t", sections: sections))))
    }

    @Test func derivedRecordIdentitiesAreChecked() {
        let section = Identity.preamble(report: Self.report)
        let tag = BodyCoding.encode(TagBody(report: Self.report, section: section, tag: "重点", present: true))
        #expect(Self.rule(of: Self.revision(record: Identity.tag("其他", on: section), kind: .tag, body: tag)) == .derivedIdentity)
        var annotation = Self.annotation()
        annotation.record = Identity.annotation(origin: Self.origin, counter: 7)
        annotation.id = RevisionHasher.hash(of: annotation)
        #expect(Self.rule(of: annotation) == .derivedIdentity)
    }

    @Test func bodiesAreStrictJSONObjects() {
        let cases: [(String, ValidationRule)] = [
            (#"{"a":1,"a":2}"#, .bodyShape),
            (#"{"a":"\ud800"}"#, .bodyShape),
            (#"{"a":1} {"b":2}"#, .bodyShape),
            (#"[1,2]"#, .bodyShape),
            (String(repeating: "[", count: 40) + String(repeating: "]", count: 40), .bodyShape),
            ("{\"a\":\"\u{1}\"}", .bodyShape),
        ]
        for (body, rule) in cases {
            #expect(Self.rule(of: Self.revision(kind: RecordKind(rawValue: "bookmark"), body: body)) == rule, "\(body)")
        }
        #expect(Self.rule(of: Self.revision(body: String(repeating: " ", count: RevisionLimits.maximumBodyBytes + 1))) == .size)
    }

    @Test func unknownKindsAndUnknownFieldsPass() throws {
        try RevisionValidator.validate(Self.revision(kind: RecordKind(rawValue: "bookmark"), body: #"{"page":3,"nested":{"x":[1,2.5,null]}}"#))
        let extra = Self.annotation(anchor: #","color":"yellow""#)
        try RevisionValidator.validate(extra)
        #expect(!RecordKind(rawValue: "bookmark").isKnown && RecordKind.tag.isKnown)
    }

    @Test func theClockGrowsAlongEveryParentEdge() throws {
        let child = Self.annotation(counter: 2, parents: [RevisionID(rawValue: String(repeating: "a", count: 64))])
        try RevisionValidator.validate(child, parentClocks: [0])
        #expect(throws: MarginCoreError.self) { try RevisionValidator.validate(child, parentClocks: [child.clock]) }
    }

    @Test func stringsFullOfEscapesParseWhole() throws {
        let count = 200_000
        let value = try StrictJSON.parse("{\"text\":\"" + String(repeating: #"a\n"#, count: count) + "\"}")
        guard case let .string(text)? = value["text"] else { Issue.record("no text"); return }
        #expect(text.utf8.count == 2 * count && text.hasSuffix("a\n"))
    }

    @Test func strictJSONKeepsScalarsAndOrder() throws {
        let value = try StrictJSON.parse(#" {"b":"\u00e9","a":[true,false,null,-0,12,1.5e3],"c":"e\u0301"} "#)
        guard case let .object(members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a", "c"])
        #expect(value["b"] != value["c"])
        #expect(value["a"] == .array([.bool(true), .bool(false), .null, .integer(0), .integer(12), .number("1.5e3")]))
        #expect(throws: StrictJSON.Failure.self) { try StrictJSON.parse(#"{"é":1,"é":2}"#) }
        // Precomposed and decomposed keys are different keys.
        #expect(throws: Never.self) { try StrictJSON.parse("{\"\u{E9}\":1,\"e\u{301}\":2}") }
    }

    /// Keys are compared one by one in small objects and through a set past ``StrictJSON/KeySet/linearLimit``
    /// members: a repeated key is refused wherever it falls, and many distinct keys (some equivalent, never equal)
    /// are all kept.
    @Test func repeatedKeysAreFoundInObjectsOfAnySize() throws {
        for count in [1, 2, StrictJSON.KeySet.linearLimit - 1, StrictJSON.KeySet.linearLimit,
            StrictJSON.KeySet.linearLimit + 1, 200]
        {
            let keys = (0..<count).map { $0 % 2 == 0 ? "k\($0)\u{E9}" : "k\($0 - 1)e\u{301}" }
            let distinct = "{" + keys.map { "\"\($0)\":1" }.joined(separator: ",") + "}"
            guard case let .object(members) = try StrictJSON.parse(distinct) else { Issue.record("not an object"); return }
            #expect(members.map(\.key).elementsEqual(keys) { $0.unicodeScalars.elementsEqual($1.unicodeScalars) })
            for repeated in Set([0, count / 2, count - 1]) {
                let text = "{" + (keys + [keys[repeated]]).map { "\"\($0)\":1" }.joined(separator: ",") + "}"
                #expect(throws: StrictJSON.Failure.self, "\(count) keys, key \(repeated) again") {
                    try StrictJSON.parse(text)
                }
            }
        }
    }
}

@Suite("Canonical JSON and fields from newer peers")
struct CanonicalJSONTests {
    @Test func canonicalTextIsWhatTheBodyEncoderWrites() throws {
        let body = AnnotationBody(
            report: RecordID(rawValue: "r"), section: SectionID(rawValue: "s"),
            text: "引号\"反斜杠\\ 斜杠/ 控制\u{1}\u{8}\t\n\u{C}\r\u{7F} e\u{301} 😀",
            anchor: TextAnchor(quote: "q", prefix: "", suffix: "", start: 0, end: 1))
        let encoded = BodyCoding.encode(body)
        #expect(try StrictJSON.parse(encoded).canonicalText == encoded)
    }

    @Test func anEditKeepsTheFieldsANewerPeerAdded() throws {
        let original = #"{"color":"yellow","deleted":false,"extra":{"b":[1,2.5]},"report":"r","section":"s","text":"old"}"#
        var body = try BodyCoding.decode(AnnotationBody.self, from: original, kind: .annotation)
        body.text = "new"
        let edited = BodyCoding.encode(body, keepingUnknownFieldsOf: original)
        #expect(edited == #"{"color":"yellow","deleted":false,"extra":{"b":[1,2.5]},"report":"r","section":"s","text":"new"}"#)
        // A field this version knows and clears (the anchor) is not brought back from the original.
        let anchored = #"{"anchor":{"end":1,"prefix":"","quote":"q","start":0,"suffix":""},"deleted":false,"report":"r","section":"s","text":"t"}"#
        var cleared = try BodyCoding.decode(AnnotationBody.self, from: anchored, kind: .annotation)
        cleared.anchor = nil
        #expect(!BodyCoding.encode(cleared, keepingUnknownFieldsOf: anchored).contains("anchor"))
    }
}
