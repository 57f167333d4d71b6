import ArgumentParser
import Foundation

/// What `margin` does with a command line around swift-argument-parser: accepts the shared options before the
/// subcommand, refuses `help` for commands that do not exist, and explains a refused command line better than
/// the parser can (a mistyped option, or text that starts with `-`).
enum CommandLineRepair {
    /// Moves `--store PATH`, `--store=PATH` and `--json` written before the subcommand (`margin --store X reports`)
    /// to where every subcommand reads them: after its own arguments, and before a `--` that ends the options.
    static func hoistingSharedOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let token = arguments[index]
            if token == "--json" || token.hasPrefix("--store=") {
                leading.append(token)
                index += 1
            } else if token == "--store", index + 1 < arguments.count {
                leading += [token, arguments[index + 1]]
                index += 2
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.count else { return arguments }
        var rest = Array(arguments[index...])
        rest.insert(contentsOf: leading, at: rest.firstIndex(of: "--") ?? rest.endIndex)
        return rest
    }

    /// The complaint about `margin help NAME…` when NAME is not a command, else nil.
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help", arguments.count > 1, let tool = ToolDescription.margin else { return nil }
        var command = tool
        var path: [String] = []
        for name in arguments.dropFirst() {
            guard let next = command.subcommand(named: name) else {
                let within = path.isEmpty ? "margin" : "margin " + path.joined(separator: " ")
                let suggestion = Spelling.closest(to: name, among: command.subcommandNames).map { " Did you mean “\($0)”?" } ?? ""
                return "\(within) has no command “\(name)”.\(suggestion) `\(within) --help` lists the commands."
            }
            command = next
            path.append(name)
        }
        return nil
    }

    /// A better sentence than the parser's for a refused command line, when one of its tokens explains the refusal:
    /// an option the command does not have (with the nearest one it has), or text starting with `-` that was read
    /// as an option (with how to pass it as text).
    static func diagnosis(of arguments: [String]) -> String? {
        guard let tool = ToolDescription.margin else { return nil }
        var command = tool
        var path = ["margin"]
        var index = 0
        while index < arguments.count, let next = command.subcommand(named: arguments[index]) {
            command = next
            path.append(arguments[index])
            index += 1
        }
        let invocation = path.joined(separator: " ")
        while index < arguments.count {
            let token = arguments[index]
            index += 1
            if token == "--" { return nil }
            guard token.count > 1, token.hasPrefix("-") else { continue }
            let name = String(token.split(separator: "=", maxSplits: 1)[0])
            if let option = command.option(named: name) {
                if option.takesValue, !token.contains("=") { index += 1 }
                continue
            }
            if name.hasPrefix("--"), name.dropFirst(2).first?.isLetter == true {
                if let suggestion = Spelling.closest(to: name, among: command.longOptionNames) {
                    return "Unknown option “\(name)”. Did you mean “\(suggestion)”?"
                }
                return "Unknown option “\(name)”; `\(invocation) --help` lists the options."
            }
            return "“\(token)” starts with “-”, so it was read as an option. To pass it as text, put -- before it: "
                + "\(invocation) … -- \"\(token)\""
        }
        return nil
    }
}

/// The commands and options of `margin`, read once from swift-argument-parser's own description of them.
struct ToolDescription: Decodable {
    struct Name: Decodable {
        var kind: String
        var name: String
    }

    struct Argument: Decodable {
        var kind: String
        var names: [Name]?

        var takesValue: Bool { kind == "option" }
    }

    var commandName: String
    var arguments: [Argument]?
    var subcommands: [ToolDescription]?

    /// `margin`'s description, or nil if the parser's description cannot be read.
    static let margin: ToolDescription? = {
        struct Dump: Decodable { var command: ToolDescription }
        return try? JSONDecoder().decode(Dump.self, from: Data(MarginCommand._dumpHelp().utf8)).command
    }()

    func subcommand(named name: String) -> ToolDescription? {
        subcommands?.first { $0.commandName == name }
    }

    var subcommandNames: [String] { subcommands?.map(\.commandName) ?? [] }

    /// The option or flag spelled `spelling` (`--quote`, `-h`).
    func option(named spelling: String) -> Argument? {
        arguments?.first { argument in
            argument.names?.contains { Self.spelling(of: $0) == spelling } == true
        }
    }

    var longOptionNames: [String] {
        (arguments ?? []).flatMap { $0.names ?? [] }.filter { $0.kind != "short" }.map(Self.spelling(of:))
    }

    private static func spelling(of name: Name) -> String {
        switch name.kind {
        case "short": "-" + name.name
        case "longWithSingleDash": "-" + name.name
        default: "--" + name.name
        }
    }
}

/// The nearest spelling to a mistyped word.
enum Spelling {
    /// The candidate closest to `word` by edit distance, if it is close enough to be what was meant.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let (candidate, score) = scored else { return nil }
        return score <= max(1, min(3, candidate.count / 3)) ? candidate : nil
    }

    /// Damerau–Levenshtein distance (optimal string alignment), so that a swap of two letters counts once.
    static func distance(_ first: String, _ second: String) -> Int {
        let a = Array(first), b = Array(second)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
