import Records

/// Everything a report states, computed from the records and nothing else.
public struct Facts: Sendable {
    public var inputs: InputFacts
    public var runGroups: [RunGroup]
    public var failures: [FailureGroup]
    public var sweeps: [Sweep]
    public var compilation: [CompilationBench]
    public var llamaBench: [LlamaBenchRow]
    public var measurements: [MeasurementRow]
    public var series: [SeriesRow]
    public var environment: [SourceDetail]
    public var notes: [SourceDetail]
    public var changes: Changes
    public var findings: [Finding]
    public var recommendations: [Finding]
}

/// What was read: every file is either analysed or skipped with its reason.
public struct InputFacts: Sendable, Equatable {
    public struct Skipped: Sendable, Equatable {
        public var path: String
        public var reason: String
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    public var roots: [String]
    public var filesSeen: Int
    public var filesAnalyzed: Int
    public var skipped: [Skipped]
    /// New or modified since the previous report over the same roots.
    public var changed: [String]
    public var deleted: [String]
    /// Files the previous report did not know (a subset of `changed`).
    public var added: [String]
    /// Files that moved. Their old paths may also be in `deleted` and the new
    /// ones in `added` and `changed`: reports list them as renamed only.
    public var renamed: [Renamed]

    public struct Renamed: Sendable, Equatable {
        public var from: String
        public var to: String
        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    public init(
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
    public var changeLists: (new: [String], modified: [String], deleted: [String], renamed: [Renamed]) {
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
public struct RunGroup: Sendable, Equatable {
    public var model: String
    /// Where the model name came from: `data`, `twin <path>`, `sibling <path>` or `file name`.
    public var modelSource: String
    public var configuration: [Parameter]
    public var sources: [String]
    public var runsOK: Int
    public var runsFailed: Int
    /// Runs recorded twice (a CSV and its JSON twin) and counted once.
    public var duplicatesMerged: Int
    public var tokensPerSecond: Summary
    /// Warm runs only; cold starts are in `coldStart`.
    public var ttftSeconds: Summary
    public var coldStart: ColdStart?
    /// Every run came from a parameter sweep (shown with the sweep, one row per configuration).
    public var isSweep: Bool
    /// What the next report tests this group's moves against (`Sample`).
    public var tokensPerSecondSample: Sample = .empty
    public var ttftSample: Sample = .empty

    public var key: String { model + " | " + configuration.rendered }
}

/// First runs that paid for loading the model, kept out of the TTFT statistics.
public struct ColdStart: Sendable, Equatable {
    public var runs: Int
    public var ttftSeconds: Summary
    public var loadSeconds: Summary
}

public struct FailureGroup: Sendable, Equatable {
    public var message: String
    public var count: Int
    public var models: [String]
    public var sources: [String]
}

/// A parameter sweep of one model: best configurations and what each parameter does.
public struct Sweep: Sendable, Equatable {
    public struct Result: Sendable, Equatable {
        public var configuration: [Parameter]
        public var runs: Int
        public var tokensPerSecond: Double
        public var ttftSeconds: Double?
    }

    public struct Effect: Sendable, Equatable {
        public struct Level: Sendable, Equatable {
            public var value: String
            public var runs: Int
            public var tokensPerSecond: Double?
            public var ttftSeconds: Double?
        }

        public var parameter: String
        public var levels: [Level]
        /// (highest - lowest) / lowest of the levels' median tok/s, in percent.
        public var throughputSpreadPercent: Double?
    }

    public var model: String
    public var sources: [String]
    /// `runs` when computed from per-run rows; `tool summary` when only the
    /// tool's own means were there.
    public var basis: String
    public var parameters: [String]
    public var configurations: Int
    public var runs: Int
    public var failedRuns: Int
    public var bestThroughput: Result?
    public var bestTTFT: Result?
    public var effects: [Effect]
    /// Every configuration, highest median throughput first.
    public var ranking: [Result]
    /// (best - median of the configurations) / median, in percent: how far the
    /// best stands out from a typical configuration.
    public var bestMarginPercent: Double?
}

public struct CompilationBench: Sendable, Equatable {
    public struct Backend: Sendable, Equatable {
        public var backend: String
        public var succeeded: Bool
        public var error: String?
        public var compileSeconds: Double?
        public var meanMilliseconds: Double?
        public var stddevMilliseconds: Double?
        /// Eager mean time over this backend's: above 1 is faster than eager.
        public var speedupVersusEager: Double?
    }

    public var model: String
    public var parameters: [Parameter]
    public var source: String
    public var backends: [Backend]
    public var fastest: String?
}

public struct LlamaBenchRow: Sendable, Equatable {
    public var model: String
    public var test: String
    public var phase: String
    /// Only the parameters that differ between results of the file set: the key.
    public var parameters: [Parameter]
    public var tokensPerSecond: Double
    public var stddev: Double?
    public var samples: Int
    public var source: String
}

public struct MeasurementRow: Sendable, Equatable {
    public var tool: String
    public var name: String
    public var parameters: [Parameter]
    public var unit: String
    public var higherIsBetter: Bool
    public var mean: Double?
    public var median: Double?
    public var stddev: Double?
    public var min: Double?
    public var max: Double?
    public var count: Int?
    public var source: String
}

public struct SeriesRow: Sendable, Equatable {
    public var source: String
    public var name: String
    public var summary: Summary
}

/// Environment or notes of one source file.
public struct SourceDetail: Sendable, Equatable {
    public var source: String
    public var items: [String]
}

/// A statement derived by a rule from the facts, with the figures it cites.
public struct Finding: Sendable, Equatable, Codable {
    public var id: String
    public var text: String
    /// The figures the text shows, exactly as shown.
    public var figures: [String]

    public init(id: String, text: String, figures: [String]) {
        self.id = id
        self.text = text
        self.figures = figures
    }
}
