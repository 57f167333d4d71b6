import ArgumentParser
import Foundation
import MarginStore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a store with a new peer identity.")

    @OptionGroup var store: StoreOptions

    @Option(help: "The name recorded as the author of your revisions (default: $MARGIN_AUTHOR, else $USER).")
    var author: String?

    @Flag(
        name: .customLong("server"),
        help: "Make a store only to be served with `margin serve`: pushes to it store revisions without building notes or search entries, which are built if it is ever opened to be read.")
    var server = false

    func run() async throws {
        let created = try MarginStore.create(at: store.path, author: author)
        if server { try created.markServesOnly() }
        Console.current.print("Created \(server ? "server store" : "store") \(created.path) (peer \(created.peer.id), author \(created.peer.author)).")
        Console.current.print(
            "Signing key: \((created.path as NSString).appendingPathComponent("signing-key")) (only you may read it; it signs what this store writes, key \(try created.signingKeyID().short)).")
        let rulesFile = ImportRules.storeFile(created.path)
        if FileManager.default.fileExists(atPath: rulesFile) {
            Console.current.print("Import rules: \(rulesFile) (there already, kept as it was).")
        } else if FileManager.default.createFile(atPath: rulesFile, contents: Data(ImportRules.template.utf8)) {
            Console.current.print("Import rules: \(rulesFile) (every rule is commented out; it explains the format).")
        }
        if server {
            let store = created.path.contains(" ") ? "'\(created.path)'" : created.path
            Console.current.print("Next: margin user add NAME --store \(store) (an account for each person), then margin serve --store \(store).")
        } else {
            Console.current.print("Next: margin import FILE...")
        }
    }
}
