#if canImport(Glibc)
import Glibc
#endif

/// How `margin` asks the C allocator to behave, set once when the process starts.
public enum ProcessMemory {
    /// Keeps the resident memory of a long sync or server close to what it uses.
    ///
    /// A sync moves pages of several megabytes (request bodies, decoded revisions, SQLite work) across a few
    /// threads. glibc gives each thread that allocates an arena of its own, keeps what is freed there for reuse,
    /// and raises its direct-mapping threshold after every large block freed, so page-sized buffers end up kept in
    /// every arena: a 100,000-revision sync peaked 15 MB higher per process than with two arenas and buffers of a
    /// megabyte or more mapped (and unmapped when freed) directly. No effect on other C libraries.
    public static func tune() {
        #if canImport(Glibc)
        // <malloc.h> is not part of Swift's Glibc module: mallopt is looked up by name (nil is RTLD_DEFAULT), and
        // the option numbers are glibc's M_MMAP_THRESHOLD and M_ARENA_MAX.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 1 << 20)
        _ = mallopt(-8, 2)
        #endif
    }
}
