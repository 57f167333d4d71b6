import Foundation
import MarginStore

/// `margin serve` on a free loopback port, its output going to a file (a pipe nobody reads would fill and stall it).
struct LoadServer {
    let process: Process
    let url: String

    static func start(
        _ backend: LoadBackend, margin: URL, folder: URL, database: String?, replica: String?
    ) throws -> LoadServer {
        var arguments = ["serve", "--host", "127.0.0.1", "--port", "0"]
        switch backend {
        case .store:
            let store = folder.appendingPathComponent("server").path
            // Made only to be served, as `margin init --server` makes it.
            try MarginStore.create(at: store, author: "server").markServesOnly()
            arguments += ["--store", store]
        case .postgresql:
            arguments += ["--database", database ?? ""]
        case .replica:
            arguments += ["--database", database ?? "", "--database-replica", replica ?? ""]
        }
        let log = folder.appendingPathComponent("server.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = margin
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: folder.appendingPathComponent("server.err").creatingFile())
        try process.run()
        // The first line says where it listens.
        for _ in 0..<600 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                return LoadServer(process: process, url: String(line.dropFirst("listening on ".count)))
            }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        process.terminate()
        let errors = (try? String(contentsOf: folder.appendingPathComponent("server.err"), encoding: .utf8)) ?? ""
        throw LoadOptions.UsageError(description: "margin serve (\(backend.rawValue)) did not start: \(errors)")
    }

    /// The server's CPU time so far (user + system), from /proc.
    func cpuSeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based, counting pid and command).
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

extension URL {
    /// Creates an empty file here and returns the URL.
    func creatingFile() -> URL {
        FileManager.default.createFile(atPath: path, contents: nil)
        return self
    }
}
