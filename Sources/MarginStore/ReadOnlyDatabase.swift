import Foundation
import GRDB

/// Opens a store's database for a process that may only read it.
///
/// A database in WAL mode needs its `-shm` file to be read, and SQLite creates that file (and the `-wal` file)
/// beside the database, which a reader without write permission on the folder cannot do. So:
/// - when a `-wal` file exists (a writer has the store open, or did not close it), the database is opened
///   read-only and reads the writer's `-wal` and `-shm` files;
/// - otherwise the database file holds everything (closing the last connection checkpoints the log into it), and
///   it is opened as immutable: SQLite then needs no `-shm` file at all.
enum ReadOnlyDatabase {
    static func open(at databasePath: String, storePath: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try StoredBody.register(on: db) }
        let walExists = FileManager.default.fileExists(atPath: databasePath + "-wal")
        let queue = try DatabaseQueue(
            path: walExists ? databasePath : immutableURI(databasePath), configuration: configuration)
        let upToDate = try queue.read { db in try StoreSchema.migrator.hasCompletedMigrations(db) }
        guard upToDate else { throw MarginStoreError(.readOnlyNeedsUpgrade(path: storePath)) }
        return queue
    }

    /// `file:PATH?immutable=1`, with the characters that a URI gives meaning to escaped in the path.
    static func immutableURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let absolute = (path as NSString).isAbsolutePath
            ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?immutable=1"
    }
}
