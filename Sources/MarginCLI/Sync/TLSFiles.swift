import Foundation
import NIOSSL
import SyncServer

/// Reads the PEM files `margin serve --tls-cert/--tls-key` and `margin remote add --ca-cert` name, turning every
/// problem into one sentence that says which file is wrong and what it should hold.
enum TLSFiles {
    /// A problem with a certificate or key file.
    enum Problem: Error, CustomStringConvertible {
        case unreadable(path: String, flag: String)
        case noCertificate(path: String, flag: String)
        case noPrivateKey(path: String)
        case keyDoesNotMatch(certificate: String, key: String)

        var description: String {
            switch self {
            case let .unreadable(path, flag):
                return "Cannot read \(path) (given to \(flag)); check the path and its permissions."
            case let .noCertificate(path, flag):
                return "\(path) (given to \(flag)) holds no PEM certificate; pass a file that starts with -----BEGIN CERTIFICATE-----, e.g. as `openssl req -x509` writes it."
            case let .noPrivateKey(path):
                return "\(path) (given to --tls-key) holds no PEM private key without a passphrase; pass the key made with the certificate (-----BEGIN PRIVATE KEY-----), decrypted first if it has a passphrase (`openssl pkey -in KEY -out KEY.plain`)."
            case let .keyDoesNotMatch(certificate, key):
                return "The private key in \(key) does not belong to the certificate in \(certificate); pass the key that was made together with that certificate."
            }
        }
    }

    /// The TLS set-up of a server from its certificate chain file and private key file (both PEM).
    static func serverTLS(certificatePath: String, keyPath: String) throws -> SyncServerTLS {
        let chain = try certificates(at: certificatePath, flag: "--tls-cert")
        guard FileManager.default.isReadableFile(atPath: keyPath) else {
            throw Problem.unreadable(path: keyPath, flag: "--tls-key")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw Problem.noPrivateKey(path: keyPath)
        }
        do {
            return try SyncServerTLS(certificateChain: chain, privateKey: key)
        } catch {
            throw Problem.keyDoesNotMatch(certificate: certificatePath, key: keyPath)
        }
    }

    /// The certificates of a PEM file (at least one).
    static func certificates(at path: String, flag: String) throws -> [NIOSSLCertificate] {
        guard FileManager.default.isReadableFile(atPath: path) else { throw Problem.unreadable(path: path, flag: flag) }
        let certificates = try? NIOSSLCertificate.fromPEMFile(path)
        guard let certificates, !certificates.isEmpty else { throw Problem.noCertificate(path: path, flag: flag) }
        return certificates
    }
}
