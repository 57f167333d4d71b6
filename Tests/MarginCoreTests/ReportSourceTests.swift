import Foundation
import Testing
@testable import MarginCore

@Suite("Report sources: the file a report came from, in its body and in its identity")
struct ReportSourceTests {
    typealias V = RevisionValidatorTests

    @Test func theIdentityDependsOnFileTitleAndOccurrence() {
        let east = Identity.report(file: "东城区.txt", title: "2024年工作总结")
        #expect(east == Identity.report(file: "东城区.txt", title: "2024年工作总结", occurrence: 1))
        #expect(east != Identity.report(file: "西城区.txt", title: "2024年工作总结"))
        #expect(east != Identity.report(file: "东城区.txt", title: "2024年工作总结", occurrence: 2))
        #expect(east != Identity.report(title: "2024年工作总结"))
        #expect(east.rawValue.count == Identity.length)
    }

    @Test func theWorkedValuesOfTheProtocolHold() {
        // Protocol/PROTOCOL.md §3.4: the old derivation is unchanged, and the one from a file.
        #expect(Identity.report(title: "2024年度工作总结").rawValue == "86e9c7fd5f509a1aa7d9321be6466559")
        #expect(Identity.report(file: "2024年度工作总结.txt", title: "2024年度工作总结").rawValue == "a0befed649ad58bc514a4858c36970ea")
        #expect(ReportSource(file: "2024年度工作总结.txt", title: "2024年度工作总结", occurrence: 1).derivedIdentity.rawValue
            == "a0befed649ad58bc514a4858c36970ea")
    }

    @Test func aFileIsKnownByItsComposedBaseName() {
        #expect(ReportSource.fileName(of: "/home/li/报告/东城区.txt") == "东城区.txt")
        #expect(ReportSource.fileName(of: "Cafe\u{301}.txt").unicodeScalars.elementsEqual("Caf\u{E9}.txt".unicodeScalars))
        #expect(ReportSource.fileName(of: "a\u{7}b.txt") == "a\u{FFFD}b.txt")
    }

    @Test func aBodyWithoutASourceEncodesAsBefore() throws {
        let body = try BodyCoding.decode(ReportBody.self, from: V.reportBody(), kind: .report)
        #expect(body.source == nil)
        #expect(BodyCoding.encode(body) == V.reportBody())
        var sourced = body
        sourced.source = ReportSource(file: "东城区.txt", title: "某区教育局工作总结", occurrence: 2)
        let encoded = BodyCoding.encode(sourced)
        #expect(encoded.contains(#""source":{"file":"东城区.txt","occurrence":2,"title":"某区教育局工作总结"}"#))
        #expect(try BodyCoding.decode(ReportBody.self, from: encoded, kind: .report) == sourced)
    }

    /// `body` with a `source` member whose JSON text is `source`.
    static func body(source: String) -> String {
        var text = V.reportBody()
        text.removeLast()
        return text + #","source":"# + source + "}"
    }

    @Test func aWellFormedSourceIsAccepted() {
        #expect(V.rule(of: V.revision(body: Self.body(source: #"{"file":"东城区.txt","occurrence":1,"title":"总结"}"#))) == nil)
        #expect(V.rule(of: V.revision(body: Self.body(source: "null"))) == nil)
    }

    @Test("a malformed source is refused", arguments: [
        (#""东城区.txt""#, ValidationRule.bodyShape),
        (#"{"file":"","occurrence":1,"title":"总结"}"#, .bodyShape),
        (#"{"file":"a.txt","title":"总结"}"#, .bodyShape),
        (#"{"file":"a.txt","occurrence":0,"title":"总结"}"#, .integerRange),
        (#"{"file":"a\nb.txt","occurrence":1,"title":"总结"}"#, .string),
        (#"{"file":"a.txt","occurrence":"1","title":"总结"}"#, .bodyShape),
    ])
    func malformedSource(_ source: String, _ rule: ValidationRule) {
        #expect(V.rule(of: V.revision(body: Self.body(source: source))) == rule)
    }

    @Test func aMalformedSourceAlreadyStoredReadsAsAbsent() throws {
        let body = try BodyCoding.decode(ReportBody.self, from: Self.body(source: #"{"file":7}"#), kind: .report)
        #expect(body.source == nil)
        #expect(body.sections.count == 3)
    }
}
