import SyncProtocol

/// The version `margin --version` prints.
public enum MarginVersion {
    /// The release of `margin`.
    public static let release = "0.10.0"

    /// `margin 0.10.0 (sync protocol 1)`.
    public static var description: String { "margin \(release) (sync protocol \(SyncProtocolVersion.current))" }
}
