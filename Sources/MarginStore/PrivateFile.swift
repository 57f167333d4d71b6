import Foundation

/// Reads a file only its owner may read (the store's credentials and signing key), as ssh reads a key: a symbolic
/// link is not followed, and a file that group or others may read or write is refused, since what it holds may have
/// leaked and using it would hide that.
enum PrivateFile {
    /// Why a private file could not be used.
    enum Failure: Error {
        /// It could not be opened or read (the system's reason).
        case unreadable(String)
        /// Group or others may read or write it (its permission bits, e.g. 0o644).
        case exposed(mode: Int)
    }

    /// The file's bytes; nil when there is no file.
    static func read(_ path: String) throws(Failure) -> Data? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw .unreadable(String(cString: strerror(errno)))
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        let mode = Int(status.st_mode) & 0o777
        if mode & 0o077 != 0 { throw .exposed(mode: mode) }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw .unreadable(error.localizedDescription)
        }
    }
}
