import Foundation
import GRDB
import GRDBSQLite

/// The secrets a store presents to its remotes (their bearer tokens), kept in one file beside the database that only
/// its owner may read: `<store>/credentials`, mode 0600.
///
/// Tokens stay out of `store.sqlite` so that the database can be copied, backed up, attached to a bug report or
/// inspected without handing over the keys to a server. The file is JSON, readable by a person:
///
/// ```json
/// {"remotes":{"lab":{"token":"margin_…"}}}
/// ```
///
/// Every change rewrites the file whole: a new file is created with mode 0600 beside it, written, flushed and
/// renamed over the old one, so a reader sees the old file or the new one, never half of one, and never a moment
/// in which the file is readable by others. A file that group or others may read is refused, as ssh refuses such a
/// key: its tokens may have leaked, and using them would hide that.
///
/// Writers call it inside a store write transaction, which serializes them across processes.
struct StoreCredentials: Sendable, Equatable {
    /// The bearer token of each remote that has one, by remote name.
    var remoteTokens: [String: String] = [:]

    /// The name of the file inside the store folder.
    static let fileName = "credentials"

    /// The credentials file of the store at `storePath`.
    static func path(inStore storePath: String) -> String {
        (storePath as NSString).appendingPathComponent(fileName)
    }

    // MARK: - Reading

    /// Reads the credentials file; no file means no credentials.
    /// - Throws: ``MarginStoreError/Kind/credentialsExposed(path:mode:)`` when group or others may read or write it,
    ///   ``MarginStoreError/Kind/credentialsUnreadable(path:reason:)`` when it cannot be read or is not what this
    ///   type writes.
    static func read(from path: String) throws -> StoreCredentials {
        let data: Data
        do throws(PrivateFile.Failure) {
            guard let contents = try PrivateFile.read(path) else { return StoreCredentials() }
            data = contents
        } catch {
            if case let .exposed(mode) = error { throw MarginStoreError(.credentialsExposed(path: path, mode: mode)) }
            throw MarginStoreError(.credentialsUnreadable(path: path, reason: error.reason))
        }
        do {
            let file = try JSONDecoder().decode(FileContents.self, from: data)
            return StoreCredentials(remoteTokens: file.remotes.compactMapValues(\.token))
        } catch {
            throw MarginStoreError(.credentialsUnreadable(path: path, reason: "it is not a credentials file this margin wrote"))
        }
    }

    // MARK: - Writing

    /// Replaces the file with these credentials, atomically, with mode 0600. An empty set of credentials removes it.
    func write(to path: String) throws {
        if remoteTokens.isEmpty {
            if unlink(path) != 0, errno != ENOENT {
                throw MarginStoreError(.credentialsUnwritable(path: path, reason: String(cString: strerror(errno))))
            }
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let contents = FileContents(remotes: remoteTokens.mapValues { FileContents.Remote(token: $0) })
        let data = try encoder.encode(contents) + Data("\n".utf8)
        do throws(PrivateFile.Failure) {
            try PrivateFile.replace(path, with: data)
        } catch {
            throw MarginStoreError(.credentialsUnwritable(path: path, reason: error.reason))
        }
    }

    /// Returns these credentials with `token` as the remote's token (nil: the remote has none).
    func settingToken(_ token: String?, forRemote name: String) -> StoreCredentials {
        var copy = self
        copy.remoteTokens[name] = token
        return copy
    }

    /// The file's JSON shape; a remote is an object so that other kinds of secret can join the token later.
    private struct FileContents: Codable {
        struct Remote: Codable {
            var token: String?
        }

        var remotes: [String: Remote]
    }
}

// MARK: - Moving tokens out of the database

extension StoreCredentials {
    /// Moves every token of the `remote` table into the credentials file beside the database, then clears the
    /// column: run by a schema migration, inside its transaction. Tokens the file holds already are kept, and the
    /// table's win for the same remote, so running it again after a failure changes nothing.
    static func moveRemoteTokensOutOfDatabase(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT name, token FROM remote WHERE token IS NOT NULL")
        guard !rows.isEmpty else { return }
        guard let databaseFile = sqlite3_db_filename(db.sqliteConnection, "main").map({ String(cString: $0) }),
            !databaseFile.isEmpty
        else {
            throw MarginStoreError(.credentialsUnwritable(path: fileName, reason: "the database has no folder"))
        }
        let path = Self.path(inStore: (databaseFile as NSString).deletingLastPathComponent)
        var credentials = try read(from: path)
        for row in rows {
            credentials.remoteTokens[row["name"]] = row["token"] as String
        }
        try credentials.write(to: path)
        // secure_delete zeroes the bytes the cleared tokens leave behind in the page, so they do not linger in the
        // file until SQLite happens to reuse the space.
        try db.execute(sql: "PRAGMA secure_delete = ON")
        try db.execute(sql: "UPDATE remote SET token = NULL WHERE token IS NOT NULL")
        try db.execute(sql: "PRAGMA secure_delete = OFF")
    }
}
