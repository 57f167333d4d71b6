import Foundation
import Testing
@testable import ReportParser

@Suite("Decoding and error reporting")
struct DecodingTests {
    /// 002 has four reports and headings of every kind we decode, so it is a good probe.
    static let probe = Seeds.fileNames.first { $0.hasPrefix("002") } ?? "002"

    static func reference() throws -> [ParsedReport] {
        try ReportParser.parse(data: Seeds.data(probe), fileName: probe)
    }

    static func utf16(_ text: String, bigEndian: Bool) -> Data {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let hi = UInt8(unit >> 8), lo = UInt8(unit & 0xFF)
            bytes += bigEndian ? [hi, lo] : [lo, hi]
        }
        return Data(bytes)
    }

    @Test func utf8WithBOM() throws {
        let data = Data([0xEF, 0xBB, 0xBF]) + (try Seeds.data(Self.probe))
        #expect(try ReportParser.parse(data: data, fileName: "bom.txt") == Self.reference())
    }

    @Test(arguments: [false, true])
    func utf16WithBOM(bigEndian: Bool) throws {
        let data = Self.utf16(try Seeds.text(Self.probe), bigEndian: bigEndian)
        #expect(try ReportParser.parse(data: data, fileName: "utf16.txt") == Self.reference())
    }

    @Test func gb18030() throws {
        let url = Seeds.fixturesDirectory.appendingPathComponent("002.gb18030.txt")
        let data = try Data(contentsOf: url)
        #expect(String(validating: [UInt8](data), as: UTF8.self) == nil, "fixture must not be valid UTF-8")
        #expect(try ReportParser.parse(data: data, fileName: "gb.txt") == Self.reference())
    }

    @Test(arguments: ["\r\n", "\r"])
    func lineEndings(separator: String) throws {
        let text = try Seeds.text(Self.probe).replacingOccurrences(of: "\n", with: separator)
        #expect(try ReportParser.parse(data: Data(text.utf8), fileName: "crlf.txt") == Self.reference())
        #expect(try ReportParser.parse(text: text, fileName: "crlf.txt") == Self.reference())
    }

    @Test func bomIsStrippedFromText() throws {
        #expect(try TextDecoding.decode(Data([0xEF, 0xBB, 0xBF, 0x41]), fileName: "a.txt") == "A")
        #expect(try TextDecoding.decode(Data("\u{FEFF}a\r\nb\rc".utf8), fileName: "a.txt") == "a\nb\nc")
    }

    @Test(arguments: [Data(), Data("  \n\u{3000}\r\n\t".utf8)])
    func emptyFile(data: Data) {
        #expect {
            try ReportParser.parse(data: data, fileName: "empty.txt")
        } throws: { error in
            guard let error = error as? ReportParserError else { return false }
            return error.kind == .emptyFile && error.description.contains("empty.txt")
        }
    }

    @Test func binaryWithNULs() {
        var generator = SplitMix64(seed: 42)
        var bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        bytes[0] = 0x41 // not a BOM
        bytes[100] = 0
        do throws(ReportParserError) {
            _ = try ReportParser.parse(data: Data(bytes), fileName: "notes.bin")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .binaryFile)
            #expect(error.description == "notes.bin does not look like text (it contains NUL bytes); import plain-text report files (UTF-8, UTF-16 with BOM, or GB18030).")
        }
    }

    @Test func mostlyControlCharacters() {
        let bytes = [UInt8](repeating: 0x01, count: 200) + Array("篇一:工作总结\n".utf8)
        #expect(throws: ReportParserError(.binaryFile, fileName: "ctl.bin", detail: "it consists mostly of control characters")) {
            try ReportParser.parse(data: Data(bytes), fileName: "ctl.bin")
        }
    }

    @Test func textWithoutReport() {
        let text = "今天天气很好，我们去公园散步。\n\n公园里有很多人。\n"
        do throws(ReportParserError) {
            _ = try ReportParser.parse(data: Data(text.utf8), fileName: "diary.txt")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .noReportFound)
            #expect(error.description.hasPrefix("diary.txt contains no recognisable report"))
        }
    }

    @Test func furnitureOnlyHasNoReport() {
        let text = "当前位置: 首页 > 范文 > 正文\n\n相关范文\n\n教育局工作总结03-11\n"
        #expect(throws: ReportParserError(.noReportFound, fileName: "nav.html")) {
            try ReportParser.parse(text: text, fileName: "nav.html")
        }
    }

    @Test func undecodableBytes() {
        // 0xFF is invalid in both UTF-8 and GB18030.
        let data = Data([0x41, 0xFF, 0xFF, 0x41, 0x0A])
        #expect(throws: ReportParserError(.undecodable, fileName: "bad.txt")) {
            try ReportParser.parse(data: data, fileName: "bad.txt")
        }
    }

    @Test func emptyTextViaTextEntryPoint() {
        #expect(throws: ReportParserError(.emptyFile, fileName: "t.txt", detail: "it contains only whitespace")) {
            try ReportParser.parse(text: "\u{FEFF}\u{3000}\r\n", fileName: "t.txt")
        }
    }

    @Test func everyErrorDescriptionNamesTheFile() {
        for kind in [ReportParserError.Kind.emptyFile, .binaryFile, .undecodable, .noReportFound] {
            let description = ReportParserError(kind, fileName: "x/y.txt").description
            #expect(description.hasPrefix("x/y.txt "))
            #expect(description.hasSuffix("."))
            #expect(description.contains(";"))
        }
    }
}

/// Deterministic pseudo-random bytes so the binary test never flakes.
struct SplitMix64 {
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
