import Foundation

/// Checks a store path before creating a store there, so that a person reads one sentence instead of a
/// Foundation error.
enum FolderCheck {
    /// Throws ``MarginStoreError/Kind/cannotCreate(path:reason:)`` when no store folder can be made at `path`.
    static func checkCanCreate(_ path: String) throws {
        guard !path.isEmpty else {
            throw MarginStoreError(.cannotCreate(path: path, reason: "the path is empty; name a folder with --store PATH"))
        }
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        // Walk up to the nearest part of the path that exists: it must be a folder this process may write in.
        var existing = path
        while !fileManager.fileExists(atPath: existing, isDirectory: &isFolder) {
            let parent = parentPath(of: existing)
            if parent.isEmpty || parent == existing {
                existing = parent.isEmpty ? "." : parent
                _ = fileManager.fileExists(atPath: existing, isDirectory: &isFolder)
                break
            }
            existing = parent
        }
        guard isFolder.boolValue else {
            let reason = existing == path
                ? "a file of that name exists; choose a folder path" : "\(existing) is a file, not a folder"
            throw MarginStoreError(.cannotCreate(path: path, reason: reason))
        }
        guard access(existing, W_OK) == 0 else {
            throw MarginStoreError(.cannotCreate(path: path, reason: "no permission to write in \(existing)"))
        }
    }

    /// The path without its last component ("" for a bare name, "/" for a top-level one), written out because
    /// `NSString.deletingLastPathComponent` traps on a one-character relative path on Linux.
    static func parentPath(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        var parent = trimmed[..<slash]
        while parent.count > 1, parent.hasSuffix("/") { parent = parent.dropLast() }
        return String(parent)
    }
}
