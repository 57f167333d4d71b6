import Crypto

/// Computes a revision's content hash.
///
/// The hashed text is line-oriented so that other implementations can reproduce it exactly
/// (see `Protocol/PROTOCOL.md`, "Revision hash"):
///
/// ```text
/// marginalia-revision-1
/// record <record id>
/// kind <kind>
/// parent <revision id>        (one line per parent, in ascending order)
/// origin <peer id>
/// counter <decimal>
/// clock <decimal>
/// author <UTF-8 byte count> <author>
/// created <decimal milliseconds>
/// body <UTF-8 byte count> <body>
/// ```
///
/// Lines end with a single `\n`; the body is last and is not followed by a newline.
/// The hash is the lowercase hexadecimal SHA-256 of the UTF-8 bytes of that text.
public enum RevisionHasher {
    /// The text that is hashed for a revision (its ``Revision/id`` is ignored).
    public static func canonicalText(of revision: Revision) -> String {
        String(decoding: canonicalBytes(of: revision), as: UTF8.self)
    }

    /// The UTF-8 bytes of ``canonicalText(of:)``, built without an intermediate string (receiving a page hashes
    /// thousands of revisions).
    static func canonicalBytes(of revision: Revision) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(
            160 + revision.record.rawValue.utf8.count + revision.parents.count * 72 + revision.author.utf8.count
                + revision.body.utf8.count)
        func line(_ key: String, _ value: String) {
            bytes.append(contentsOf: key.utf8)
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        bytes.append(contentsOf: "marginalia-revision-1\n".utf8)
        line("record", revision.record.rawValue)
        line("kind", revision.kind.rawValue)
        for parent in revision.parents { line("parent", parent.rawValue) }
        line("origin", revision.origin.rawValue)
        line("counter", String(revision.counter))
        line("clock", String(revision.clock))
        line("author", String(revision.author.utf8.count) + " " + revision.author)
        line("created", String(revision.createdAt))
        bytes.append(contentsOf: "body \(revision.body.utf8.count) ".utf8)
        bytes.append(contentsOf: revision.body.utf8)
        return bytes
    }

    /// The content hash of a revision.
    public static func hash(of revision: Revision) -> RevisionID {
        RevisionID(rawValue: Hexadecimal.encode(SHA256.hash(data: canonicalBytes(of: revision))))
    }

    /// Lowercase hexadecimal SHA-256 of a string's UTF-8 bytes.
    public static func sha256Hex(_ text: String) -> String {
        Hexadecimal.encode(SHA256.hash(data: Array(text.utf8)))
    }
}
