import Records

/// One llama-bench test measured by two or more llama.cpp builds at otherwise
/// equal settings: the oldest build (the baseline) against the newest (the
/// current one), as llama.cpp's `scripts/compare-llama-bench.py` sets them side
/// by side. The build is what is compared, never a grouping parameter.
package struct LlamaBenchBuildComparison: Sendable, Equatable {
    /// A llama.cpp build as llama-bench names it: `build_commit` and `build_number`.
    package struct Build: Sendable, Hashable {
        package var commit: String?
        package var number: String?

        package init(commit: String?, number: String?) {
            self.commit = commit
            self.number = number
        }

        /// The build of a result, when its row names one.
        package init?(_ environment: [Parameter]) {
            let commit = environment[name: "build_commit"].flatMap { $0.isEmpty ? nil : $0 }
            let number = environment[name: "build_number"].flatMap { $0.isEmpty ? nil : $0 }
            guard commit != nil || number != nil else { return nil }
            self.init(commit: commit, number: number)
        }

        /// As llama-bench's Markdown prints it: `3f5c7a1e (6543)`.
        package var label: String {
            switch (commit, number) {
            case (let commit?, let number?): "\(commit) (\(number))"
            case (let commit?, nil): commit
            case (nil, let number?): "build \(number)"
            case (nil, nil): "unknown"
            }
        }

        /// The build number when it orders builds: llama-bench writes 0 when it does not know it.
        var ordinal: Int? { number.flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } }

        /// One build is one commit, whether or not a file also gives its
        /// number (llama-bench's Markdown may print `abc`, its JSON `abc` and
        /// 5102, or 0 for an unknown number); without a commit, its number.
        private var identity: String { commit.map { "commit " + $0.lowercased() } ?? "number " + (number ?? "") }

        package static func == (a: Build, b: Build) -> Bool { a.identity == b.identity }

        package func hash(into hasher: inout Hasher) { hasher.combine(identity) }
    }

    /// One build's results of the test.
    package struct Side: Sendable, Equatable {
        package var build: Build
        /// The mean of the results' average t/s (unweighted, as
        /// compare-llama-bench.py averages several runs of one build).
        package var tokensPerSecond: Double
        /// The result's standard deviation over its repetitions, when it is one result.
        package var stddev: Double?
        /// How many results (rows) were averaged.
        package var results: Int
        /// Their per-repetition t/s (llama-bench's JSON `samples_ts`; CSV and
        /// Markdown list none), ascending: what the test compares.
        package var samples: [Double]
        package var sources: [String]
    }

    package enum Verdict: String, Sendable {
        /// Mann-Whitney p < α over the two builds' repetitions.
        case significant
        case notSignificant = "not significant"
        /// Both builds list repetitions, but fewer than `MannWhitney.minimumRuns` on a side.
        case tooFewRepetitions = "too few repetitions"
        /// A build's files list no repetitions (llama-bench's CSV and Markdown): no test.
        case notTested = "not tested"
    }

    package var model: String
    package var test: String
    package var phase: String
    /// The settings that tell this test apart from the model's other compared
    /// tests (what differs between the table's rows, not every column).
    package var parameters: [Parameter]
    package var baseline: Side
    package var current: Side
    /// Builds that measured this test: 2, or more when builds in between did too.
    package var builds: Int
    /// Columns only some builds' files have, with a single value where they
    /// appear (a newer llama-bench writes columns an older one did not): left
    /// out of the match instead of keeping the builds apart.
    package var unmatchedColumns: [String]
    package var verdict: Verdict
    package var mannWhitney: MannWhitney.Result?

    /// Current over baseline t/s: below 1 the current build is slower.
    package var speedup: Double { current.tokensPerSecond / baseline.tokensPerSecond }
    package var changePercent: Double { (speedup - 1) * 100 }

    /// `significant (Mann-Whitney p = 0.008, 5 and 5 repetitions)`, `not tested (a build's files list no per-repetition t/s)`.
    package var verdictText: String {
        let counts = "\(baseline.samples.count) and \(current.samples.count) repetitions"
        switch verdict {
        case .significant, .notSignificant:
            let p = mannWhitney.map { "Mann-Whitney " + Figures.pClause($0.pValue) + ", " } ?? ""
            return verdict.rawValue + " (" + p + counts + ")"
        case .tooFewRepetitions:
            return "too few repetitions to test (\(counts); \(MannWhitney.minimumRuns) a side needed)"
        case .notTested:
            return "not tested (a build's files list no per-repetition t/s)"
        }
    }

    /// The figures `verdictText` shows.
    package var verdictFigures: [String] {
        let counts = [String(baseline.samples.count), String(current.samples.count)]
        switch verdict {
        case .significant, .notSignificant: return (mannWhitney.map { [Figures.pValue($0.pValue)] } ?? []) + counts
        case .tooFewRepetitions: return counts + [String(MannWhitney.minimumRuns)]
        case .notTested: return []
        }
    }
}

extension LlamaBenchBuildComparison {
    /// The columns that say which machine ran a result: results of two
    /// machines are not compared (compare-llama-bench.py keys on them too).
    static let machineKeys = ["backends", "cpu_info", "gpu_info"]

    private struct Entry {
        var source: String
        /// The result's place in its file.
        var position: Int
        var result: LlamaBenchResult
        var build: Build
        /// Its settings and machine: what must be equal for two builds to be compared.
        var settings: [Parameter]
    }

    /// Every test of a model that two or more builds measured at equal
    /// settings, per model (by name), in the order the tests first appear in
    /// their files. Results whose file names no build are left out.
    ///
    /// Builds are ordered by build number when every build of the model has
    /// one (above 0) and no two share it; else by the earliest `test_time` of
    /// their results when every build has one; else by file path and place in
    /// the file. The first is the baseline, the last the current build.
    package static func compare(_ results: [(String, LlamaBenchResult)]) -> [LlamaBenchBuildComparison] {
        var positions: [String: Int] = [:]
        var byModel: [String: [Entry]] = [:]
        for (source, result) in results {
            let position = positions[source, default: 0]
            positions[source] = position + 1
            guard let build = Build(result.environment) else { continue }
            let machine = result.environment.filter { machineKeys.contains($0.name) }
            byModel[result.model, default: []].append(
                Entry(source: source, position: position, result: result, build: build, settings: (result.parameters + machine).sorted()))
        }
        var comparisons: [LlamaBenchBuildComparison] = []
        for model in byModel.keys.sorted() {
            comparisons += compareModel(model, byModel[model] ?? [])
        }
        return comparisons
    }

    private static func compareModel(_ model: String, _ entries: [Entry]) -> [LlamaBenchBuildComparison] {
        let order = buildOrder(entries)
        guard order.count > 1 else { return [] }
        let unmatched = unmatchedColumns(entries)
        // Tests keyed on their settings, first place first.
        var keys: [String] = []
        var members: [String: [Entry]] = [:]
        let sorted = entries.sorted { ($0.source, $0.position) < ($1.source, $1.position) }
        for entry in sorted {
            let matched = entry.settings.filter { !unmatched.contains($0.name) }
            let key = ([entry.result.test] + matched.map { $0.name + "=" + $0.value }).joined(separator: "\u{1}")
            if members[key] == nil { keys.append(key) }
            members[key, default: []].append(entry)
        }
        var found: [(comparison: LlamaBenchBuildComparison, settings: [Parameter])] = []
        for key in keys {
            let group = members[key] ?? []
            let byBuild = Dictionary(grouping: group, by: \.build)
            let builds = order.filter { byBuild[$0] != nil }
            guard let first = builds.first, let last = builds.last, builds.count > 1,
                let baseline = side(first, byBuild[first] ?? []), let current = side(last, byBuild[last] ?? []),
                baseline.tokensPerSecond > 0
            else { continue }
            let (verdict, test) = verdict(baseline.samples, current.samples)
            let example = group[0]
            let settings = example.settings.filter { !unmatched.contains($0.name) }
            let ignored = Set(group.flatMap { $0.settings.map(\.name) }).intersection(unmatched).sorted()
            found.append(
                (
                    LlamaBenchBuildComparison(
                        model: model, test: example.result.test, phase: example.result.phase, parameters: [], baseline: baseline,
                        current: current, builds: builds.count, unmatchedColumns: ignored, verdict: verdict, mannWhitney: test),
                    settings
                ))
        }
        // Shown: the settings that differ between the model's compared tests.
        var values: [String: Set<String>] = [:]
        let names = Set(found.flatMap { $0.settings.map(\.name) })
        for (_, settings) in found {
            for name in names { values[name, default: []].insert(settings[name: name] ?? "\u{0}") }
        }
        let differing = Set(values.filter { $0.value.count > 1 }.keys)
        return found.map { comparison, settings in
            var comparison = comparison
            comparison.parameters = settings.filter { differing.contains($0.name) }
            return comparison
        }
    }

    /// The model's builds, oldest first (see `compare`).
    private static func buildOrder(_ entries: [Entry]) -> [Build] {
        var earliestTime: [Build: String] = [:]
        var timed = Set<Build>()
        var untimed = Set<Build>()
        var firstPlace: [Build: (String, Int)] = [:]
        for entry in entries {
            if let time = entry.result.testTime {
                timed.insert(entry.build)
                if time < earliestTime[entry.build] ?? "\u{10FFFF}" { earliestTime[entry.build] = time }
            } else {
                untimed.insert(entry.build)
            }
            let place = (entry.source, entry.position)
            if let known = firstPlace[entry.build], known <= place { continue }
            firstPlace[entry.build] = place
        }
        let builds = Array(firstPlace.keys)
        let byPlace: (Build, Build) -> Bool = { a, b in
            let (x, y) = (firstPlace[a] ?? ("", 0), firstPlace[b] ?? ("", 0))
            return x != y ? x < y : a.label < b.label
        }
        let numbers = builds.compactMap(\.ordinal)
        if numbers.count == builds.count && Set(numbers).count == numbers.count {
            return builds.sorted { ($0.ordinal ?? 0) < ($1.ordinal ?? 0) }
        }
        // A build with a result of unknown time has no earliest time to order by.
        if untimed.isEmpty && timed.count == builds.count {
            return builds.sorted { a, b in
                let (x, y) = (earliestTime[a] ?? "", earliestTime[b] ?? "")
                return x != y ? x < y : byPlace(a, b)
            }
        }
        return builds.sorted(by: byPlace)
    }

    /// Columns some builds' results have and others lack, with one value
    /// wherever they appear: a column a newer llama-bench added, at its default.
    /// A column that varies is a setting and stays in the key.
    private static func unmatchedColumns(_ entries: [Entry]) -> Set<String> {
        var namesByBuild: [Build: Set<String>] = [:]
        var values: [String: Set<String>] = [:]
        for entry in entries {
            for parameter in entry.settings {
                namesByBuild[entry.build, default: []].insert(parameter.name)
                values[parameter.name, default: []].insert(parameter.value)
            }
        }
        let all = namesByBuild.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        let common = namesByBuild.values.reduce(all) { $0.intersection($1) }
        return all.subtracting(common).filter { (values[$0]?.count ?? 0) <= 1 }
    }

    private static func side(_ build: Build, _ entries: [Entry]) -> Side? {
        guard !entries.isEmpty else { return nil }
        let mean = entries.reduce(0) { $0 + $1.result.tokensPerSecond } / Double(entries.count)
        guard mean.isFinite else { return nil }
        return Side(
            build: build, tokensPerSecond: mean, stddev: entries.count == 1 ? entries[0].result.stddevTokensPerSecond : nil,
            results: entries.count, samples: entries.flatMap { $0.result.samples.filter(\.isFinite) }.sorted(),
            sources: Array(Set(entries.map(\.source))).sorted())
    }

    private static func verdict(_ before: [Double], _ after: [Double]) -> (Verdict, MannWhitney.Result?) {
        guard !before.isEmpty, !after.isEmpty else { return (.notTested, nil) }
        guard min(before.count, after.count) >= MannWhitney.minimumRuns, let test = MannWhitney.test(before: before, after: after) else {
            return (.tooFewRepetitions, nil)
        }
        return (test.isSignificant ? .significant : .notSignificant, test)
    }
}
