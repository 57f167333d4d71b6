import Foundation
import Testing

@testable import ReportParser

/// A UTF-8 page with a character cut short (as scraped pages often have) is refused, as before, but the error says
/// where and how to drop the damaged characters; the repaired file imports.
@Suite("UTF-8 with damaged characters")
struct DamagedUTF8Tests {
    static let report = """
        南岭县教育局二〇二四年工作总结

        一、办学条件
        全年改造农村学校厕所十二处，更新课桌椅三千余套。
        二、教师培训
        组织骨干教师赴省城跟岗学习，共四批一百二十人。

        """

    /// The report's bytes with the last byte of the character at `characterOffset` (a three-byte one) removed.
    static func cutCharacter(at characterOffset: Int) -> (bytes: [UInt8], offset: Int) {
        let text = Self.report
        let index = text.index(text.startIndex, offsetBy: characterOffset)
        let byteOffset = text.utf8.distance(from: text.utf8.startIndex, to: index)
        var bytes = Array(text.utf8)
        #expect(text[index].utf8.count == 3)
        bytes.remove(at: byteOffset + 2)
        return (bytes, byteOffset)
    }

    @Test func theErrorNamesTheFirstDamagedByteAndTheRepair() {
        let (bytes, offset) = Self.cutCharacter(at: 30)
        #expect(String(validating: bytes, as: UTF8.self) == nil, "the damage landed")
        let damage = UTF8Damage(bytes)
        #expect(damage == UTF8Damage(firstOffset: offset, firstByte: bytes[offset], places: 1))
        do {
            _ = try TextDecoding.decode(Data(bytes), fileName: "cut.txt")
            Issue.record("a damaged UTF-8 file was read")
        } catch {
            #expect(error.kind == .undecodable)
            #expect(error.description.contains("byte \(offset) (0x\(String(bytes[offset], radix: 16, uppercase: true))) is not valid UTF-8, the only such place"),
                "\(error.description)")
            #expect(error.description.contains("iconv -c -f UTF-8 -t UTF-8"))
        }
    }

    @Test func theRepairTheErrorNamesWorks() throws {
        let (bytes, _) = Self.cutCharacter(at: 30)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("margin-damaged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let damaged = folder.appendingPathComponent("cut.txt")
        try Data(bytes).write(to: damaged)
        let iconv = Process()
        iconv.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        iconv.arguments = ["-c", "-f", "UTF-8", "-t", "UTF-8", damaged.path]
        let output = Pipe()
        iconv.standardOutput = output
        try iconv.run()
        let repaired = output.fileHandleForReading.readDataToEndOfFile()
        iconv.waitUntilExit()
        let text = try TextDecoding.decode(repaired, fileName: "fixed.txt")
        let reports = try ReportParser.parse(text: text, fileName: "fixed.txt")
        #expect(reports.map(\.title) == ["南岭县教育局二〇二四年工作总结"])
        #expect(reports.first?.sections.filter { $0.level == 1 }.count == 2)
    }

    @Test func manyPlacesAreAnotherEncodingNotDamage() {
        // GBK bytes read as UTF-8 fail almost everywhere: that is no damaged UTF-8 file.
        let gbk: [UInt8] = Array(repeating: [0xBD, 0xCC, 0xD3, 0xFD], count: 40).flatMap { $0 }
        #expect(UTF8Damage(gbk) == nil)
        #expect(UTF8Damage(Array(Self.report.utf8)) == nil, "valid UTF-8 has no damage")
    }
}
