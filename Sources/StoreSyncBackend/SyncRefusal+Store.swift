import MarginStore
import SyncBackend

extension SyncRefusal {
    /// What a pushing client must hear when the store refused its page, or nil when the store failed on its own.
    init?(pushing error: MarginStoreError) {
        switch error.kind {
        case let .core(coreError):
            self.init(core: coreError)
        default:
            return nil
        }
    }
}
