import Analysis
import Foundation
import Records

/// report.json: the `chimerad.report/1` contract (README, "report.json"), plus
/// every section the Markdown shows.
package enum JSONReport {
    package static let schema = "chimerad.report/1"

    package static func render(_ facts: Facts, _ context: ReportContext) -> String {
        document(facts, context).rendered(endingLine: true)
    }

    package static func document(_ facts: Facts, _ context: ReportContext) -> JSONValue {
        let inputs = facts.inputs
        return .object([
            ("schema", .string(schema)),
            ("generated_at", .string(Timestamps.iso8601(context.generatedAt))),
            ("trigger", .string(context.trigger.rawValue)),
            ("agent", .string(context.agent)),
            (
                "inputs",
                .object([
                    ("roots", .strings(inputs.roots)),
                    ("files_seen", .int(inputs.filesSeen)),
                    ("files_analyzed", .int(inputs.filesAnalyzed)),
                    (
                        "files_skipped",
                        .array(inputs.skipped.map { .object([("path", .string($0.path)), ("reason", .string($0.reason))]) })
                    ),
                    ("files_changed", .strings(inputs.changed)),
                    ("files_deleted", .strings(inputs.deleted)),
                ])
            ),
            ("regressions", regressions(facts.regressions)),
            ("leaderboard", leaderboard(facts.leaderboard)),
            // The chart files (relative to the output folder), each with what it draws.
            (
                "charts",
                .array(
                    context.linkedFigures.map {
                        .object([("kind", .string($0.figure.kind.rawValue)), ("path", .string($0.link)), ("title", .string($0.figure.title))])
                    })
            ),
            ("llm_runs", .array(facts.runGroups.map(runGroup))),
            (
                "failures",
                .array(
                    facts.failures.map {
                        .object([
                            ("message", .string($0.message)), ("count", .int($0.count)),
                            ("models", .strings($0.models)), ("sources", .strings($0.sources)),
                        ])
                    })
            ),
            ("harness_failures", .array(facts.harnessFailures.map(harnessFailure))),
            ("sweeps", .array(facts.sweeps.map(sweep))),
            ("compilation", .array(facts.compilation.map(compilation))),
            ("llama_bench", .array(facts.llamaBench.map(llamaBench))),
            ("llama_bench_builds", llamaBenchBuilds(facts.llamaBenchBuilds)),
            ("benchmarks", .array(facts.measurements.map(measurement))),
            (
                "series",
                .array(
                    facts.series.map {
                        .object([("source", .string($0.source)), ("name", .string($0.name)), ("stats", summary($0.summary))])
                    })
            ),
            ("changes", changes(facts.changes, inputs: inputs, lead: MarkdownReport.regressionLead(facts), opened: facts.regressions.opened.count)),
            ("session_tests", sessionTests(facts.sessionComparisons, policy: facts.regressionPolicy)),
            ("change_points", changePoints(facts.runGroups, benchmarks: facts.benchmarkChangePoints)),
            ("findings", .array(facts.findings.map(finding))),
            ("recommendations", .array(facts.recommendations.map(finding))),
            ("environment", details(facts.environment)),
            ("notes", details(facts.notes)),
            ("model_call", modelCall(context.narrative)),
            ("narrative", narrative(context.narrative)),
            (
                "timings",
                .object([
                    ("ingest_seconds", .number(context.timings.ingestSeconds)),
                    ("analysis_seconds", .number(context.timings.analysisSeconds)),
                    ("narrative_seconds", .number(context.timings.narrativeSeconds)),
                    (
                        "report_seconds",
                        context.timings.reportSeconds.map { .number($0) } ?? .string(ReportContext.Timings.pending)
                    ),
                ])
            ),
        ])
    }

    static func summary(_ s: Summary) -> JSONValue {
        .object([
            ("n", .int(s.n)), ("mean", .number(s.mean)), ("median", .number(s.median)), ("p95", .number(s.p95)),
            ("min", .number(s.min)), ("max", .number(s.max)), ("stddev", .number(s.stddev)),
        ])
    }

    static func parameters(_ parameters: [Parameter]) -> JSONValue {
        parameters.isEmpty ? .null : .object(parameters.map { ($0.name, .string($0.value)) })
    }

    static func runGroup(_ group: RunGroup) -> JSONValue {
        .object(
            [
                ("model", .string(group.model)),
                ("model_source", .string(group.modelSource)),
                ("config", parameters(group.configuration)),
                ("sources", .strings(group.sources)),
                ("runs_ok", .int(group.runsOK)),
                ("runs_failed", .int(group.runsFailed)),
                ("runs_failed_harness", .int(group.runsFailedHarness)),
                ("duplicates_merged", .int(group.duplicatesMerged)),
                ("tokens_per_second", summary(group.tokensPerSecond)),
                ("ttft_seconds", summary(group.ttftSeconds)),
                ("prefill_tokens_per_second", group.prefillTokensPerSecond.map(JSONValue.number) ?? .null),
                (
                    "cold_start",
                    group.coldStart.map {
                        .object([
                            ("runs", .int($0.runs)), ("ttft_seconds", summary($0.ttftSeconds)),
                            ("load_seconds", summary($0.loadSeconds)),
                        ])
                    } ?? .null
                ),
            ] + sessions(group))
    }

    static func sweep(_ sweep: Sweep) -> JSONValue {
        func result(_ r: Sweep.Result?) -> JSONValue {
            guard let r else { return .null }
            return .object([
                ("config", parameters(r.configuration)), ("runs", .int(r.runs)),
                ("tokens_per_second_median", .number(r.tokensPerSecond)), ("ttft_seconds_median", .number(r.ttftSeconds)),
            ])
        }
        return .object([
            ("model", .string(sweep.model)), ("basis", .string(sweep.basis)), ("sources", .strings(sweep.sources)),
            ("parameters", .strings(sweep.parameters)), ("configurations", .int(sweep.configurations)),
            ("runs", .int(sweep.runs)), ("runs_failed", .int(sweep.failedRuns)),
            ("best_throughput", result(sweep.bestThroughput)), ("best_ttft", result(sweep.bestTTFT)),
            ("best_margin_percent", .number(sweep.bestMarginPercent)),
            (
                "noise",
                sweep.noise.map { noise in
                    .object([
                        ("sd_percent", .number(noise.sdPercent)), ("source", .string(noise.source.rawValue)),
                        ("degrees_of_freedom", .int(noise.degreesOfFreedom)),
                    ])
                } ?? .null
            ),
            ("best_beats_noise", .bool(sweep.bestBeatsNoise)),
            (
                "best_margin_ci_percent",
                sweep.bestMarginInterval.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null
            ),
            (
                "runs_per_config_needed",
                sweep.runsNeeded.map { .object([("effect_percent", .number($0.effectPercent)), ("runs", .int($0.runs))]) } ?? .null
            ),
            (
                "confounds",
                .array(
                    sweep.confounds.map {
                        .object([
                            ("config", parameters($0.configuration)), ("reason", .string($0.reason)), ("cold", .bool($0.cold)),
                            ("load_seconds", .number($0.loadSeconds)),
                        ])
                    })
            ),
            ("ranking", .array(sweep.ranking.map(result))),
            (
                "effects",
                .array(
                    sweep.effects.map { effect in
                        .object([
                            ("parameter", .string(effect.parameter)),
                            ("throughput_spread_percent", .number(effect.throughputSpreadPercent)),
                            ("main_effect_spread_percent", .number(effect.mainEffectSpreadPercent)),
                            ("beyond_noise", .bool(effect.beyondNoise)), ("sampling", .bool(effect.sampling)),
                            ("confounded", .bool(effect.confounded)),
                            (
                                "levels",
                                .array(
                                    effect.levels.map {
                                        .object([
                                            ("value", .string($0.value)), ("runs", .int($0.runs)),
                                            ("tokens_per_second_median", .number($0.tokensPerSecond)),
                                            ("ttft_seconds_median", .number($0.ttftSeconds)),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
        ])
    }

    static func compilation(_ bench: CompilationBench) -> JSONValue {
        .object([
            ("model", .string(bench.model)), ("parameters", parameters(bench.parameters)),
            ("source", .string(bench.source)), ("fastest", .string(bench.fastest)),
            (
                "backends",
                .array(
                    bench.backends.map {
                        .object([
                            ("backend", .string($0.backend)), ("succeeded", .bool($0.succeeded)),
                            ("error", .string($0.error)), ("compile_seconds", .number($0.compileSeconds)),
                            ("mean_ms", .number($0.meanMilliseconds)), ("stddev_ms", .number($0.stddevMilliseconds)),
                            ("speedup_vs_eager", .number($0.speedupVersusEager)),
                        ])
                    })
            ),
        ])
    }

    static func llamaBench(_ row: LlamaBenchRow) -> JSONValue {
        .object([
            ("model", .string(row.model)), ("test", .string(row.test)), ("phase", .string(row.phase)),
            ("parameters", parameters(row.parameters)), ("tokens_per_second", .number(row.tokensPerSecond)),
            ("stddev", .number(row.stddev)), ("samples", row.samples > 0 ? .int(row.samples) : .null), ("source", .string(row.source)),
            ("build", .string(row.build)),
        ])
    }

    static func measurement(_ row: MeasurementRow) -> JSONValue {
        .object([
            ("tool", .string(row.tool)), ("name", .string(row.name)), ("parameters", parameters(row.parameters)),
            ("unit", .string(row.unit)), ("higher_is_better", .bool(row.higherIsBetter)),
            ("mean", .number(row.mean)), ("median", .number(row.median)), ("stddev", .number(row.stddev)),
            ("min", .number(row.min)), ("max", .number(row.max)), ("n", row.count.map { .int($0) } ?? .null),
            ("failed_runs", .int(row.failedRuns)), ("failure", row.failure.map { .string($0) } ?? .null),
            ("regression_tested", .bool(row.isRegressionTested)), ("source", .string(row.source)),
        ])
    }

    /// The moves in the report's order (regressions first), each with the
    /// Mann-Whitney test behind its verdict; `headline` is the executive
    /// summary's opening sentence when something regressed.
    /// `opened`: the regressions this report opened (`changes.regressions`).
    static func changes(_ changes: Changes, inputs: InputFacts, lead: String? = nil, opened: Int = 0) -> JSONValue {
        var files: JSONValue = .null
        if changes.previousReportAt != nil {
            let lists = inputs.changeLists
            files = .object([
                ("new", .strings(lists.new)), ("modified", .strings(lists.modified)),
                ("deleted", .strings(lists.deleted)),
                ("renamed", .array(lists.renamed.map { .object([("from", .string($0.from)), ("to", .string($0.to))]) })),
            ])
        }
        return .object([
            ("previous_report_at", .string(changes.previousReportAt)),
            ("files", files),
            (
                "test",
                .object([
                    ("name", .string("mann-whitney-u")), ("alternative", .string("two-sided")),
                    ("alpha", .number(MannWhitney.alpha)), ("min_runs", .int(MannWhitney.minimumRuns)),
                    ("max_sample", .int(Sample.capacity)),
                ])
            ),
            ("regressions", .int(opened)),
            ("headline", .string(lead)),
            ("moves", .array(changes.moves.map(move))),
            ("new_groups", .strings(changes.newGroups)),
            ("gone_groups", .strings(changes.goneGroups)),
        ])
    }

    static func move(_ move: Changes.Move) -> JSONValue {
        let test = move.test
        return .object([
            ("model", .string(move.model)), ("config", .string(move.configuration)),
            ("metric", .string(move.metric)), ("previous_median", .number(move.previous)),
            ("current_median", .number(move.current)), ("change_percent", .number(move.changePercent)),
            ("worse", .bool(move.worse)), ("previous_runs", .int(move.previousRuns)),
            ("current_runs", .int(move.currentRuns)),
            ("regression", .bool(move.isRegression)),
            ("verdict", .string(move.verdict.rawValue)),
            ("verdict_text", .string(move.verdictText)),
            ("test", test == nil ? .null : .string("mann-whitney-u")),
            ("significant", test.map { .bool($0.isSignificant) } ?? .null),
            ("u", .number(test?.u)),
            ("z", .number(test?.z)),
            ("p_value", .number(test?.pValue)),
            ("method", .string(test?.method.rawValue)),
            ("rank_biserial", .number(test?.rankBiserial)),
            ("runs_before", move.runsBefore.map { .int($0) } ?? .null),
            ("runs_after", .int(move.runsAfter)),
            ("tested_before", test.map { .int($0.before) } ?? .null),
            ("tested_after", test.map { .int($0.after) } ?? .null),
        ])
    }

    static func finding(_ finding: Finding) -> JSONValue {
        .object([("id", .string(finding.id)), ("text", .string(finding.text)), ("figures", .strings(finding.figures))])
    }

    static func details(_ details: [SourceDetail]) -> JSONValue {
        .array(details.map { .object([("source", .string($0.source)), ("items", .strings($0.items))]) })
    }
}

/// UTC timestamps as reports name and show them.
package enum Timestamps {
    /// `date` as text: its year, month and day joined by `dateSeparator`,
    /// then `between`, its hour, minute and second joined by `timeSeparator`,
    /// then `suffix`. Written digit by digit: a report stamps every session
    /// twice, and six padded strings a stamp took a tenth of rendering its JSON.
    private static func text(_ date: Date, dateSeparator: String, between: String, timeSeparator: String, suffix: String) -> String {
        let c = fields(date)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func append(_ value: Int, after separator: String) {
            bytes.append(contentsOf: separator.utf8)
            bytes.append(contentsOf: DecimalText.twoDigits(value).utf8)
        }
        // Four digits at least; the calendar's years beyond 9999 keep theirs.
        let year = String(c.year).utf8
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, 4 - year.count)))
        bytes.append(contentsOf: year)
        append(c.month, after: dateSeparator)
        append(c.day, after: dateSeparator)
        append(c.hour, after: between)
        append(c.minute, after: timeSeparator)
        append(c.second, after: timeSeparator)
        bytes.append(contentsOf: suffix.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The UTC calendar fields of `date`, by arithmetic on the proleptic
    /// Gregorian calendar (days to civil date, as in Hinnant's
    /// `civil_from_days`) for years 1 to 9999. A report stamps every session
    /// twice, and a Calendar per stamp took a tenth of rendering one; dates
    /// beyond those years go to Foundation's calendar.
    static func fields(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds >= -62_135_596_800, seconds < 253_402_300_800 else {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            return (c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        }
        let whole = Int(seconds)
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let time = whole - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, time / 3600, time / 60 % 60, time % 60)
    }

    /// `2026-11-22T19:45:01Z`, for report.json.
    package static func iso8601(_ date: Date) -> String {
        text(date, dateSeparator: "-", between: "T", timeSeparator: ":", suffix: "Z")
    }

    /// `20261122T194501Z`, for file names.
    package static func compact(_ date: Date) -> String {
        text(date, dateSeparator: "", between: "T", timeSeparator: "", suffix: "Z")
    }

    /// `2026-11-22 19:45:01 UTC`, for people.
    package static func readable(_ date: Date) -> String {
        text(date, dateSeparator: "-", between: " ", timeSeparator: ":", suffix: " UTC")
    }
}
