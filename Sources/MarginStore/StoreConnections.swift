/// How a process reaches a store's database (see ``MarginStore/open(at:clock:memoryMappedReads:connections:)``).
public enum StoreConnections: Sendable, Equatable {
    /// A writer connection and a pool of reader connections (GRDB's `DatabasePool`): reads run beside the writer and
    /// beside each other, as the requests of a server do. Opening one sets up the write-ahead log for its readers.
    case pool
    /// One connection for reads and writes, taken in turn (GRDB's `DatabaseQueue`): what a command that runs once
    /// and exits opens fastest. The rare step that reads beside the writer (a bulk load's read-ahead) opens a
    /// reader of its own for its length.
    case single
}
