import Foundation

/// A copy of a folder, put back in place as often as needed so that one job can be timed several times from the
/// same state (moving the notes of the git comparison).
///
/// Putting it back writes each copied file's bytes into the file already there, keeping its inode: a margin store
/// whose database file has another inode takes itself for a copy of itself and checks its identity on its next
/// sync, which is not part of the job timed. A file whose bytes did not change is left alone, and one that cannot
/// be written (a read-only git object) is replaced. Files and folders made since the copy are removed; files the
/// copy holds and the folder lacks are copied in.
struct FolderSnapshot {
    /// The folder that is put back.
    let original: String
    /// Where its copy is kept.
    let copy: String

    /// Copies `original` to `copy`, which must not exist yet. Nothing may write to `original` meanwhile.
    init(of original: String, into copy: String) throws {
        self.original = original
        self.copy = copy
        try FileManager.default.createDirectory(
            atPath: (copy as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: original, toPath: copy)
    }

    /// Makes `original` hold exactly what the copy holds, writing files in place. Nothing may use it meanwhile.
    func restore() throws {
        let files = FileManager.default
        let kept = Set(try files.subpathsOfDirectory(atPath: copy))
        // Deepest first, so a folder made since the copy is emptied before it is removed.
        for relative in try files.subpathsOfDirectory(atPath: original).sorted(by: >) where !kept.contains(relative) {
            try files.removeItem(atPath: original + "/" + relative)
        }
        // Shallowest first, so a folder the original lacks is made before what goes in it.
        for relative in kept.sorted() {
            let source = copy + "/" + relative
            let target = original + "/" + relative
            var isFolder: ObjCBool = false
            _ = files.fileExists(atPath: source, isDirectory: &isFolder)
            if isFolder.boolValue {
                if !files.fileExists(atPath: target) { try files.createDirectory(atPath: target, withIntermediateDirectories: false) }
            } else if files.fileExists(atPath: target) {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
                if (try? Data(contentsOf: URL(fileURLWithPath: target))) == bytes { continue }
                do {
                    // Not atomic: the bytes go into the file that is there, which keeps its inode and its mode.
                    try bytes.write(to: URL(fileURLWithPath: target))
                } catch {
                    // A read-only file (a git object) is replaced instead.
                    try files.removeItem(atPath: target)
                    try files.copyItem(atPath: source, toPath: target)
                }
            } else {
                try files.copyItem(atPath: source, toPath: target)
            }
        }
    }
}
