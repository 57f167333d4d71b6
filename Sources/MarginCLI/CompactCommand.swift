import ArgumentParser
import MarginStore

/// `margin compact`: gives back the free pages of the store's file.
struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Give back the free space in the store's file.",
        discussion: """
            SQLite keeps the space of rewritten tables and indexes for later writes instead of giving it back; an \
            upgrade that rewrites the revisions (as the one that packs report bodies does) leaves the file as large \
            as before. `margin status` says when a quarter of the file or more is free. Compacting rewrites the \
            file, needs free disk space for a copy of the store, and waits for other writers (a running `margin \
            serve`) to finish; nothing the store holds changes.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        var before: StoreFileSpace
        var after: StoreFileSpace
    }

    func run() throws {
        let store = try self.store.open()
        let (before, after) = try store.compact()
        if output.json {
            try JSONOutput.print(Report(before: before, after: after))
            return
        }
        Console.current.print(
            "Store file: \(Formatting.megabytes(before.bytes)) → \(Formatting.megabytes(after.bytes)) "
                + "(\(Formatting.megabytes(max(0, before.bytes - after.bytes))) given back).")
    }
}
