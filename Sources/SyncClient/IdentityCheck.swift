import MarginCore
import MarginStore
import SyncProtocol

/// Tells from a server's answer whether another writer used this store's identity, and where the two diverged.
///
/// Every sync's first request names the store's own peer id (``SyncRequest/origin``), and the server answers with
/// its newest revision of that origin (``SyncResponse/originHead``). Only this store writes under its identity, so
/// the server holding a higher counter than the store, or another revision at the same counter, means a second
/// writer: a copy of the store folder, a backup restored after the store had synced, or someone pushing under its
/// id. Nothing else can produce either.
enum IdentityCheck {
    /// The highest counter of `origin` at which the server holds the same revision as the store, when another
    /// writer used the identity; nil when the server holds only the store's own revisions of it.
    ///
    /// - Parameters:
    ///   - knownShared: a counter the server is known to hold from this store (the remote's last acknowledged
    ///     vector): revisions up to it are the same on both sides, so the search starts there.
    static func forkPoint(
        origin: PeerID, head: OriginHead?, serverHave: VersionVector, knownShared: Int64, store: MarginStore,
        transport: SyncTransport
    ) async throws -> Int64? {
        guard let head else { return nil }
        let held = VersionVector(try await storeCall { try store.versionVector() })[origin]
        if head.counter <= held {
            let counter = head.counter
            let mine = try await storeCall { try store.revisionIDs(of: origin, counters: counter...counter) }
            if mine[counter] == head.id { return nil }
        }
        // Walk the server's revisions of this origin upwards from what is known to be shared, comparing ids, until
        // the first that differs (or the top of what both hold).
        let top = min(held, head.counter)
        var shared = min(max(0, knownShared), top)
        while shared < top {
            var have = serverHave
            have[origin] = shared
            let limit = Int(min(Int64(SyncPaging.maximumLimit), top - shared))
            let answer = try await transport.send(
                SyncRequest(have: have, limit: limit), to: SyncEndpoint.sync, expecting: SyncResponse.self)
            let from = shared + 1
            let mine = try await storeCall { try store.revisionIDs(of: origin, counters: from...top) }
            var advanced = false
            for revision in answer.revisions where revision.origin == origin {
                guard revision.counter == shared + 1, shared < top else { break }
                if mine[revision.counter] != revision.id { return shared }
                shared = revision.counter
                advanced = true
            }
            if !advanced { break }
        }
        return shared
    }

    /// Checks the server's evidence that another writer used this store's identity after counter `forkPoint`: its
    /// revision of `origin` at `forkPoint + 1`, which must differ from this store's own there, signed by this
    /// store's own key over the chain of this store's revisions 1…`forkPoint` and the other writer's. Only a copy of
    /// this store's folder (or a backup of it) holds that key, and a server takes revisions of an origin only with the
    /// origin's key (`Protocol/PROTOCOL.md` §16.4), so a real second writer always leaves this evidence; a server
    /// that cannot give it is lying, and believing it would make this store re-issue its own revisions after the
    /// fork point under a new identity: every peer would end with those notes twice.
    ///
    /// - Throws: ``SyncClientError`` (`answerBreaksProtocol`) when the evidence is missing or does not hold.
    static func requireEvidence(
        origin: PeerID, forkPoint: Int64, serverHave: VersionVector, store: MarginStore, transport: SyncTransport,
        url: String
    ) async throws {
        let unproven = SyncClientError(.answerBreaksProtocol(
            url: url,
            reason: "it says another writer used this store's identity after counter \(forkPoint), but offers no "
                + "signature of this store's key over that writer's revisions"))
        var have = serverHave
        have[origin] = forkPoint
        let answer = try await transport.send(
            SyncRequest(have: have, limit: 1), to: SyncEndpoint.sync, expecting: SyncResponse.self)
        guard let theirs = answer.revisions.first(where: { $0.origin == origin }), theirs.counter == forkPoint + 1,
            let proof = answer.signatures.first(where: { $0.origin == origin }),
            proof.counter == theirs.counter + Int64(proof.tail.count)
        else { throw unproven }
        let (ownKey, own) = try await storeCall {
            (try store.signingKeyID(), try store.revisionIDs(of: origin, counters: 1...(forkPoint + 1)))
        }
        guard proof.key == ownKey, own[theirs.counter] != theirs.id else { throw unproven }
        var shared: [RevisionID] = []
        for counter in Int64(1)..<theirs.counter {
            guard let id = own[counter] else { throw unproven }
            shared.append(id)
        }
        let chain = RevisionChain.start(of: origin)
            .appending(contentsOf: shared)
            .appending(theirs.id)
            .appending(contentsOf: proof.tail)
        do {
            try proof.verify(chain: chain)
        } catch {
            throw unproven
        }
    }
}
