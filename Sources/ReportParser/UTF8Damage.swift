/// Where a file that is UTF-8 but for a few damaged characters (a character cut short when the page was saved, a
/// stray byte) goes wrong, so that a person can repair it rather than re-save it blind.
struct UTF8Damage: Equatable {
    /// The 0-based offset of the first byte that is not valid UTF-8.
    var firstOffset: Int
    /// That byte.
    var firstByte: UInt8
    /// How many places in all are not valid UTF-8.
    var places: Int

    /// Places that many at most (and no more than one per thousand bytes) count as damage to a UTF-8 file; more
    /// mean another encoding.
    static let mostPlaces = 16

    /// The damage of `bytes`, or nil when they are valid UTF-8 or too far from it to be UTF-8 at all.
    init?(_ bytes: some Collection<UInt8>) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        var first: (offset: Int, byte: UInt8)?
        var places = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(scalar):
                offset += scalar.count
            case let .error(length):
                if first == nil { first = (offset, 0) }
                places += 1
                offset += length
                if places > Self.mostPlaces { return nil }
            case .emptyInput:
                guard let first, places * 1_000 <= max(offset, 1_000) else { return nil }
                let index = bytes.index(bytes.startIndex, offsetBy: first.offset)
                self.init(firstOffset: first.offset, firstByte: bytes[index], places: places)
                return
            }
        }
    }

    init(firstOffset: Int, firstByte: UInt8, places: Int) {
        (self.firstOffset, self.firstByte, self.places) = (firstOffset, firstByte, places)
    }

    /// What to tell a person: where, and how to drop the damaged characters.
    var advice: String {
        let byte = "0x" + String(firstByte, radix: 16, uppercase: true)
        let others = places == 1 ? "the only such place" : "the first of \(places) such places"
        return "it is UTF-8 but for damaged characters: byte \(firstOffset) (\(byte)) is not valid UTF-8, \(others); "
            + "iconv -c -f UTF-8 -t UTF-8 FILE > FIXED drops them"
    }
}
