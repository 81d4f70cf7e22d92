import Foundation
import Logging
import PostgresNIO
import Store

/// Writes one batch of outbox items to the fleet's tables, in one
/// transaction: all of it lands, or none of it.
///
/// Every statement is an upsert on the row's key (which starts with the
/// host id), so a batch sent twice (a crash after PostgreSQL committed and
/// before the outbox forgot it) leaves the tables as one send did.
package enum FleetBatchWriter {
    /// The channel every committed batch notifies, with the sender's host id
    /// as payload: `chimerad fleet watch` listens on it.
    package static let publishedChannel = "chimerad_published"

    /// Who sends: the host's row is refreshed by every batch (`last_seen`).
    package struct Sender: Sendable, Equatable {
        package var hostID: String
        package var hostname: String
        package var version: String

        package init(hostID: String, hostname: String, version: String) {
            self.hostID = hostID
            self.hostname = hostname
            self.version = version
        }
    }

    package static func write(_ items: [FleetOutboxItem], from sender: Sender, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            // The host first: every other table refers to it.
            try await connection.query(
                """
                INSERT INTO chimerad.hosts (host_id, hostname, chimerad_version) VALUES (\(sender.hostID), \(sender.hostname), \(sender.version))
                ON CONFLICT (host_id) DO UPDATE SET hostname = EXCLUDED.hostname, chimerad_version = EXCLUDED.chimerad_version, last_seen = now()
                """, logger: logger)
            // In order; a run of sessions, or of samples, in one statement.
            var index = items.startIndex
            while index < items.endIndex {
                var end = index + 1
                switch items[index] {
                case .session:
                    while end < items.endIndex, case .session = items[end] { end += 1 }
                    let sessions = items[index..<end].compactMap { item -> FleetOutboxItem.Session? in
                        guard case .session(let session) = item else { return nil }
                        return session
                    }
                    try await insert(sessions, hostID: sender.hostID, on: connection, logger: logger)
                case .samples:
                    while end < items.endIndex, case .samples = items[end] { end += 1 }
                    let samples = items[index..<end].compactMap { item -> FleetOutboxItem.Samples? in
                        guard case .samples(let samples) = item else { return nil }
                        return samples
                    }
                    try await insert(samples, hostID: sender.hostID, on: connection, logger: logger)
                case .fileVersion:
                    while end < items.endIndex, case .fileVersion = items[end] { end += 1 }
                    let files = items[index..<end].compactMap { item -> FleetOutboxItem.FileVersion? in
                        guard case .fileVersion(let file) = item else { return nil }
                        return file
                    }
                    try await retire(files, hostID: sender.hostID, on: connection, logger: logger)
                default:
                    try await write(items[index], hostID: sender.hostID, on: connection, logger: logger)
                }
                index = end
            }
            // Delivered at commit, and only if it commits: a listener reads what it was told of.
            try await connection.query("SELECT pg_notify(\(publishedChannel), \(sender.hostID))", logger: logger)
        }
    }

    private static func write(_ item: FleetOutboxItem, hostID: String, on connection: PostgresConnection, logger: Logger) async throws {
        switch item {
        case .host(let environment):
            // A value a report did not record keeps the one known before.
            try await connection.query(
                """
                UPDATE chimerad.hosts SET gpu = COALESCE(\(environment.gpu), gpu), driver = COALESCE(\(environment.driver), driver),
                    backend = COALESCE(\(environment.backend), backend), build = COALESCE(\(environment.build), build)
                WHERE host_id = \(hostID)
                """, logger: logger)
        case .fileVersion(let file):
            try await retire([file], hostID: hostID, on: connection, logger: logger)
        case .session(let session):
            try await insert([session], hostID: hostID, on: connection, logger: logger)
        case .samples(let samples):
            try await insert([samples], hostID: hostID, on: connection, logger: logger)
        case .regression(let regression):
            // Opened, then resolved by a later report: the latest state wins,
            // and a resent opening never reopens a resolved row; a reopening does.
            let reopened = regression.reopened ?? false
            try await connection.query(
                """
                INSERT INTO chimerad.regressions (host_id, local_id, model, configuration, environment, metric, opened_at, resolved_at,
                    resolution, change_percent, p_value, q_value, baseline_median, baseline_n, current_median, current_n, build)
                VALUES (\(hostID), \(regression.localID), \(regression.model), \(regression.configuration), \(regression.environment),
                    \(regression.metric), \(regression.openedAt)::timestamptz, \(regression.resolvedAt)::timestamptz, \(regression.resolution),
                    \(regression.changePercent), \(regression.pValue), \(regression.qValue), \(regression.baselineMedian),
                    \(regression.baselineCount), \(regression.currentMedian), \(regression.currentCount), \(regression.build))
                ON CONFLICT (host_id, local_id) DO UPDATE SET
                    resolved_at = CASE WHEN \(reopened) THEN EXCLUDED.resolved_at
                        ELSE COALESCE(EXCLUDED.resolved_at, chimerad.regressions.resolved_at) END,
                    resolution = CASE WHEN \(reopened) THEN EXCLUDED.resolution
                        ELSE COALESCE(EXCLUDED.resolution, chimerad.regressions.resolution) END
                """, logger: logger)
        case .report(let report):
            try await connection.query(
                """
                INSERT INTO chimerad.reports (host_id, report_name, generated_at, trigger, files_analyzed, sessions)
                VALUES (\(hostID), \(report.name), \(Date(timeIntervalSince1970: report.generatedAt)), \(report.trigger),
                    \(report.filesAnalyzed), \(report.sessions))
                ON CONFLICT (host_id, report_name) DO NOTHING
                """, logger: logger)
        }
    }
}
