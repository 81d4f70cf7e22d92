import Foundation
import GRDB

/// The webhook's outbox. Reports only insert (in their own transaction);
/// the delivery service reads the oldest pending event, posts it, and marks
/// it. Delivery is at least once: an event is pending until a 2xx, across
/// restarts, and the receiver deduplicates by its id.
extension Store {
    /// An event to post, as a report queues it.
    package struct OutboxEntry: Sendable, Equatable {
        package enum Kind: String, Sendable, CaseIterable {
            case opened, reopened, resolved, report
        }

        /// Stable across reports and restarts (a regression's is its Atom entry's id).
        package var eventID: String
        package var kind: Kind
        /// The JSON body, as the receiver gets it (the ntfy text is made from it).
        package var payload: String

        package init(eventID: String, kind: Kind, payload: String) {
            self.eventID = eventID
            self.kind = kind
            self.payload = payload
        }
    }

    /// A queued event not yet delivered.
    package struct PendingOutboxEntry: Sendable, Equatable {
        package var rowID: Int64
        package var entry: OutboxEntry
        /// Posts tried so far.
        package var attempts: Int
    }

    /// At most this many undelivered events are kept: a webhook down for
    /// weeks must not grow the store without end. The oldest go first.
    package static let outboxLimit = 1000
    /// Delivered and rejected events are kept this long (seconds), for
    /// `chimerad status` and to keep a re-queued id from posting twice.
    package static let finishedNotificationLifetime = 30.0 * 24 * 3600

    /// Inserts `notifications` (an id already queued is kept as it is), then
    /// drops the oldest undelivered beyond `outboxLimit`; returns how many it dropped.
    static func queue(_ notifications: [OutboxEntry], in db: Database) throws -> Int {
        guard !notifications.isEmpty else { return 0 }
        let insert = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO notification (event_id, kind, payload, created_at) VALUES (?, ?, ?, ?)")
        let now = Store.timestamp()
        for notification in notifications {
            try insert.execute(arguments: [notification.eventID, notification.kind.rawValue, notification.payload, now])
        }
        try db.execute(
            sql: """
                DELETE FROM notification WHERE state = 'pending' AND id NOT IN
                    (SELECT id FROM notification WHERE state = 'pending' ORDER BY id DESC LIMIT ?)
                """, arguments: [outboxLimit])
        return db.changesCount
    }

    /// Queues events outside a report (`chimerad regressions ack`, tests).
    @discardableResult
    package func queueNotifications(_ notifications: [OutboxEntry]) throws(Failure) -> Int {
        try write { db in try Store.queue(notifications, in: db) }
    }

    /// The oldest pending events, oldest first: a receiver learns of an
    /// opening before its resolution.
    package func pendingNotifications(limit: Int) throws(Failure) -> [PendingOutboxEntry] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, event_id, kind, payload, attempts FROM notification WHERE state = 'pending' ORDER BY id LIMIT ?",
                arguments: [limit]
            ).compactMap { row in
                guard let kind = OutboxEntry.Kind(rawValue: row["kind"]) else { return nil }
                return PendingOutboxEntry(
                    rowID: row["id"], entry: OutboxEntry(eventID: row["event_id"], kind: kind, payload: row["payload"]),
                    attempts: row["attempts"])
            }
        }
    }

    /// How many events wait for delivery (`STATUS=`, `chimerad status`).
    package func pendingNotificationCount() throws(Failure) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notification WHERE state = 'pending'") ?? 0 }
    }

    /// A 2xx came back: the event is done.
    package func markNotificationDelivered(rowID: Int64, attempts: Int) throws(Failure) {
        try finish(rowID: rowID, state: "delivered", attempts: attempts, error: nil)
    }

    /// The receiver refused the event itself: posting it again would not help.
    package func markNotificationRejected(rowID: Int64, attempts: Int, error: String) throws(Failure) {
        try finish(rowID: rowID, state: "rejected", attempts: attempts, error: error)
    }

    private func finish(rowID: Int64, state: String, attempts: Int, error: String?) throws(Failure) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE notification SET state = ?, attempts = ?, last_error = ?, next_attempt_at = NULL, finished_at = ?
                    WHERE id = ?
                    """, arguments: [state, attempts, error, Date().timeIntervalSince1970, rowID])
        }
    }

    /// A post failed: the event stays pending; when it is tried next is kept
    /// for `chimerad status` (the service keeps its own timer).
    package func markNotificationFailed(rowID: Int64, attempts: Int, error: String, nextAttemptAt: Date) throws(Failure) {
        try write { db in
            try db.execute(
                sql: "UPDATE notification SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ? AND state = 'pending'",
                arguments: [attempts, error, nextAttemptAt.timeIntervalSince1970, rowID])
        }
    }

    /// Forgets delivered and rejected events older than `finishedNotificationLifetime`; how many.
    @discardableResult
    package func pruneFinishedNotifications(now: Date = Date()) throws(Failure) -> Int {
        try write { db in
            try db.execute(
                sql: "DELETE FROM notification WHERE state != 'pending' AND finished_at < ?",
                arguments: [now.timeIntervalSince1970 - Store.finishedNotificationLifetime])
            return db.changesCount
        }
    }

    /// Every event's id and state, oldest first (tests, `chimerad status`).
    package func notificationStates() throws(Failure) -> [(eventID: String, state: String, attempts: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT event_id, state, attempts FROM notification ORDER BY id").map { row in
                (eventID: row["event_id"] as String, state: row["state"] as String, attempts: row["attempts"] as Int)
            }
        }
    }
}
