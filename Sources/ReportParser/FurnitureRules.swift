import Foundation

/// One data-driven rule that marks scraped page furniture (navigation,
/// share/download widgets, copyright notes, related-article lists).
///
/// Patterns are matched against the line with leading and trailing whitespace
/// (including U+00A0 and U+3000) removed.
public struct FurnitureRule: Sendable, Hashable, CustomStringConvertible {
    /// How `pattern` is applied.
    public enum Kind: Sendable, Hashable {
        /// The line starts with `pattern`.
        case linePrefix
        /// The line contains `pattern` anywhere.
        case lineContains
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

    /// Creates a rule of `kind` with `pattern`.
    public init(_ kind: Kind, _ pattern: String) {
        self.kind = kind
        self.pattern = pattern
    }

    /// A rule matching lines that start with `text`.
    public static func prefix(_ text: String) -> FurnitureRule { .init(.linePrefix, text) }
    /// A rule matching lines that contain `text`.
    public static func contains(_ text: String) -> FurnitureRule { .init(.lineContains, text) }
    /// A rule matching lines on which the regular expression finds a match.
    public static func regex(_ pattern: String) -> FurnitureRule { .init(.regex, pattern) }
    /// A rule whose matching line starts a furniture block running to the next report marker.
    public static func trailer(_ pattern: String) -> FurnitureRule { .init(.trailerMarker, pattern) }

    /// A compact human-readable form, e.g. `contains("免责声明")`.
    public var description: String {
        switch kind {
        case .linePrefix: "prefix(\(pattern))"
        case .lineContains: "contains(\(pattern))"
        case .regex: "regex(\(pattern))"
        case .trailerMarker: "trailer(\(pattern))"
        }
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

    /// The rule that marks `line` as furniture (trailer rules included), if any.
    public func match(_ line: String) -> FurnitureRule? {
        let trimmed = LineText.trimmed(line)
        guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= maxLineLength else { return nil }
        let text = String(trimmed)
        // Anchored patterns are screened by one combined regex: each ICU call
        // copies the line, and most lines are report text that matches nothing.
        let anchoredMayMatch = compiled.anchored.map {
            $0.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        } ?? true
        for (index, rule) in rules.enumerated() {
            if !anchoredMayMatch && compiled.isAnchored[index] { continue }
            if matches(rule, at: index, text) { return rule }
        }
        return nil
    }

    private func matches(_ rule: FurnitureRule, at index: Int, _ text: String) -> Bool {
        switch rule.kind {
        case .linePrefix: return LineText.hasPrefix(text, rule.pattern)
        case .lineContains: return LineText.contains(text, rule.pattern)
        case .regex, .trailerMarker:
            guard let regex = compiled.regexes[index] else { return false }
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }

    /// The rules for the scraped report sites we import from. Prefer anchored,
    /// site-specific patterns: report prose also mentions 来源, 时间, 推荐 …
    public static let standard = FurnitureRules([
        // Navigation and breadcrumbs.
        .prefix("当前位置"),
        .prefix("您的位置"),
        .regex(#"^[^\s>。，]{1,12}(\s*>\s*[^\s>。，]{1,12}){2,}$"#),
        .regex(#"^(栏目|栏目导航|首页)$"#),
        .regex(#"^[-–·•\s]*(相关推荐|相關推薦|相關\(guān\)推薦|热门推荐|猜你喜欢)$"#),
        // Article metadata.
        .regex(#"^时间\s*[:：].*来源\s*[:：]"#),
        .regex(#"^(发布时间|發佈時間|发表时间|更新时间|标签|網站|网站|热度)\s*[:：]"#),
        .regex(#"^来源\s*[:：]\s*网络整理"#),
        .contains("免责声明"),
        .prefix("链接地址"),
        .regex(#"^本文(链接|地址|网址)\s*[:：]"#),
        // Copyright / aggregator notes.
        .regex(#"一文由\s*www\..*搜集整理"#),
        .contains("由互联网用户整理提供"),
        .regex(#"(?i)\.com.{0,12}小编推荐"#),
        .regex(#"(小编|小編).{0,20}(收集整理|整理收集|整理了|為您收集|为您收集)"#),
        .contains("版权归作者所有"),
        .regex(#"^荟聚奇文、博采众长、见贤思齐$"#),
        // Download / share widgets.
        .regex(#"^《[^》]+\.(doc|docx|pdf|txt)》$"#),
        .contains("Word文档下载"),
        .regex(#"^推荐度\s*[:：]"#),
        .regex(#"^(点击下载文档|下载文档|一键复制|复制全文|分享到|打印本文|收藏本文|酷猫分类查询入口)$"#),
        // Trailing related-article lists: everything after these is furniture.
        .trailer(#"^【[^】]*】\s*(相关|相關|相關\(guān\))"#),
        .trailer(#"^(相关范文|相关文章|相關文章|相關\(guān\)文章|相关阅读|延伸阅读|推荐阅读|热门文章)\s*[:：]?$"#),
    ])
}

/// `NSRegularExpression` is immutable and documented as thread-safe for matching,
/// so sharing the compiled expressions across tasks is sound.
private final class CompiledPatterns: @unchecked Sendable {
    let regexes: [NSRegularExpression?]
    let invalid: [String]
    /// All valid `^`-anchored patterns as one anchored alternation.
    let anchored: NSRegularExpression?
    /// Per rule: screened by `anchored`, so skipped when it does not match.
    let isAnchored: [Bool]

    init(_ rules: [FurnitureRule]) {
        var regexes: [NSRegularExpression?] = []
        var invalid: [String] = []
        for rule in rules {
            switch rule.kind {
            case .linePrefix, .lineContains:
                regexes.append(nil)
            case .regex, .trailerMarker:
                let regex = try? NSRegularExpression(pattern: rule.pattern)
                if regex == nil { invalid.append(rule.pattern) }
                regexes.append(regex)
            }
        }
        self.regexes = regexes
        self.invalid = invalid
        let anchored = zip(rules, regexes).map { rule, regex in regex != nil && rule.pattern.hasPrefix("^") }
        let alternatives = zip(rules, anchored).filter(\.1).map { "(?:\($0.0.pattern.dropFirst()))" }
        self.anchored = alternatives.isEmpty ? nil : try? NSRegularExpression(pattern: "^(?:\(alternatives.joined(separator: "|")))")
        self.isAnchored = self.anchored == nil ? anchored.map { _ in false } : anchored
    }
}
