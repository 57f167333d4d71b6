import Foundation
import MarginCore
import SyncProtocol

/// libFuzzer's entry point. Every input is tried three ways:
///
/// 1. as a revision body: ``StrictJSON/parse(_:maximumDepth:)``, then ``RevisionValidator`` on a revision of each kind
///    built around it (with the record id its kind derives, so that a good body can pass);
/// 2. as a request a server receives: ``PushRequest`` (each revision validated as sent, and again re-hashed so that
///    the deeper rules are reached) and ``SyncRequest``;
/// 3. as an answer a client receives: ``SyncResponse`` and ``PushResponse``, with the vector arithmetic `margin sync`
///    does on them.
///
/// Nothing here may crash on any input. Besides the code's own traps, three oracles stop the run:
/// a body the validator accepts must decode as its kind (``BodyCoding``), must give the same answer twice, and an
/// accepted revision must survive a round trip through the wire coding with the same id.
@_cdecl("LLVMFuzzerTestOneInput")
public func marginFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    Harness.asBody(bytes)
    Harness.asRequest(bytes)
    Harness.asAnswer(bytes)
    return 0
}

enum Harness {
    static let origin = PeerID(rawValue: "a1b2c3d4e5f60718")
    /// The report of `Protocol/examples/03-push.request.json`, whose section ids the seed bodies carry.
    static let exampleReport = RecordID(rawValue: "86e9c7fd5f509a1aa7d9321be6466559")

    // MARK: 1. Bodies

    static func asBody(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let parsed = try? StrictJSON.parse(text)
        // The parser must be deterministic.
        if let again = try? StrictJSON.parse(text) {
            guard parsed == again else { fail("StrictJSON parsed the same text two ways", text) }
        } else if parsed != nil {
            fail("StrictJSON accepted a text once and rejected it once", text)
        }
        for (kind, record) in candidates(parsed) {
            let revision = Revision(
                record: record, kind: kind, parents: [], origin: origin, counter: 1, clock: 1, author: "fuzz",
                createdAt: 0, body: text)
            checkAccepted(revision)
        }
    }

    /// Kinds to try, each with the record id that lets a good body of that kind pass the derived-identity rules.
    static func candidates(_ body: JSONValue?) -> [(RecordKind, RecordID)] {
        var result: [(RecordKind, RecordID)] = [
            (.report, exampleReport),
            (.annotation, Identity.annotation(origin: origin, counter: 1)),
            (RecordKind(rawValue: "widget"), RecordID(rawValue: "w")),
        ]
        if case let .string(title)? = body?["title"] { result.append((.report, Identity.report(title: title))) }
        if case let .string(tag)? = body?["tag"], case let .string(section)? = body?["section"] {
            result.append((.tag, Identity.tag(tag, on: SectionID(rawValue: section))))
        } else {
            result.append((.tag, RecordID(rawValue: "t")))
        }
        return result
    }

    /// Validates a revision; when it is accepted, checks the oracles.
    static func checkAccepted(_ revision: Revision) {
        let first: MarginCoreError?
        do {
            try RevisionValidator.validate(revision)
            try RevisionValidator.validate(revision, parentClocks: [])
            first = nil
        } catch {
            first = error
        }
        // The same revision gets the same verdict.
        let second: MarginCoreError?
        do { try revision.verify(); second = nil } catch { second = error }
        guard first == second else { fail("validate and verify disagree: \(String(describing: first)) / \(String(describing: second))", revision.body) }
        guard first == nil else { return }

        // An accepted body of a known kind decodes as that kind: the store materializes it with `BodyCoding`.
        do {
            switch revision.kind {
            case .report: _ = try BodyCoding.decode(ReportBody.self, from: revision.body, kind: .report)
            case .annotation: _ = try BodyCoding.decode(AnnotationBody.self, from: revision.body, kind: .annotation)
            case .tag: _ = try BodyCoding.decode(TagBody.self, from: revision.body, kind: .tag)
            default: break
            }
        } catch {
            fail("the validator accepted a \(revision.kind) body that BodyCoding rejects: \(error)", revision.body)
        }

        // An accepted revision is forwarded to other peers: through the wire coding it keeps its id and its verdict.
        do {
            let data = try SyncCoding.encode(PushRequest(from: origin, revisions: [revision]))
            let back = try SyncCoding.decode(PushRequest.self, from: data)
            guard back.revisions == [revision] else { fail("a revision changed through the wire coding", revision.body) }
            try back.revisions[0].verify()
        } catch {
            fail("an accepted revision does not survive the wire coding: \(error)", revision.body)
        }
    }

    // MARK: 2. Requests

    static func asRequest(_ bytes: [UInt8]) {
        let data = Data(bytes)
        if let push = try? SyncCoding.decode(PushRequest.self, from: data) {
            _ = IdentifierFormat.peer.accepts(push.from.rawValue)
            for revision in push.revisions.prefix(64) {
                checkAccepted(revision)
                // Re-hashed, the revision passes the hash check and meets the rules behind it.
                var rehashed = revision
                rehashed.id = RevisionHasher.hash(of: rehashed)
                checkAccepted(rehashed)
                // As the store checks it, against parents' clocks.
                _ = try? RevisionValidator.validate(rehashed, parentClocks: [revision.clock, revision.counter])
            }
        }
        if let sync = try? SyncCoding.decode(SyncRequest.self, from: data) {
            // What the server computes from a client's vector (see `SyncController.sync`).
            let server = VersionVector([origin: 3, PeerID(rawValue: "0000000000000001"): RevisionLimits.maximumInteger])
            _ = server.count(notIn: sync.have)
            _ = server.merging(sync.have).covers(sync.have)
            _ = sync.have.origins.map { sync.have[$0] }
            _ = min(sync.limit ?? SyncPaging.defaultLimit, SyncPaging.maximumLimit)
        }
        _ = try? SyncCoding.decode(ProtocolProbe.self, from: data)
    }

    // MARK: 3. Answers

    static func asAnswer(_ bytes: [UInt8]) {
        let data = Data(bytes)
        // What `margin sync` computes from a server's answers (see `SyncSession.run`).
        let local = VersionVector([origin: 2, PeerID(rawValue: "0000000000000002"): 5])
        if let answer = try? SyncCoding.decode(SyncResponse.self, from: data) {
            for revision in answer.revisions.prefix(64) { _ = try? revision.verify() }
            _ = answer.have.count(notIn: local)
            var pageVector = VersionVector()
            for revision in answer.revisions { pageVector.add(revision) }
            _ = answer.have.merging(pageVector).covers(pageVector)
            _ = local.count(notIn: answer.have)
        }
        if let answer = try? SyncCoding.decode(PushResponse.self, from: data) {
            _ = answer.have.covers(local)
            _ = local.merging(answer.have)
        }
    }

    // MARK: Failing

    /// Stops the run with what was seen (libFuzzer saves the input as a crash artifact).
    static func fail(_ what: String, _ input: String) -> Never {
        let shown = input.unicodeScalars.prefix(400).map { $0.value < 0x20 ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        fatalError("MarginFuzz: \(what)\n  input: \(shown)")
    }
}
