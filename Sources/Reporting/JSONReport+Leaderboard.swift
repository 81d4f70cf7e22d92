import Analysis
import Records

/// report.json's leaderboard (README, "report.json"): every row, where the
/// Markdown shows the first few.
extension JSONReport {
    static func leaderboard(_ leaderboard: Leaderboard) -> JSONValue {
        .object([
            ("rows", .array(leaderboard.rows.map(leaderboardRow))),
            ("quantisation", .array(leaderboard.quantisation.map(quantisationComparison))),
        ])
    }

    static func leaderboardRow(_ row: Leaderboard.Row) -> JSONValue {
        .object([
            ("model", .string(row.model)),
            ("family", .string(row.family)),
            ("quant", .string(row.quant)),
            ("backend", .string(row.backend)),
            ("configurations", .int(row.configurations)),
            ("runs", .int(row.runsOK)),
            ("runs_failed", .int(row.runsFailed)),
            ("runs_failed_harness", .int(row.runsFailedHarness)),
            ("sessions", .int(row.sessions)),
            ("failed_sessions", .int(row.failedSessions)),
            ("failed_sessions_harness", .int(row.failedSessionsHarness)),
            (
                "tokens_per_second",
                .object([
                    ("median", .number(row.tokensPerSecondMedian)), ("p25", .number(row.tokensPerSecondLowerQuartile)),
                    ("p75", .number(row.tokensPerSecondUpperQuartile)),
                ])
            ),
            (
                "prefill_tokens_per_second",
                // `median` stays (the key was documented) and stays null: no
                // per-run prompt figure is kept to take one of.
                row.prefillTokensPerSecond.map { .object([("median", .null), ("total_rate", .number($0))]) } ?? .null
            ),
            ("ttft_seconds", .object([("median", .number(row.ttftMedian)), ("p95", .number(row.ttftP95))])),
        ])
    }

    static func quantisationComparison(_ comparison: Leaderboard.QuantisationComparison) -> JSONValue {
        .object([
            ("family", .string(comparison.family)),
            ("backend", .string(comparison.backend)),
            (
                "quants",
                .array(
                    comparison.entries.map {
                        .object([
                            ("quant", .string($0.quant)), ("model", .string($0.model)),
                            ("median", .number($0.tokensPerSecondMedian)), ("ratio", .number($0.ratio)),
                        ])
                    })
            ),
        ])
    }
}
