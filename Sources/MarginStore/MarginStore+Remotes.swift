import Foundation
import GRDB
import MarginCore

/// A peer this store syncs with, as `margin remote add` saved it, with what sync last learnt about it.
public struct RemoteInfo: Sendable, Equatable {
    /// The name the user gave the remote.
    public var name: String
    /// The remote's base URL, e.g. `http://127.0.0.1:8080`.
    public var url: String
    /// The bearer token to present, if any. It is kept in the store's credentials file (``StoreCredentials``), never
    /// in the database.
    public var token: String?
    /// A PEM file of certificates to trust for this remote besides the system's (a self-signed server's own
    /// certificate, or the authority that signed it), as an absolute path; nil trusts only the system's.
    public var trustedCertificatePath: String?
    /// The remote's peer id, once a sync has reached it.
    public var serverPeer: PeerID?
    /// The remote's version vector as last reported by it.
    public var knownVector: [PeerID: Int64]
    /// When the last sync with it finished, in milliseconds since 1970.
    public var lastSyncAt: Int64?
}

extension MarginStore {
    /// Saves a remote; its token goes to the store's credentials file (mode 0600), the rest to the database.
    /// Returns false, changing nothing, when a remote of that name exists.
    ///
    /// The credentials file is rewritten inside the database transaction, so a failure to write it leaves no remote
    /// behind, and two processes adding remotes at once do not overwrite each other's tokens.
    @discardableResult
    public func addRemote(
        name: String, url: String, token: String?, trustedCertificatePath: String? = nil
    ) throws -> Bool {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO remote (name, url, trusted_certificate, added_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(name) DO NOTHING
                    """,
                arguments: [name, url, trustedCertificatePath, RevisionLedger.nowMilliseconds()])
            guard db.changesCount == 1 else { return false }
            let credentials = try StoreCredentials.read(from: credentialsPath)
            // A token left by a remote of the same name that was removed while its file could not be written is
            // replaced (or dropped) here, so a remote never inherits another's token.
            if credentials.remoteTokens[name] != token {
                try credentials.settingToken(token, forRemote: name).write(to: credentialsPath)
            }
            return true
        }
    }

    /// Forgets a remote and its token. Returns false when there was none of that name.
    @discardableResult
    public func removeRemote(name: String) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM remote WHERE name = ?", arguments: [name])
            guard db.changesCount == 1 else { return false }
            let credentials = try StoreCredentials.read(from: credentialsPath)
            if credentials.remoteTokens[name] != nil {
                try credentials.settingToken(nil, forRemote: name).write(to: credentialsPath)
            }
            return true
        }
    }

    /// Every remote, sorted by name, with its token from the credentials file.
    /// - Throws: ``MarginStoreError/Kind/credentialsExposed(path:mode:)`` when others may read that file.
    public func remotes() throws -> [RemoteInfo] {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT * FROM remote ORDER BY name") }
        guard !rows.isEmpty else { return [] }
        let credentials = try StoreCredentials.read(from: credentialsPath)
        return try rows.map { try Self.remoteInfo($0, credentials) }
    }

    /// The remote of that name, if any, with its token from the credentials file.
    public func remote(named name: String) throws -> RemoteInfo? {
        let row = try read { db in try Row.fetchOne(db, sql: "SELECT * FROM remote WHERE name = ?", arguments: [name]) }
        guard let row else { return nil }
        return try Self.remoteInfo(row, try StoreCredentials.read(from: credentialsPath))
    }

    /// The path of this store's credentials file (it exists only while some remote has a token).
    public var credentialsPath: String { StoreCredentials.path(inStore: path) }

    /// Records what a remote reported about itself (its peer id and vector).
    public func recordRemoteState(name: String, peer: PeerID, vector: [PeerID: Int64]) throws {
        try write { db in
            try db.execute(sql: "UPDATE remote SET server_peer = ? WHERE name = ?", arguments: [peer.rawValue, name])
            try Self.recordRemoteVector(name, vector, db)
        }
    }

    /// Records that a sync with a remote finished successfully now.
    public func recordSuccessfulSync(name: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE remote SET last_sync_at = ? WHERE name = ?",
                arguments: [RevisionLedger.nowMilliseconds(), name])
        }
    }

    static func recordRemoteVector(_ name: String, _ vector: [PeerID: Int64], _ db: Database) throws {
        let json = BodyCoding.encode(Dictionary(uniqueKeysWithValues: vector.map { ($0.key.rawValue, $0.value) }))
        try db.execute(sql: "UPDATE remote SET server_vector = ? WHERE name = ?", arguments: [json, name])
    }

    static func remoteInfo(_ row: Row, _ credentials: StoreCredentials) throws -> RemoteInfo {
        let peer: String? = row["server_peer"]
        let name: String = row["name"]
        return RemoteInfo(
            name: name, url: row["url"], token: credentials.remoteTokens[name],
            trustedCertificatePath: row["trusted_certificate"], serverPeer: peer.map(PeerID.init(rawValue:)),
            knownVector: try storedVector(row["server_vector"], ofRemote: name), lastSyncAt: row["last_sync_at"])
    }

    /// A remote's vector as ``recordRemoteVector(_:_:_:)`` stores it, `{"PEER": COUNTER, …}`. Read with the strict
    /// reader rather than Foundation's decoder, whose first use in a process cost about half a millisecond of CPU
    /// that every `margin sync` paid for this alone.
    static func storedVector(_ text: String, ofRemote name: String) throws -> [PeerID: Int64] {
        func unreadable(_ reason: String) -> MarginStoreError {
            MarginStoreError(.database("the vector kept for remote \(name) is unreadable: \(reason)"))
        }
        let value: JSONValue
        do {
            value = try StrictJSON.parse(text)
        } catch {
            throw unreadable(error.description)
        }
        guard case let .object(members) = value else { throw unreadable("it is not an object") }
        var vector: [PeerID: Int64] = [:]
        for (peer, counter) in members {
            guard case let .integer(counter) = counter else {
                throw unreadable("the counter of \(peer) is not a whole number")
            }
            vector[PeerID(rawValue: peer)] = counter
        }
        return vector
    }
}
