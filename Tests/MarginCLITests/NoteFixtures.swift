import Foundation
import MarginStore
import Testing

/// A small report of our own whose numbering skips a level (it uses 一、, 1、 and （1）: outline levels 1, 3 and
/// 4, never 2), imported into a sandbox, and helpers to change its text and re-import it.
enum SkippingReport {
    static let title = "城东区教育局2026年工作总结"

    /// The report's text: a title, a blank line, a preamble and numbered sections.
    static let text = """
        \(title)

        今年我局围绕教育质量开展工作，现将情况总结如下。
        一、课程建设
        全区完成新课程方案的落地，各校开齐开足课程。
        1、教研活动
        每月组织一次全区教研活动，参加教师逾三百人次。
        二、队伍建设
        1、教师培训
        新教师全部参加岗前培训，培训合格率达到百分之百。
        （1）名师工作室
        名师工作室开展示范课二十节，辐射带动青年教师。

        """

    /// The headings as the text above writes them, in order, with their outline levels.
    static let headings: [(level: Int, text: String)] = [
        (1, "一、课程建设"), (3, "1、教研活动"), (1, "二、队伍建设"), (3, "1、教师培训"), (4, "（1）名师工作室"),
    ]

    /// Writes the report into the sandbox and imports it; returns the report's short id.
    static func imported(into sandbox: CLISandbox, text: String = SkippingReport.text) async throws -> String {
        let path = try sandbox.write("skipping-report.txt", text: text)
        let result = await sandbox.run("import", path)
        try #require(result.status == 0, "import failed: \(result.errors)")
        let report = try #require(try sandbox.open().reports().first { $0.title == title })
        return report.shortID
    }

    /// The reference of the section whose heading (label and text) is `heading`.
    static func section(_ heading: String, of report: String, in sandbox: CLISandbox) throws -> String {
        let outline = try sandbox.open().outline(of: report)
        return try #require(outline.sections.first { $0.label + $0.heading == heading }?.reference, "no section \(heading)")
    }
}

/// The structure of a Markdown document, read line by line the way CommonMark reads these constructs: ATX headings,
/// block quotes (consecutive lines starting with `>`) and paragraphs; blank lines separate blocks.
enum MarkdownStructure: Equatable {
    /// `#…# text`: the number of `#` and the text.
    case heading(Int, String)
    /// A block quote: its lines without the `> ` marker and without a trailing hard-break backslash.
    case quote([String])
    /// A paragraph: its lines.
    case paragraph([String])

    static func parse(_ markdown: String) -> [MarkdownStructure] {
        var blocks: [MarkdownStructure] = []
        var quote: [String]?
        var paragraph: [String]?
        func close() {
            if let quote { blocks.append(.quote(quote)) }
            if let paragraph { blocks.append(.paragraph(paragraph)) }
            quote = nil
            paragraph = nil
        }
        for line in markdown.components(separatedBy: "\n") {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                close()
            } else if line.hasPrefix(">") {
                if paragraph != nil { close() }
                var content = String(line.dropFirst())
                if content.hasPrefix(" ") { content.removeFirst() }
                if content.hasSuffix("\\") && !content.hasSuffix("\\\\") { content.removeLast() }
                quote = (quote ?? []) + [content]
            } else if let level = headingLevel(line) {
                close()
                blocks.append(.heading(level, String(line.dropFirst(level + 1))))
            } else {
                // A line that does not start with `>` ends a quote here: a note's text must carry the marker.
                if quote != nil { close() }
                paragraph = (paragraph ?? []) + [line]
            }
        }
        close()
        return blocks
    }

    private static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    /// The headings of a document, in order.
    static func headings(_ blocks: [MarkdownStructure]) -> [(level: Int, text: String)] {
        blocks.compactMap { if case let .heading(level, text) = $0 { (level, text) } else { nil } }
    }

    /// The block quotes of a document, in order.
    static func quotes(_ blocks: [MarkdownStructure]) -> [[String]] {
        blocks.compactMap { if case let .quote(lines) = $0 { lines } else { nil } }
    }

    /// The lines of every paragraph of a document.
    static func paragraphLines(_ blocks: [MarkdownStructure]) -> [String] {
        blocks.flatMap { block -> [String] in
            guard case let .paragraph(lines) = block else { return [] }
            return lines
        }
    }
}

/// Reads CSV as RFC 4180 defines it: fields separated by commas, records by CRLF; a quoted field may hold commas,
/// line breaks and doubled quotes.
enum CSVReader {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func records(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return scalars.next()
        }
        var fieldStarted = false
        var closedQuote = false
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    let following = next()
                    if following == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                        closedQuote = true
                        pending = following
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty, !fieldStarted else { throw Malformed(description: "a quote inside an unquoted field") }
                quoted = true
                fieldStarted = true
            case ",":
                record.append(field)
                field = ""
                fieldStarted = false
                closedQuote = false
            case "\r":
                guard next() == "\n" else { throw Malformed(description: "CR without LF outside a quoted field") }
                record.append(field)
                records.append(record)
                record = []
                field = ""
                fieldStarted = false
                closedQuote = false
            case "\n":
                throw Malformed(description: "LF without CR outside a quoted field")
            default:
                guard !closedQuote else { throw Malformed(description: "text after a closing quote") }
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        guard !quoted else { throw Malformed(description: "an unterminated quoted field") }
        if fieldStarted || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}
