import Foundation
import MarginCore

/// The JSON coding both ends use: UTF-8, keys sorted, slashes unescaped, so equal messages are equal bytes.
public enum SyncCoding {
    /// An encoder for wire messages.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A decoder for wire messages.
    public static func decoder() -> JSONDecoder { JSONDecoder() }

    /// Encodes a message. A message that carries revisions has them written directly (see
    /// ``RevisionPageEncoding``), with the same bytes.
    public static func encode<Message: Encodable>(_ message: Message) throws -> Data {
        // Casts to the two concrete types: a cast to a protocol would look its conformances up at run time, and a
        // process's first such lookup scans every conformance of the binary.
        switch message {
        case let push as PushRequest: try RevisionPageEncoding.encode(push)
        case let answer as SyncResponse: try RevisionPageEncoding.encode(answer)
        default: try encoder().encode(message)
        }
    }

    /// Decodes a message. A message that carries revisions has them read directly from the bytes when it can (see
    /// ``RevisionPageDecoding``), with the same result.
    public static func decode<Message: Decodable>(_ type: Message.Type, from data: Data) throws -> Message {
        // Compared as types, not cast to the protocol (see encode(_:)).
        if type == PushRequest.self, let message = RevisionPageDecoding.decode(PushRequest.self, from: data) as? Message {
            return message
        }
        if type == SyncResponse.self, let message = RevisionPageDecoding.decode(SyncResponse.self, from: data) as? Message {
            return message
        }
        return try decoder().decode(type, from: data)
    }

    /// A close upper estimate of a revision's size in a JSON page, used to keep pages under a byte budget
    /// without encoding twice. Non-ASCII text may be escaped by some encoders, hence the factor on text.
    public static func estimatedSize(of revision: Revision) -> Int {
        let text = revision.body.utf8.count + revision.author.utf8.count
        return 256 + 2 * text + revision.parents.count * 68
    }
}

/// Paging defaults and caps shared by server and client.
public enum SyncPaging {
    /// Revisions per page when the request does not say. Pages are applied one transaction each, and a larger
    /// transaction rewrites each index page once for more revisions: on a 100,000-revision pull, pages of 5,000
    /// apply in 60 % of the time pages of 500 take, for a few more megabytes in memory.
    public static let defaultLimit = 5000
    /// The most revisions a server returns in one page, whatever the request asks.
    public static let maximumLimit = 5000
    /// Bytes per page when the request does not say.
    public static let defaultMaxBytes = 4 * 1024 * 1024
    /// The largest request body a server accepts by default.
    public static let defaultMaxBodyBytes = 16 * 1024 * 1024
}
