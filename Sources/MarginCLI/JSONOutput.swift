import Foundation

/// Prints values as one pretty, key-sorted JSON document.
enum JSONOutput {
    static func print<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Console.current.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
