import MarginStore
import SyncBackend

extension SyncRefusal {
    /// What a pushing client must hear when the store refused its page, or nil when the store failed on its own.
    init?(pushing error: MarginStoreError) {
        switch error.kind {
        case let .core(coreError):
            self.init(core: coreError)
        case let .missingParent(revision, _):
            self = .inconsistent(revision, rule: .missingParent, error.description)
        case let .inconsistentRevision(revision, rule, _):
            self = .inconsistent(revision, rule: rule, error.description)
        case let .unsignedRevision(revision, _):
            self.init(.unsignedRevision, error.description + Self.pageRejected, revision: revision)
        case let .forgedOrigin(revision, _, _, _):
            self.init(.forgedOrigin, error.description + Self.pageRejected, revision: revision)
        case let .unknownKey(revision, _, _):
            self.init(.unknownKey, error.description + Self.pageRejected, revision: revision)
        default:
            return nil
        }
    }
}
