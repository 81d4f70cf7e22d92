import AsyncHTTPClient
import Foundation
import Logging
import Store

/// One post of the oldest pending event, and what it left in the store.
/// Shared by the service's loop and by `chimerad report`'s bounded pass.
extension WebhookDelivery {
    package enum Attempt: Sendable {
        case nothingPending
        /// A 2xx: marked delivered.
        case delivered(Store.PendingOutboxEntry)
        /// The receiver refused the event itself (400, 413, 415, 422), or
        /// its stored body is damaged: marked rejected, never posted again.
        case rejected(Store.PendingOutboxEntry, reason: String)
        /// Anything else (refused, timed out, 5xx, 401, 429, ...): still
        /// pending; the caller decides when to try again and records it.
        case failed(Store.PendingOutboxEntry, reason: String)
        case storeFailed(Store.Failure)
    }

    /// Statuses that say the event itself is wrong: posting it again would
    /// get the same answer. A 401, 403 or 404 is a configuration to fix (a
    /// token, a URL), and the event waits for it.
    static let rejectingStatuses: Set<UInt> = [400, 413, 415, 422]

    package static func attemptNext(store: Store, target: WebhookTarget, client: HTTPClient, logger: Logger) async -> Attempt {
        let next: Store.PendingOutboxEntry
        do throws(Store.Failure) {
            guard let oldest = try store.pendingNotifications(limit: 1).first else { return .nothingPending }
            next = oldest
        } catch {
            return .storeFailed(error)
        }
        let attempts = next.attempts + 1
        let request: WebhookRequest
        do {
            request = try WebhookRequest(entry: next.entry, target: target)
        } catch {
            let reason = "the stored event is not valid JSON"
            try? store.markNotificationRejected(rowID: next.rowID, attempts: attempts, error: reason)
            logger.error("webhook event dropped", metadata: ["event_id": "\(next.entry.eventID)", "reason": "\(reason)"])
            return .rejected(next, reason: reason)
        }
        switch await post(request, client: client, timeout: target.timeout, logger: logger) {
        case .accepted:
            do throws(Store.Failure) {
                try store.markNotificationDelivered(rowID: next.rowID, attempts: attempts)
            } catch {
                // Delivered, but the store does not know: it is posted again
                // later, and the receiver drops it by its idempotency key.
                return .storeFailed(error)
            }
            logger.debug("webhook event delivered", metadata: ["event_id": "\(next.entry.eventID)", "attempt": "\(attempts)"])
            return .delivered(next)
        case .refused(let reason):
            try? store.markNotificationRejected(rowID: next.rowID, attempts: attempts, error: reason)
            logger.error(
                "webhook receiver refused an event; it is not posted again",
                metadata: ["destination": "\(target.loggedDestination)", "event_id": "\(next.entry.eventID)", "reason": "\(reason)"])
            return .rejected(next, reason: reason)
        case .failed(let reason):
            return .failed(next, reason: reason)
        }
    }

    enum PostOutcome: Equatable {
        case accepted
        case refused(String)
        case failed(String)
    }

    /// Posts `request` within `timeout`, connecting included. Never throws:
    /// every way it goes wrong is a reason for the journal (the status, a
    /// short excerpt of the receiver's answer, or the transport's error; never
    /// a header value, never the URL's path).
    static func post(_ request: WebhookRequest, client: HTTPClient, timeout: Duration, logger: Logger) async -> PostOutcome {
        var http = HTTPClientRequest(url: request.url)
        http.method = .POST
        for field in request.headers { http.headers.add(name: field.name, value: field.value) }
        http.body = .bytes(request.body)
        do {
            let response = try await client.execute(http, timeout: .nanoseconds(Int64(timeout.timeInterval * 1e9)), logger: logger)
            // Read (and let go of) the answer, so the connection can be reused.
            let answer = (try? await response.body.collect(upTo: 16 * 1024)).map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? ""
            let status = response.status.code
            if (200..<300).contains(status) { return .accepted }
            let excerpt = WebhookRequest.plainText(answer, limit: 120)
            let reason = "HTTP \(status) \(response.status.reasonPhrase)" + (excerpt.isEmpty ? "" : ": " + excerpt)
            return rejectingStatuses.contains(status) ? .refused(reason) : .failed(reason)
        } catch let error as HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                return .failed("no answer within \(timeout.timeInterval.formatted()) s")
            }
            return .failed(WebhookRequest.plainText("\(error)", limit: 200))
        } catch {
            let text = "\(error)"
            if text.lowercased().contains("refused") { return .failed("connection refused") }
            return .failed(WebhookRequest.plainText(text, limit: 200))
        }
    }

    /// `chimerad report`'s pass: posts what is pending, oldest first, until
    /// the outbox is empty, a post fails (the daemon retries it with its
    /// backoff), or `budget` is spent. Returns how many were delivered and how
    /// many are still pending.
    package static func deliverPending(store: Store, target: WebhookTarget, budget: Duration, logger: Logger) async -> (delivered: Int, pending: Int)
    {
        let client = makeClient()
        let deadline = ContinuousClock.now + budget
        var delivered = 0
        var shortened = target
        loop: while ContinuousClock.now < deadline {
            shortened.timeout = min(target.timeout, deadline - ContinuousClock.now)
            switch await attemptNext(store: store, target: shortened, client: client, logger: logger) {
            case .nothingPending, .storeFailed: break loop
            case .delivered:
                delivered += 1
            case .rejected: continue
            case .failed(let entry, let reason):
                try? store.markNotificationFailed(rowID: entry.rowID, attempts: entry.attempts + 1, error: reason, nextAttemptAt: Date())
                logger.warning(
                    "webhook delivery failed; the event stays queued for chimerad run",
                    metadata: ["destination": "\(target.loggedDestination)", "event_id": "\(entry.entry.eventID)", "reason": "\(reason)"])
                break loop
            }
        }
        try? await client.shutdown()
        return (delivered, (try? store.pendingNotificationCount()) ?? 0)
    }
}
