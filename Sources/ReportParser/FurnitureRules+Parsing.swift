import Foundation

/// Reading rules files: the format a person writes to teach the parser a site's furniture.
///
/// A rules file is UTF-8 text, one rule a line; blank lines and lines starting with `#` are ignored:
///
///     # ROLE KIND PATTERN [max=N]
///     chrome contains 免责声明
///     chrome containsAny 分享到|收藏本文 max=40
///     metadata regex ^(作者|编辑)\s*[:：]
///     trailer regex ^相关文章
///     text prefix 来源：
///
/// `FurnitureRule` documents the fields. The pattern is the rest of the line after the kind, trimmed, so it may
/// hold spaces; a last word `max=N` is always read as the length limit, never as part of the pattern.
extension FurnitureRules {
    /// Parses a rules file's bytes, which must be UTF-8 (a BOM is allowed). `source` names the file in errors.
    public static func parse(data: Data, source: String) throws(ReportParserError) -> FurnitureRules {
        var bytes = Array(data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ReportParserError(.undecodable, fileName: source, detail: "a rules file is UTF-8 text")
        }
        return try parse(text: text, source: source)
    }

    /// Parses the text of a rules file into rules, in the file's order.
    ///
    /// - Parameter source: the file's name, used in errors (`rules.txt:3: unknown role “chrom” …`).
    /// - Throws: ``ReportParserError/Kind/invalidRule(line:)`` for the first line that is not a rule: an unknown
    ///   role or kind, a missing pattern, a regular expression that does not compile or matches an empty line,
    ///   an empty phrase of `containsAny`, or a `max=` that is not a positive whole number.
    public static func parse(text: String, source: String) throws(ReportParserError) -> FurnitureRules {
        var rules: [FurnitureRule] = []
        var number = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            let content = LineText.trimmed(line.hasPrefix("\u{FEFF}") ? line.dropFirst() : line)
            if content.isEmpty || content.hasPrefix("#") { continue }
            do throws(RuleLineProblem) {
                rules.append(try FurnitureRule(ruleLine: String(content)))
            } catch {
                throw ReportParserError(.invalidRule(line: number), fileName: source, detail: error.sentence)
            }
        }
        return FurnitureRules(rules)
    }
}

extension FurnitureRule {
    /// The names a rules file gives roles, in the order they are documented.
    public static let roleNames = ["chrome", "trailer", "metadata", "collectionHeader", "documentName", "text"]
    /// The names a rules file gives kinds.
    public static let kindNames = ["prefix", "contains", "containsAny", "regex"]

    /// Reads one non-blank, non-comment line of a rules file, e.g. `chrome containsAny 分享到|收藏本文 max=40`.
    init(ruleLine: String) throws(RuleLineProblem) {
        var rest = Substring(ruleLine)
        let roleName = Self.nextWord(&rest)
        let kindName = Self.nextWord(&rest)
        var pattern = String(LineText.trimmed(rest))
        var maxLength: Int?
        if let range = pattern.range(of: #"(^|\s)max=\S*$"#, options: .regularExpression) {
            let value = pattern[range].drop(while: { $0 != "=" }).dropFirst()
            guard let limit = Int(value), limit > 0 else { throw .badMax(String(LineText.trimmed(pattern[range]))) }
            maxLength = limit
            pattern = String(LineText.trimmed(pattern[..<range.lowerBound]))
        }
        let kind: Kind
        switch kindName {
        case "prefix": kind = .linePrefix
        case "contains": kind = .lineContains
        case "containsAny": kind = .lineContainsAny
        case "regex": kind = .regex
        case "": throw .missingKind(role: roleName)
        default: throw .unknownKind(kindName)
        }
        let role: Role
        if roleName == "trailer" {
            guard kind == .regex else { throw .trailerNeedsRegex(kindName) }
            role = .chrome
        } else if let known = Role(rawValue: roleName) {
            role = known
        } else {
            throw .unknownRole(roleName)
        }
        guard !pattern.isEmpty else { throw .missingPattern(role: roleName, kind: kindName) }
        switch kind {
        case .lineContainsAny:
            if pattern.split(separator: "|", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
                throw .emptyPhrase(pattern)
            }
        case .regex, .trailerMarker:
            guard let regex = try? NSRegularExpression(pattern: pattern) else { throw .badRegex(pattern) }
            if regex.firstMatch(in: "", range: NSRange(location: 0, length: 0)) != nil { throw .matchesEverything(pattern) }
        case .linePrefix, .lineContains:
            break
        }
        self.init(roleName == "trailer" ? .trailerMarker : kind, pattern, role: role, maxLength: maxLength)
    }

    private static func nextWord(_ text: inout Substring) -> String {
        text = text.drop(while: \.isWhitespace)
        let word = text.prefix(while: { !$0.isWhitespace })
        text = text.dropFirst(word.count)
        return String(word)
    }
}

/// What is wrong with one line of a rules file; `sentence` says it to a person.
enum RuleLineProblem: Error {
    case unknownRole(String)
    case unknownKind(String)
    case missingKind(role: String)
    case missingPattern(role: String, kind: String)
    case trailerNeedsRegex(String)
    case badRegex(String)
    case matchesEverything(String)
    case emptyPhrase(String)
    case badMax(String)

    var sentence: String {
        let roles = FurnitureRule.roleNames.joined(separator: ", ")
        let kinds = FurnitureRule.kindNames.joined(separator: ", ")
        switch self {
        case .unknownRole(let name):
            return "unknown role “\(name)”; a rule is ROLE KIND PATTERN [max=N], and the roles are \(roles)"
        case .unknownKind(let name):
            return "unknown kind “\(name)”; the kinds are \(kinds)"
        case .missingKind(let role):
            return "“\(role)” needs a kind and a pattern after it, e.g. “\(role) contains 免责声明”"
        case .missingPattern(let role, let kind):
            return "“\(role) \(kind)” has no pattern; write the text or expression to match after the kind"
        case .trailerNeedsRegex(let kind):
            return "a trailer rule takes a regular expression, not “\(kind)”; write “trailer regex PATTERN”"
        case .badRegex(let pattern):
            return "“\(pattern)” is not a valid regular expression (ICU syntax; write \\( \\) \\[ \\] for literal brackets)"
        case .matchesEverything(let pattern):
            return "the regular expression “\(pattern)” matches an empty line, so it would match every line; anchor it to some text"
        case .emptyPhrase(let pattern):
            return "“\(pattern)” has an empty phrase between its | separators; containsAny takes phrases such as 分享到|收藏本文"
        case .badMax(let text):
            return "“\(text)” is not a length limit; write max= and a whole number of characters above 0, e.g. max=40"
        }
    }
}
