import Synchronization

/// Set once SIGTERM (or SIGINT) arrives: the loop stops taking new work, and
/// a wait for the state lock gives up, so the service exits within
/// `TimeoutStopSec` even while another chimerad holds the store.
final class StopRequest: Sendable {
    private let requested = Atomic<Bool>(false)

    func request() {
        requested.store(true, ordering: .relaxed)
    }

    var isRequested: Bool {
        requested.load(ordering: .relaxed)
    }
}
