import Foundation
import MarginCore

/// The store's private Ed25519 key, kept in `<store>/signing-key` (mode 0600): 64 lowercase hexadecimal digits of
/// its 32 secret bytes and a newline. `margin init` makes it; a store made before signatures makes it the first
/// time it signs. Like the credentials file it stays out of `store.sqlite`, so that a copy of the database carries no
/// key, and a file that group or others may read is refused, as ssh refuses such a key.
enum StoreSigningKey {
    /// The name of the file inside the store folder.
    static let fileName = "signing-key"

    /// The key file of the store at `storePath`.
    static func path(inStore storePath: String) -> String {
        (storePath as NSString).appendingPathComponent(fileName)
    }

    /// Reads the key; nil when there is no key file.
    static func read(inStore storePath: String) throws -> SigningKey? {
        let path = path(inStore: storePath)
        let data: Data
        do throws(PrivateFile.Failure) {
            guard let contents = try PrivateFile.read(path) else { return nil }
            data = contents
        } catch {
            guard case let .exposed(mode) = error else {
                throw MarginStoreError(.signingKeyUnusable(path: path, reason: error.reason))
            }
            throw MarginStoreError(.signingKeyUnusable(
                path: path,
                reason: "other users may read it (mode \(String(mode, radix: 8))); make it private with `chmod 600 \(path)`, and if others may have read it, move it away so that the store makes a new one"))
        }
        let text = String(decoding: data, as: UTF8.self).trimmingWhiteSpace()
        guard text.utf8.count == 64, let bytes = Hexadecimal.decode(text), let key = try? SigningKey(rawRepresentation: bytes)
        else {
            throw MarginStoreError(.signingKeyUnusable(path: path, reason: "it is not a key this margin wrote"))
        }
        return key
    }

    /// Makes a new key and writes it, atomically and with mode 0600.
    static func create(inStore storePath: String) throws -> SigningKey {
        let key = SigningKey.generate()
        let path = path(inStore: storePath)
        do throws(PrivateFile.Failure) {
            try PrivateFile.replace(path, with: Data((Hexadecimal.encode(key.rawRepresentation) + "\n").utf8))
        } catch {
            throw MarginStoreError(.signingKeyUnusable(path: path, reason: error.reason))
        }
        return key
    }
}
