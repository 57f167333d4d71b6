import Foundation

/// The load benchmark's command line.
struct LoadOptions {
    /// Readers syncing at once.
    var clients = 50
    /// Timed syncs per reader, each after writing one note.
    var rounds = 10
    /// The margin executable that serves.
    var margin = ".build/release/margin"
    /// The seed reports (one is imported and shared by every reader).
    var seeds = "seeds"
    /// The PostgreSQL database to serve from: an empty one (default: $MARGIN_TEST_POSTGRES_URL, which
    /// `scripts/postgres-test-cluster.sh run` sets).
    var database = ProcessInfo.processInfo.environment["MARGIN_TEST_POSTGRES_URL"]
    /// A streaming standby of `database`'s server, for the replica run: the same user, any database (default:
    /// $MARGIN_TEST_POSTGRES_REPLICA_URL, which the cluster script sets too).
    var replica = ProcessInfo.processInfo.environment["MARGIN_TEST_POSTGRES_REPLICA_URL"]
    /// Which backends to load.
    var backends: [LoadBackend] = LoadBackend.allCases

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static let usage = """
        USAGE: LoadBenchmark [--clients N] [--rounds N] [--margin PATH] [--seeds DIR] [--database URL] [--replica URL]
                             [--only BACKENDS]

          --clients N      readers syncing at once (default: 50)
          --rounds N       timed syncs per reader, each after writing one note (default: 10)
          --margin PATH    the margin executable that serves (default: .build/release/margin)
          --seeds DIR      seed reports (default: seeds)
          --database URL   an empty PostgreSQL database (default: $MARGIN_TEST_POSTGRES_URL)
          --replica URL    a streaming standby of that server; the replica run makes a database of its own
                           (default: $MARGIN_TEST_POSTGRES_REPLICA_URL)
          --only BACKENDS  comma-separated: store, postgresql, replica (default: all three)
        """

    static func parse(_ arguments: [String]) throws -> LoadOptions? {
        var options = LoadOptions()
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw UsageError(description: "\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        func count() throws -> Int {
            let text = try value()
            guard let number = Int(text), number > 0 else { throw UsageError(description: "“\(text)” is not a positive number") }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--clients": options.clients = try count()
            case "--rounds": options.rounds = try count()
            case "--margin": options.margin = try value()
            case "--seeds": options.seeds = try value()
            case "--database": options.database = try value()
            case "--replica": options.replica = try value()
            case "--only":
                options.backends = try value().split(separator: ",").map { name in
                    guard let backend = LoadBackend(rawValue: String(name)) else {
                        throw UsageError(description: "unknown backend “\(name)”: store, postgresql or replica")
                    }
                    return backend
                }
            case "-h", "--help": return nil
            case let other: throw UsageError(description: "unknown option \(other)")
            }
            index += 1
        }
        return options
    }
}

/// Where the server keeps revisions.
enum LoadBackend: String, CaseIterable {
    /// `margin serve --store`: the embedded SQLite store.
    case store
    /// `margin serve --database`: PostgreSQL.
    case postgresql
    /// `margin serve --database --database-replica`: PostgreSQL, pulls answered by a streaming standby.
    case replica
}
