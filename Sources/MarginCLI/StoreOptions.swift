import ArgumentParser
import Foundation
import MarginStore

/// The `--store` option every command shares.
public struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store folder (default: $MARGIN_STORE, else ./.margin).", valueName: "path"))
    public var store: String?

    public init() {}

    /// The store folder to use.
    public var path: String {
        store ?? ProcessInfo.processInfo.environment["MARGIN_STORE"] ?? ".margin"
    }

    /// Opens the store, or explains how to create one.
    public func open() throws -> MarginStore { try MarginStore.open(at: path) }
}

/// The `--json` flag every read command takes.
public struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document instead of text.")
    public var json = false

    public init() {}
}
