import Foundation
import Testing

/// Self-signed certificates made for one test by the `openssl` command, as the README tells a person to make them,
/// in a new temporary folder.
struct TestCertificates {
    /// The folder holding the files.
    let folder: String
    /// A self-signed certificate for 127.0.0.1 and localhost (PEM) and its key: what a server on loopback serves,
    /// and what a client passes to --ca-cert to trust it.
    let serverCertificate: String
    let serverKey: String
    /// A second self-signed certificate, made out to lab.example only, and its key: a server serving it on
    /// 127.0.0.1 has the wrong host name, and its key does not match ``serverCertificate``.
    let otherCertificate: String
    let otherKey: String

    /// Where `openssl` is, if this machine has it.
    static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Makes the certificates; records an issue and throws when openssl is missing or fails.
    static func make() throws -> TestCertificates {
        let openssl = try #require(Self.openssl, "these tests make their certificates with the openssl command")
        let folder = SyncTestSupport.temporaryFolder("tls")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = { (name: String) in (folder as NSString).appendingPathComponent(name) }
        for (name, subject, names) in [
            ("server", "/CN=127.0.0.1", "IP:127.0.0.1,DNS:localhost"), ("other", "/CN=lab.example", "DNS:lab.example"),
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: openssl)
            process.arguments = [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-subj", subject,
                "-addext", "subjectAltName=\(names)",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "openssl req failed for \(name)")
        }
        return TestCertificates(
            folder: folder, serverCertificate: path("server.pem"), serverKey: path("server.key"),
            otherCertificate: path("other.pem"), otherKey: path("other.key"))
    }
}
