import CZlib
import Foundation
import GRDB
import GRDBSQLite
import MarginCore

/// How a revision's body is kept in `stored_revision.body`: as its text, or packed with zlib into a BLOB.
///
/// A report's body is canonical JSON in which every section carries its id, its parent's id and the keys of its
/// fields, so zlib makes it about 2.5 times smaller; it is by far the largest thing a store keeps. Every reader
/// goes through the `revision` view, whose `body` column unpacks (SQL function `revision_body`, registered on
/// every connection by ``register(on:)``), so no query sees the difference; only ``RevisionLedger/insert(_:source:_:)``
/// and the migration that introduced packing write the table.
///
/// Packed form: the byte 1, then the body's length in UTF-8 bytes (4 bytes, big-endian), then zlib's stream of the
/// body (RFC 1950, whose checksum finds a damaged row: reading it then fails instead of giving other text).
enum StoredBody {
    /// Bodies shorter than this stay text: notes and tags are a few hundred bytes, and packing them would save
    /// little and cost a call to zlib on every write.
    static let packingThreshold = 512

    /// The first byte of a packed body, naming its format.
    static let formatTag: UInt8 = 1

    private static let headerCount = 5

    /// What `stored_revision.body` holds for `body`: its packed form where that is at least an eighth smaller,
    /// else its text.
    static func value(of body: String) -> SQLiteValue {
        let count = body.utf8.count
        guard count >= packingThreshold, count <= RevisionLimits.maximumBodyBytes, let packed = pack(body) else {
            return .text(body)
        }
        return .blob(packed)
    }

    /// The packed form of `body`, or nil when it would not be at least an eighth smaller than the text.
    static func pack(_ body: String) -> [UInt8]? {
        var body = body
        return body.withUTF8 { source -> [UInt8]? in
            guard source.count <= Int(UInt32.max), let base = source.baseAddress else { return nil }
            let bound = Int(compressBound(uLong(source.count)))
            var packed = [UInt8](repeating: 0, count: headerCount + bound)
            var packedCount = uLongf(bound)
            let code = packed.withUnsafeMutableBufferPointer { output in
                compress2(output.baseAddress! + headerCount, &packedCount, base, uLong(source.count), Z_DEFAULT_COMPRESSION)
            }
            let total = headerCount + Int(packedCount)
            guard code == Z_OK, total <= source.count - source.count / 8 else { return nil }
            packed[0] = formatTag
            let length = UInt32(source.count)
            for index in 0..<4 { packed[1 + index] = UInt8(truncatingIfNeeded: length >> (24 - 8 * UInt32(index))) }
            packed.removeLast(bound - Int(packedCount))
            return packed
        }
    }

    /// Unpacks `packed` into `output` (resized to fit); false when `packed` is not an intact packed body.
    static func unpack(_ packed: UnsafeRawBufferPointer, into output: inout [UInt8]) -> Bool {
        guard packed.count > headerCount, packed[0] == formatTag else { return false }
        var length = 0
        for index in 1...4 { length = length << 8 | Int(packed[index]) }
        // Only bodies of `packingThreshold` bytes or more are packed.
        guard length >= packingThreshold, length <= RevisionLimits.maximumBodyBytes else { return false }
        output = [UInt8](repeating: 0, count: length)
        var unpackedCount = uLongf(length)
        let code = output.withUnsafeMutableBufferPointer { buffer in
            uncompress(
                buffer.baseAddress!, &unpackedCount,
                packed.baseAddress!.assumingMemoryBound(to: UInt8.self) + headerCount, uLong(packed.count - headerCount))
        }
        return code == Z_OK && Int(unpackedCount) == length
    }

    /// The body packed in `packed` as text; nil when it is damaged.
    static func text(ofPacked packed: [UInt8]) -> String? {
        var output: [UInt8] = []
        let intact = packed.withUnsafeBytes { unpack($0, into: &output) }
        return intact ? String(validating: output, as: UTF8.self) : nil
    }

    /// Registers `revision_body(stored)` on a connection: the text of a stored body, packed or not. It fails the
    /// statement with an error naming the damage when a packed body does not unpack.
    ///
    /// Each connection remembers the last body it unpacked, so the sections of one report, read one row at a time
    /// from the same body (the `section` view), unpack it once.
    static func register(on db: Database) throws {
        let reader = Unmanaged.passRetained(LastUnpackedBody()).toOpaque()
        let code = sqlite3_create_function_v2(
            db.sqliteConnection, "revision_body", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, reader,
            { context, _, arguments in
                guard let context, let value = arguments?[0] else { return }
                guard sqlite3_value_type(value) == SQLITE_BLOB else {
                    sqlite3_result_value(context, value)
                    return
                }
                let reader = Unmanaged<LastUnpackedBody>.fromOpaque(sqlite3_user_data(context)).takeUnretainedValue()
                let packed = UnsafeRawBufferPointer(
                    start: sqlite3_value_blob(value), count: Int(sqlite3_value_bytes(value)))
                guard reader.unpack(packed) else {
                    sqlite3_result_error(context, "a stored revision body is damaged: it does not unpack", -1)
                    return
                }
                reader.text.withUnsafeBufferPointer { text in
                    text.withMemoryRebound(to: CChar.self) { characters in
                        if let base = characters.baseAddress {
                            sqlite3_result_text(context, base, Int32(characters.count), copiedBySQLite)
                        } else {
                            sqlite3_result_text(context, "", 0, nil)
                        }
                    }
                }
            },
            nil, nil,
            { reader in
                if let reader { Unmanaged<LastUnpackedBody>.fromOpaque(reader).release() }
            })
        // On failure SQLite has called the destructor, which released the reader.
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "could not register revision_body")
        }
        try registerPacking(on: db)
    }

    /// Registers `revision_pack(text)`, what ``value(of:)`` stores for a body: for the migration that packs the
    /// bodies a store held, in one `INSERT … SELECT`. Registered with the connection, never removed: removing a
    /// function fails while any statement of the connection is active.
    private static func registerPacking(on db: Database) throws {
        let code = sqlite3_create_function_v2(
            db.sqliteConnection, "revision_pack", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil,
            { context, _, arguments in
                guard let context, let value = arguments?[0] else { return }
                guard sqlite3_value_type(value) == SQLITE_TEXT,
                    let characters = sqlite3_value_text(value),
                    case let .blob(packed) = StoredBody.value(of: String(
                        decoding: UnsafeBufferPointer(start: characters, count: Int(sqlite3_value_bytes(value))),
                        as: UTF8.self))
                else {
                    sqlite3_result_value(context, value)
                    return
                }
                packed.withUnsafeBytes { bytes in
                    sqlite3_result_blob(context, bytes.baseAddress, Int32(bytes.count), copiedBySQLite)
                }
            },
            nil, nil, nil)
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "could not register revision_pack")
        }
    }
}

/// The last packed body a connection unpacked, and its text. Used by one connection, which runs one statement at a
/// time.
private final class LastUnpackedBody {
    private var packed: [UInt8] = []
    private(set) var text: [UInt8] = []

    /// Makes ``text`` the unpacking of `newPacked`; false when it is damaged.
    func unpack(_ newPacked: UnsafeRawBufferPointer) -> Bool {
        if !packed.isEmpty, newPacked.count == packed.count,
            packed.withUnsafeBytes({ memcmp($0.baseAddress!, newPacked.baseAddress!, packed.count) }) == 0
        {
            return true
        }
        guard StoredBody.unpack(newPacked, into: &text) else {
            packed = []
            return false
        }
        packed = Array(newPacked)
        return true
    }
}
