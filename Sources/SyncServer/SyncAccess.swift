import Foundation
import MarginCore

/// Who may use the server: bearer tokens that may read and push, and tokens that may only read.
/// With no tokens at all the server is open to anyone who can reach it (fine on 127.0.0.1, not elsewhere).
public struct SyncAccess: Sendable, Equatable {
    /// What a request may do.
    public enum Permission: Sendable, Equatable, Comparable {
        /// Pull only.
        case read
        /// Pull and push.
        case write
    }

    /// Tokens that may pull and push.
    public var writeTokens: Set<String>
    /// Tokens that may only pull.
    public var readTokens: Set<String>

    /// Makes an access policy.
    public init(writeTokens: Set<String> = [], readTokens: Set<String> = []) {
        self.writeTokens = writeTokens.filter { !$0.isEmpty }
        self.readTokens = readTokens.filter { !$0.isEmpty }
    }

    /// True when no token is required.
    public var isOpen: Bool { writeTokens.isEmpty && readTokens.isEmpty }

    /// What a presented token allows, or nil when it allows nothing.
    public func permission(for token: String?) -> Permission? {
        if isOpen { return .write }
        guard let token else { return nil }
        // Compare every token in full so that timing does not reveal how much of a guess was right.
        var found: Permission?
        for candidate in writeTokens where Self.constantTimeEqual(candidate, token) { found = .write }
        if found == nil {
            for candidate in readTokens where Self.constantTimeEqual(candidate, token) { found = .read }
        }
        return found
    }

    /// Reads a token file: one token per line; a line `read TOKEN` is a read-only token, `write TOKEN` or a bare
    /// `TOKEN` may push. Blank lines and lines starting with `#` are ignored.
    public static func parseTokenFile(_ text: String) -> SyncAccess {
        var access = SyncAccess()
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = String(line).trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: " ", maxSplits: 1).map { String($0).trimmingSpaces() }
            if parts.count == 2, parts[0] == "read" {
                access.readTokens.insert(parts[1])
            } else if parts.count == 2, parts[0] == "write" {
                access.writeTokens.insert(parts[1])
            } else {
                access.writeTokens.insert(trimmed)
            }
        }
        return access
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0 && left.count == right.count
    }
}
