import ArgumentParser
import MarginStore

struct TagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Put tags on a section.", discussion: "Example: margin tag 3f9a/2.1 funding teachers")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The section, e.g. 3f9a/2.1.")
    var section: String

    @Argument(help: "One or more tags (no spaces or commas).")
    var tags: [String]

    func validate() throws {
        guard !tags.isEmpty else { throw ValidationError("Name at least one tag, e.g. margin tag 3f9a/2.1 funding.") }
    }

    func run() async throws {
        let added = try store.open().tag(section, with: tags)
        Console.current.print(added.isEmpty
            ? "Nothing to do: \(section) already has those tags."
            : "Tagged \(section): " + added.map { "#" + $0 }.joined(separator: " "))
    }
}

struct UntagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "untag", abstract: "Take tags off a section.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The section, e.g. 3f9a/2.1.")
    var section: String

    @Argument(help: "One or more tags to remove.")
    var tags: [String]

    func validate() throws {
        guard !tags.isEmpty else { throw ValidationError("Name at least one tag to remove.") }
    }

    func run() async throws {
        let removed = try store.open().untag(section, removing: tags)
        Console.current.print(removed.isEmpty
            ? "Nothing to do: \(section) has none of those tags."
            : "Untagged \(section): " + removed.map { "#" + $0 }.joined(separator: " "))
    }
}

struct TagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tags", abstract: "List every tag with its count of sections.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let counts = try store.open().tagCounts()
        if output.json { return try JSONOutput.print(counts) }
        guard !counts.isEmpty else { return Console.current.print("No tags yet. Add some with: margin tag SECTION TAG...") }
        for count in counts { Console.current.print("\(count.sections)\t#\(count.tag)") }
    }
}
