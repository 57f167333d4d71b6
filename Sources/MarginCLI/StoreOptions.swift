import ArgumentParser
import Foundation
import MarginStore

/// The `--store` option every command shares.
public struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store folder (default: $MARGIN_STORE, else ./.margin).", valueName: "path"))
    public var store: String?

    public init() {}

    public func validate() throws {
        if store?.isEmpty == true { throw ValidationError("--store needs a folder path, e.g. --store notes.margin.") }
    }

    /// The store folder to use.
    public var path: String {
        store ?? ProcessInfo.processInfo.environment["MARGIN_STORE"] ?? ".margin"
    }

    /// Opens the store, or explains how to create one.
    /// - Parameter streaming: true for commands that read the whole history (`serve`, `sync`): their reads skip
    ///   the memory map that makes short queries fast, so that their resident memory stays small.
    public func open(streaming: Bool = false) throws -> MarginStore {
        try MarginStore.open(at: path, memoryMappedReads: !streaming)
    }
}

/// The `--json` flag every read command takes.
public struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document instead of text.")
    public var json = false

    public init() {}
}
