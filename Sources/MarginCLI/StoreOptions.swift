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
    /// - Parameters:
    ///   - streaming: true for commands that read the whole history (`serve`, `sync`): their reads skip the memory
    ///     map that makes short queries fast, so that their resident memory stays small.
    ///   - connections: one connection (the default), which a command that runs once opens fastest; `serve`, which
    ///     answers several requests at once, asks for a pool of readers.
    ///
    /// A store opened to be read (not streaming) first builds what waits to be materialized: records of a stopped
    /// bulk load, or pushed to a store that is only served (see ``MarginStore/catchUpForReading()``).
    public func open(streaming: Bool = false, connections: StoreConnections = .single) throws -> MarginStore {
        let store = try MarginStore.open(at: path, memoryMappedReads: !streaming, connections: connections)
        if !streaming { try store.catchUpForReading() }
        return store
    }
}

/// The `--json` flag every read command takes.
public struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document instead of text.")
    public var json = false

    public init() {}
}
