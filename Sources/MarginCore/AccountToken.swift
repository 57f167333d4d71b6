import Crypto
import Foundation

/// The bearer token of a server account, and the one-way hash under which a server keeps it.
///
/// A token is `margin_` followed by 43 base64url characters: 256 bits from the system's secure random source.
/// A server stores only ``hash(of:)`` (SHA-256); it compares hashes, never tokens. A slow password hash is not needed:
/// a 256-bit random token cannot be guessed from its hash, only by trying 2^256 of them.
///
/// ```swift
/// let token = AccountToken.generate()          // "margin_q3V…", shown to its holder once
/// let stored = AccountToken.hash(of: token)    // 32 bytes, what the server keeps
/// ```
public enum AccountToken {
    /// What every generated token starts with, so that secret scanners and people can tell one apart.
    public static let prefix = "margin_"

    /// The number of random bytes in a token.
    public static let randomByteCount = 32

    /// A new token from the system's cryptographically secure random source.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<randomByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }

    /// The SHA-256 of the token's UTF-8 bytes: the only form of a token a server keeps.
    public static func hash(of token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// Compares two hashes in time that depends only on their lengths, so that timing reveals nothing of either.
    public static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    /// Why text cannot be a bearer token, or nil when it can: a token is 1 to 4,096 visible ASCII characters, so that
    /// it travels unchanged in an `Authorization` header.
    public static func problem(with token: String) -> String? {
        if token.isEmpty { return "it is empty" }
        if token.utf8.count > 4096 { return "it is longer than 4,096 characters" }
        if !token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
            return "it holds a space, a control character or a non-ASCII character"
        }
        return nil
    }
}
