import ArgumentParser
import SyncProtocol

/// A command line of the plainest shape, which `margin` runs without handing it to swift-argument-parser: a
/// subcommand, its words, and the options every command shares.
///
/// The parser reads each command's properties by reflection and checks each of their types against the protocols it
/// needs; in a process that runs one command, each of those checks is a first one, which scans every protocol
/// conformance of the binary (about 11,800). That was about 3 ms of a 13 ms `margin annotate`. The everyday commands
/// (``PlainRunnable``) are built from a plain line directly, exactly as the parser would have built them; anything
/// else (another option, a word starting with `-`, `--`, `--help`, a repeated option) goes to the parser, which also
/// words every refusal.
struct PlainCommandLine: Equatable {
    /// The subcommand's name, as typed.
    var name: String
    /// Its words, in order: none is empty or starts with `-`.
    var words: [String]
    /// `--store PATH` or `--store=PATH`, given at most once, with a path that is not empty and does not start with `-`.
    var store: String?
    /// `--json`, given at most once.
    var json = false

    /// The shared options as the parser fills them.
    var storeOptions: StoreOptions {
        var options = StoreOptions()
        options.store = store
        return options
    }

    /// `--json` as the parser fills it.
    var outputOptions: OutputOptions {
        var options = OutputOptions()
        options.json = json
        return options
    }

    private static func isWord(_ token: String) -> Bool { !token.isEmpty && !token.hasPrefix("-") }

    /// Whether this line's command runs without waiting on anything (no network), so that it can run on the
    /// process's first thread without starting Swift's concurrency runtime (see ``MarginCLI/runOnThisThread(rawArguments:console:)``).
    var runsOnThisThread: Bool { Self.commands[name]?.runsOnThisThread ?? false }

    /// The commands that run from a plain line, by name.
    static let commands: [String: any PlainRunnable.Type] = [
        "annotate": AnnotateCommand.self, "tag": TagCommand.self, "show": ShowCommand.self, "find": FindCommand.self,
        "reports": ReportsCommand.self, "notes": NotesCommand.self, "status": StatusCommand.self,
        "sync": SyncCommand.self,
    ]

    /// The command this line runs, built and validated as the parser would, or nil when the parser should read it
    /// (another shape, a command without a plain form, or a line the command's own checks refuse, so that the
    /// parser's refusal is the one printed).
    func runnable() -> (any PlainRunnable)? {
        guard let type = Self.commands[name], var built = type.plain(self) else { return nil }
        do {
            try built.validate()
        } catch {
            return nil
        }
        return built
    }
}

extension PlainCommandLine {
    /// The line's parts, or nil when it has any other shape.
    init?(_ arguments: [String]) {
        guard let first = arguments.first, Self.isWord(first) else { return nil }
        name = first
        words = []
        var index = 1
        while index < arguments.count {
            let token = arguments[index]
            index += 1
            if Self.isWord(token) {
                words.append(token)
            } else if token == "--json", !json {
                json = true
            } else if token == "--store", store == nil, index < arguments.count, Self.isWord(arguments[index]) {
                store = arguments[index]
                index += 1
            } else if token.hasPrefix("--store="), store == nil, Self.isWord(String(token.dropFirst(8))) {
                store = String(token.dropFirst(8))
            } else {
                return nil
            }
        }
    }
}

/// A command that can be built from a ``PlainCommandLine`` without the parser.
///
/// `plain(_:)` must set every property, with what the parser would set for that line (defaults included): a
/// property left unset stops the process when read. `PlainCommandLineTests` checks each against the parser.
protocol PlainRunnable: ParsableCommand {
    /// The command as the parser would build it from `line`, or nil when this command takes no such line plainly.
    static func plain(_ line: PlainCommandLine) -> Self?
    /// True for a synchronous command (a `ParsableCommand` that only reads and writes the store), false for one
    /// that waits on the network (an `AsyncParsableCommand`).
    static var runsOnThisThread: Bool { get }
    /// Runs the command. Called through this protocol, whose witnesses the plain line's command type brought, it
    /// needs no check at run time of which protocols the command conforms to (a first such check scans every
    /// conformance of the binary).
    mutating func runPlain() async throws
}

extension PlainRunnable {
    /// A synchronous command's run; an asynchronous one (``runsOnThisThread`` false) implements its own.
    mutating func runPlain() async throws {
        precondition(Self.runsOnThisThread, "\(Self.self) must run asynchronously: it implements runPlain()")
        try run()
    }
}

/// A plain command that takes both shared options, `--store` and `--json`.
protocol PlainRunnableWithOutput: PlainRunnable {
    var store: StoreOptions { get set }
    var output: OutputOptions { get set }
}

extension PlainRunnableWithOutput {
    /// A new command with the line's shared options set; the caller sets every other property.
    static func sharingOptions(of line: PlainCommandLine) -> Self {
        var command = Self()
        command.store = line.storeOptions
        command.output = line.outputOptions
        return command
    }
}

extension AnnotateCommand: PlainRunnableWithOutput {
    static let runsOnThisThread = true

    /// `margin annotate SECTION TEXT`: adds a note.
    static func plain(_ line: PlainCommandLine) -> Self? {
        guard line.words.count == 2 else { return nil }
        var command = sharingOptions(of: line)
        command.edit = nil
        command.delete = nil
        command.restore = nil
        command.reanchor = nil
        command.quote = nil
        command.section = nil
        command.occurrence = nil
        command.file = nil
        command.arguments = line.words
        return command
    }
}

extension TagCommand: PlainRunnable {
    static let runsOnThisThread = true

    /// `margin tag SECTION TAG…`.
    static func plain(_ line: PlainCommandLine) -> Self? {
        guard line.words.count >= 2, !line.json else { return nil }
        var command = Self()
        command.store = line.storeOptions
        command.section = line.words[0]
        command.tags = Array(line.words.dropFirst())
        return command
    }
}

extension ShowCommand: PlainRunnableWithOutput {
    static let runsOnThisThread = true

    /// `margin show REFERENCE`.
    static func plain(_ line: PlainCommandLine) -> Self? {
        guard line.words.count == 1 else { return nil }
        var command = sharingOptions(of: line)
        command.reference = line.words[0]
        return command
    }
}

extension FindCommand: PlainRunnableWithOutput {
    static let runsOnThisThread = true

    /// `margin find TEXT`.
    static func plain(_ line: PlainCommandLine) -> Self? {
        guard line.words.count == 1 else { return nil }
        var command = sharingOptions(of: line)
        command.tags = []
        command.limit = FindCommand.defaultLimit
        command.offset = 0
        command.text = line.words[0]
        return command
    }
}

extension ReportsCommand: PlainRunnableWithOutput {
    static let runsOnThisThread = true

    /// `margin reports`: the first page of reports.
    static func plain(_ line: PlainCommandLine) -> Self? {
        guard line.words.isEmpty else { return nil }
        var command = sharingOptions(of: line)
        command.limit = nil
        command.offset = 0
        command.all = false
        command.removed = false
        return command
    }
}

extension NotesCommand: PlainRunnableWithOutput {
    static let runsOnThisThread = true

    /// `margin notes`: the newest notes.
    static func plain(_ line: PlainCommandLine) -> Self? {
        guard line.words.isEmpty else { return nil }
        var command = sharingOptions(of: line)
        command.author = nil
        command.tag = nil
        command.since = nil
        command.report = nil
        command.orphaned = false
        command.conflicted = false
        command.limit = NotesCommand.defaultLimit
        command.offset = 0
        return command
    }
}

extension StatusCommand: PlainRunnableWithOutput {
    static let runsOnThisThread = true

    /// `margin status`.
    static func plain(_ line: PlainCommandLine) -> Self? {
        guard line.words.isEmpty else { return nil }
        return sharingOptions(of: line)
    }
}

extension SyncCommand: PlainRunnableWithOutput {
    static let runsOnThisThread = false

    /// `margin sync [REMOTE]`.
    static func plain(_ line: PlainCommandLine) -> Self? {
        guard line.words.count <= 1 else { return nil }
        var command = sharingOptions(of: line)
        command.remote = line.words.first
        command.pushOnly = false
        command.pullOnly = false
        command.pageSize = SyncPaging.defaultLimit
        return command
    }

    mutating func runPlain() async throws {
        try await run()
    }
}
