// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Marginalia",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "margin", targets: ["margin"]),
        .library(name: "MarginCore", targets: ["MarginCore"]),
        .library(name: "MarginStore", targets: ["MarginStore"]),
        // The wire types, for the coverage-guided fuzzer in `Fuzz/` (a package of its own).
        .library(name: "SyncProtocol", targets: ["SyncProtocol"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        .target(
            name: "MarginCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The declarations of libxml2's HTML parser, from the system (Debian: libxml2-dev), for saved web pages.
        // Only declarations: HTMLText loads libxml2 when it reads the first page, so that the dynamic loader does not
        // map it and what it links (ICU, libstdc++) at every start of `margin` (about 0.9 ms). A pkg-config system
        // library would link it, hence the include paths given here.
        .target(name: "CLibXML2", cSettings: [.unsafeFlags(libxml2IncludePaths)]),
        .target(
            name: "HTMLText", dependencies: ["CLibXML2"],
            swiftSettings: [.unsafeFlags(libxml2IncludePaths.flatMap { ["-Xcc", $0] })]),
        .target(name: "ReportParser", dependencies: ["HTMLText"]),
        // zlib, from the system (Debian: zlib1g-dev), which packs the store's long revision bodies.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .target(
            name: "MarginStore",
            dependencies: [
                "MarginCore",
                "ReportParser",
                "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        .target(name: "SyncProtocol", dependencies: ["MarginCore"]),
        // Small waiting primitives the server and the PostgreSQL store share (the first of several outcomes).
        .target(name: "AsyncSignals"),
        // What a sync server needs from where it keeps revisions: the protocol its HTTP layer speaks to.
        .target(name: "SyncBackend", dependencies: ["MarginCore", "SyncProtocol"]),
        // The embedded SQLite store as a sync server's backend.
        .target(name: "StoreSyncBackend", dependencies: ["MarginStore", "MarginCore", "SyncProtocol", "SyncBackend"]),
        // Revisions, the version vector and accounts in PostgreSQL, for several servers over one database.
        .target(
            name: "PostgresRevisionStore",
            dependencies: [
                "MarginCore", "SyncProtocol", "SyncBackend", "AsyncSignals",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // The pool's errors (`ConnectionPoolError`, thrown by `PostgresClient` when no connection can be made).
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                // NIO's connection errors, to say in plain words why PostgreSQL could not be reached.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "SyncServer",
            dependencies: [
                "MarginCore", "SyncProtocol", "SyncBackend", "AsyncSignals",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "SyncClient",
            dependencies: [
                "MarginStore", "SyncProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "MarginCLI",
            dependencies: [
                "MarginCore", "ReportParser", "MarginStore", "SyncProtocol", "SyncServer", "SyncClient",
                "SyncBackend", "StoreSyncBackend", "PostgresRevisionStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The seed reports `margin demo` imports, shipped beside the executable (`seeds/` links here).
            resources: [.copy("DemoSeeds")]),
        .executableTarget(name: "margin", dependencies: ["MarginCLI"]),
        .executableTarget(
            name: "MarginBenchmarks",
            dependencies: [
                "MarginStore", "ReportParser", "MarginCore", "SyncProtocol", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/MarginBenchmarks"),
        // Receiving speed of the PostgreSQL store against plain INSERTs (`make bench-postgres`).
        .executableTarget(
            name: "PostgresIngestBenchmark",
            dependencies: [
                "PostgresRevisionStore", "MarginCore", .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/PostgresIngestBenchmark"),
        // 50 readers syncing at once through `margin serve` on each backend (and on PostgreSQL with a read
        // replica): p50 and p99 latency, errors (`make bench-load`).
        .executableTarget(
            name: "LoadBenchmark",
            dependencies: [
                "MarginStore", "MarginCore",
                // The replica run's own database, and the wait for the standby to replay it, as the tests make them.
                "PostgresTestSupport",
            ],
            path: "Benchmarks/LoadBenchmark"),
        .testTarget(name: "MarginCoreTests", dependencies: ["MarginCore", "MarginTestSupport"]),
        .testTarget(name: "ReportParserTests", dependencies: ["ReportParser"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HTMLTextTests", dependencies: ["HTMLText", "ReportParser"], resources: [.copy("Fixtures")]),
        .target(name: "MarginTestSupport", path: "Tests/MarginTestSupport"),
        // A throwaway PostgreSQL database per test (the cluster MARGIN_TEST_POSTGRES_URL names, or one it starts).
        .target(
            name: "PostgresTestSupport",
            dependencies: [
                "PostgresRevisionStore", "MarginTestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/PostgresTestSupport"),
        .testTarget(
            name: "MarginStoreTests", dependencies: ["MarginStore", "MarginCore", "ReportParser", "MarginTestSupport"]),
        .testTarget(name: "MarginCLITests", dependencies: [
            "MarginCLI", "MarginStore", "MarginTestSupport",
            // Raw SQL, to leave free pages in a store for `margin compact` to give back.
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Runs against the PostgreSQL cluster named by MARGIN_TEST_POSTGRES_URL, or one PostgresTestSupport starts
        // with scripts/postgres-test-cluster.sh.
        .testTarget(
            name: "PostgresRevisionStoreTests",
            dependencies: [
                "PostgresRevisionStore", "MarginCore", "SyncProtocol", "SyncBackend", "PostgresTestSupport", "MarginTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .testTarget(
            name: "SyncTests",
            dependencies: [
                "SyncProtocol", "SyncServer", "SyncClient", "MarginStore", "MarginCLI", "MarginTestSupport",
                "SyncBackend", "StoreSyncBackend", "PostgresRevisionStore", "PostgresTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)

/// Where libxml2's headers are: Debian and Ubuntu (libxml2-dev), then Homebrew on Apple silicon and on Intel.
var libxml2IncludePaths: [String] {
    ["/usr/include/libxml2", "/opt/homebrew/opt/libxml2/include/libxml2", "/usr/local/opt/libxml2/include/libxml2"]
        .map { "-I" + $0 }
}
