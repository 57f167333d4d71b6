import Foundation

/// A file only its owner may read (the store's credentials and signing key). It is read as ssh reads a key: a
/// symbolic link is not followed, and a file that group or others may read or write is refused, since what it holds
/// may have leaked and using it would hide that. It is written whole, private from its first byte, and atomically.
enum PrivateFile {
    /// Why a private file could not be used.
    enum Failure: Error {
        /// It could not be opened or read (the system's reason).
        case unreadable(String)
        /// Group or others may read or write it (its permission bits, e.g. 0o644).
        case exposed(mode: Int)
        /// It could not be written (the system's reason).
        case unwritable(String)

        /// The system's reason, for a message (the permission bits, for an exposed file).
        var reason: String {
            switch self {
            case let .unreadable(reason), let .unwritable(reason): reason
            case let .exposed(mode): "mode \(String(mode, radix: 8))"
            }
        }
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

    /// Writes `data` to a new file of mode 0600 beside `path`, flushes it and renames it over `path`.
    static func replace(_ path: String, with data: Data) throws(Failure) {
        var template = Array((path + ".XXXXXX").utf8CString)
        // mkstemp creates the file with mode 0600 whatever the umask, so what it holds is never readable by others.
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw .unwritable(String(cString: strerror(errno)))
        }
        let temporaryPath = String(cString: template)
        var failure: String?
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fchmod(descriptor, 0o600) != 0 || fsync(descriptor) != 0 {
            failure = String(cString: strerror(errno))
        }
        close(descriptor)
        if failure == nil, rename(temporaryPath, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporaryPath)
            throw .unwritable(failure)
        }
    }
}
