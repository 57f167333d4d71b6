import Foundation
import MarginCore
import SyncProtocol

/// What decoding a push costs a server: the ingest group's pages, each encoded as the push that carries it, decoded
/// by `JSONDecoder` alone and by ``SyncCoding/decode(_:from:)`` (whose revisions are read directly, see
/// ``RevisionPageDecoding``), runs alternating. Both must give the same revisions.
enum PageDecodingBenchmarks {
    static func run(
        pages: [(revisions: [Revision], proofs: [ChainProof])], runs: Int, into report: inout BenchmarkReport
    ) throws {
        let from = PeerID(rawValue: "bench")
        let bodies = try pages.map {
            try SyncCoding.encode(PushRequest(from: from, revisions: $0.revisions, signatures: $0.proofs))
        }
        let count = pages.reduce(0) { $0 + $1.revisions.count }
        for (body, page) in zip(bodies, pages) {
            let direct = try SyncCoding.decode(PushRequest.self, from: body)
            let reference = try JSONDecoder().decode(PushRequest.self, from: body)
            guard direct == reference, direct.revisions == page.revisions else {
                throw ImportMismatch(description: "a push page decodes differently directly and with JSONDecoder")
            }
        }
        var jsonDecoder: [Sample] = []
        var direct: [Sample] = []
        for _ in 0..<(runs + 1) {
            jsonDecoder.append(try Stopwatch.time {
                for body in bodies { _ = try JSONDecoder().decode(PushRequest.self, from: body) }
            })
            direct.append(try Stopwatch.time {
                for body in bodies { _ = try SyncCoding.decode(PushRequest.self, from: body) }
            })
        }
        let megabytes = Double(bodies.reduce(0) { $0 + $1.count }) / 1_000_000
        for (name, samples) in [("JSONDecoder", jsonDecoder), ("SyncCoding (revisions read directly)", direct)] {
            let timed = Array(samples.dropFirst())
            let perRevision = BenchmarkResult.median(timed.map(\.cpu.milliseconds)) * 1_000 / Double(count)
            report.record(BenchmarkResult(
                group: "ingest", name: "decode \(count) revisions as push pages (\(name))", samples: timed,
                detail: String(format: "%.2f µs per revision (cpu), %.1f MB of JSON", perRevision, megabytes)))
        }
    }
}
