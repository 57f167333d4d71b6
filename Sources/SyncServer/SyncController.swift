import Foundation
import Hummingbird
import MarginCore
import NIOCore
import SyncBackend
import SyncProtocol

/// The sync endpoints over a backend: `POST /v1/sync`, `POST /v1/revisions`, `GET /v1/health`.
public struct SyncController<Backend: SyncBackend>: Sendable {
    /// Where the served revisions are kept.
    public let backend: Backend
    /// The largest request body accepted, in bytes.
    public let maxBodyBytes: Int
    /// What every request is held to.
    public var limits: SyncServerLimits { load.limits }
    let load: ServerLoad

    /// Makes a controller.
    public init(
        backend: Backend, maxBodyBytes: Int = SyncPaging.defaultMaxBodyBytes,
        limits: SyncServerLimits = SyncServerLimits()
    ) {
        self.init(backend: backend, maxBodyBytes: maxBodyBytes, load: ServerLoad(limits: limits))
    }

    init(backend: Backend, maxBodyBytes: Int, load: ServerLoad) {
        self.backend = backend
        self.maxBodyBytes = maxBodyBytes
        self.load = load
    }

    /// The routes, to add to a router.
    public func routes<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get(RouterPath(SyncEndpoint.health)) { _, _ in try Self.json(HealthResponse()) }
        routes.post(RouterPath(SyncEndpoint.sync)) { request, context in try await self.sync(request, context) }
        routes.post(RouterPath(SyncEndpoint.revisions)) { request, context in try await self.push(request, context) }
        return routes
    }

    // MARK: - Handlers

    func sync(_ request: Request, _ context: some RequestContext) async throws -> Response {
        // A pull request is a vector and a few numbers, so its body is held to what the largest allowed vector needs:
        // a read-only token cannot make the server hold or parse megabytes.
        let body = try reserveBody(of: request, limit: min(maxBodyBytes, limits.maxSyncRequestBytes))
        defer { body.release() }
        return try await sync(request, context, within: body)
    }

    func sync(_ request: Request, _ context: some RequestContext, within body: BodyReservation) async throws -> Response {
        let message = try await decode(SyncRequest.self, named: "SyncRequest", from: request, within: body)
        if let limit = message.limit, limit < 0 {
            throw SyncServerError(.malformedRequest, "“limit” must be 0 (vector only) or more.")
        }
        if let maxBytes = message.maxBytes, maxBytes < 1 {
            throw SyncServerError(.malformedRequest, "“maxBytes” must be at least 1.")
        }
        try checkVector(message.have, named: "have")
        if let origin = message.origin { try Self.checkPeer(origin, named: "origin") }
        let limit = min(message.limit ?? SyncPaging.defaultLimit, SyncPaging.maximumLimit)
        let maxBytes = min(message.maxBytes ?? SyncPaging.defaultMaxBytes, SyncPaging.defaultMaxBodyBytes)
        // The vector is read before the page, and the page's own vector is merged into it, so that the answer
        // never claims less than the page carries, even when another writer commits in between.
        // All from one source (a read replica, if the backend has one), so that the answer is one view of the data.
        let (requested, origin) = (message.have, message.origin)
        let (have, page, originHead, accounts) = try await backend.answeringPull(asking: origin) { source in
            let have = try await source.vector()
            // A vector-only request asks for nothing, so nothing more is coming: `more` stays false and a loop that
            // follows `more` stops.
            let page = limit == 0
                ? RevisionPage(revisions: [], more: false)
                : try await source.page(missingFrom: requested, limit: limit, maxBytes: maxBytes)
            var originHead: OriginHead?
            var keys = page.proofs.map(\.key)
            if let origin {
                originHead = try await source.newestRevision(of: origin).map { OriginHead(counter: $0.counter, id: $0.id) }
                if let own = try await source.signingKey(of: origin) { keys.append(own) }
            }
            // The accounts of the page's keys, and of the asking store's own key, so that it can show them.
            let accounts = try await source.accountNames(of: keys)
            return (have, page, originHead, accounts)
        }
        context.logger.info("sync: sent \(page.revisions.count) revision(s), more: \(page.more)")
        return try Self.json(SyncResponse(
            peer: backend.peerID, have: have.merging(VersionVector(pageVector(page.revisions))),
            revisions: page.revisions, more: page.more, maxBodyBytes: maxBodyBytes, originHead: originHead,
            signatures: page.proofs,
            accounts: Dictionary(uniqueKeysWithValues: accounts.map { ($0.key.rawValue, $0.value) })))
    }

    func push(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let body = try reserveBody(of: request, limit: maxBodyBytes)
        // Released once the page, decoded in the function below, is gone.
        defer { body.release() }
        return try await push(request, context, within: body)
    }

    func push(_ request: Request, _ context: some RequestContext, within body: BodyReservation) async throws -> Response {
        let message = try await decode(PushRequest.self, named: "PushRequest", from: request, within: body)
        try Self.checkPeer(message.from, named: "from")
        try checkSignatures(message.signatures)
        let outcome: ReceiveOutcome
        do {
            outcome = try await backend.receive(
                message.revisions, proofs: message.signatures, from: message.from, account: PushingAccount.name)
        } catch let refusal as SyncRefusal {
            context.logger.warning("push from \(message.from) rejected: \(refusal.code.rawValue)")
            throw refusal
        }
        let have: VersionVector
        do {
            have = try await backend.vector()
        } catch var refusal as SyncRefusal {
            // The page is stored: the answer must not say that nothing was (a retry finds it there, as duplicates).
            context.logger.warning(
                "push from \(message.from): \(outcome.accepted) accepted, \(outcome.duplicates) duplicate(s), stored; the vector could not be read after it (\(refusal.code.rawValue))")
            refusal.message = "The page was stored (\(outcome.accepted) revisions accepted), but then the server could not read what it holds (\(refusal.code == .unavailable ? "its database cannot be reached now" : refusal.code.rawValue)). Sync again: what was stored is not sent twice."
            throw refusal
        }
        context.logger.info("push from \(message.from): \(outcome.accepted) accepted, \(outcome.duplicates) duplicate(s)")
        return try Self.json(PushResponse(accepted: outcome.accepted, duplicates: outcome.duplicates, have: have))
    }

    // MARK: - Decoding and encoding

    /// Reads the body within the reserved size, decodes the message and checks its protocol version.
    ///
    /// The body is read into one buffer of its declared size and decoded in place (no copy), and its JSON is first
    /// checked to be no denser than real messages (see ``JSONDensity``), because a decoder's index of a dense body
    /// (`[1,1,1,…]`) costs many times the body. A well-formed body is parsed once (a page is megabytes of JSON). Only
    /// a body that does not decode is parsed again for its version alone, so that a client speaking another version
    /// hears about the version, not about a shape it could not have known.
    func decode<Message: VersionedRequest>(
        _ type: Message.Type, named name: String, from request: Request, within body: BodyReservation
    ) async throws -> Message {
        var buffer = ByteBufferAllocator().buffer(capacity: body.declaredBytes ?? 4096)
        do {
            try await request.body.collect(upTo: body.limit, into: &buffer)
        } catch is NIOTooManyBytesError {
            throw tooLarge(body.limit)
        } catch {
            // The body could not be read (a malformed chunked encoding, a connection cut short): the client's fault.
            throw SyncServerError(.malformedRequest, "The request body could not be read: it ended early or its chunked encoding is malformed.")
        }
        return try buffer.withUnsafeReadableBytes { bytes in
            guard JSONDensity.isPlausible(bytes) else {
                throw SyncServerError(
                    .malformedRequest,
                    "The body is not a valid \(name) message: it holds far more JSON values for its size than any \(name) does. See Protocol/PROTOCOL.md.")
            }
            let data = bytes.baseAddress.map {
                Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: bytes.count, deallocator: .none)
            } ?? Data()
            return try Self.decode(type, named: name, from: data)
        }
    }

    static func decode<Message: VersionedRequest>(_ type: Message.Type, named name: String, from data: Data) throws -> Message {
        let decodingError: any Error
        do {
            let message = try SyncCoding.decode(Message.self, from: data)
            guard message.protocol == SyncProtocolVersion.current else {
                throw SyncServerError.protocolMismatch(client: message.protocol)
            }
            return message
        } catch let error as SyncServerError {
            throw error
        } catch {
            decodingError = error
        }
        guard let probe = try? SyncCoding.decode(ProtocolProbe.self, from: data) else {
            throw SyncServerError.malformed(name, decodingError)
        }
        guard let version = probe.protocol else {
            throw SyncServerError(
                .malformedRequest,
                "The body has no “protocol” field; every request must say which protocol version it speaks (this server speaks \(SyncProtocolVersion.current)).")
        }
        guard version == SyncProtocolVersion.current else { throw SyncServerError.protocolMismatch(client: version) }
        throw SyncServerError.malformed(name, decodingError)
    }

    /// A version vector names at most ``SyncServerLimits/maxVectorEntries`` origins, and its keys are peer ids
    /// (decoding has already kept its counters in 0…2^53 − 1).
    func checkVector(_ vector: VersionVector, named name: String) throws {
        guard vector.counters.count <= limits.maxVectorEntries else {
            throw SyncServerError(
                .malformedRequest,
                "“\(name)” names \(vector.counters.count) origins, more than this server's limit of \(limits.maxVectorEntries); a store's vector names one origin per store that ever wrote, so this one is not a real store's.")
        }
        for origin in vector.counters.keys { try Self.checkPeer(origin, named: "\(name) key") }
    }

    /// A page carries at most one signature per revision, and each is well formed (its signature is checked with
    /// the page, by the backend).
    func checkSignatures(_ proofs: [ChainProof]) throws {
        guard proofs.count <= SyncPaging.maximumLimit else {
            throw SyncServerError(
                .malformedRequest, "“signatures” lists \(proofs.count) proofs; a page needs at most one per origin.")
        }
        for proof in proofs {
            do throws(MarginCoreError) {
                try proof.validate()
            } catch {
                throw SyncRefusal(core: error)
            }
        }
    }

    static func checkPeer(_ peer: PeerID, named name: String) throws {
        guard IdentifierFormat.peer.accepts(peer.rawValue) else {
            throw SyncServerError(.malformedRequest, "“\(name)” must be a peer id: 16 lowercase hexadecimal digits.")
        }
    }

    func tooLarge(_ limit: Int) -> SyncServerError {
        if limit < maxBodyBytes {
            return SyncServerError(
                .bodyTooLarge,
                "The request body is larger than this server's limit of \(limit) bytes for a sync request (a vector of up to \(limits.maxVectorEntries) origins).")
        }
        return SyncServerError(
            .bodyTooLarge,
            "The request body is larger than this server's limit of \(maxBodyBytes) bytes; send smaller pages, or restart the server with a larger --max-body-bytes.")
    }

    /// Checks the declared size against `limit` and holds room for the body in the server's budget of bodies in
    /// memory (a body of unknown size, sent chunked, holds room for `limit`).
    func reserveBody(of request: Request, limit: Int) throws -> BodyReservation {
        let declared = request.headers[.contentLength].flatMap(Int.init)
        if let declared, declared > limit { throw tooLarge(limit) }
        let bytes = max(0, declared ?? limit)
        guard load.reserveBody(bytes) else {
            throw SyncServerError(
                .unavailable,
                "The server holds its limit of \(limits.maxBodyBytesInFlight) bytes of request bodies at once; retry in a moment.",
                retryAfterSeconds: 1)
        }
        return BodyReservation(load: load, bytes: bytes, declaredBytes: declared, limit: limit)
    }

    static func json(_ message: some Encodable) throws -> Response {
        let body = try SyncCoding.encode(message)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    func pageVector(_ revisions: [Revision]) -> [PeerID: Int64] {
        var vector = VersionVector()
        for revision in revisions { vector.add(revision) }
        return vector.counters
    }
}
