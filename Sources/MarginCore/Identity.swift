import Crypto

/// Derives deterministic record and section identities, so two peers importing the same text agree on them
/// and merge instead of duplicating when they sync.
public enum Identity {
    /// Length, in hexadecimal digits, of derived record and section identities.
    public static let length = 32

    /// A report's identity: from the name of the file it was first imported from (``ReportSource/fileName(of:)``),
    /// its title and, when a title repeats within that file, its occurrence. Two files holding reports with the
    /// same title give two reports; the same file imported on two peers gives the same identity.
    public static func report(file: String, title: String, occurrence: Int = 1) -> RecordID {
        RecordID(rawValue: digest("report-in-file", file, title, String(occurrence)))
    }

    /// The identity stores gave reports before they recorded source files: from the title and its occurrence in
    /// the file only. A report imported then keeps it (see ``ReportSource``); new reports never get one.
    public static func report(title: String, occurrence: Int = 1) -> RecordID {
        RecordID(rawValue: digest("report", title, String(occurrence)))
    }

    /// A section's identity: from its report, its chain of headings (not their numbering, so renumbering keeps
    /// identities) and, when that chain repeats within the report, its occurrence.
    public static func section(report: RecordID, headingPath: [String], occurrence: Int = 1) -> SectionID {
        SectionID(rawValue: digest(["section", report.rawValue] + headingPath + [String(occurrence)]))
    }

    /// The identity of the preamble section of a report.
    public static func preamble(report: RecordID) -> SectionID {
        SectionID(rawValue: digest("preamble", report.rawValue))
    }

    /// The identity of the record that says whether `tag` is on `section`: the same on every peer,
    /// so concurrent tagging of the same section with the same tag meets in one record.
    public static func tag(_ tag: String, on section: SectionID) -> RecordID {
        RecordID(rawValue: digest("tag", section.rawValue, tag))
    }

    /// The identity of a new annotation made by `origin` at its `counter`.
    public static func annotation(origin: PeerID, counter: Int64) -> RecordID {
        RecordID(rawValue: digest("annotation", origin.rawValue, String(counter)))
    }

    /// A key for counting occurrences of a title or heading path that compares bytes, never canonical equivalence:
    /// a heading written in NFC and the same heading in NFD are two paths, as their digests are two identities.
    public static func occurrenceKey(_ parts: [String]) -> [UInt8] {
        Array(parts.joined(separator: "\u{1F}").utf8)
    }

    static func digest(_ parts: String...) -> String { digest(parts) }

    /// The first ``length`` hexadecimal digits of the SHA-256 of the parts' UTF-8, joined by U+001F.
    ///
    /// Every received annotation that starts a record has its identity derived again here, so the bytes are put
    /// together once and only the digits kept are written.
    static func digest(_ parts: [String]) -> String {
        // A separator that cannot occur in report text keeps ("ab","c") and ("a","bc") apart.
        var input: [UInt8] = []
        input.reserveCapacity(parts.reduce(parts.count) { $0 + $1.utf8.count })
        for (index, part) in parts.enumerated() {
            if index > 0 { input.append(0x1F) }
            input.append(contentsOf: part.utf8)
        }
        return Hexadecimal.encode(SHA256.hash(data: input).prefix(length / 2))
    }
}
