import Logging
import PostgresNIO
import Store

/// One connection to the fleet's database and what is known of it: opened
/// when there is something to send, kept between rounds, closed after a
/// failure (the next round starts afresh). The schema is checked once per
/// connection: created or migrated when missing or old.
struct FleetPublisherSession {
    private var connection: PostgresConnection?
    private var schemaReady = false

    /// Sends every pending item, batch by batch, until the outbox is empty or
    /// `shouldStop` says so; returns how many items PostgreSQL committed.
    /// A batch is removed from the outbox only after its commit.
    mutating func drain(_ target: FleetPublisher.Target, logger: Logger, shouldStop: () -> Bool) async throws -> Int {
        var sent = 0
        while !shouldStop() {
            let pending = try target.store.pendingFleetItems(limit: FleetPublisher.batchSize)
            if pending.isEmpty { break }
            let unreadable = pending.filter { $0.item == nil }.map(\.rowID)
            if !unreadable.isEmpty {
                logger.error("fleet outbox items that no longer decode were dropped", metadata: ["items": "\(unreadable.count)"])
            }
            let items = pending.compactMap(\.item)
            if !items.isEmpty {
                let open = try await ready(target, logger: logger)
                let sender = target.sender
                try await FleetConnection.bounded(target.batchTimeout, on: open, target: target.connection.target) { connection in
                    try await FleetBatchWriter.write(items, from: sender, on: connection, logger: FleetConnection.quietLogger)
                }
            }
            // Committed: a crash before this line sends the batch again, which its keys absorb.
            try target.store.removeFleetItems(pending.map(\.rowID))
            sent += items.count
        }
        return sent
    }

    /// The open connection, with the schema at this release's version.
    private mutating func ready(_ target: FleetPublisher.Target, logger: Logger) async throws -> PostgresConnection {
        let open: PostgresConnection
        if let connection, !connection.isClosed {
            open = connection
        } else {
            schemaReady = false
            open = try await target.connection.connect(logger: logger)
            connection = open
            logger.debug("connected to the fleet database", metadata: ["target": "\(target.connection.target)"])
            // A server that is up but stuck (a lock held elsewhere) ends the statement, so the
            // round fails and backs off instead of holding the publisher, and a stop, for ever.
            let milliseconds = FleetPublisher.statementTimeout / .milliseconds(1)
            try await FleetConnection.bounded(target.batchTimeout, on: open, target: target.connection.target) { connection in
                _ = try await connection.query("SET statement_timeout = \(unescaped: String(Int(milliseconds)))", logger: FleetConnection.quietLogger)
            }
        }
        if !schemaReady {
            let appliedBy = "chimerad \(target.sender.version)"
            let outcome = try await FleetConnection.bounded(target.batchTimeout, on: open, target: target.connection.target) { connection in
                try await FleetSchema.migrate(on: connection, appliedBy: appliedBy, logger: FleetConnection.quietLogger)
            }
            if outcome != .alreadyCurrent(version: FleetSchema.currentVersion) {
                logger.notice("fleet database: \(outcome)", metadata: ["target": "\(target.connection.target)"])
            }
            schemaReady = true
        }
        return open
    }

    /// Closes the connection, waiting `closeLimit` at most: a connection
    /// to a server that stopped answering must not hold the next round.
    mutating func close() async {
        guard let connection else { return }
        self.connection = nil
        schemaReady = false
        _ = try? await FleetDeadline.first(within: FleetPublisherSession.closeLimit, timedOut: { CancellationError() }) {
            try await connection.close()
        }
    }

    static let closeLimit = Duration.seconds(5)
}
