import ArgumentParser
import MarginStore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a store with a new peer identity.")

    @OptionGroup var store: StoreOptions

    @Option(help: "The name recorded as the author of your revisions (default: $MARGIN_AUTHOR, else $USER).")
    var author: String?

    func run() async throws {
        let created = try MarginStore.create(at: store.path, author: author)
        Console.current.print("Created store \(created.path) (peer \(created.peer.id), author \(created.peer.author)).")
        Console.current.print("Next: margin import FILE...")
    }
}
