// swift-tools-version:6.1
import Foundation
import PackageDescription

// A coverage-guided fuzzer (libFuzzer) for what a peer receives: revision bodies and wire messages. A package of its
// own, so that its sanitizer flags never reach the main build. See README.md; `make fuzz` builds and runs it.

// A path dependency is known by its folder's name, whatever the checkout is called.
let main = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().standardized.lastPathComponent

let package = Package(
    name: "MarginFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "MarginFuzz",
            dependencies: [
                "CFuzzerEntry",
                .product(name: "MarginCore", package: main),
                .product(name: "SyncProtocol", package: main),
            ]),
        // The entry point that hands control to libFuzzer's driver (SwiftPM renames `main`; see entry.c).
        .target(name: "CFuzzerEntry"),
    ],
    swiftLanguageModes: [.v6]
)
