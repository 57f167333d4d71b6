import ArgumentParser

/// The `margin` command: annotate and tag report sections offline, sync them, and resolve conflicts.
public struct MarginCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "margin",
        abstract: "Annotate and tag sections of reports offline, with full history, and sync them with peers.",
        discussion: """
            References: a report is a short id prefix (3f9a), a section is REPORT/NUMBER (3f9a/2.1, 3f9a/0 for \
            the preamble), an annotation is its short id. The store is --store PATH, else $MARGIN_STORE, else ./.margin.
            """,
        version: MarginVersion.description,
        subcommands: [
            InitCommand.self, ImportCommand.self, EditCommand.self, RemoveCommand.self, ReportsCommand.self, ShowCommand.self, AnnotateCommand.self,
            TagCommand.self, UntagCommand.self, TagsCommand.self, FindCommand.self, LogCommand.self,
            HistoryCommand.self, NotesCommand.self, ExportCommand.self, ConflictsCommand.self, ResolveCommand.self, DemoCommand.self,
            CompactCommand.self,
        ] + MarginCommand.syncCommands)

    public init() {}
}
