/// Room held for one request body in the server's budget of bodies in memory (see
/// ``SyncServerLimits/maxBodyBytesInFlight``); released once the request is answered.
struct BodyReservation {
    let load: ServerLoad
    /// The bytes held.
    let bytes: Int
    /// The size the request declared (`Content-Length`), if it did.
    let declaredBytes: Int?
    /// The most bytes the body may have.
    let limit: Int

    func release() {
        load.releaseBody(bytes)
    }
}
