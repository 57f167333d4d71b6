#if canImport(Glibc)
import Glibc
#endif

/// Room held for one request body in the server's budget of bodies in memory (see
/// ``SyncServerLimits/maxBodyBytesInFlight``); released once the request's decoded message is gone.
struct BodyReservation {
    let load: ServerLoad
    /// The bytes held.
    let bytes: Int
    /// The size the request declared (`Content-Length`), if it did.
    let declaredBytes: Int?
    /// The most bytes the body may have.
    let limit: Int

    /// Bodies from this size on hand their memory back to the system when released.
    static let trimmedFromBytes = 1024 * 1024

    func release() {
        load.releaseBody(bytes)
        #if canImport(Glibc)
        // glibc keeps freed memory in the arena of the thread that freed it, and requests are decoded on whichever
        // thread is free: without this, each large page leaves its own tens of megabytes resident, and the server's
        // memory grows with the number of threads instead of staying that of one page.
        if bytes >= Self.trimmedFromBytes { _ = Self.mallocTrim?(0) }
        #endif
    }

    #if canImport(Glibc)
    /// glibc's `malloc_trim`, which Swift's Glibc module does not declare (it lives in `malloc.h`).
    static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(nil, "malloc_trim").map {
        unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self)
    }
    #endif
}
