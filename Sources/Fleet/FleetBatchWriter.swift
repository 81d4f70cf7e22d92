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
            for item in items {
                try await write(item, hostID: sender.hostID, on: connection, logger: logger)
            }
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
            // The file's other contents are history: their sessions (and, by cascade, samples) go.
            try await connection.query(
                """
                DELETE FROM chimerad.sessions WHERE host_id = \(hostID) AND source_path = \(file.sourcePath) AND content_hash <> \(file.contentHash)
                """, logger: logger)
        case .session(let session):
            let key = session.key
            let started = session.startedAt.map(Date.init(timeIntervalSince1970:))
            let measured = Date(timeIntervalSince1970: session.measuredAt)
            let (tps, ttft) = (session.tokensPerSecond, session.ttftSeconds)
            try await connection.query(
                """
                INSERT INTO chimerad.sessions (host_id, source_path, content_hash, session_index, model, configuration,
                    gpu, driver, backend, build, started_at, measured_at, runs_ok, runs_failed,
                    tokens_per_second_median, tokens_per_second_p25, tokens_per_second_p75, tokens_per_second_n,
                    ttft_seconds_median, ttft_seconds_p25, ttft_seconds_p75, ttft_seconds_n)
                VALUES (\(hostID), \(key.sourcePath), \(key.contentHash), \(key.sessionIndex), \(session.model), \(session.configuration),
                    \(session.environment.gpu), \(session.environment.driver), \(session.environment.backend), \(session.environment.build),
                    \(started), \(measured), \(session.runsOK), \(session.runsFailed),
                    \(tps.median), \(tps.lowerQuartile), \(tps.upperQuartile), \(tps.n),
                    \(ttft.median), \(ttft.lowerQuartile), \(ttft.upperQuartile), \(ttft.n))
                ON CONFLICT (host_id, source_path, content_hash, session_index) DO NOTHING
                """, logger: logger)
        case .samples(let samples):
            let key = samples.key
            // One statement per metric of a session; the ordinal is the value's position.
            try await connection.query(
                """
                INSERT INTO chimerad.session_samples (host_id, source_path, content_hash, session_index, metric, ordinal, value)
                SELECT \(hostID), \(key.sourcePath), \(key.contentHash), \(key.sessionIndex), \(samples.metric.rawValue), t.ordinal - 1, t.value
                FROM unnest(\(samples.values)::double precision[]) WITH ORDINALITY AS t(value, ordinal)
                WHERE t.ordinal <= 10000
                ON CONFLICT DO NOTHING
                """, logger: logger)
        case .regression(let regression):
            // Opened, then resolved by a later report: the latest state wins,
            // and a resent opening never reopens a resolved row.
            try await connection.query(
                """
                INSERT INTO chimerad.regressions (host_id, local_id, model, configuration, environment, metric, opened_at, resolved_at,
                    resolution, change_percent, p_value, q_value, baseline_median, baseline_n, current_median, current_n, build)
                VALUES (\(hostID), \(regression.localID), \(regression.model), \(regression.configuration), \(regression.environment),
                    \(regression.metric), \(regression.openedAt)::timestamptz, \(regression.resolvedAt)::timestamptz, \(regression.resolution),
                    \(regression.changePercent), \(regression.pValue), \(regression.qValue), \(regression.baselineMedian),
                    \(regression.baselineCount), \(regression.currentMedian), \(regression.currentCount), \(regression.build))
                ON CONFLICT (host_id, local_id) DO UPDATE SET
                    resolved_at = COALESCE(EXCLUDED.resolved_at, chimerad.regressions.resolved_at),
                    resolution = COALESCE(EXCLUDED.resolution, chimerad.regressions.resolution)
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
