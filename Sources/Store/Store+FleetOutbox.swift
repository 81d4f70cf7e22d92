import Foundation
import GRDB

/// The fleet's outbox. Reports insert (in the transaction that saves them);
/// the publisher reads the oldest items in batches, writes each batch to
/// PostgreSQL in one transaction, and deletes the items once it committed.
/// A crash between the commit and the delete sends the batch again, which
/// the fleet's keys absorb (at least once here, exactly once there).
extension Store {
    /// What one report queues for the fleet, and the outbox's bound (`fleet.outbox_limit`).
    package struct FleetQueue: Sendable, Equatable {
        package var items: [FleetOutboxItem]
        package var limit: Int

        package init(items: [FleetOutboxItem], limit: Int) {
            self.items = items
            self.limit = limit
        }
    }

    /// An unsent item; `item` is nil when its payload no longer decodes
    /// (written by another release): the publisher drops it with a log line.
    package struct PendingFleetItem: Sendable, Equatable {
        package var rowID: Int64
        package var item: FleetOutboxItem?
    }

    /// How far behind the fleet is: unsent items, and when the oldest was queued.
    package struct FleetBacklog: Sendable, Equatable {
        package var items: Int
        package var oldestQueuedAt: Date?

        package static let none = FleetBacklog(items: 0, oldestQueuedAt: nil)
    }

    static let fleetDroppedKey = "fleet_samples_dropped"

    /// Inserts the queue's items, then, past its limit, deletes the oldest
    /// unsent samples until the outbox fits (summaries, regressions and
    /// reports are never deleted: the fleet's counts stay exact). The number
    /// of per-run values dropped is added to a counter the publisher logs.
    static func queue(_ queue: FleetQueue, in db: Database) throws {
        guard !queue.items.isEmpty else { return }
        let insert = try db.cachedStatement(sql: "INSERT INTO fleet_outbox (kind, payload, queued_at) VALUES (?, ?, ?)")
        let encoder = JSONEncoder()
        let now = Date().timeIntervalSince1970
        for item in queue.items {
            let payload = String(decoding: try encoder.encode(item), as: UTF8.self)
            try insert.execute(arguments: [item.kind.rawValue, payload, now])
        }
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fleet_outbox") ?? 0
        let excess = count - max(queue.limit, 0)
        guard excess > 0 else { return }
        let victims = try Row.fetchAll(
            db, sql: "SELECT id, payload FROM fleet_outbox WHERE kind = 'samples' ORDER BY id LIMIT ?", arguments: [excess])
        guard !victims.isEmpty else { return }
        var values = 0
        let decoder = JSONDecoder()
        for row in victims {
            let payload: String = row["payload"]
            if case .samples(let samples)? = try? decoder.decode(FleetOutboxItem.self, from: Data(payload.utf8)) {
                values += samples.values.count
            }
        }
        let ids = victims.map { $0["id"] as Int64 }
        try db.execute(sql: "DELETE FROM fleet_outbox WHERE id IN (\(Store.placeholders(ids.count)))", arguments: StatementArguments(ids))
        try db.execute(
            sql: """
                INSERT INTO meta (key, value) VALUES (?, ?)
                ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER) AS TEXT)
                """, arguments: [fleetDroppedKey, String(values)])
    }

    /// Queues items outside a report (tests, tools).
    package func queueFleetItems(_ queue: FleetQueue) throws(Failure) {
        try write { db in try Store.queue(queue, in: db) }
    }

    /// The oldest unsent items, oldest first: a session goes before its samples.
    package func pendingFleetItems(limit: Int) throws(Failure) -> [PendingFleetItem] {
        try read { db in
            let decoder = JSONDecoder()
            return try Row.fetchAll(db, sql: "SELECT id, payload FROM fleet_outbox ORDER BY id LIMIT ?", arguments: [limit]).map { row in
                let payload: String = row["payload"]
                return PendingFleetItem(rowID: row["id"], item: try? decoder.decode(FleetOutboxItem.self, from: Data(payload.utf8)))
            }
        }
    }

    /// PostgreSQL committed these items (or they cannot be sent): they leave the outbox.
    package func removeFleetItems(_ rowIDs: [Int64]) throws(Failure) {
        guard !rowIDs.isEmpty else { return }
        try write { db in
            try db.execute(
                sql: "DELETE FROM fleet_outbox WHERE id IN (\(Store.placeholders(rowIDs.count)))", arguments: StatementArguments(rowIDs))
        }
    }

    /// Unsent items and the oldest one's time (`STATUS=`, the journal, `chimerad status`).
    package func fleetBacklog() throws(Failure) -> FleetBacklog {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(queued_at) AS oldest FROM fleet_outbox") else { return .none }
            let oldest: Double? = row["oldest"]
            return FleetBacklog(items: row["n"], oldestQueuedAt: oldest.map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// How many per-run values the bound dropped since the last call (then 0),
    /// so each drop is logged once, by whoever publishes next.
    package func takeFleetSamplesDropped() throws(Failure) -> Int {
        try write { db in
            let value = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [Store.fleetDroppedKey])
            guard let value, let count = Int(value), count > 0 else { return 0 }
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [Store.fleetDroppedKey])
            return count
        }
    }
}
