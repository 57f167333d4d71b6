import Foundation
import Logging
import MarginCore
import MarginStore
import SyncProtocol

/// What a sync should do.
public struct SyncOptions: Sendable {
    /// Pull what the server has that this store lacks.
    public var pull: Bool
    /// Push what this store has that the server lacks.
    public var push: Bool
    /// Revisions per page.
    public var pageLimit: Int
    /// Bytes per page (a soft cap; a page always carries at least one revision).
    public var pageBytes: Int
    /// Stop after this many pulled pages, leaving the rest for the next sync (nil: no limit). The store is
    /// consistent after every page, so a sync stopped here, or killed anywhere, resumes where it stopped.
    public var maxPulledPages: Int?
    /// Timeouts and retries.
    public var transport: SyncTransportOptions

    /// Makes options; by default a sync pulls then pushes everything.
    public init(
        pull: Bool = true, push: Bool = true, pageLimit: Int = SyncPaging.defaultLimit,
        pageBytes: Int = SyncPaging.defaultMaxBytes, maxPulledPages: Int? = nil,
        transport: SyncTransportOptions = SyncTransportOptions()
    ) {
        self.pull = pull
        self.push = push
        self.pageLimit = pageLimit
        self.pageBytes = pageBytes
        self.maxPulledPages = maxPulledPages
        self.transport = transport
    }
}

/// Progress of a running sync, reported after every page (and every chunk of records a first pull materializes).
public struct SyncProgress: Sendable, Equatable {
    /// What the sync is doing.
    public enum Phase: String, Sendable {
        /// Receiving revisions.
        case pull
        /// Sending revisions.
        case push
        /// Building the notes, sections and search entries of what a first pull brought, once it is whole (a bulk
        /// load's end; see `MarginStore.finishBulkLoad(progress:)`). Counts records, not revisions.
        case materialize
    }
    /// The current phase.
    public var phase: Phase
    /// Revisions moved (records built, in ``Phase/materialize``) so far in this phase.
    public var done: Int64
    /// Revisions this phase expects to move in all (from the version vectors); records that waited to be built, in
    /// ``Phase/materialize``.
    public var total: Int64
}

/// What a sync did.
public struct SyncReport: Sendable, Equatable, Codable {
    /// The remote's name (or URL when synced without a saved remote).
    public var remote: String
    /// The server's peer id.
    public var serverPeer: PeerID?
    /// Revisions the server accepted from this store.
    public var sent: Int
    /// Revisions this store accepted from the server.
    public var received: Int
    /// HTTP requests made.
    public var requests: Int
    /// True when everything was exchanged (false when stopped early by ``SyncOptions/maxPulledPages``).
    public var complete: Bool
    /// Records in conflict in this store after the sync.
    public var openConflicts: Int
    /// Set when the sync found that another writer used this store's identity, and the store took a new one.
    public var identityRecovery: IdentityRecovery?
    /// Revisions left for a later sync, by origin, when the server would not take some (see ``HeldBackOrigin``).
    public var heldBack: [HeldBackOrigin]?
}

/// Revisions of one origin a push left for a later sync: the server has not met the key of a relayed author (who
/// has not synced with it yet), so it takes neither that author's revisions nor those that build on them.
public struct HeldBackOrigin: Sendable, Equatable, Codable {
    /// The origin.
    public var origin: PeerID
    /// The author of its first waiting revision.
    public var author: String
    /// How many of its revisions wait.
    public var revisions: Int
    /// True for an origin the server refused; false for one that waits because its revisions build on those.
    public var refused: Bool

    /// Revisions of `origin` by `author` left for later: `revisions` of them, `refused` or building on those.
    public init(origin: PeerID, author: String, revisions: Int, refused: Bool) {
        (self.origin, self.author, self.revisions, self.refused) = (origin, author, revisions, refused)
    }
}

/// The identity recovery a sync made, kept across the attempts of one sync.
final class RecoveryRecord: @unchecked Sendable {
    var value: IdentityRecovery?
}

/// A pulled page holds revisions under the store's own identity that it did not make.
struct AnotherWriterDuringSync: Error, CustomStringConvertible, LocalizedError {
    var description: String {
        "Another copy of this store kept pushing under its identity while this sync ran; nothing was lost: run `margin sync` again."
    }
    var errorDescription: String? { description }
}

/// Syncs one store with one server: pull pages, then push pages, each page one transaction.
///
/// The checkpoint is the store itself: its version vector says what it has, and the remote's last known vector
/// (saved in the same transaction as each page) says what the server has. A sync killed at any point loses at
/// most the page in flight and the next sync continues from there.
public struct SyncSession: Sendable {
    /// The local store.
    public let store: MarginStore
    /// The remote's name, for saved state (nil: sync with a URL without saving anything about it).
    public let remoteName: String?
    /// The server's base URL.
    public let url: String
    /// The bearer token, if any.
    public let token: String?
    /// For an https URL, a PEM file of certificates to trust besides the system's.
    public let trustedCertificatePath: String?
    let logger: Logger

    /// A session with a saved remote (see `margin remote add`).
    public init(store: MarginStore, remote: RemoteInfo, logger: Logger = Logger(label: "margin.sync")) {
        self.store = store
        self.remoteName = remote.name
        self.url = remote.url
        self.token = remote.token
        self.trustedCertificatePath = remote.trustedCertificatePath
        self.logger = logger
    }

    /// A session with a URL, remembering nothing about it.
    public init(
        store: MarginStore, url: String, token: String?, trustedCertificatePath: String? = nil,
        logger: Logger = Logger(label: "margin.sync")
    ) {
        self.store = store
        self.remoteName = nil
        self.url = url
        self.token = token
        self.trustedCertificatePath = trustedCertificatePath
        self.logger = logger
    }

    /// Runs the sync.
    public func run(
        _ options: SyncOptions = SyncOptions(), progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }
    ) async throws -> SyncReport {
        let transport = try SyncTransport(
            baseURL: url, token: token, trustedCertificatePath: trustedCertificatePath, options: options.transport,
            logger: logger)
        do {
            var attempts = 0
            // A recovery made by an attempt that then started over is still reported.
            let recovered = RecoveryRecord()
            while true {
                attempts += 1
                do {
                    var report = try await exchange(transport, options, recovered, progress)
                    report.identityRecovery = report.identityRecovery ?? recovered.value
                    await transport.shutdown()
                    return report
                } catch let error as SyncClientError where error.isReusedCounter && attempts < 3 {
                    // Another writer pushed under this store's identity while this sync ran (after its check): the
                    // next exchange's check finds it and recovers.
                    logger.info("the server holds another revision under this store's identity; checking again")
                } catch is AnotherWriterDuringSync where attempts < 3 {
                    logger.info("the server sent revisions under this store's identity; checking again")
                }
            }
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    private func exchange(
        _ transport: SyncTransport, _ options: SyncOptions, _ recovered: RecoveryRecord,
        _ progress: @escaping @Sendable (SyncProgress) -> Void
    ) async throws -> SyncReport {
        var report = SyncReport(
            remote: remoteName ?? url, serverPeer: nil, sent: 0, received: 0, requests: 0, complete: true,
            openConflicts: 0, identityRecovery: nil)
        var identityChecked = false
        // What the server is known to hold of this store's own origin *from this store*: what the identity check
        // confirmed, then what the server accepted from it. A copy of this store pushing under the same origin
        // while this sync runs raises the server's vector for it; trusting that would skip this store's own
        // revisions at those counters. Capped at this, the push offers them, and the server refuses the clash.
        var ownConfirmed: Int64 = 0
        func capped(_ vector: VersionVector) -> VersionVector {
            var vector = vector
            let own = store.peer.id
            if vector[own] > ownConfirmed { vector[own] = ownConfirmed }
            return vector
        }
        let source = "pull:" + (remoteName ?? url)

        // Pull: ask with our vector; apply each page with the server's vector in one transaction. The next page
        // is asked for (with the vector this page will leave) before this one is applied, so that the server
        // reads it and this process decodes it while this page is being written.
        var serverHave = VersionVector()
        var maxBodyBytes = SyncPaging.defaultMaxBodyBytes
        var pages = 0
        var expected: Int64?
        let store = self.store
        let remoteName = self.remoteName
        var local = VersionVector(try await storeCall { try store.versionVector() })
        var inFlight = pullRequest(have: local, transport, options)
        while true {
            let answer = try await value(of: inFlight)
            report.requests += 1
            guard answer.protocol == SyncProtocolVersion.current else {
                throw SyncClientError(.protocolMismatch(url: url, server: answer.protocol))
            }
            try AnswerCheck.pull(answer, askedWith: local, pulling: options.pull, url: url)
            report.serverPeer = answer.peer
            maxBodyBytes = answer.maxBodyBytes
            if !identityChecked {
                identityChecked = true
                let (recovery, confirmed) = try await checkIdentity(answer, transport)
                ownConfirmed = confirmed
                if let recovery {
                    // Start over from the store as it is now: its old identity's revisions are another origin's.
                    report.identityRecovery = recovery
                    recovered.value = recovery
                    report.requests += 1
                    local = VersionVector(try await storeCall { try store.versionVector() })
                    expected = nil
                    inFlight = pullRequest(have: local, transport, options)
                    continue
                }
            }
            serverHave = capped(answer.have)
            let recordedVector = serverHave.counters
            let accounts = Dictionary(
                answer.accounts.map { (SigningKeyID(rawValue: $0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
            if pages == 0, !accounts.isEmpty {
                // The server's name for this store's own key (and the page's keys), for `log`, `show` and `history`.
                try await storeCall { try store.recordAccountNames(accounts) }
            }
            let total = expected ?? answer.have.count(notIn: local)
            expected = total
            if answer.revisions.contains(where: { $0.origin == store.peer.id }) {
                // Only this store writes under its identity: revisions of it that it lacks were made by another
                // writer (here, one that pushed while this sync ran). Applying them would make this store take
                // them for its own; start over, so that the identity check sees them.
                throw AnotherWriterDuringSync()
            }
            let stopsHere = options.maxPulledPages.map { pages + 1 >= $0 } ?? false
            var next: Task<SyncResponse, any Error>?
            if options.pull, answer.more, !stopsHere {
                for revision in answer.revisions { local.add(revision) }
                next = pullRequest(have: local, transport, options)
            }
            do {
                report.received += try await storeCall {
                    if answer.revisions.isEmpty {
                        if let remoteName {
                            try store.recordRemoteState(name: remoteName, peer: answer.peer, vector: recordedVector)
                        }
                        return 0
                    }
                    return try store.receive(
                        answer.revisions, proofs: answer.signatures, from: .server(accounts: accounts),
                        source: source, remote: remoteName, remoteVector: recordedVector
                    ).accepted
                }
            } catch {
                next?.cancel()
                throw error
            }
            if !options.pull { break }
            pages += 1
            progress(SyncProgress(phase: .pull, done: Int64(report.received), total: total))
            guard let next else {
                if answer.more { report.complete = false }
                break
            }
            inFlight = next
        }

        // An empty store's first pull of a long history left its records to be materialized once it is whole: now
        // (also when an earlier sync was stopped before it could).
        if report.complete {
            _ = try await storeCall {
                try store.finishBulkLoad { done, total in
                    progress(SyncProgress(phase: .materialize, done: Int64(done), total: Int64(total)))
                }
            }
        }

        // Push: what the server lacks, by its vector, in our log order; its answer is the new checkpoint. While a
        // page is on its way, the next one (what the server lacks once it holds this one) is read from the store
        // and encoded, so that it leaves as soon as the answer arrives.
        // Origins the server will not take yet (it has not met their key), and what waits with them.
        var heldOrigins: Set<PeerID> = []
        var holding = HeldBackRevisions()
        if options.push {
            let pushBytes = max(1, min(options.pageBytes, maxBodyBytes / 2))
            let counters = serverHave.counters
            // One signature over each of this store's chains covers everything it wrote since it last pushed.
            let total = try await storeCall {
                try store.signOwnRevisions()
                return try store.countMissing(from: counters)
            }
            var pushed: Int64 = 0
            var page = try await pushPage(missingFrom: serverHave, holding, options, pushBytes)
            var body = try pushBody(page)
            while !page.revisions.isEmpty {
                // A server below the protocol's minimum body limit cannot take a revision this large: say which
                // and why, instead of sending what it must refuse (pulling still works; nothing is lost).
                if page.revisions.count == 1, body.count > maxBodyBytes {
                    throw SyncClientError(.revisionTooLargeForServer(
                        url: url, revision: page.revisions[0].id, bytes: body.count, limit: maxBodyBytes))
                }
                var pageVector = VersionVector()
                for revision in page.revisions { pageVector.add(revision) }
                let sending = body
                let sent = Task {
                    try await transport.send(encoded: sending, to: SyncEndpoint.revisions, expecting: PushResponse.self)
                }
                let anticipated = serverHave.merging(pageVector)
                var following: RevisionPage
                var followingBody: Data?
                do {
                    following = page.more
                        ? try await pushPage(missingFrom: anticipated, holding, options, pushBytes)
                        : RevisionPage(revisions: [], more: false)
                    followingBody = following.revisions.isEmpty ? nil : try pushBody(following)
                } catch {
                    sent.cancel()
                    throw error
                }
                let answer: PushResponse
                do {
                    answer = try await value(of: sent)
                } catch let error as SyncClientError {
                    // A relayed author's revisions the server will not take until that author syncs with it:
                    // push the rest, and leave those (and whatever builds on them) for a later sync.
                    guard let refused = error.revisionWithUnknownKey,
                        let origin = page.revisions.first(where: { $0.id == refused })?.origin,
                        origin != store.peer.id, heldOrigins.insert(origin).inserted
                    else { throw error }
                    report.requests += 1
                    let (counters, origins) = (serverHave.counters, heldOrigins)
                    holding = try await storeCall { try store.heldBack(missingFrom: counters, origins: origins) }
                    page = try await pushPage(missingFrom: serverHave, holding, options, pushBytes)
                    if page.revisions.isEmpty { break }
                    body = try pushBody(page)
                    continue
                }
                report.requests += 1
                try AnswerCheck.push(answer, of: page.revisions, pageVector: pageVector, url: url)
                report.sent += answer.accepted
                pushed += Int64(page.revisions.count)
                ownConfirmed = max(ownConfirmed, pageVector[store.peer.id])
                serverHave = capped(answer.have)
                if !serverHave.covers(anticipated) {
                    // The server holds less than expected: read the next page again from what it says it holds.
                    following = try await pushPage(missingFrom: serverHave, holding, options, pushBytes)
                    followingBody = nil
                }
                if let remoteName, let peer = report.serverPeer {
                    let counters = serverHave.counters
                    try await storeCall { try store.recordRemoteState(name: remoteName, peer: peer, vector: counters) }
                }
                progress(SyncProgress(phase: .push, done: pushed, total: total))
                page = following
                if page.revisions.isEmpty { break }
                body = try followingBody ?? pushBody(page)
            }
        }

        report.heldBack = holding.isEmpty ? nil : holding.firstCounter.keys.sorted().map { origin in
            HeldBackOrigin(origin: origin, author: holding.authors[origin] ?? "", revisions: holding.counts[origin] ?? 0,
                refused: heldOrigins.contains(origin))
        }
        let complete = report.complete
        report.openConflicts = try await storeCall {
            if let remoteName, complete { try store.recordSuccessfulSync(name: remoteName) }
            return try store.openConflictCount()
        }
        return report
    }

    /// Waits for a request started ahead of time, cancelling it if the sync itself is cancelled (a task started
    /// with `Task {}` does not inherit its starter's cancellation).
    private func value<Answer: Sendable>(of request: Task<Answer, any Error>) async throws -> Answer {
        try await withTaskCancellationHandler {
            try await request.value
        } onCancel: {
            request.cancel()
        }
    }

    /// When the server's answer shows that another writer used this store's identity: takes a fresh one and
    /// re-issues the revisions only this store holds (see ``IdentityCheck`` and ``MarginStore/recoverIdentity(sharedThrough:)``).
    ///
    /// Also returns the counter of the store's own origin up to which the server is confirmed to hold the store's
    /// own revisions.
    private func checkIdentity(
        _ answer: SyncResponse, _ transport: SyncTransport
    ) async throws -> (recovery: IdentityRecovery?, confirmed: Int64) {
        let store = self.store
        let origin = store.peer.id
        var knownShared: Int64 = 0
        if let remoteName, let remote = try await storeCall({ try store.remote(named: remoteName) }),
            remote.serverPeer == answer.peer
        {
            knownShared = remote.knownVector[origin] ?? 0
        }
        guard let sharedThrough = try await IdentityCheck.forkPoint(
            origin: origin, head: answer.originHead, serverHave: answer.have, knownShared: knownShared, store: store,
            transport: transport)
        else {
            try await storeCall { try store.identityWasChecked() }
            // No other writer: the server's newest revision of this origin is this store's own.
            return (nil, answer.originHead?.counter ?? 0)
        }
        try await IdentityCheck.requireEvidence(
            origin: origin, forkPoint: sharedThrough, serverHave: answer.have, store: store, transport: transport, url: url)
        let recovery = try await storeCall {
            let recovery = try store.recoverIdentity(sharedThrough: sharedThrough)
            try store.identityWasChecked()
            return recovery
        }
        logger.info(
            "another writer used this store's identity \(recovery.retired); it now writes as \(recovery.fresh) and re-issued \(recovery.reissued) \(recovery.reissued == 1 ? "revision" : "revisions")")
        // The fresh identity has nothing on the server yet.
        return (recovery, 0)
    }

    /// Starts asking the server for the first page of what a store holding `have` lacks.
    private func pullRequest(
        have: VersionVector, _ transport: SyncTransport, _ options: SyncOptions
    ) -> Task<SyncResponse, any Error> {
        let request = SyncRequest(
            have: have, limit: options.pull ? options.pageLimit : 0, maxBytes: options.pageBytes, origin: store.peer.id)
        return Task { try await transport.send(request, to: SyncEndpoint.sync, expecting: SyncResponse.self) }
    }

    /// The next page to push to a server holding `serverHave`.
    private func pushPage(
        missingFrom serverHave: VersionVector, _ holding: HeldBackRevisions, _ options: SyncOptions, _ maxBytes: Int
    ) async throws -> RevisionPage {
        let (store, counters, limit) = (self.store, serverHave.counters, options.pageLimit)
        return try await storeCall {
            try store.revisions(
                missingFrom: counters, limit: limit, maxBytes: maxBytes, holding: holding,
                size: SyncCoding.estimatedSize(of:))
        }
    }

    /// The body of a push request carrying `page`.
    private func pushBody(_ page: RevisionPage) throws -> Data {
        try SyncCoding.encode(PushRequest(from: store.peer.id, revisions: page.revisions, signatures: page.proofs))
    }

}

/// Runs store work off Swift concurrency's threads (see ``MarginStore/offload(_:)``), its errors as this module's.
func storeCall<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    do {
        return try await MarginStore.offload(body)
    } catch let error as MarginStoreError {
        throw SyncClientError(.store(error))
    }
}
