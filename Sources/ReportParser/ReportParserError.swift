/// Why a file could not be turned into reports.
///
/// The `description` is a single sentence meant for end users: it names the
/// file, says what went wrong and hints at what to do about it.
public struct ReportParserError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The category of failure.
    public enum Kind: Sendable, Equatable, Hashable {
        /// The file has no bytes, or only whitespace.
        case emptyFile
        /// The bytes are not text (NUL bytes without a UTF-16 BOM, or mostly control characters).
        case binaryFile
        /// The bytes are neither valid UTF-8, UTF-16 (with BOM) nor GB18030.
        case undecodable
        /// The text decoded fine but has no title line that starts a report and no numbered headings.
        case noReportFound
        /// Line `line` of a rules file is not a rule (`fileName` is the rules file; `detail` says what is wrong).
        case invalidRule(line: Int)
        /// The file is a web page, and the library that reads web pages (libxml2) could not be loaded (`detail`
        /// says why and how to install it).
        case pageReaderUnavailable
        /// An edited report's first line is not its title: it is a heading (`detail` gives it), so the title line
        /// was deleted.
        case titleLineMissing
        /// An edited report has its title line and nothing after it: every section would be dropped.
        case noSections
    }

    /// The category of failure.
    public var kind: Kind
    /// The name of the offending file, as passed to the parser.
    public var fileName: String
    /// An optional short clause with specifics, e.g. "it contains NUL bytes".
    public var detail: String?

    /// Creates an error of `kind` for `fileName`.
    public init(_ kind: Kind, fileName: String, detail: String? = nil) {
        self.kind = kind
        self.fileName = fileName
        self.detail = detail
    }

    /// One sentence naming the file and what happened, plus a hint what to do.
    public var description: String {
        let why = detail.map { " (\($0))" } ?? ""
        switch kind {
        case .emptyFile:
            return "\(fileName) is empty\(why); import a report file that contains text."
        case .binaryFile:
            return "\(fileName) does not look like text\(why); import plain-text report files (UTF-8, UTF-16 with BOM, or GB18030)."
        case .undecodable:
            return "\(fileName) could not be decoded as UTF-8, UTF-16 or GB18030\(why); re-save it as UTF-8 text and import it again."
        case .noReportFound:
            return "\(fileName) contains no recognisable report\(why): it has no title line and no numbered headings; make sure it has a title line such as \"篇一:…\", \"第1篇 …\", \"【篇一】\" or a short line naming a 总结/报告/计划 followed by a blank line, or headings numbered \"一、\", \"（一）\" or \"第一部分\"."
        case .invalidRule(let line):
            return "\(fileName):\(line): \(detail ?? "this line is not a rule"); fix the line or comment it out with #."
        case .pageReaderUnavailable:
            return "\(fileName) is a web page, and \(detail ?? "the library that reads web pages could not be loaded")."
        case .titleLineMissing:
            let line = detail.map { ", \($0)," } ?? ""
            return "\(fileName) has no title line: its first line\(line) is a heading; put the report's title on the first line, above it."
        case .noSections:
            return "\(fileName) has a title line and nothing after it, which would drop every section; keep the report's text below its title."
        }
    }
}
