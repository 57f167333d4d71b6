/// Decides whether a revision is acceptable: the one place that says so, called wherever a revision enters a store
/// (a page a server receives, a page a peer pulls, a local write). Pure: no I/O, no store.
///
/// ``validate(_:)`` checks everything the revision itself can tell: identifier formats, string contents, integer
/// ranges, parents, its hash, and its body's shape for the kinds this version knows. ``validate(_:parentClocks:)``
/// adds the one rule that needs the parents: the Lamport clock grows along every edge.
///
/// Strings are checked, never changed: no normalization of any kind, because the bytes are hashed. A name written in
/// NFC and the same name in NFD are two different values and stay so.
///
/// The rules are specified in `Protocol/PROTOCOL.md`, "Validation"; each failure names its ``ValidationRule``.
public enum RevisionValidator {
    /// Checks the revision on its own. Throws ``MarginCoreError`` with `.invalidRevision` or `.hashMismatch`.
    /// Returns the body as it was read (a JSON object), for a caller that also needs its fields.
    @discardableResult
    public static func validate(_ revision: Revision) throws(MarginCoreError) -> JSONValue {
        let id = revision.id
        try check(IdentifierFormat.revision.accepts(id.rawValue), id, .identifier, "its id is not 64 lowercase hexadecimal digits")
        try check(IdentifierFormat.record.accepts(revision.record.rawValue), id, .identifier,
                  "its record id is not 1 to 64 characters of a–z, 0–9, “-” and “_”")
        try check(IdentifierFormat.kind.accepts(revision.kind.rawValue), id, .identifier,
                  "its kind is not 1 to 32 characters of a–z, 0–9, “-” and “_” starting with a letter")
        try check(IdentifierFormat.peer.accepts(revision.origin.rawValue), id, .identifier,
                  "its origin is not 16 lowercase hexadecimal digits")
        try check((1...RevisionLimits.maximumInteger).contains(revision.counter), id, .integerRange,
                  "its counter must be between 1 and 2^53 − 1")
        try check((1...RevisionLimits.maximumInteger).contains(revision.clock), id, .integerRange,
                  "its clock must be between 1 and 2^53 − 1")
        try check((0...RevisionLimits.maximumInteger).contains(revision.createdAt), id, .integerRange,
                  "its createdAt must be between 0 and 2^53 − 1")
        try check(revision.author.utf8.count <= RevisionLimits.maximumAuthorBytes, id, .size,
                  "its author is longer than \(RevisionLimits.maximumAuthorBytes) bytes")
        try check(TextRules.isSingleLine(revision.author), id, .string, "its author contains a control character")
        try check(revision.parents.count <= RevisionLimits.maximumParents, id, .parents,
                  "it names more than \(RevisionLimits.maximumParents) parents")
        for parent in revision.parents {
            try check(IdentifierFormat.revision.accepts(parent.rawValue), id, .identifier,
                      "its parent “\(TextRules.printable(parent.rawValue))” is not a revision id")
        }
        // Indices, not `zip(parents, parents.dropFirst())`: instantiating that generic iterator's type at run time
        // looked up its conformances by scanning the whole executable, about 0.3 ms of every `margin annotate`.
        for index in revision.parents.indices.dropFirst() {
            try check(revision.parents[index - 1].rawValue.utf8.lexicographicallyPrecedes(revision.parents[index].rawValue.utf8),
                      id, .parents, "its parents are not in ascending order without repeats")
        }
        try check(revision.body.utf8.count <= RevisionLimits.maximumBodyBytes, id, .size,
                  "its body is larger than \(RevisionLimits.maximumBodyBytes) bytes")
        let expected = RevisionHasher.hash(of: revision)
        guard expected == id else { throw MarginCoreError(.hashMismatch(revision: id, computed: expected)) }

        let body: JSONValue
        do {
            body = try StrictJSON.parse(revision.body)
        } catch {
            throw MarginCoreError(.invalidRevision(revision: id, rule: .bodyShape, reason: "its body is not strict JSON: \(error)"))
        }
        guard case .object = body else {
            throw MarginCoreError(.invalidRevision(revision: id, rule: .bodyShape, reason: "its body is not a JSON object"))
        }
        if let rules = BodyRules.byKind[revision.kind] {
            do {
                try rules(revision, body)
            } catch let failure as BodyRules.Failure {
                throw MarginCoreError(.invalidRevision(revision: id, rule: failure.rule, reason: failure.reason))
            } catch {
                throw MarginCoreError(.invalidRevision(revision: id, rule: .bodyShape, reason: "\(error)"))
            }
        }
        return body
    }

    /// Checks the Lamport rule against the clocks of the revision's parents: the revision's clock is greater than
    /// each of them.
    public static func validate(_ revision: Revision, parentClocks: [Int64]) throws(MarginCoreError) {
        if let highest = parentClocks.max() {
            try check(revision.clock > highest, revision.id, .clock,
                      "its clock \(revision.clock) is not greater than its parent's clock \(highest)")
        }
    }

    private static func check(_ condition: Bool, _ revision: RevisionID, _ rule: ValidationRule, _ reason: @autoclosure () -> String) throws(MarginCoreError) {
        if !condition { throw MarginCoreError(.invalidRevision(revision: revision, rule: rule, reason: reason())) }
    }
}

/// The families of rules a revision can break, as named in error responses (`error.rule`) and in the spec.
public enum ValidationRule: String, Sendable, Codable, CaseIterable {
    /// An id, origin, kind, record or section identifier has the wrong format.
    case identifier
    /// A string holds a control character it may not hold.
    case string
    /// An integer is outside its range.
    case integerRange = "integer-range"
    /// Parents are too many, unsorted or repeated.
    case parents
    /// Something is larger than its bound.
    case size
    /// The body is not strict JSON, or not the shape its kind requires.
    case bodyShape = "body-shape"
    /// A section level is outside 0…8, or a section's parent is not an earlier, shallower section.
    case sectionTree = "section-tree"
    /// An identity that is derived from content (a section, a tag record, a new annotation record) does not match it.
    case derivedIdentity = "derived-identity"
    /// The clock is not greater than a parent's.
    case clock

    // The rules below need the receiver's store; they are checked as a page is applied.

    /// A new revision's counter does not follow its origin's highest held counter.
    case counterGap = "counter-gap"
    /// The receiver holds a different revision at the same origin and counter: two writers use one origin.
    case counterReused = "counter-reused"
    /// A parent is neither held nor earlier in the page.
    case missingParent = "missing-parent"
    /// A parent belongs to another record.
    case parentRecord = "parent-record"
    /// A record's first revision has another kind than the record the receiver holds.
    case kindChange = "kind-change"
}

/// The formats of identifiers on the wire (`Protocol/PROTOCOL.md`, "Identifiers"). ASCII only, so that no
/// identifier has two Unicode forms.
public struct IdentifierFormat: Sendable {
    let lengths: ClosedRange<Int>
    /// For each byte value, whether it may stand first in the identifier, and whether it may stand anywhere after.
    private let allowedFirst: [Bool]
    private let allowedAfter: [Bool]

    private init(lengths: ClosedRange<Int>, first: (UInt8) -> Bool, after: (UInt8) -> Bool) {
        self.lengths = lengths
        allowedFirst = (0...255).map { first(UInt8($0)) }
        allowedAfter = (0...255).map { after(UInt8($0)) }
    }

    private init(lengths: ClosedRange<Int>, allows: (UInt8) -> Bool) {
        self.init(lengths: lengths, first: allows, after: allows)
    }

    /// A revision id: 64 lowercase hexadecimal digits.
    public static let revision = IdentifierFormat(lengths: 64...64, allows: isHex)
    /// A peer id (an `origin`, a push's `from`, a version-vector key): 16 lowercase hexadecimal digits.
    public static let peer = IdentifierFormat(lengths: 16...16, allows: isHex)
    /// A record or section id: 1 to 64 of `a–z 0–9 - _` (the kinds this version knows derive 32 hexadecimal digits).
    public static let record = IdentifierFormat(lengths: 1...RevisionLimits.maximumIdentifierLength, allows: isNameByte)
    /// A record kind: 1 to 32 of `a–z 0–9 - _`, starting with a letter.
    public static let kind = IdentifierFormat(
        lengths: 1...32, first: { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }, after: isNameByte)

    /// True when `text` has this format.
    ///
    /// Every received revision has five to seven identifiers checked here, so the length is judged first and the
    /// bytes through a table.
    public func accepts(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard lengths.contains(utf8.count) else { return false }
        return utf8.withContiguousStorageIfAvailable(accepts) ?? Array(utf8).withUnsafeBufferPointer(accepts)
    }

    private func accepts(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, allowedFirst[Int(first)] else { return false }
        return bytes.dropFirst().allSatisfy { allowedAfter[Int($0)] }
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}

/// What strings may hold.
public enum TextRules {
    /// No C0 control character (U+0000–U+001F): names, titles, headings, labels, tags.
    public static func isSingleLine(_ text: String) -> Bool {
        allBytes(of: text) { $0 >= 0x20 }
    }

    /// No C0 control character except newline and tab: note and section texts.
    public static func isText(_ text: String) -> Bool {
        allBytes(of: text) { $0 >= 0x20 || $0 == 0x0A || $0 == 0x09 }
    }

    /// Whether every UTF-8 byte of `text` passes, read in one run where the string has one (every received text
    /// passes here).
    private static func allBytes(of text: String, _ passes: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(passes) } ?? text.utf8.allSatisfy(passes)
    }

    /// A short, printable rendering of untrusted text for an error message: control characters (C0, DEL and C1,
    /// which a terminal may take for the start of an escape sequence) are written as `\u{…}`.
    public static func printable(_ text: String, limit: Int = 40) -> String {
        writingOut(text.unicodeScalars.prefix(limit)) { $0.value < 0x20 || isDeleteOrC1($0) }
            + (text.unicodeScalars.count > limit ? "…" : "")
    }

    /// DEL or a C1 control (U+007F–U+009F): a terminal may take one for the start of an escape sequence.
    public static func isDeleteOrC1(_ scalar: Unicode.Scalar) -> Bool { (0x7F...0x9F).contains(scalar.value) }

    /// The scalars, with each one `isWrittenOut` picks spelled `\u{…}` (lowercase hexadecimal), for text shown to a
    /// person.
    public static func writingOut(
        _ scalars: some Sequence<Unicode.Scalar>, where isWrittenOut: (Unicode.Scalar) -> Bool
    ) -> String {
        var shown = String.UnicodeScalarView()
        for scalar in scalars {
            if isWrittenOut(scalar) {
                shown.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            } else {
                shown.append(scalar)
            }
        }
        return String(shown)
    }
}
