import Foundation
import Records

extension BenchmarkSessions {
    /// What adding a llama-bench file's tests did: whether one is tested,
    /// and for a file of several nights, the latest time its rows give
    /// (what a report records as read of it, in its data's own clock).
    struct LlamaBenchAdded {
        var tested = false
        var measuredUntil: Double? = nil
    }

    /// Adds a llama-bench file's tests as sessions (see `llamaBenchSessions`),
    /// dated by their `test_time`.
    @discardableResult
    mutating func addLlamaBench(
        _ results: [LlamaBenchResult], source: String, path: String? = nil, stamp: FileStamp, markIsFileTime: Bool = true
    ) -> LlamaBenchAdded {
        var added = LlamaBenchAdded()
        for session in BenchmarkSessions.llamaBenchSessions(results) {
            let tested = add(
                session.measurement, source: source, path: path, stamp: stamp, measuredAt: session.measuredAt,
                readUntilMeasured: session.ofSeveralNights, markIsFileTime: markIsFileTime)
            added.tested = added.tested || tested
            if tested, session.ofSeveralNights, let measured = session.measuredAt {
                added.measuredUntil = max(added.measuredUntil ?? measured, measured)
            }
        }
        return added
    }

    /// A llama-bench file's tests as sessions of their own benchmarks
    /// (`llama-bench` `<model> <test>`, keyed on every setting of the row, in
    /// t/s, higher is better, its repetitions' `samples_ts` as runs): a
    /// nightly `llama-bench -o json` whose decode got slower is tested and
    /// opens a regression like any benchmark's, and a new build is the code
    /// under test, no other environment. Each is dated by its row's
    /// `test_time` (else the file's earliest), so a test keeps its date
    /// whether its file holds one night or, appended to, several.
    ///
    /// A file that holds one test twice is either nights appended
    /// (`llama-bench -o jsonl >> bench.jsonl` each night, every row dated,
    /// by one build or by each night's: a nightly CI builds anew): each row
    /// is then a session of its own, dated by its `test_time`
    /// (`ofSeveralNights`); or builds run side by side, as
    /// `compare-llama-bench.py` reads them, which gives none: its builds
    /// are compared as such (`LlamaBenchBuilds`), not pooled into one night.
    /// Builds are nights when each ran at least `buildsApart` after the one
    /// before it had finished.
    static func llamaBenchSessions(
        _ results: [LlamaBenchResult]
    ) -> [(measurement: Records.Measurement, measuredAt: Double?, ofSeveralNights: Bool)] {
        guard !results.isEmpty else { return [] }
        var seen: Set<String> = []
        var repeats = false
        for result in results where !seen.insert("\(result.model) \(result.test)\u{1}\(sessionParameters(result).rendered)").inserted {
            repeats = true
        }
        let times = results.map { $0.testTime.flatMap { try? Date($0, strategy: .iso8601).timeIntervalSince1970 } }
        if repeats {
            let dated = times.compactMap { $0 }
            guard dated.count == times.count, buildsAreNights(results.map { LlamaBenchBuildComparison.Build($0.environment) }, dated)
            else { return [] }
            return zip(results, times).map { (measurement($0), $1, true) }
        }
        let earliest = times.compactMap { $0 }.min()
        return zip(results, times).map { (measurement($0), $1 ?? earliest, false) }
    }

    /// How long after one build's last row the next build's first must come
    /// for the two to be nights, not a comparison run side by side.
    static let buildsApart = 6 * 3600.0

    /// Whether the builds of a file's rows (with their times) ran one at a
    /// time, each `buildsApart` after the one before: one build, or a new
    /// build each night.
    private static func buildsAreNights(_ builds: [LlamaBenchBuildComparison.Build?], _ times: [Double]) -> Bool {
        var spans: [LlamaBenchBuildComparison.Build?: (first: Double, last: Double)] = [:]
        for (build, time) in zip(builds, times) {
            let span = spans[build] ?? (time, time)
            spans[build] = (min(span.first, time), max(span.last, time))
        }
        let ordered = spans.values.sorted { $0.first < $1.first }
        return zip(ordered, ordered.dropFirst()).allSatisfy { earlier, later in later.first - earlier.last >= buildsApart }
    }

    /// The settings that key a test's sessions: every setting of its row but
    /// one at zero (however written), false, `auto`, `none` or blank. A newer llama-bench writes
    /// columns an older one did not (`n_cpu_moe`, `devices`, `no_host`) at
    /// such a value, which is what the older one ran with: keyed on them, a
    /// llama.cpp upgrade started a new series, and a 20% slower decode on the
    /// new build was never tested. A setting that is on (`flash_attn=1`) still
    /// tells a test apart from one where it is off or not written.
    static func sessionParameters(_ result: LlamaBenchResult) -> [Parameter] {
        keyParameters(result.parameters)
    }

    /// Settings as a llama-bench test's sessions (and regressions) are keyed on.
    package static func keyParameters(_ parameters: [Parameter]) -> [Parameter] {
        parameters.filter { !isNeutral($0.value) && !modelFileFacts.contains($0.name) }
    }

    /// Columns that describe the model file (`model_filename` names it), not
    /// how it was run: they made every regression's label longer, and a
    /// llama-bench that counted them another way would start a new series.
    static let modelFileFacts: Set<String> = ["model_size", "model_n_params"]

    static let neutralWords: Set<String> = ["", "false", "auto", "none", "null", "off", "no"]

    /// Whether a setting's value is what a column's absence means: a neutral
    /// word, or zero however llama-bench writes it (`0`, `0.00`, `cpu_mask`'s
    /// `0x0`, `tensor_split`'s per-device `0.00/0.00`).
    static func isNeutral(_ value: String) -> Bool {
        let value = value.lowercased().trimmingCharacters(in: .whitespaces)
        if neutralWords.contains(value) { return true }
        let parts = value.split { $0 == "/" || $0 == "," || $0 == ";" }
        return !parts.isEmpty
            && parts.allSatisfy { part in
                if part.hasPrefix("0x") { return part.count > 2 && part.dropFirst(2).allSatisfy { $0 == "0" } }
                return Double(part) == 0
            }
    }

    private static func measurement(_ result: LlamaBenchResult) -> Records.Measurement {
        Records.Measurement(
            tool: "llama-bench", name: "\(result.model) \(result.test)", parameters: sessionParameters(result), unit: "t/s",
            higherIsBetter: true,
            mean: result.tokensPerSecond, stddev: result.stddevTokensPerSecond,
            count: result.samples.isEmpty ? nil : result.samples.count, samples: result.samples)
    }
}
