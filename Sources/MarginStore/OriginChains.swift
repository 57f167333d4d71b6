import Foundation
import GRDB
import MarginCore

/// Each origin's ``RevisionChain`` at the highest counter held, kept beside that counter in `sync_vector.chain`.
///
/// The chain at the held counter is all a store needs: a received page continues each origin from there, and a
/// proof's signature is checked against the chain the page and its tail carry it to.
enum OriginChains {
    /// The highest counter held from `origin` and the chain there (counter 0 and the origin's start when none).
    static func head(of origin: PeerID, _ db: Database) throws -> (counter: Int64, chain: RevisionChain) {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT counter, chain FROM sync_vector WHERE origin = ?"), arguments: [origin.rawValue])
        else { return (0, .start(of: origin)) }
        let counter: Int64 = row["counter"]
        guard let bytes = row["chain"] as Data?, let chain = RevisionChain(stored: Array(bytes)) else {
            // Only a store older than chains lacks one; compute it once.
            return (counter, try recompute(origin, db))
        }
        return (counter, chain)
    }

    /// Computes `origin`'s chain from the revisions held (counters 1…n in order) and stores it beside the counter.
    @discardableResult
    static func recompute(_ origin: PeerID, _ db: Database) throws -> RevisionChain {
        var chain = RevisionChain.start(of: origin)
        let ids = try String.fetchCursor(
            db, sql: "SELECT id FROM revision WHERE origin = ? ORDER BY counter", arguments: [origin.rawValue])
        while let id = try ids.next() { chain = chain.appending(RevisionID(rawValue: id)) }
        try db.execute(
            sql: "UPDATE sync_vector SET chain = ? WHERE origin = ?", arguments: [Data(chain.bytes), origin.rawValue])
        return chain
    }

    /// Computes and stores every origin's chain (run once by the migration that introduced chains).
    static func recomputeAll(_ db: Database) throws {
        for origin in try String.fetchAll(db, sql: "SELECT origin FROM sync_vector") {
            try recompute(PeerID(rawValue: origin), db)
        }
    }
}
