import Records

/// Everything a report states, computed from the records and nothing else.
package struct Facts: Sendable {
    package var inputs: InputFacts
    package var runGroups: [RunGroup]
    package var failures: [FailureGroup]
    package var sweeps: [Sweep]
    package var compilation: [CompilationBench]
    package var llamaBench: [LlamaBenchRow]
    /// llama-bench tests measured by two or more builds: the oldest against the newest.
    package var llamaBenchBuilds: [LlamaBenchBuildComparison] = []
    package var measurements: [MeasurementRow]
    package var series: [SeriesRow]
    package var environment: [SourceDetail]
    package var notes: [SourceDetail]
    package var changes: Changes
    package var findings: [Finding]
    package var recommendations: [Finding]
    /// Each new session against its baseline, per metric (q-values adjusted
    /// over all of them).
    package var sessionComparisons: [SessionComparison] = []
    /// Lasting changes in the histories of benchmarks other than run groups
    /// (run groups carry their own, `RunGroup.changePoints`).
    package var benchmarkChangePoints: [BenchmarkChangePoint] = []
    /// Sessions in which nothing ran, by cause (kept out of failure rates).
    package var harnessFailures: [HarnessFailure] = []
    /// The policy they were judged under.
    package var regressionPolicy = RegressionPolicy.standard
    /// Regressions open after this report, and those it resolved; set by the
    /// report's regression stage from the store (`RegressionLedger`).
    package var regressions = RegressionState()
    /// Models by decode throughput per quantisation and backend, and each
    /// family's quantisations compared (`Leaderboard`).
    package var leaderboard = Leaderboard.empty
}

extension Facts {
    /// The facts with the regressions the store holds after this report, and
    /// the findings derived again (open regressions lead them).
    package mutating func apply(_ regressions: RegressionState) {
        self.regressions = regressions
        (findings, recommendations) = FindingRules.derive(self)
    }
}

/// What was read: every file is either analysed or skipped with its reason.
package struct InputFacts: Sendable, Equatable {
    package struct Skipped: Sendable, Equatable {
        package var path: String
        package var reason: String
        package init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    package var roots: [String]
    package var filesSeen: Int
    package var filesAnalyzed: Int
    package var skipped: [Skipped]
    /// New or modified since the previous report over the same roots.
    package var changed: [String]
    package var deleted: [String]
    /// Files the previous report did not know (a subset of `changed`).
    package var added: [String]
    /// Files that moved. Their old paths may also be in `deleted` and the new
    /// ones in `added` and `changed`: reports list them as renamed only.
    package var renamed: [Renamed]

    package struct Renamed: Sendable, Equatable {
        package var from: String
        package var to: String
        package init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    package init(
        roots: [String], filesSeen: Int, filesAnalyzed: Int, skipped: [Skipped], changed: [String],
        deleted: [String], added: [String], renamed: [Renamed] = []
    ) {
        self.roots = roots
        self.filesSeen = filesSeen
        self.filesAnalyzed = filesAnalyzed
        self.skipped = skipped
        self.changed = changed
        self.deleted = deleted
        self.added = added
        self.renamed = renamed
    }

    /// The files since the previous report, each in one list: a renamed file
    /// is neither new nor deleted, a modified one is changed but not new.
    package var changeLists: (new: [String], modified: [String], deleted: [String], renamed: [Renamed]) {
        let addedSet = Set(added)
        let renamedTo = Set(renamed.map(\.to))
        let renamedFrom = Set(renamed.map(\.from))
        return (
            added.filter { !renamedTo.contains($0) },
            changed.filter { !addedSet.contains($0) && !renamedTo.contains($0) },
            deleted.filter { !renamedFrom.contains($0) },
            renamed
        )
    }
}

/// LLM runs of one model under one configuration, across every file that holds them.
package struct RunGroup: Sendable, Equatable {
    package var model: String
    /// Where the model name came from: `data`, `twin <path>`, `sibling <path>` or `file name`.
    package var modelSource: String
    package var configuration: [Parameter]
    package var sources: [String]
    package var runsOK: Int
    package var runsFailed: Int
    /// Runs recorded twice (a CSV and its JSON twin) and counted once.
    package var duplicatesMerged: Int
    package var tokensPerSecond: Summary
    /// Warm runs only; cold starts are in `coldStart`.
    package var ttftSeconds: Summary
    package var coldStart: ColdStart?
    /// Every run came from a parameter sweep (shown with the sweep, one row per configuration).
    package var isSweep: Bool
    /// What the next report tests this group's moves against (`Sample`).
    package var tokensPerSecondSample: Sample = .empty
    package var ttftSample: Sample = .empty
    /// Quartiles of `tokensPerSecond` (type 7, like its median): the spread
    /// the leaderboard shows.
    package var tokensPerSecondLowerQuartile: Double? = nil
    package var tokensPerSecondUpperQuartile: Double? = nil
    /// Prompt tokens and seconds, summed over the good runs that record
    /// both (prefill throughput is their ratio: `prefillTokensPerSecond`).
    package var prefillTokens = 0.0
    package var prefillSeconds = 0.0
    /// The group's sessions in the order they were measured (the last is the latest).
    package var sessions: [Session] = []

    /// Where the level of its session medians moved, per metric (positions in `sessions`).
    package var changePoints: [GroupChangePoint] = []

    /// Failed runs of harness failures (`HarnessFailure`): counted in
    /// `runsFailed`, but not in the model's failure rate.
    package var runsFailedHarness = 0
    /// Its sessions of harness failures (every run failed, in a file where nothing ran).
    package var failedSessionsHarness = 0

    package var key: String { model + " | " + configuration.rendered }

    /// Prompt tokens over prompt seconds; nil when no run records both.
    package var prefillTokensPerSecond: Double? {
        Leaderboard.rate(tokens: prefillTokens, seconds: prefillSeconds)
    }
}

/// First runs that paid for loading the model, kept out of the TTFT statistics.
package struct ColdStart: Sendable, Equatable {
    package var runs: Int
    package var ttftSeconds: Summary
    package var loadSeconds: Summary
}

package struct FailureGroup: Sendable, Equatable {
    package var message: String
    package var count: Int
    package var models: [String]
    package var sources: [String]
}

/// A parameter sweep of one model: best configurations and what each parameter does.
package struct Sweep: Sendable, Equatable {
    package struct Result: Sendable, Equatable {
        package var configuration: [Parameter]
        package var runs: Int
        package var tokensPerSecond: Double
        package var ttftSeconds: Double?
    }

    package struct Effect: Sendable, Equatable {
        package struct Level: Sendable, Equatable {
            package var value: String
            package var runs: Int
            package var tokensPerSecond: Double?
            package var ttftSeconds: Double?
        }

        package var parameter: String
        package var levels: [Level]
        /// (highest - lowest) / lowest of the levels' median tok/s, in percent.
        package var throughputSpreadPercent: Double?
        /// The spread of its main effect, the other parameters held fixed
        /// (`AdditiveFit`, robust), in percent: what `beyondNoise` judges.
        package var mainEffectSpreadPercent: Double? = nil
        /// Whether two of its levels differ by more than the run-to-run noise
        /// explains (`SweepNoise`): a spread within it is no reason to choose.
        package var beyondNoise = false
        /// A sampling setting (`temperature`, `top_p`, ...): it changes what the
        /// model writes, so it is never offered as a speed setting unless its
        /// effect is beyond the noise.
        package var sampling = false
        /// Its levels coincide with cold starts: the configurations measured
        /// only cold all share one of its values, and make up at least half
        /// of that value's configurations. Its effect may be the load's.
        package var confounded = false
    }

    /// The spread of one run's decode throughput, and where it was learnt.
    package struct Noise: Sendable, Equatable {
        package enum Source: String, Sendable {
            /// Pooled within the sweep's configurations that ran more than once.
            case repeatedRuns = "repeated runs"
            /// The same model's runs outside the sweep (a baseline file).
            case baselineRuns = "baseline runs"
            /// What the parameters' main effects leave unexplained.
            case residual
        }

        /// The standard deviation of log tok/s, times 100: about the sd in
        /// percent of a run's throughput.
        package var sdPercent: Double
        package var source: Source
        package var degreesOfFreedom: Int
    }

    /// A margin's interval, in percent.
    package struct Interval: Sendable, Equatable {
        package var lower: Double
        package var upper: Double
    }

    /// How many runs per configuration would show a difference this large
    /// (80% power, the same test that names a best).
    package struct RunsNeeded: Sendable, Equatable {
        package var effectPercent: Double
        package var runs: Int
    }

    /// A configuration whose figure mixes its setting with something else.
    package struct Confound: Sendable, Equatable {
        package var configuration: [Parameter]
        package var reason: String
        /// Its runs were all cold starts (the model loaded first).
        package var cold: Bool
        /// Their load time (median), when cold.
        package var loadSeconds: Double? = nil
    }

    package var model: String
    package var sources: [String]
    /// `runs` when computed from per-run rows; `tool summary` when only the
    /// tool's own means were there.
    package var basis: String
    package var parameters: [String]
    package var configurations: Int
    package var runs: Int
    package var failedRuns: Int
    package var bestThroughput: Result?
    package var bestTTFT: Result?
    package var effects: [Effect]
    /// Every configuration, highest median throughput first.
    package var ranking: [Result]
    /// (best - median of the configurations) / median, in percent: how far the
    /// best stands out from a typical configuration.
    package var bestMarginPercent: Double?
    /// Run-to-run noise; nil when nothing in the inputs measures it.
    package var noise: Noise? = nil
    /// Whether the best's margin is beyond the noise: its interval, adjusted
    /// for having picked the best of all configurations, excludes zero.
    package var bestBeatsNoise = false
    /// That interval of the margin, in percent (simultaneous 95%).
    package var bestMarginInterval: Interval? = nil
    /// When no best beats the noise: the runs per configuration a given
    /// difference would need.
    package var runsNeeded: RunsNeeded? = nil
    /// Configurations whose figure is mixed with a load or warm-up.
    package var confounds: [Confound] = []
}

package struct CompilationBench: Sendable, Equatable {
    package struct Backend: Sendable, Equatable {
        package var backend: String
        package var succeeded: Bool
        package var error: String?
        package var compileSeconds: Double?
        package var meanMilliseconds: Double?
        package var stddevMilliseconds: Double?
        /// Eager mean time over this backend's: above 1 is faster than eager.
        package var speedupVersusEager: Double?
    }

    package var model: String
    package var parameters: [Parameter]
    package var source: String
    package var backends: [Backend]
    package var fastest: String?
}

package struct LlamaBenchRow: Sendable, Equatable {
    package var model: String
    package var test: String
    package var phase: String
    /// Only the parameters that differ between results of the file set: the key.
    package var parameters: [Parameter]
    package var tokensPerSecond: Double
    package var stddev: Double?
    /// Its repetitions, 0 when the file does not say (`-o csv`, `sql` and
    /// `md` give a mean and its spread, not the count): `null` in report.json.
    package var samples: Int
    package var source: String
    /// The llama.cpp build, as llama-bench names it (`3f5c7a1e (6543)`), when the file says.
    package var build: String? = nil
}

/// A tool's measurement as a report lists it: the measurement as the file
/// gave it (its raw samples left behind), and the file it came from.
@dynamicMemberLookup
package struct MeasurementRow: Sendable, Equatable {
    package var measurement: Measurement
    package var source: String

    package init(_ measurement: Measurement, source: String) {
        var kept = measurement
        kept.samples = []
        self.measurement = kept
        self.source = source
    }

    package subscript<Value>(dynamicMember field: KeyPath<Measurement, Value>) -> Value {
        measurement[keyPath: field]
    }
}

package struct SeriesRow: Sendable, Equatable {
    package var source: String
    package var name: String
    package var summary: Summary
}

/// Environment or notes of one source file.
package struct SourceDetail: Sendable, Equatable {
    package var source: String
    package var items: [String]
}

/// A statement derived by a rule from the facts, with the figures it cites.
package struct Finding: Sendable, Equatable, Codable {
    package var id: String
    package var text: String
    /// The figures the text shows, exactly as shown.
    package var figures: [String]

    package init(id: String, text: String, figures: [String]) {
        self.id = id
        self.text = text
        self.figures = figures
    }
}

extension Facts {
    /// The facts as a report lists them: at most `Analyzer.listedRows` run
    /// groups, those with the most runs, with a note, and the leaderboard of
    /// those; at most as many findings and recommendations, the first ones
    /// (regressions lead). What changed, the tests, the digest the next
    /// report compares with and the fleet's rows are of every group.
    package func listing() -> Facts {
        guard runGroups.count > Analyzer.listedRows else { return self }
        var listed = self
        Analyzer.boundRunGroups(&listed.runGroups, notes: &listed.notes)
        listed.leaderboard = Leaderboard(runGroups: listed.runGroups)
        if listed.findings.count > Analyzer.listedRows { listed.findings.removeSubrange(Analyzer.listedRows...) }
        if listed.recommendations.count > Analyzer.listedRows {
            listed.recommendations.removeSubrange(Analyzer.listedRows...)
        }
        return listed
    }
}
