public import NIOSSL

/// TLS for a sync server: its certificate chain and the private key that belongs to it, checked to fit together
/// when made, so that a server with a mismatched pair refuses to start instead of failing every handshake.
///
/// ```swift
/// let tls = try SyncServerTLS(
///     certificateChain: try NIOSSLCertificate.fromPEMFile("server.pem"),
///     privateKey: try NIOSSLPrivateKey(file: "server.key", format: .pem))
/// let configuration = SyncServerConfiguration(port: 8443, tls: tls)
/// ```
public struct SyncServerTLS: Sendable {
    /// The server-side TLS configuration (TLS 1.2 or later, NIOSSL's default ciphers).
    public let configuration: TLSConfiguration

    /// The reason a certificate chain and key cannot serve TLS together.
    public enum Problem: Error, Sendable {
        /// No certificate was given.
        case noCertificate
        /// The private key is not the one the first certificate was made for.
        case keyDoesNotMatchCertificate
    }

    /// Makes a TLS set-up from a certificate chain (the server's certificate first) and its private key.
    /// - Throws: ``Problem`` when the chain is empty or the key does not belong to the server's certificate.
    public init(certificateChain: [NIOSSLCertificate], privateKey: NIOSSLPrivateKey) throws(Problem) {
        guard !certificateChain.isEmpty else { throw .noCertificate }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificateChain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        // Making a context loads the key beside the certificate, which BoringSSL refuses when they do not match.
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .keyDoesNotMatchCertificate
        }
        self.configuration = configuration
    }
}
