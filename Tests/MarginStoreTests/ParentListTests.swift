import Testing
@testable import MarginCore
@testable import MarginStore

/// The `parents` and `heads` columns: a JSON array of revision ids, written and read by hand.
@Suite("Parent lists")
struct ParentListTests {
    static let ids = [
        RevisionID(rawValue: String(repeating: "a", count: 64)), RevisionID(rawValue: String(repeating: "0", count: 63) + "f"),
        RevisionID(rawValue: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
    ]

    @Test(arguments: 0...3)
    func aListReadsBackAsWritten(count: Int) throws {
        let list = Array(Self.ids.prefix(count))
        let text = ParentList.encode(list)
        #expect(text == "[" + list.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]")
        #expect(try ParentList.decode(text) == list)
    }

    @Test(arguments: ["", "[", "]", "x", "[\"a\"", "[a]", "[\"a\",]", "[\"a\"\"b\"]", "[,\"a\"]", "[\"a\",\"b]", " []"])
    func anythingElseIsRefused(text: String) {
        #expect(throws: MarginStoreError.self) { try ParentList.decode(text) }
    }
}
