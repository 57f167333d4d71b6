import Foundation
import MarginCLI
import Testing

/// `--database`, `--database-connections` and `--database-wait` at their limits, in process: out of range is a usage error (64) that
/// names the range and touches nothing; a hostile URL is refused (1) in one sentence without its password.
@Suite struct DatabaseOptionTests {
    /// A URL no server listens on (port 1), so that a command that passes validation fails at the connection (1).
    static let nowhere = "postgresql://margin@127.0.0.1:1/margin"

    /// Values of `--database-connections` (1 to 10000) and `--database-wait` (1 to 3600 seconds) out of range.
    static let outOfRange = ["0", "-1", "10001", "99999999999999999999"].map { ("--database-connections", $0) }
        + ["0", "-1", "3601", "99999999999999999999", "ten"].map { ("--database-wait", $0) }
    /// Values at the limits.
    static let atTheLimits = [("--database-connections", "1"), ("--database-connections", "10000"),
        ("--database-wait", "1"), ("--database-wait", "3600")]

    /// A database nobody listens for is named, with the system's reason, in one line: not postgres-nio's and NIO's
    /// nested debug descriptions.
    @Test func aDatabaseNobodyListensForIsNamedWithTheSystemsReason() async {
        let result = await SyncTestSupport.margin(["user", "list", "--database", Self.nowhere])
        #expect(result.status == 1, "\(result.errors)")
        #expect(result.errors.contains("PostgreSQL cannot be reached now: cannot connect to 127.0.0.1:1: Connection refused."),
            "\(result.errors)")
        #expect(!result.errors.contains("PSQLError") && !result.errors.contains("SingleConnectionFailure"), "\(result.errors)")
        #expect(result.errors.split(separator: "\n").count == 1, "\(result.errors)")
    }

    @Test(arguments: outOfRange)
    func aNumberOutOfRangeIsAUsageError(option: String, value: String) async {
        let result = await SyncTestSupport.margin(["user", "list", "--database", Self.nowhere, "\(option)=\(value)"])
        #expect(result.status == 64, "\(result.errors)")
        #expect(result.errors.contains(option), "\(result.errors)")
    }

    @Test(arguments: atTheLimits)
    func aNumberAtTheLimitsPassesToTheConnection(option: String, value: String) async {
        let result = await SyncTestSupport.margin(["user", "list", "--database", Self.nowhere, option, value])
        #expect(result.status == 1, "\(result.errors)")
        #expect(!result.errors.contains(option), "\(result.errors)")
    }

    @Test(arguments: [
        "postgresql://margin:s3cret@127.0.0.1/mar%00gin",
        "postgresql://margin:s3cret@127.0.0.1/" + String(repeating: "x", count: 100_000),
    ])
    func aHostileURLIsRefusedWithoutItsPassword(url: String) async {
        let result = await SyncTestSupport.margin(["user", "list", "--database", url])
        #expect(result.status == 1, "\(result.errors)")
        #expect(result.errors.contains("not a usable PostgreSQL URL"), "\(result.errors.prefix(300))")
        #expect(!result.errors.contains("s3cret"))
        #expect(result.errors.utf8.count < 1_000)
    }
}
