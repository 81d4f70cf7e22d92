import Logging
import Notify
import Settings
import Store

/// The webhook from the one-shot commands (`report`, `regressions ack`):
/// their events are queued in the store like the daemon's, then posted in
/// one bounded pass (at most `budget`, stopping at the first failure). What
/// is left is posted by `chimerad run`, with its retries, when it runs on the
/// same state folder; a one-shot command never waits out a receiver that is down.
enum OneShotDelivery {
    static let budget = Duration.seconds(5)

    /// `store`: the one the command used (`--state`), else the settings' state folder's.
    static func run(_ settings: Settings, store used: Store? = nil, logger: Logger) async {
        guard settings.notify.isEnabled else { return }
        let target: WebhookTarget
        switch WebhookTarget.configured(by: settings.notify) {
        case .success(let configured?): target = configured
        case .success(nil): return
        case .failure(let problem):
            logger.error(
                "webhook not configured; its events stay queued",
                metadata: ["key": "\(Settings.Key.notifyHeadersFile.rawValue)", "reason": "\(problem.reason)"])
            return
        }
        let store: Store
        do {
            store = try used ?? Store(directory: settings.state.directory)
        } catch {
            logger.error("webhook events not posted", metadata: ["error": "\(error)"])
            return
        }
        let (delivered, pending) = await WebhookDelivery.deliverPending(store: store, target: target, budget: budget, logger: logger)
        if pending > 0 {
            logger.notice(
                "webhook events left queued for chimerad run", metadata: ["delivered": "\(delivered)", "pending": "\(pending)"])
        }
    }
}
