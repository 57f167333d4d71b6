import ArgumentParser
import MarginCore
import MarginStore

/// How tags typed on the command line are read, for every command's help.
enum TagHelp {
    static let normalForm = """
        Tags are written in one normal form: Unicode NFC, without surrounding spaces and without leading #, so \
        `margin tag 3f9a/2.1 '#重点'` adds the tag 重点, which listings print as #重点. A tag holds no spaces, \
        commas or control characters, and has at most 64 characters. Tags are case-sensitive and keep their case \
        (Funding and funding are two tags); merge variants with `margin tags rename Funding funding`.
        """

    /// The normal forms of tags as typed; a tag that is not usable is a usage error that says why.
    static func normalized(_ tags: [String]) throws -> [String] {
        try tags.map { typed in
            do {
                return try TagName(typed: typed).rawValue
            } catch {
                throw ValidationError(String(describing: error))
            }
        }
    }
}

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Put tags on a section.",
        discussion: "Example: margin tag 3f9a/2.1 funding teachers\n\n" + TagHelp.normalForm)

    @OptionGroup var store: StoreOptions

    @Argument(help: "The section, e.g. 3f9a/2.1.", completion: ReferenceCompletion.reportsAndSections)
    var section: String

    @Argument(help: "One or more tags (no spaces or commas; a leading # is dropped).")
    var tags: [String]

    func validate() throws {
        guard !tags.isEmpty else { throw ValidationError("Name at least one tag, e.g. margin tag 3f9a/2.1 funding.") }
        _ = try TagHelp.normalized(tags)
    }

    func run() throws {
        let added = try store.open().tag(section, with: TagHelp.normalized(tags))
        Console.current.print(added.isEmpty
            ? "Nothing to do: \(section) already has those tags."
            : "Tagged \(section): " + added.map { "#" + $0 }.joined(separator: " "))
    }
}

struct UntagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "untag", abstract: "Take tags off a section.",
        discussion: "Example: margin untag 3f9a/2.1 funding\n\nTags are read as `margin tag --help` describes.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The section, e.g. 3f9a/2.1.", completion: ReferenceCompletion.reportsAndSections)
    var section: String

    @Argument(help: "One or more tags to remove.")
    var tags: [String]

    func validate() throws {
        guard !tags.isEmpty else { throw ValidationError("Name at least one tag to remove.") }
        _ = try TagHelp.normalized(tags)
    }

    func run() async throws {
        let removed = try store.open().untag(section, removing: TagHelp.normalized(tags))
        Console.current.print(removed.isEmpty
            ? "Nothing to do: \(section) has none of those tags."
            : "Untagged \(section): " + removed.map { "#" + $0 }.joined(separator: " "))
    }
}

struct TagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags", abstract: "List every tag with its count of sections, most used first; or rename a tag.",
        discussion: """
            Counts only sections of each report's current text, of reports not removed: the sections `margin find \
            --tag` lists (a section a later import or edit dropped keeps its tag record, but is not counted).

            Examples: margin tags   margin tags rename Funding funding
            """,
        subcommands: [TagsRenameCommand.self])

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let counts = try store.open().tagCounts()
        if output.json { return try JSONOutput.print(counts) }
        guard !counts.isEmpty else { return Console.current.print("No tags yet. Add some with: margin tag SECTION TAG...") }
        for count in counts { Console.current.print("\(count.sections)\t#\(count.tag)") }
    }
}

struct TagsRenameCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename", abstract: "Rename a tag on every section that has it, or merge it into another tag.",
        discussion: """
            Every section with OLD loses it and gains NEW (a section that has both keeps one NEW), in one \
            transaction, through ordinary tag revisions that sync to other stores.

            OLD is matched exactly as stored when such a tag exists, so tags from before the normal form can be \
            cleaned up: margin tags rename '#x' x. Otherwise both are read as `margin tag --help` describes. \
            When no section carries OLD, nothing is written and the command fails (exit 1), naming the tags in use \
            it may have meant.

            Examples: margin tags rename fundng funding   margin tags rename Funding funding
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The tag to rename, as `margin tags` lists it.")
    var old: String

    @Argument(help: "The tag it becomes.")
    var new: String

    func validate() throws {
        _ = try TagHelp.normalized([new])
    }

    func run() async throws {
        let rename: TagRename
        do {
            rename = try store.open().renameTag(old, to: new)
        } catch let error as MarginStoreError {
            // OLD is neither a stored tag nor a usable one: say why, as for any mistyped tag.
            guard case .invalidTag = error.kind else { throw error }
            _ = try TagHelp.normalized([old])
            throw error
        }
        if output.json { return try JSONOutput.print(rename) }
        guard !rename.sections.isEmpty else { return Console.current.print("Nothing to do: both name #\(rename.to).") }
        let merged = rename.sections.filter(\.merged).count
        let mergedNote = merged == 0 ? "" : " (\(merged) already had #\(rename.to))"
        Console.current.print(
            "Renamed #\(rename.from) to #\(rename.to) on \(Self.sections(rename.sections.count))\(mergedNote).")
    }

    private static func sections(_ count: Int) -> String { Formatting.count(count, "section") }
}
