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
        var text = "marginalia-revision-1\n"
        text += "record \(revision.record.rawValue)\n"
        text += "kind \(revision.kind.rawValue)\n"
        for parent in revision.parents {
            text += "parent \(parent.rawValue)\n"
        }
        text += "origin \(revision.origin.rawValue)\n"
        text += "counter \(revision.counter)\n"
        text += "clock \(revision.clock)\n"
        text += "author \(revision.author.utf8.count) \(revision.author)\n"
        text += "created \(revision.createdAt)\n"
        text += "body \(revision.body.utf8.count) \(revision.body)"
        return text
    }

    /// The content hash of a revision.
    public static func hash(of revision: Revision) -> RevisionID {
        RevisionID(rawValue: sha256Hex(canonicalText(of: revision)))
    }

    /// Lowercase hexadecimal SHA-256 of a string's UTF-8 bytes.
    public static func sha256Hex(_ text: String) -> String {
        let digest = SHA256.hash(data: Array(text.utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
