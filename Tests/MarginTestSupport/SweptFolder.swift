import Foundation

/// Parent folders for the stores tests make: a run makes hundreds, and a run that is killed leaves its own behind.
public enum SweptFolder {
    /// The folder `name` in the temporary directory, first emptied of entries not modified for an hour (what
    /// earlier runs left). Call it once per test process, and keep the result.
    public static func make(named name: String) -> URL {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true)
        let cutoff = Date().addingTimeInterval(-3600)
        let entries = (try? FileManager.default.contentsOfDirectory(
            at: parent, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        for entry in entries {
            let modified = (try? entry.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
            if let modified, modified < cutoff { try? FileManager.default.removeItem(at: entry) }
        }
        return parent
    }
}
