/// A page of revisions one peer lacks, in the sender's change-log order.
public struct RevisionPage: Sendable, Equatable {
    /// The revisions, parents before children.
    public var revisions: [Revision]
    /// True when the receiver still lacks revisions after this page.
    public var more: Bool
    /// The signatures that vouch for the page's revisions: one per origin, through its last revision in the page
    /// (none for an origin whose revisions were kept from before signatures).
    public var proofs: [ChainProof]

    /// Makes a page.
    public init(revisions: [Revision], more: Bool, proofs: [ChainProof] = []) {
        self.revisions = revisions
        self.more = more
        self.proofs = proofs
    }
}
