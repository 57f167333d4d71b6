import Foundation
import MarginCore

/// An error from the store. Its description says what happened and what to do.
public struct MarginStoreError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public enum Kind: Sendable {
        /// There is no store at the path.
        case storeNotFound(path: String)
        /// A store already exists at the path.
        case storeExists(path: String)
        /// A reference matches nothing.
        case unknownReference(String, expected: String)
        /// A reference matches several records.
        case ambiguousReference(String, candidates: [String])
        /// An identity prefix matches several reports and annotations; `neededLength` characters tell them apart.
        case ambiguousPrefix(String, reports: Int, annotations: Int, neededLength: Int)
        /// An identity prefix is shorter than `minimum` characters.
        case referenceTooShort(String, minimum: Int)
        /// A reference is of the wrong kind for the command.
        case wrongReferenceKind(String, expected: String, actual: String)
        /// A section number does not exist in the report.
        case unknownSectionNumber(report: String, number: String)
        /// The annotation was deleted.
        case annotationDeleted(String)
        /// The annotation is not deleted, so there is nothing to restore.
        case annotationNotDeleted(String)
        /// The annotation has unresolved concurrent edits.
        case annotationInConflict(String)
        /// The annotation is not in conflict (any more).
        case notInConflict(String)
        /// The report has unresolved concurrent edits, so its text cannot be replaced until they are settled.
        case reportInConflict(String)
        /// The report's edits agree: nothing to resolve.
        case reportNotInConflict(String)
        /// Sides of a report's conflict changed the same title or section (`parts` of them): a person merges them.
        case mergeNeedsPerson(String, parts: Int)
        /// The revision chosen to keep is not one of the conflicting revisions.
        case notAConflictingRevision(annotation: String, revision: String)
        /// The annotation's section no longer exists.
        case sectionGone(String)
        /// An annotation can be placed only on a section of its own report.
        case sectionOfAnotherReport(section: String, annotation: String)
        /// The record got a new revision (a sync, another command) after a person's view of it was read, and before
        /// what they wrote from that view was saved: nothing was written.
        case changedMeanwhile(String)
        /// A tag is not usable.
        case invalidTag(String)
        /// No section carries this tag; `similar` are tags in use it may have meant.
        case unknownTag(String, similar: [String])
        /// An annotation text is empty.
        case emptyText
        /// The record's Lamport clock was pushed to the top of its range by a received revision: it cannot be edited.
        case clockExhausted
        /// The domain core rejected the data.
        case core(MarginCoreError)
        /// The report file could not be parsed.
        case parse(String)
        /// A file that must hold exactly one report holds `count`.
        case notOneReport(file: String, count: Int)
        /// A report's new text puts back what `parts` said before another peer's later edit of them.
        case revertsLaterEdits(report: String, parts: [String])
        /// An import's file and an edit made since the file was last imported changed the same parts of a report.
        case importClashes(report: String, file: String, parts: Int)
        /// SQLite reported an error.
        case database(String)
        /// A local write is larger than one revision may be.
        case tooLarge(bytes: Int, limit: Int)
        /// A store cannot be created at the path (it is empty, is a file, or its folder cannot be made).
        case cannotCreate(path: String, reason: String)
        /// This process may only read the store, and the command writes.
        case readOnly(path: String)
        /// The store was written by a newer or older margin and needs a schema upgrade, which needs write access.
        case readOnlyNeedsUpgrade(path: String)
        /// The store's credentials file may be read or written by group or others (`mode`, e.g. 0o644).
        case credentialsExposed(path: String, mode: Int)
        /// The store's credentials file cannot be read, or is not one this margin wrote.
        case credentialsUnreadable(path: String, reason: String)
        /// The store's credentials file cannot be written.
        case credentialsUnwritable(path: String, reason: String)
        /// The store's signing key file cannot be read, written, or is readable by others.
        case signingKeyUnusable(path: String, reason: String)
    }

    /// What went wrong.
    public let kind: Kind

    /// Makes an error of the given kind.
    public init(_ kind: Kind) { self.kind = kind }

    /// "a" or "an", for the English noun that follows.
    static func article(_ noun: String) -> String {
        noun.first.map { "aeiou".contains($0) } == true ? "an" : "a"
    }

    public var description: String {
        switch kind {
        case let .storeNotFound(path):
            return "No Marginalia store at \(path). Create one with `margin init`, or point to one with --store or $MARGIN_STORE."
        case let .storeExists(path):
            return "A Marginalia store already exists at \(path); use it as it is, or choose another path with --store."
        case let .unknownReference(reference, expected):
            return "Nothing matches “\(reference)”; list \(expected) with `margin reports` or `margin show REPORT`."
        case let .ambiguousReference(reference, candidates):
            return "“\(reference)” matches several records (\(candidates.prefix(5).joined(separator: ", "))); type more characters."
        case let .ambiguousPrefix(reference, reports, annotations, neededLength):
            let matches = [(reports, "report"), (annotations, "annotation")].filter { $0.0 > 0 }
                .map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.1 + "s")" }.joined(separator: " and ")
            return "“\(reference)” matches \(matches); type at least \(neededLength) characters to pick one (`margin reports` lists report ids)."
        case let .referenceTooShort(reference, minimum):
            return "“\(reference)” is too short to pick anything; type at least \(minimum) characters of an id, as `margin reports` lists them."
        case let .wrongReferenceKind(reference, expected, actual):
            return "“\(reference)” is \(Self.article(actual)) \(actual), but \(Self.article(expected)) \(expected) is needed here."
        case let .unknownSectionNumber(report, number):
            return "Report \(report) has no section \(number); `margin show \(report)` lists its sections."
        case let .annotationDeleted(id):
            return "Annotation \(id) was deleted; `margin history \(id)` shows its revisions."
        case let .annotationNotDeleted(id):
            return "Annotation \(id) is not deleted, so there is nothing to restore; edit it with `margin annotate --edit \(id)`."
        case let .annotationInConflict(id):
            return "Annotation \(id) has conflicting edits; settle them first with `margin resolve \(id)` (see `margin conflicts`)."
        case let .notInConflict(id):
            return "Annotation \(id) is not in conflict (any more); edit it with `margin annotate --edit \(id)`."
        case let .reportInConflict(id):
            return "Report \(id) was edited on two peers and they have not been reconciled, so nothing was written (it "
                + "would drop one side's edit); settle it first with `margin resolve \(id) --merge`, `--edit` or "
                + "`--keep REVISION` (see `margin conflicts`)."
        case let .reportNotInConflict(id):
            return "Report \(id) is not in conflict (any more); edit it with `margin edit \(id)`."
        case let .mergeNeedsPerson(id, parts):
            return "The sides of report \(id) changed the same \(parts == 1 ? "part" : "\(parts) parts") (title or section) "
                + "differently, so it cannot be merged by itself; merge them with `margin resolve \(id) --edit`, or keep one "
                + "side with `--keep REVISION` (see `margin conflicts`)."
        case let .notAConflictingRevision(annotation, revision):
            return "“\(revision)” is not one of the conflicting revisions of \(annotation); `margin conflicts` lists them."
        case let .changedMeanwhile(reference):
            return "\(reference) changed while you were editing it (a sync or another command wrote a new revision), "
                + "so nothing was written, to keep that change; see it with `margin history \(reference) --diff`, then "
                + "edit again."
        case let .sectionGone(id):
            return "The section of annotation \(id) no longer exists in its report; the annotation is kept, but cannot be re-anchored there. Place it on another section with `margin annotate --reanchor \(id) --section SECTION`."
        case let .sectionOfAnotherReport(section, annotation):
            return "\(section) is a section of another report than annotation \(annotation)'s; a note can be placed only on a section of its own report."
        case let .invalidTag(tag):
            return "“\(tag)” is not a usable tag: tags are non-empty, at most 64 characters, without spaces or commas."
        case let .unknownTag(tag, similar):
            let guess = similar.isEmpty ? "" : " (did you mean " + similar.map { "#" + $0 }.joined(separator: " or ") + "?)"
            return "No section carries the tag #\(tag)\(guess); `margin tags` lists the tags in use."
        case .emptyText:
            return "An annotation needs some text; write it as the last argument, in quotes."
        case .clockExhausted:
            return "This record was given the highest possible clock by a faulty or hostile peer, so it cannot be edited; `margin history` shows which revision did it."
        case let .core(error):
            return error.description
        case let .parse(message):
            return message
        case let .revertsLaterEdits(report, parts):
            return "The text puts back what \(parts.joined(separator: ", ")) of report \(report) said before a later "
                + "edit from another peer, so nothing was written (it would undo that edit; the text was likely edited "
                + "from an older copy); `margin history \(report) --diff` shows the edit. Edit the current text with "
                + "`margin edit \(report)`, or give --replace to write the text as it is."
        case let .importClashes(report, file, parts):
            return "Report \(report) was edited since \(file) was last imported, and the file changes the same "
                + "\(parts == 1 ? "part" : "\(parts) parts") (title or section) differently, so nothing was written (the "
                + "file's text would drop that edit); carry the file's change over with `margin edit \(report)`, or "
                + "run `margin import \(file) --replace` to make the file's text the report's, dropping the edit "
                + "(`margin history \(report) --diff` shows it)."
        case let .notOneReport(file, count):
            return "\(file) holds \(count) reports, and only a file with exactly one report can become a revision of a chosen report; import it as new reports, or cut the one report into a file of its own."
        case let .tooLarge(bytes, limit):
            return "This is too large to store: as a revision it would take \(bytes) bytes, \(bytes - limit) more than the \(limit) a revision may hold, the protocol's limit, so that every peer and server accepts it; nothing was written. Split the text into several notes."
        case let .cannotCreate(path, reason):
            return "Cannot create a store at “\(path)”: \(reason)."
        case let .readOnly(path):
            return "You may only read the store at \(path) (no write permission on it), and this command writes; nothing was changed. Read commands work; to write, ask its owner for access or copy the folder."
        case let .readOnlyNeedsUpgrade(path):
            return "The store at \(path) needs a schema upgrade that only someone who may write it can make; run any margin command there as its owner first."
        case let .credentialsExposed(path, mode):
            return "The credentials file \(path) may be read by other users (mode \(String(mode, radix: 8))), so its tokens are not used; make it private with `chmod 600 \(path)`, and replace any token others may have read."
        case let .credentialsUnreadable(path, reason):
            return "Cannot read the credentials file \(path): \(reason); fix or remove it, then add the remotes' tokens again."
        case let .credentialsUnwritable(path, reason):
            return "Cannot write the credentials file \(path): \(reason); nothing was changed. Check the store folder's permissions and free space."
        case let .signingKeyUnusable(path, reason):
            return "Cannot use the store's signing key \(path): \(reason); nothing was changed."
        case let .database(message):
            return "The store's database failed: \(message). Check the disk and file permissions; the store was left unchanged."
        }
    }
}
