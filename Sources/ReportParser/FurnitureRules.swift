import Foundation

/// One data-driven rule that gives a line of a scraped page a role other than report text.
///
/// A rule is one line of a rules file (`FurnitureRules.parse(text:source:)`), and its `description` is that line:
///
///     ROLE KIND PATTERN [max=N]
///
/// - `ROLE`: `chrome`, `trailer`, `metadata`, `collectionHeader`, `documentName` or `text`: what a matching line
///   is (see `Role`; `trailer` takes a `regex` only, and is the `.trailerMarker` kind with the `chrome` role).
/// - `KIND`: `prefix`, `contains`, `containsAny` or `regex`: how `PATTERN` is applied (see `Kind`).
/// - `PATTERN`: the rest of the line, trimmed: literal text, literals separated by a vertical bar for
///   `containsAny`, or an ICU regular expression.
/// - `max=N`: optional and last: lines longer than N Unicode scalars never match this rule.
///
/// Patterns are matched against the line with leading and trailing whitespace
/// (including U+00A0 and U+3000) removed. Lines longer than `FurnitureRules.maxLineLength`
/// never match, and explicit report markers (`篇一:`, `第3篇 `, `【篇一】`, `…总结篇一`) are
/// never furniture whatever the rules say. For example, `metadata regex ^(作者|编辑)\s*[:：]`
/// drops an author line only where metadata sits: between a title and its text.
public struct FurnitureRule: Sendable, Hashable, CustomStringConvertible {
    /// What a matching line is on the page. The role decides where the rule applies.
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// Site chrome anywhere on the page: navigation, share and download widgets,
        /// copyright notes, "for reference" sentences. Always dropped.
        case chrome
        /// A line describing the article (time, source, author, counters, font-size switch,
        /// 导语, format). Dropped only in the run of lines right after a title, report marker or
        /// collection header; elsewhere the same words are report text.
        case metadata
        /// The heading of a page that collects several reports (`…(通用3篇)`, `…5篇`, `…范文`).
        /// Never starts a report, except on a page whose only title-like line it is.
        case collectionHeader
        /// The name of the document a preview page shows (`…工作总结.docx`). Dropped, and used
        /// as the title of a page that has no title line.
        case documentName
        /// Report text whatever a later rule says: a rule of a user's rules file that keeps a line a
        /// standard rule would drop (`text prefix 来源：`). `FurnitureRules.match` returns no rule for such a line.
        case text
    }

    /// How `pattern` is applied.
    public enum Kind: Sendable, Hashable {
        /// The line starts with `pattern`.
        case linePrefix
        /// The line contains `pattern` anywhere.
        case lineContains
        /// The line contains any of the `|`-separated literals in `pattern` (a fast byte search,
        /// for phrases that may sit anywhere in a short line).
        case lineContainsAny
        /// The NSRegularExpression `pattern` finds a match in the line (anchor it yourself).
        case regex
        /// The line matches the regex `pattern`, and it plus every following line
        /// is furniture until the next explicit report marker (`篇二:`, `第3篇 `);
        /// used for trailing "related articles" lists.
        case trailerMarker
    }

    /// How `pattern` is applied.
    public var kind: Kind
    /// The literal text or regular expression.
    public var pattern: String
    /// What a matching line is; `.chrome` unless said otherwise.
    public var role: Role
    /// Lines longer than this many Unicode scalars (after trimming) never match; nil for the rule set's limit.
    public var maxLength: Int?

    /// Creates a rule of `kind` with `pattern` and `role`.
    public init(_ kind: Kind, _ pattern: String, role: Role = .chrome, maxLength: Int? = nil) {
        self.kind = kind
        self.pattern = pattern
        self.role = role
        self.maxLength = maxLength
    }

    /// A rule matching lines that start with `text`.
    public static func prefix(_ text: String) -> FurnitureRule { .init(.linePrefix, text) }
    /// A rule matching lines that contain `text`.
    public static func contains(_ text: String) -> FurnitureRule { .init(.lineContains, text) }
    /// A rule matching lines of at most `maxLength` scalars that contain any of `phrases`.
    public static func containsAny(_ phrases: [String], maxLength: Int? = nil) -> FurnitureRule {
        .init(.lineContainsAny, phrases.joined(separator: "|"), maxLength: maxLength)
    }
    /// A rule matching lines on which the regular expression finds a match.
    public static func regex(_ pattern: String) -> FurnitureRule { .init(.regex, pattern) }
    /// A rule whose matching line starts a furniture block running to the next report marker.
    public static func trailer(_ pattern: String) -> FurnitureRule { .init(.trailerMarker, pattern) }
    /// A regex rule for article metadata, dropped only right after a title.
    public static func metadata(_ pattern: String) -> FurnitureRule { .init(.regex, pattern, role: .metadata) }
    /// A regex rule for the header of a page of several reports.
    public static func collectionHeader(_ pattern: String) -> FurnitureRule { .init(.regex, pattern, role: .collectionHeader) }
    /// A regex rule for a document-name line of a preview page.
    public static func documentName(_ pattern: String) -> FurnitureRule { .init(.regex, pattern, role: .documentName) }

    /// The rule as a line of a rules file, e.g. `chrome contains 免责声明` or `chrome containsAny 分享到|收藏本文 max=40`.
    public var description: String {
        let head = switch kind {
        case .linePrefix: "\(role.rawValue) prefix"
        case .lineContains: "\(role.rawValue) contains"
        case .lineContainsAny: "\(role.rawValue) containsAny"
        case .regex: "\(role.rawValue) regex"
        case .trailerMarker: "trailer regex"
        }
        return "\(head) \(pattern)" + (maxLength.map { " max=\($0)" } ?? "")
    }
}

/// An ordered set of furniture rules; the first matching rule wins.
public struct FurnitureRules: Sendable {
    /// The rules in evaluation order.
    public let rules: [FurnitureRule]
    private let compiled: CompiledPatterns

    /// Lines longer than this many Unicode scalars (after trimming) are always report text: page
    /// furniture is short, and dropping a whole paragraph because it happens to
    /// contain a marker would silently lose real content.
    public let maxLineLength: Int

    /// Creates a rule set. Invalid regular expressions never match (and are
    /// reported by `invalidPatterns`) so one bad rule cannot break imports.
    public init(_ rules: [FurnitureRule], maxLineLength: Int = 300) {
        self.rules = rules
        self.maxLineLength = maxLineLength
        self.compiled = CompiledPatterns(rules)
    }

    /// Patterns of `.regex`/`.trailerMarker` rules that failed to compile.
    public var invalidPatterns: [String] { compiled.invalid }

    /// Returns a copy with `more` appended.
    public func adding(_ more: [FurnitureRule]) -> FurnitureRules {
        FurnitureRules(rules + more, maxLineLength: maxLineLength)
    }

    /// The first rule that matches `line` (trailer rules included), unless it is a `.text` rule, which keeps the
    /// line as report text: then nil, as for a line no rule matches.
    public func match(_ line: String) -> FurnitureRule? {
        guard let rule = firstMatch(line), rule.role != .text else { return nil }
        return rule
    }

    /// The first rule that matches `line`, whatever its role (`.text` included), if any.
    public func firstMatch(_ line: String) -> FurnitureRule? {
        let trimmed = LineText.trimmed(line)
        let length = trimmed.unicodeScalars.count
        guard !trimmed.isEmpty, length <= maxLineLength else { return nil }
        let text = String(trimmed)
        // Anchored patterns are screened by one combined regex: each ICU call
        // copies the line, and most lines are report text that matches nothing.
        let anchoredMayMatch = compiled.anchored.map {
            $0.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        } ?? true
        for (index, rule) in rules.enumerated() {
            if !anchoredMayMatch && compiled.isAnchored[index] { continue }
            if let limit = rule.maxLength, length > limit { continue }
            if matches(rule, at: index, text) { return rule }
        }
        return nil
    }

    private func matches(_ rule: FurnitureRule, at index: Int, _ text: String) -> Bool {
        switch rule.kind {
        case .linePrefix: return LineText.hasPrefix(text, rule.pattern)
        case .lineContains: return LineText.contains(text, rule.pattern)
        case .lineContainsAny: return compiled.phrases[index].contains { LineText.contains(text, $0) }
        case .regex, .trailerMarker:
            guard let regex = compiled.regexes[index] else { return false }
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }
}

/// `NSRegularExpression` is immutable and documented as thread-safe for matching,
/// so sharing the compiled expressions across tasks is sound.
private final class CompiledPatterns: @unchecked Sendable {
    let regexes: [NSRegularExpression?]
    /// Per rule: the literals of a `.lineContainsAny` rule.
    let phrases: [[String]]
    let invalid: [String]
    /// All valid `^`-anchored patterns of rules without a length limit, as one anchored alternation.
    let anchored: NSRegularExpression?
    /// Per rule: screened by `anchored`, so skipped when it does not match.
    let isAnchored: [Bool]

    init(_ rules: [FurnitureRule]) {
        var regexes: [NSRegularExpression?] = []
        var invalid: [String] = []
        for rule in rules {
            switch rule.kind {
            case .linePrefix, .lineContains, .lineContainsAny:
                regexes.append(nil)
            case .regex, .trailerMarker:
                let regex = try? NSRegularExpression(pattern: rule.pattern)
                if regex == nil { invalid.append(rule.pattern) }
                regexes.append(regex)
            }
        }
        self.regexes = regexes
        self.phrases = rules.map { rule in
            rule.kind == .lineContainsAny ? rule.pattern.split(separator: "|").map(String.init) : []
        }
        self.invalid = invalid
        // A rule with a length limit stays out of the screen: most lines are longer than its limit and skip it
        // anyway, and such rules are the costly ones (bounded runs of any character, tried at every length).
        let anchored = zip(rules, regexes).map { rule, regex in
            regex != nil && rule.pattern.hasPrefix("^") && rule.maxLength == nil
        }
        let alternatives = zip(rules, anchored).filter(\.1).map { "(?:\($0.0.pattern.dropFirst()))" }
        self.anchored = alternatives.isEmpty ? nil : try? NSRegularExpression(pattern: "^(?:\(alternatives.joined(separator: "|")))")
        self.isAnchored = self.anchored == nil ? anchored.map { _ in false } : anchored
    }
}
