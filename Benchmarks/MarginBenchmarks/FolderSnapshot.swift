import Foundation

/// A folder's state, put back as often as needed so that one job can be timed several times from the same state
/// (moving the notes of the git comparison).
final class FolderSnapshot {
    /// How the folder is put back.
    enum Restoring {
        /// Each changed file's bytes are written over the file already there, which keeps its inode: a margin store
        /// whose database file has another inode takes itself for a copy of itself and checks its identity on its
        /// next sync, which is not part of the job timed. Files made since the copy are removed.
        case inPlace
        /// One of this many spare copies, made beforehand, is renamed into place, and the used folder is set aside; nothing is
        /// deleted until the snapshot's folder is. For a git repository, whose pull creates thousands of files: on
        /// this machine's disk (ext4, mounted with online discard), creating files soon after thousands were
        /// deleted grew slower round after round (`git pull` 0.21, 0.69, 0.98, 1.63 s in four rounds that deleted
        /// the pulled notes, nearly all of it opening new files).
        case fromSpareCopies(Int)
    }

    /// The folder that is put back.
    let original: String
    /// Where the copies are kept.
    let folder: String
    let restoring: Restoring
    private var used = 0

    /// Copies `original` into `folder` (made if missing): once to be put back in place, or once per spare. Nothing
    /// may write to `original` meanwhile.
    init(of original: String, into folder: String, restoring: Restoring) throws {
        self.original = original
        self.folder = folder
        self.restoring = restoring
        let copies: Int
        switch restoring {
        case .inPlace: copies = 1
        case let .fromSpareCopies(spares): copies = spares
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for index in 0..<copies { try FileManager.default.copyItem(atPath: original, toPath: copy(index)) }
    }

    private func copy(_ index: Int) -> String { folder + "/copy-\(index)" }

    /// Makes `original` hold exactly what it held when the snapshot was taken. Nothing may use it meanwhile.
    func restore() throws {
        switch restoring {
        case .inPlace:
            try restoreInPlace(from: copy(0))
        case let .fromSpareCopies(spares):
            guard used < spares else {
                throw ImportMismatch(description: "\(original) was restored more than the \(spares) times copied for")
            }
            try FileManager.default.moveItem(atPath: original, toPath: folder + "/used-\(used)")
            try FileManager.default.moveItem(atPath: copy(used), toPath: original)
            used += 1
        }
    }

    private func restoreInPlace(from copy: String) throws {
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
                if !files.fileExists(atPath: target) {
                    try files.createDirectory(atPath: target, withIntermediateDirectories: false)
                }
            } else if let handle = FileHandle(forUpdatingAtPath: target) {
                defer { try? handle.close() }
                let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
                if try handle.readToEnd() ?? Data() == bytes { continue }
                // Over the old bytes, then cut to length: the file keeps its inode.
                try handle.seek(toOffset: 0)
                try handle.write(contentsOf: bytes)
                try handle.truncate(atOffset: UInt64(bytes.count))
            } else {
                // Missing, or not writable: copied.
                if files.fileExists(atPath: target) { try files.removeItem(atPath: target) }
                try files.copyItem(atPath: source, toPath: target)
            }
        }
    }
}
