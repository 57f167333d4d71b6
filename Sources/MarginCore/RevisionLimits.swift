/// The bounds every revision keeps, on every peer and on the wire (`Protocol/PROTOCOL.md`, "Validation").
///
/// They are chosen so that nothing a peer accepts can overflow, exhaust memory or run away in any code that later
/// reads it, and so that a server's request limit always admits one maximal revision.
public enum RevisionLimits {
    /// The largest `counter`, `clock`, `createdAt` and anchor offset: 2^53 − 1, which every JSON implementation
    /// reads exactly and to which any peer can add one without overflowing.
    public static let maximumInteger: Int64 = 9_007_199_254_740_991
    /// The largest body, in UTF-8 bytes (4 MiB).
    public static let maximumBodyBytes = 4 * 1024 * 1024
    /// The largest revision on the wire, in bytes, once its body string is escaped again inside a JSON page
    /// (every body byte at most twice, plus the envelope and parents). A server must accept requests this large.
    public static let maximumEncodedRevisionBytes = 2 * maximumBodyBytes + 64 * 1024
    /// The most parents a revision may name.
    public static let maximumParents = 256
    /// The largest author name, in UTF-8 bytes.
    public static let maximumAuthorBytes = 256
    /// The largest one-line field of a body (a title, a heading, a label, a tag), in UTF-8 bytes.
    public static let maximumLineBytes = 4096
    /// The largest tag, in UTF-8 bytes.
    public static let maximumTagBytes = 256
    /// The most sections a report may have.
    public static let maximumSections = 20_000
    /// The deepest section level: 0 is the preamble, 1 to 4 are `一、`, `（一）`, `1、`, `（1）`; levels up to 8 are
    /// reserved for deeper numbering, so that a newer parser's reports stay valid here.
    public static let maximumSectionLevel = 8
    /// The deepest nesting of arrays and objects in a body.
    public static let maximumBodyDepth = 32
    /// The longest record, section or kind identifier, in characters.
    public static let maximumIdentifierLength = 64
}
