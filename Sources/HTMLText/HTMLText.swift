/// The main text of a saved web page.
public struct HTMLPage: Sendable, Equatable {
    /// The text a person reads on the page, one block per line, with the page's navigation, scripts, styles and
    /// link lists left out. Lines are separated by `\n`; blocks that browsers set apart with a margin (paragraphs,
    /// headings, lists) are separated by a blank line.
    public var text: String
    /// The page's `<title>`, whitespace collapsed; nil when it has none or it is empty.
    public var title: String?
    /// The character set the bytes were read in (`UTF-8`, `GB18030`, …); `UTF-8` for text given as a string.
    public var charset: String

    /// Creates a page.
    public init(text: String, title: String?, charset: String) {
        self.text = text
        self.title = title
        self.charset = charset
    }
}

/// Reads saved web pages with libxml2's HTML parser and keeps their main text.
///
/// ```swift
/// if HTMLText.looksLikePage(bytes, fileName: "report.html"), let page = try HTMLText.page(from: bytes) {
///     print(page.text)
/// }
/// ```
public enum HTMLText {
    /// Whether these bytes are a web page: a `.html`, `.htm` or `.xhtml` file that starts with markup, or any file
    /// whose first markup (after a BOM, whitespace, comments and an XML declaration) is `<!DOCTYPE html`, `<html`,
    /// `<head` or `<body`.
    public static func looksLikePage(_ bytes: [UInt8], fileName: String) -> Bool {
        PageSniffing.looksLikePage(bytes, fileName: fileName)
    }

    /// Decodes the page's bytes (see `PageDecoding` for how the character set is chosen) and extracts its main
    /// text; nil when the bytes cannot be decoded in any character set tried.
    ///
    /// - Throws: ``HTMLTextError`` when libxml2 cannot be loaded.
    public static func page(from bytes: [UInt8]) throws(HTMLTextError) -> HTMLPage? {
        guard let decoded = PageDecoding.decode(bytes) else { return nil }
        var page = try extract(html: decoded.text)
        page.charset = decoded.charset
        return page
    }

    /// Extracts the main text of markup that is already decoded.
    ///
    /// - Throws: ``HTMLTextError`` when libxml2 cannot be loaded.
    public static func extract(html: String) throws(HTMLTextError) -> HTMLPage {
        let tree = try LibXML2Reader.read(html)
        let kept = ChromeFilter.keptNodes(of: tree)
        return HTMLPage(text: TextLayout.text(of: tree, keeping: kept), title: TextLayout.title(of: tree), charset: "UTF-8")
    }
}
