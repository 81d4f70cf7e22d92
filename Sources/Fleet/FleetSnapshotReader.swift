import Foundation
import Logging
import PostgresNIO
import Records

/// Reads the fleet report's input from the fleet's PostgreSQL: a handful of
/// aggregate queries, read-only, so the fleet's reader role suffices
/// (`etc/chimerad/fleet-roles.sql`).
///
/// ```swift
/// let connection = try await fleet.connect(logger: logger)
/// let snapshot = try await FleetSnapshotReader.read(on: connection, target: fleet.target, logger: logger)
/// ```
///
/// Runs are pooled in the database, never fetched: a group's median over
/// all its runs is `percentile_cont(0.5)` over the per-run values the hosts
/// published (the local reports' interpolation); where a session published
/// fewer values than it had runs, the row says so and its figures are taken
/// from the sessions' medians instead.
package enum FleetSnapshotReader {
    package static func read(on connection: PostgresConnection, target: String, logger: Logger) async throws -> FleetSnapshot {
        switch try await FleetSchema.installedVersion(on: connection, logger: logger) {
        case nil: throw FleetError.schemaMissing(target: target)
        case let version? where version > FleetSchema.currentVersion:
            throw FleetError.schemaTooNew(found: version, understood: FleetSchema.currentVersion)
        case let version? where version < FleetSchema.currentVersion:
            throw FleetError.schemaTooOld(target: target, found: version, understood: FleetSchema.currentVersion)
        default: break
        }
        // One snapshot: every query sees the same commits, whatever hosts publish meanwhile.
        try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
        do {
            // The database's clock, as `last_seen` is: a skewed clock here never makes a host silent.
            var readAt = Date()
            for try await now in try await connection.query("SELECT now()", logger: logger).decode(Date.self) { readAt = now }
            let groups = try await groups(on: connection, logger: logger)
            let snapshot = FleetSnapshot(
                database: target, readAt: readAt, hosts: try await hosts(on: connection, logger: logger),
                rows: groups.filter { $0.key.hostID != nil }.map(\.row), totals: groups.filter { $0.key.hostID == nil }.map(\.total),
                openRegressions: try await openRegressions(on: connection, logger: logger),
                ownRowsOnly: try await readsOwnRowsOnly(on: connection, logger: logger))
            try await connection.query("COMMIT", logger: logger)
            return snapshot
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    static func hosts(on connection: PostgresConnection, logger: Logger) async throws -> [FleetSnapshot.Host] {
        let rows = try await connection.query(
            """
            SELECT h.host_id, h.hostname, h.first_seen, h.last_seen, h.gpu, h.driver, h.backend, h.build,
                count(s.host_id), COALESCE(sum(s.runs_ok), 0)::bigint, COALESCE(sum(s.runs_failed), 0)::bigint,
                count(*) FILTER (WHERE s.runs_ok = 0 AND s.runs_failed > 0),
                max(s.measured_at), max(s.measured_at) FILTER (WHERE s.runs_ok = 0 AND s.runs_failed > 0)
            FROM chimerad.hosts h LEFT JOIN chimerad.sessions s ON s.host_id = h.host_id
            GROUP BY h.host_id ORDER BY h.host_id
            """, logger: logger)
        var hosts: [FleetSnapshot.Host] = []
        for try await row in rows.decode(
            (String, String, Date, Date, String?, String?, String?, String?, Int, Int, Int, Int, Date?, Date?).self)
        {
            hosts.append(
                .init(
                    hostID: row.0, hostname: row.1, firstSeen: row.2, lastSeen: row.3,
                    environment: .init(gpu: row.4, driver: row.5, backend: row.6, build: row.7), sessions: row.8, runsOK: row.9,
                    runsFailed: row.10, deadSessions: row.11, latestSessionAt: row.12, latestDeadSessionAt: row.13))
        }
        return hosts
    }

    /// The seven key columns as read (host and environment NULL: all hosts pooled).
    struct RowKey: Hashable {
        var model: String
        var configuration: String
        var hostID: String?
        var environment: FleetSnapshot.Environment
    }

    /// What the sessions' columns say of one key: counts and the figures of their medians.
    struct SessionAggregate {
        var sessions: Int
        var hosts: Int
        var runsOK: Int
        var runsFailed: Int
        var latest: Date
        var tokensPerSecond: (n: Int, quartiles: [Double]?)
        var ttftSeconds: (n: Int, quartiles: [Double]?)
    }

    /// One group row, as `GroupRow` and as `GroupTotal`.
    struct Aggregate {
        var key: RowKey
        var sessions: SessionAggregate
        var tokensPerSecond: FleetSnapshot.Figures
        var ttftSeconds: FleetSnapshot.Figures

        var group: FleetSnapshot.GroupKey {
            .init(model: key.model, configurationText: key.configuration, configuration: FleetSnapshotReader.parameters(key.configuration))
        }

        var row: FleetSnapshot.GroupRow {
            .init(
                group: group, hostID: key.hostID ?? "", environment: key.environment, sessions: sessions.sessions, runsOK: sessions.runsOK,
                runsFailed: sessions.runsFailed, latestMeasuredAt: sessions.latest, tokensPerSecond: tokensPerSecond, ttftSeconds: ttftSeconds)
        }

        var total: FleetSnapshot.GroupTotal {
            .init(
                group: group, hosts: sessions.hosts, sessions: sessions.sessions, runsOK: sessions.runsOK, runsFailed: sessions.runsFailed,
                tokensPerSecond: tokensPerSecond, ttftSeconds: ttftSeconds)
        }
    }

    /// Per model, configuration, host and environment, and per model and
    /// configuration over all hosts (host id NULL), in one pass each over
    /// the sessions and the samples (`GROUPING SETS`): the samples are most
    /// of the fleet's bytes, read once.
    static func groups(on connection: PostgresConnection, logger: Logger) async throws -> [Aggregate] {
        let quartiles = "ARRAY[0.25, 0.5, 0.75]::double precision[]"
        let columns = "s.model, s.configuration, s.host_id, s.gpu, s.driver, s.backend, s.build"
        let sessionRows = try await connection.query(
            """
            SELECT \(unescaped: columns), count(*), count(DISTINCT s.host_id), sum(s.runs_ok)::bigint, sum(s.runs_failed)::bigint,
                max(s.measured_at),
                sum(s.tokens_per_second_n)::bigint, percentile_cont(\(unescaped: quartiles)) WITHIN GROUP (ORDER BY s.tokens_per_second_median),
                sum(s.ttft_seconds_n)::bigint, percentile_cont(\(unescaped: quartiles)) WITHIN GROUP (ORDER BY s.ttft_seconds_median)
            FROM chimerad.sessions s GROUP BY GROUPING SETS ((\(unescaped: columns)), (s.model, s.configuration))
            """, logger: logger)
        var aggregates: [RowKey: SessionAggregate] = [:]
        for try await row in sessionRows.decode(
            (String, String, String?, String?, String?, String?, String?, Int, Int, Int, Int, Date, Int, [Double]?, Int, [Double]?).self)
        {
            let key = RowKey(
                model: row.0, configuration: row.1, hostID: row.2, environment: .init(gpu: row.3, driver: row.4, backend: row.5, build: row.6))
            aggregates[key] = SessionAggregate(
                sessions: row.7, hosts: row.8, runsOK: row.9, runsFailed: row.10, latest: row.11, tokensPerSecond: (row.12, row.13),
                ttftSeconds: (row.14, row.15))
        }
        // Every published per-run value, pooled by the same key and metric.
        let valueRows = try await connection.query(
            """
            SELECT \(unescaped: columns), v.metric, count(*), percentile_cont(\(unescaped: quartiles)) WITHIN GROUP (ORDER BY v.value)
            FROM chimerad.session_samples v
            JOIN chimerad.sessions s USING (host_id, source_path, content_hash, session_index)
            GROUP BY GROUPING SETS ((\(unescaped: columns), v.metric), (s.model, s.configuration, v.metric))
            """, logger: logger)
        var values: [RowKey: [String: (count: Int, quartiles: [Double])]] = [:]
        for try await row in valueRows.decode((String, String, String?, String?, String?, String?, String?, String, Int, [Double]).self) {
            let key = RowKey(
                model: row.0, configuration: row.1, hostID: row.2, environment: .init(gpu: row.3, driver: row.4, backend: row.5, build: row.6))
            values[key, default: [:]][row.7] = (row.8, row.9)
        }
        return aggregates.keys.sorted { ($0.model, $0.configuration, $0.hostID ?? "") < ($1.model, $1.configuration, $1.hostID ?? "") }
            .compactMap { key in
                guard let sessions = aggregates[key] else { return nil }
                return Aggregate(
                    key: key, sessions: sessions,
                    tokensPerSecond: figures(sessions: sessions.tokensPerSecond, values: values[key]?["tokens_per_second"]),
                    ttftSeconds: figures(sessions: sessions.ttftSeconds, values: values[key]?["ttft_seconds"]))
            }
    }

    /// The runs' figures when every run's value was published, else the sessions' medians'.
    static func figures(sessions: (n: Int, quartiles: [Double]?), values: (count: Int, quartiles: [Double])?) -> FleetSnapshot.Figures {
        if let values, values.count == sessions.n, values.quartiles.count == 3 {
            return .init(
                n: sessions.n, median: values.quartiles[1], lowerQuartile: values.quartiles[0], upperQuartile: values.quartiles[2], basis: .runs)
        }
        guard sessions.n > 0, let quartiles = sessions.quartiles, quartiles.count == 3 else {
            return .init(n: sessions.n, median: nil, lowerQuartile: nil, upperQuartile: nil, basis: .runs)
        }
        return .init(n: sessions.n, median: quartiles[1], lowerQuartile: quartiles[0], upperQuartile: quartiles[2], basis: .sessionMedians)
    }

    static func openRegressions(on connection: PostgresConnection, logger: Logger) async throws -> [FleetSnapshot.Regression] {
        let rows = try await connection.query(
            """
            SELECT host_id, model, configuration, metric, opened_at, change_percent, baseline_median, current_median, build
            FROM chimerad.regressions WHERE resolved_at IS NULL ORDER BY opened_at, host_id, local_id
            """, logger: logger)
        var regressions: [FleetSnapshot.Regression] = []
        for try await row in rows.decode((String, String, String, String, Date, Double, Double, Double, String?).self) {
            regressions.append(
                .init(
                    hostID: row.0, group: .init(model: row.1, configurationText: row.2, configuration: parameters(row.2)), metric: row.3,
                    openedAt: row.4, changePercent: row.5, baselineMedian: row.6, currentMedian: row.7, build: row.8))
        }
        return regressions
    }

    /// Whether the login role is a publishing host's (the roles script's
    /// `chimerad_publisher`) without the reader's rights: row-level security
    /// then shows it its own rows, and a report from them is one host's.
    static func readsOwnRowsOnly(on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        // Without the roles script neither role exists, and nothing is hidden.
        let rows = try await connection.query(
            """
            SELECT CASE WHEN to_regrole('chimerad_publisher') IS NULL THEN false
                ELSE pg_has_role(current_user, 'chimerad_publisher', 'USAGE')
                    AND NOT (to_regrole('chimerad_reader') IS NOT NULL AND pg_has_role(current_user, 'chimerad_reader', 'USAGE'))
                    AND NOT (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)
                END
            """, logger: logger)
        for try await restricted in rows.decode(Bool.self) { return restricted }
        return false
    }

    /// A configuration's canonical JSON text as parameters, by name; text
    /// another writer put there that is not an object of strings is shown as it is.
    static func parameters(_ text: String) -> [Parameter] {
        guard let object = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else {
            return text == "{}" ? [] : [Parameter("configuration", text)]
        }
        return object.map { Parameter($0.key, $0.value) }.sorted()
    }
}
