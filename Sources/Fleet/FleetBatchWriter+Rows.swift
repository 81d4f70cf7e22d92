import Foundation
import Logging
import PostgresNIO
import Store

/// Runs of sessions and of samples in one statement each: a batch of a few
/// hundred sessions is a few statements, not a few hundred round trips. The
/// rows travel as one JSON array that `jsonbToRecordset` turns back into
/// typed columns (a missing median is JSON null, so SQL NULL).
extension FleetBatchWriter {
    /// One `chimerad.sessions` row as JSON.
    struct SessionRow: Encodable {
        var sourcePath: String
        var contentHash: String
        var sessionIndex: Int
        var model: String
        var configuration: String
        var gpu: String?
        var driver: String?
        var backend: String?
        var build: String?
        var startedAt: Double?
        var measuredAt: Double
        var runsOk: Int
        var runsFailed: Int
        var tokensPerSecondMedian: Double?
        var tokensPerSecondP25: Double?
        var tokensPerSecondP75: Double?
        var tokensPerSecondN: Int
        var ttftSecondsMedian: Double?
        var ttftSecondsP25: Double?
        var ttftSecondsP75: Double?
        var ttftSecondsN: Int

        init(_ session: FleetOutboxItem.Session) {
            let (key, environment, tps, ttft) = (session.key, session.environment, session.tokensPerSecond, session.ttftSeconds)
            sourcePath = key.sourcePath
            contentHash = key.contentHash
            sessionIndex = key.sessionIndex
            model = session.model
            configuration = session.configuration
            gpu = environment.gpu
            driver = environment.driver
            backend = environment.backend
            build = environment.build
            startedAt = session.startedAt
            measuredAt = session.measuredAt
            runsOk = session.runsOK
            runsFailed = session.runsFailed
            tokensPerSecondMedian = tps.median
            tokensPerSecondP25 = tps.lowerQuartile
            tokensPerSecondP75 = tps.upperQuartile
            tokensPerSecondN = tps.n
            ttftSecondsMedian = ttft.median
            ttftSecondsP25 = ttft.lowerQuartile
            ttftSecondsP75 = ttft.upperQuartile
            ttftSecondsN = ttft.n
        }
    }

    /// One `chimerad.sessionSamples` row as JSON.
    struct SampleRow: Encodable {
        var sourcePath: String
        var contentHash: String
        var sessionIndex: Int
        var metric: String
        var ordinal: Int
        var value: Double
    }

    /// JSON text for PostgreSQL: a non-finite value is the string PostgreSQL reads as one.
    static func json(_ rows: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        // Properties in Swift's case, keys as the columns are named.
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(rows), as: UTF8.self)
    }

    static func insert(_ sessions: [FleetOutboxItem.Session], hostID: String, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try json(sessions.map(SessionRow.init))
        try await connection.query(
            """
            INSERT INTO chimerad.sessions (host_id, source_path, content_hash, session_index, model, configuration,
                gpu, driver, backend, build, started_at, measured_at, runs_ok, runs_failed,
                tokens_per_second_median, tokens_per_second_p25, tokens_per_second_p75, tokens_per_second_n,
                ttft_seconds_median, ttft_seconds_p25, ttft_seconds_p75, ttft_seconds_n)
            SELECT \(hostID), r.source_path, r.content_hash, r.session_index, r.model, r.configuration,
                r.gpu, r.driver, r.backend, r.build, to_timestamp(r.started_at), to_timestamp(r.measured_at), r.runs_ok, r.runs_failed,
                r.tokens_per_second_median, r.tokens_per_second_p25, r.tokens_per_second_p75, r.tokens_per_second_n,
                r.ttft_seconds_median, r.ttft_seconds_p25, r.ttft_seconds_p75, r.ttft_seconds_n
            FROM jsonb_to_recordset(\(rows)::jsonb) AS r(source_path text, content_hash text, session_index integer, model text,
                configuration text, gpu text, driver text, backend text, build text, started_at double precision,
                measured_at double precision, runs_ok integer, runs_failed integer, tokens_per_second_median double precision,
                tokens_per_second_p25 double precision, tokens_per_second_p75 double precision, tokens_per_second_n integer,
                ttft_seconds_median double precision, ttft_seconds_p25 double precision, ttft_seconds_p75 double precision,
                ttft_seconds_n integer)
            ON CONFLICT (host_id, source_path, content_hash, session_index) DO NOTHING
            """, logger: logger)
    }

    static func insert(_ samples: [FleetOutboxItem.Samples], hostID: String, on connection: PostgresConnection, logger: Logger) async throws {
        // The ordinal is the value's position; the schema keeps it below 10,000.
        let rows = try json(
            samples.flatMap { samples in
                samples.values.prefix(10_000).enumerated().map { ordinal, value in
                    SampleRow(
                        sourcePath: samples.key.sourcePath, contentHash: samples.key.contentHash, sessionIndex: samples.key.sessionIndex,
                        metric: samples.metric.rawValue, ordinal: ordinal, value: value)
                }
            })
        try await connection.query(
            """
            INSERT INTO chimerad.session_samples (host_id, source_path, content_hash, session_index, metric, ordinal, value)
            SELECT \(hostID), r.source_path, r.content_hash, r.session_index, r.metric, r.ordinal, r.value
            FROM jsonb_to_recordset(\(rows)::jsonb) AS r(source_path text, content_hash text, session_index integer, metric text,
                ordinal integer, value double precision)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// The files' other contents are history: their sessions (and, by cascade, samples) go.
    static func retire(_ files: [FleetOutboxItem.FileVersion], hostID: String, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try json(files)
        try await connection.query(
            """
            DELETE FROM chimerad.sessions s USING jsonb_to_recordset(\(rows)::jsonb) AS r(source_path text, content_hash text)
            WHERE s.host_id = \(hostID) AND s.source_path = r.source_path AND s.content_hash <> r.content_hash
            """, logger: logger)
    }
}
