import MarginCore
import SyncProtocol

/// What a client checks in a server's pull answer before it uses any of it, besides the revisions and their
/// signatures, which the store judges as strictly as a server judges a push.
///
/// The rest of an answer is kept or acted on too: the server's vector becomes the remote's saved state, account names
/// are printed by `log` and `show`, and `more` makes the client ask again. So the names an answer gives peers, keys and
/// accounts must be the protocol's (an account name with a terminal escape in it would reach the user's terminal),
/// and an answer that announces more must bring something this store lacks: asking again with the same vector would
/// bring the same answer, for ever.
enum PullAnswerCheck {
    /// - Parameters:
    ///   - have: the vector the request was sent with.
    ///   - pulling: false when the request asked for the vector only.
    /// - Throws: ``SyncClientError`` (`answerBreaksProtocol`) saying what is wrong; nothing of the answer was used then.
    static func check(_ answer: SyncResponse, askedWith have: VersionVector, pulling: Bool, url: String) throws {
        func refuse(_ reason: String) -> SyncClientError {
            SyncClientError(.answerBreaksProtocol(url: url, reason: reason))
        }
        for peer in [answer.peer] + answer.have.counters.keys where !IdentifierFormat.peer.accepts(peer.rawValue) {
            throw refuse("it names “\(TextRules.printable(peer.rawValue))” as a peer, which is not a peer id")
        }
        if let head = answer.originHead, !IdentifierFormat.revision.accepts(head.id.rawValue) {
            throw refuse("its newest revision of this store's identity, “\(TextRules.printable(head.id.rawValue))”, is not a revision id")
        }
        for (key, name) in answer.accounts {
            guard SigningKeyID(rawValue: key).publicKey != nil else {
                throw refuse("it names an account for “\(TextRules.printable(key))”, which is not a signing key")
            }
            guard AccountName.isValid(name) else {
                throw refuse("it calls an account “\(TextRules.printable(name))”, and \(AccountName.rule)")
            }
        }
        if pulling, answer.more, !answer.revisions.contains(where: { $0.counter > have[$0.origin] }) {
            throw refuse(answer.revisions.isEmpty
                ? "it announced more revisions but sent none"
                : "it announced more revisions but sent only ones this store holds")
        }
    }
}
