import Foundation

/// Whole files read as a person names them on the command line: regular files, and also pipes and devices
/// (`--token-file <(pass show lab)`, `--file /dev/stdin`, `/dev/null`), which `FileManager.contents(atPath:)`
/// refuses.
enum FileContents {
    /// The most any command reads of one file: far above any report page, note, token or certificate, and a bound
    /// on a device that never ends (`/dev/zero`).
    static let limit = 256 << 20

    /// The bytes of the file at `path`.
    /// - Throws: ``MarginCLIError/unreadableFile(_:)`` when it cannot be opened or read (a folder, a missing file,
    ///   no permission), ``MarginCLIError/fileTooLarge(_:limit:)`` past `limit` bytes.
    static func read(_ path: String, limit: Int = limit) throws(MarginCLIError) -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadableFile(path) }
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
}
