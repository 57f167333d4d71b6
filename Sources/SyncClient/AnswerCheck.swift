import MarginCore
import SyncProtocol

/// What a client checks in a server's answers before it uses any of it, besides a pulled page's revisions and
/// signatures, which the store judges as strictly as a server judges a push.
///
/// The rest of an answer is kept or acted on too: the server's vector becomes the remote's saved state, account names
/// are printed by `log` and `show`, and `more` makes the client ask again. So the names an answer gives peers, keys and
/// accounts must be the protocol's (an account name with a terminal escape in it would reach the user's terminal),
/// and an answer that announces more must bring something this store lacks: asking again with the same vector would
/// bring the same answer, for ever.
enum AnswerCheck {
    /// Checks the answer to a pull request.
    ///
    /// - Parameters:
    ///   - have: the vector the request was sent with.
    ///   - pulling: false when the request asked for the vector only.
    /// - Throws: ``SyncClientError`` (`answerBreaksProtocol`) saying what is wrong; nothing of the answer was used then.
    static func pull(_ answer: SyncResponse, askedWith have: VersionVector, pulling: Bool, url: String) throws {
        func refuse(_ reason: String) -> SyncClientError {
            SyncClientError(.answerBreaksProtocol(url: url, reason: reason))
        }
        try checkPeers([answer.peer] + answer.have.counters.keys, url: url)
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

    /// Checks the answer to a push of `page` (whose revisions make `pageVector`): it counts no more revisions than
    /// the page held, and its vector names peers and covers the page (a server that does not hold what it
    /// acknowledged would make this store stop offering it).
    static func push(_ answer: PushResponse, of page: [Revision], pageVector: VersionVector, url: String) throws {
        func refuse(_ reason: String) -> SyncClientError {
            SyncClientError(.answerBreaksProtocol(url: url, reason: reason))
        }
        guard answer.protocol == SyncProtocolVersion.current else {
            throw SyncClientError(.protocolMismatch(url: url, server: answer.protocol))
        }
        guard (0...page.count).contains(answer.accepted), (0...page.count).contains(answer.duplicates) else {
            throw refuse("it counts \(answer.accepted) revisions accepted and \(answer.duplicates) already held of a page of \(page.count)")
        }
        try checkPeers(answer.have.counters.keys, url: url)
        guard answer.have.covers(pageVector) else { throw refuse("it acknowledged a page it does not hold") }
    }

    private static func checkPeers(_ peers: some Sequence<PeerID>, url: String) throws {
        for peer in peers where !IdentifierFormat.peer.accepts(peer.rawValue) {
            throw SyncClientError(.answerBreaksProtocol(
                url: url, reason: "it names “\(TextRules.printable(peer.rawValue))” as a peer, which is not a peer id"))
        }
    }
}
