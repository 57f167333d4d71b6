import Foundation
import MarginCore
import SyncProtocol
import SyncServer
import Testing

/// Small pure pieces: version vectors and token policies.
@Suite struct SyncUnitTests {
    let a = PeerID(rawValue: "aaaa")
    let b = PeerID(rawValue: "bbbb")

    /// A vector from a hostile or buggy server cannot overflow a client's arithmetic.
    @Test func versionVectorCountersStayInRange() throws {
        let hostile = #"{"a1b2c3d4e5f60718": 9223372036854775807, "b1b2c3d4e5f60718": 9223372036854775807}"#
        #expect(throws: DecodingError.self) { try SyncCoding.decode(VersionVector.self, from: Data(hostile.utf8)) }
        let top = RevisionLimits.maximumInteger
        let wide = VersionVector(Dictionary(uniqueKeysWithValues: (0..<2000).map { (PeerID(rawValue: String(format: "%016x", $0)), top) }))
        #expect(wide.count(notIn: VersionVector()) == Int64.max)
        #expect(wide.total == Int64.max)
    }

    @Test func versionVectorsCompareAndCount() throws {
        let mine = VersionVector([a: 5, b: 2])
        let theirs = VersionVector([a: 3, b: 4])
        #expect(mine.count(notIn: theirs) == 2)
        #expect(theirs.count(notIn: mine) == 2)
        #expect(!mine.covers(theirs))
        #expect(mine.merging(theirs) == VersionVector([a: 5, b: 4]))
        #expect(mine.merging(theirs).covers(mine))
        #expect(VersionVector([a: 0]) == VersionVector())
        #expect(mine.total == 7)
    }

    @Test func versionVectorsAreJSONObjects() throws {
        let vector = VersionVector([a: 5, b: 2])
        let json = String(decoding: try SyncCoding.encode(vector), as: UTF8.self)
        #expect(json == #"{"aaaa":5,"bbbb":2}"#)
        #expect(try SyncCoding.decode(VersionVector.self, from: Data(json.utf8)) == vector)
        #expect(throws: DecodingError.self) { try SyncCoding.decode(VersionVector.self, from: Data(#"{"a":-1}"#.utf8)) }
    }

    @Test func tokenFilesGrantReadOrWrite() {
        let access = SyncAccess.parseTokenFile("""
            # team tokens
            plain-token
            write w-token
            read r-token

            """)
        #expect(access.writeTokens == ["plain-token", "w-token"])
        #expect(access.readTokens == ["r-token"])
        #expect(access.permission(for: "plain-token") == .write)
        #expect(access.permission(for: "r-token") == .read)
        #expect(access.permission(for: "r-toke") == nil)
        #expect(access.permission(for: nil) == nil)
        #expect(SyncAccess().permission(for: nil) == .write)
    }
}
