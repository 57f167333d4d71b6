import Foundation
import GRDB
import MarginCore

/// A peer this store syncs with, as `margin remote add` saved it, with what sync last learnt about it.
public struct RemoteInfo: Sendable, Equatable {
    /// The name the user gave the remote.
    public var name: String
    /// The remote's base URL, e.g. `http://127.0.0.1:8080`.
    public var url: String
    /// The bearer token to present, if any.
    public var token: String?
    /// The remote's peer id, once a sync has reached it.
    public var serverPeer: PeerID?
    /// The remote's version vector as last reported by it.
    public var knownVector: [PeerID: Int64]
    /// When the last sync with it finished, in milliseconds since 1970.
    public var lastSyncAt: Int64?
}

extension MarginStore {
    /// Saves a remote. Returns false, changing nothing, when a remote of that name exists.
    @discardableResult
    public func addRemote(name: String, url: String, token: String?) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "INSERT INTO remote (name, url, token, added_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO NOTHING",
                arguments: [name, url, token, RevisionLedger.nowMilliseconds()])
            return db.changesCount == 1
        }
    }

    /// Forgets a remote. Returns false when there was none of that name.
    @discardableResult
    public func removeRemote(name: String) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM remote WHERE name = ?", arguments: [name])
            return db.changesCount == 1
        }
    }

    /// Every remote, sorted by name.
    public func remotes() throws -> [RemoteInfo] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM remote ORDER BY name").map(Self.remoteInfo) }
    }

    /// The remote of that name, if any.
    public func remote(named name: String) throws -> RemoteInfo? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM remote WHERE name = ?", arguments: [name]).map(Self.remoteInfo)
        }
    }

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

    static func remoteInfo(_ row: Row) throws -> RemoteInfo {
        let vectorJSON: String = row["server_vector"]
        let raw = try BodyCoding.decode([String: Int64].self, from: vectorJSON, kind: .report)
        let peer: String? = row["server_peer"]
        return RemoteInfo(
            name: row["name"], url: row["url"], token: row["token"], serverPeer: peer.map(PeerID.init(rawValue:)),
            knownVector: Dictionary(uniqueKeysWithValues: raw.map { (PeerID(rawValue: $0.key), $0.value) }),
            lastSyncAt: row["last_sync_at"])
    }
}
