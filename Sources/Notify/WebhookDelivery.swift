import Foundation
import AsyncHTTPClient
import Logging
import ServiceLifecycle
import Store
import Synchronization
import Systemd

/// The publish stage for the webhook: a service beside the daemon's loop that
/// drains the store's outbox. Reports only insert events (in the transaction
/// that saves them), so a slow or dead receiver never slows a report; this
/// posts them oldest first, one at a time, marks each delivered on a 2xx, and
/// after a failure waits (`DeliveryBackoff`: 5 s doubling to 10 min, with
/// jitter) before trying the receiver again. It wakes when a report queued
/// something (`wake()`), when its wait ends, and when the configuration
/// changes. Graceful shutdown stops it between posts; what is pending stays
/// in the store for the next start (delivery is at least once, and each post
/// carries `Idempotency-Key: <event id>` so a receiver can drop a repeat).
package final class WebhookDelivery: Service, Sendable {
    /// What the loop works with, set by the daemon at start and at reload.
    private struct Setup: Sendable {
        var target: WebhookTarget?
        var store: Store?
        /// Bumped by each `configure`: a new target is tried at once.
        var generation = 0
    }

    private let setup = Mutex(Setup())
    private let doorbell = Doorbell()
    private let stopping = Atomic<Bool>(false)
    private let logger: Logger
    /// Told the number of pending events whenever it changes (`STATUS=`).
    private let onBacklogChange: @Sendable (Int) -> Void

    package init(logger: Logger, onBacklogChange: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.logger = logger
        self.onBacklogChange = onBacklogChange
    }

    /// Posts to `target` (nil: nothing is posted; events already queued wait)
    /// from events in `store`, from now on.
    package func configure(target: WebhookTarget?, store: Store) {
        setup.withLock {
            $0.target = target
            $0.store = store
            $0.generation += 1
        }
        doorbell.ring()
    }

    /// A report queued events: look at the outbox now (a failing receiver
    /// still gets its backoff).
    package func wake() {
        doorbell.ring()
    }

    /// Ends `run()` after the post in flight, if any.
    package func finish() {
        stopping.store(true, ordering: .relaxed)
        doorbell.close()
    }

    package func run() async throws {
        let client = await withGracefulShutdownHandler {
            await deliverUntilStopped()
        } onGracefulShutdown: {
            self.finish()
        }
        do {
            try await client?.shutdown()
        } catch {
            logger.debug("closing the webhook's connections failed", metadata: ["error": "\(error)"])
        }
    }

    /// How long a connection may take to open, whatever the post's own timeout.
    package static let connectTimeout = Duration.seconds(10)

    /// One client for the service's life (connections are reused). Redirects
    /// are not followed: a POST redirected elsewhere is a configuration to fix,
    /// and it would carry the token's header to another host. A connection
    /// refused fails the attempt at once: the delivery loop has its own
    /// backoff, and the client's own retries held each attempt (and a stop)
    /// for its whole connect timeout against a receiver that was down.
    static func makeClient() -> HTTPClient {
        HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration())
    }

    /// The settings `makeClient` gives its client.
    package static func clientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .init(connectTimeout), read: .seconds(60))
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// The loop; returns the HTTP client it made (none while no webhook was
    /// ever configured: no event-loop threads for a feature that is off).
    private func deliverUntilStopped() async -> HTTPClient? {
        var client: HTTPClient?
        var backoff = DeliveryBackoff()
        var retryAt: ContinuousClock.Instant?
        /// Failed attempts since the last success, for the "recovered" line.
        var failedInARow = 0
        var generation = -1
        /// The configuration changed since the start: the attempts stored
        /// were against another target, and count neither for the backoff
        /// nor for the "recovered" line.
        var reconfigured = false
        var backlog = -1
        var lastPrune: ContinuousClock.Instant?
        let waiter = doorbell.waiter()
        while !stopping.load(ordering: .relaxed) {
            let current = setup.withLock { $0 }
            if current.generation != generation {
                // A new configuration (a fixed URL, a new token): try at once.
                reconfigured = generation != -1
                if reconfigured { failedInARow = 0 }
                generation = current.generation
                backoff.succeeded()
                retryAt = nil
            }
            var postedOne = false
            if let target = current.target, let store = current.store, retryAt.map({ $0 <= ContinuousClock.now }) ?? true {
                if lastPrune.map({ ContinuousClock.now - $0 > .seconds(3600) }) ?? true {
                    lastPrune = ContinuousClock.now
                    _ = try? store.pruneFinishedNotifications()
                }
                let http = client ?? WebhookDelivery.makeClient()
                client = http
                let attempt = await WebhookDelivery.attemptNext(store: store, target: target, client: http, logger: logger)
                switch attempt {
                case .nothingPending:
                    retryAt = nil
                case .delivered(let entry), .rejected(let entry, _):
                    // An event that failed before a restart counts: its attempts are in the store.
                    let failedBefore = failedInARow > 0 || reconfigured ? failedInARow : entry.attempts
                    if failedBefore > 0 {
                        logger.notice(
                            "webhook delivery recovered",
                            metadata: [
                                "message_id": "\(JournalMessageID.webhookDeliveryRecovered)",
                                "destination": "\(target.loggedDestination)", "failed_attempts": "\(failedBefore)",
                            ])
                    }
                    failedInARow = 0
                    backoff.succeeded()
                    retryAt = nil
                    postedOne = true
                case .failed(let entry, let reason):
                    failedInARow += 1
                    if !reconfigured { backoff.resume(afterFailures: entry.attempts) }
                    let wait = backoff.failed()
                    retryAt = ContinuousClock.now + wait
                    try? store.markNotificationFailed(
                        rowID: entry.rowID, attempts: entry.attempts + 1, error: reason, nextAttemptAt: Date().addingTimeInterval(wait.timeInterval))
                    logger.warning(
                        "webhook delivery failed; will retry",
                        metadata: [
                            "message_id": "\(JournalMessageID.webhookDeliveryFailed)",
                            "destination": "\(target.loggedDestination)", "event_id": "\(entry.entry.eventID)",
                            "attempt": "\(entry.attempts + 1)", "reason": "\(reason)",
                            "retry_in_seconds": "\(Int(wait.timeInterval.rounded(.up)))",
                        ])
                case .storeFailed(let error):
                    failedInARow += 1
                    let wait = backoff.failed()
                    retryAt = ContinuousClock.now + wait
                    logger.error("webhook outbox unreadable; will retry", metadata: ["error": "\(error)"])
                }
            }
            // Also while waiting out a backoff: events a report just queued count.
            if current.target != nil, let store = current.store, let count = try? store.pendingNotificationCount(), count != backlog {
                backlog = count
                onBacklogChange(count)
            }
            // After a post, the next one at once (a failure waits for its time).
            if postedOne { continue }
            guard await waiter.wait(until: retryAt) else { return client }
        }
        return client
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`, for `Date` arithmetic and log fields.
    var timeInterval: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

extension WebhookDelivery: CustomStringConvertible {
    /// How service-lifecycle names it in the log: never its target's URL or headers.
    package var description: String { "WebhookDelivery" }
}
