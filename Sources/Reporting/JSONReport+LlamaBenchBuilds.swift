import Analysis
import Records

extension JSONReport {
    /// `llama_bench_builds`: per model, test and settings, the oldest build
    /// (`baseline`) against the newest (`current`), with the speedup and the
    /// test of the two builds' repetitions (README, "report.json").
    static func llamaBenchBuilds(_ comparisons: [LlamaBenchBuildComparison]) -> JSONValue {
        .array(
            comparisons.map { comparison in
                .object([
                    ("model", .string(comparison.model)), ("test", .string(comparison.test)), ("phase", .string(comparison.phase)),
                    ("parameters", parameters(comparison.parameters)),
                    ("baseline", llamaBenchBuildSide(comparison.baseline)), ("current", llamaBenchBuildSide(comparison.current)),
                    ("builds", .int(comparison.builds)), ("speedup", .number(comparison.speedup)),
                    ("change_percent", .number(comparison.changePercent)), ("verdict", .string(comparison.verdict.rawValue)),
                    ("p_value", .number(comparison.mannWhitney?.pValue)), ("unmatched_columns", .strings(comparison.unmatchedColumns)),
                ])
            })
    }

    private static func llamaBenchBuildSide(_ side: LlamaBenchBuildComparison.Side) -> JSONValue {
        .object([
            ("build", .string(side.build.label)), ("build_commit", .string(side.build.commit)),
            ("build_number", side.build.number.flatMap { Int($0) }.map { .int($0) } ?? .string(side.build.number)),
            ("tokens_per_second", .number(side.tokensPerSecond)), ("stddev", .number(side.stddev)),
            ("n", side.samples.isEmpty ? .null : .int(side.samples.count)),
            ("results", .int(side.results)), ("sources", .strings(side.sources)),
        ])
    }
}
