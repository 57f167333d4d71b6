import Foundation

/// The file a person's text is written to for their editor. It holds their notes or a report's text, so it is
/// theirs alone: created with mode 0600 from its first byte (never world-readable, whatever the umask), refusing
/// to follow a link someone else planted at its name, and made private again before it is left behind.
enum EditorScratchFile {
    /// Creates a new file of mode 0600 in the temporary folder holding `text`, and returns its location.
    /// - Throws: ``MarginCLIError/editorFailed(_:)`` when the file cannot be created or written.
    static func create(holding text: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("margin-edit-\(UUID().uuidString).txt")
        // O_EXCL with O_NOFOLLOW: a new file of ours, never one that was already there; 0600 before any byte.
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("could not create \(file.path)") }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            // The umask may only take bits away; set exactly 0600 so that the owner can always save.
            guard fchmod(descriptor, 0o600) == 0 else { throw failure("could not make \(file.path) private") }
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(at: file)
            if let error = error as? MarginCLIError { throw error }
            throw MarginCLIError.editorFailed("could not write \(file.path): \(error.localizedDescription)")
        }
        return file
    }

    /// Makes the file at `file` private (mode 0600) again, for text left behind: an editor that saves by writing
    /// a new file and renaming it over the old one gives it the umask's mode. Returns whether it is private now.
    @discardableResult
    static func makePrivate(_ file: URL) -> Bool {
        chmod(file.path, 0o600) == 0
    }

    private static func failure(_ what: String) -> MarginCLIError {
        .editorFailed("\(what): \(String(cString: strerror(errno)))")
    }
}
