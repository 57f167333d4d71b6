import Foundation

/// Whole files read as a person names them on the command line: regular files, and also pipes and devices
/// (`--token-file <(pass show lab)`, `--file /dev/stdin`, `/dev/null`), which `FileManager.contents(atPath:)`
/// refuses.
enum FileContents {
    /// The most any command reads of one file: far above any report page, note, token or certificate, and a bound
    /// on a device that never ends (`/dev/zero`).
    static let limit = 256 << 20

    /// The bytes of the file at `path`, or, when nothing is there, of the file whose name is the same in another
    /// Unicode normalization form (see ``spelledAsOnDisk(_:)``).
    /// - Throws: ``MarginCLIError/unreadableFile(_:)`` when it cannot be opened or read (a folder, a missing file,
    ///   no permission), ``MarginCLIError/fileTooLarge(_:limit:)`` past `limit` bytes.
    static func read(_ path: String, limit: Int = limit) throws(MarginCLIError) -> Data {
        guard let handle = FileHandle(forReadingAtPath: spelledAsOnDisk(path)) else { throw .unreadableFile(path) }
        defer { try? handle.close() }
        var data = Data()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                data.append(chunk)
                if data.count > limit { throw MarginCLIError.fileTooLarge(path, limit: limit) }
            }
        } catch let error as MarginCLIError {
            throw error
        } catch {
            throw .unreadableFile(path)
        }
        return data
    }

    /// `path` as the file system spells it. A name typed in one normalization form (NFC, as keyboards type `é`)
    /// names a file whose name is stored in the other (NFD, as files copied from macOS are): Linux compares names
    /// byte for byte, so when nothing is at `path` the NFC and NFD spellings of it are tried, and the one that
    /// exists is used. `path` itself when it exists, or when neither does.
    static func spelledAsOnDisk(_ path: String) -> String {
        guard !FileManager.default.fileExists(atPath: path) else { return path }
        for spelling in [path.precomposedStringWithCanonicalMapping, path.decomposedStringWithCanonicalMapping]
        where !spelling.utf8.elementsEqual(path.utf8) && FileManager.default.fileExists(atPath: spelling) {
            return spelling
        }
        return path
    }
}
