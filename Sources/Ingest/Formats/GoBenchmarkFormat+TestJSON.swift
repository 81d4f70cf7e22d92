import Records

/// `go test -bench . -json` (test2json's events, an object a line), as CI
/// jobs keep it:
///
///     {"Time":"2026-12-07T02:00:01.5Z","Action":"start","Package":"example.com/parser"}
///     {"Time":"2026-12-07T02:00:03Z","Action":"output","Package":"example.com/parser","Output":"BenchmarkParse-8  \t 2345678\t 512.3 ns/op\n"}
///     {"Time":"2026-12-07T02:00:04Z","Action":"pass","Package":"example.com/parser","Elapsed":3.4}
///
/// Each package's run is the text its `Output` events hold, read as the
/// console's (`extract(console:)`), its benchmarks dated by the run's first
/// event: runs appended night after night (`>> bench.jsonl`) are each a
/// night. Packages tested side by side interleave their events; each is
/// read by its own. Before, the events were numbers by path: the
/// `Elapsed` seconds, never a benchmark.
extension GoBenchmarkFormat {
    /// One package's run: its output, when its first event was, and why
    /// it failed, when it did.
    private struct PackageRun {
        var package: String
        var output: [UInt8]
        var startedAt: Double?
        /// Its last event's time: a cut run's next event is a night later.
        var lastAt: Double?
        var failure: String?
    }

    /// The keys test2json writes.
    private static let eventKeys: Set<String> = ["Time", "Action", "Package", "Test", "Output", "Elapsed", "ImportPath", "FailedBuild"]

    /// Whether `value` is a test2json event: an `Action`, and nothing but
    /// test2json's keys. `go test -json` names the `Package` (Go 1.24's build
    /// events, `build-output` and `build-fail`, its `ImportPath`); `go tool
    /// test2json` run on a test binary's output names none.
    private static func isEvent(_ value: JSONValue) -> Bool {
        guard value["Action"]?.string != nil, let members = value.members else { return false }
        return members.allSatisfy { eventKeys.contains($0.key) }
    }

    /// Nil unless every value is an event and one prints a benchmark's line
    /// or failure; or, in a file its name says is benchmarks' (`bench.jsonl`),
    /// a package's own failure: the night a benchmark's package did not build,
    /// or timed out before its first benchmark, printed none.
    static func extract(events: [JSONValue], stem: String = "") -> Extraction? {
        guard !events.isEmpty, events.allSatisfy(isEvent) else { return nil }
        let benchmarks = events.contains { event in
            event["Output"]?.string.map { $0.contains("/op") || $0.contains("--- FAIL: Benchmark") } ?? false
        }
        let packageFailed = events.contains { $0["Action"]?.string == "fail" && $0["Test"] == nil }
        guard benchmarks || (packageFailed && stem.lowercased().contains("bench")) else { return nil }
        var open: [String: PackageRun] = [:]
        var runs: [PackageRun] = []
        for event in events {
            guard let action = event["Action"]?.string, event["ImportPath"] == nil || event["Package"] != nil else { continue }
            let package = event["Package"]?.string ?? ""
            let time = event["Time"]?.string.flatMap(TimestampParsing.secondsSinceEpoch)
            // A package started again (Go 1.20's `start`) after a run cut short: that run is all it
            // printed. Before Go 1.20 no `start` is written: a run cut short is told by the next
            // event's coming a night later (campaign s38h #5: two nights were one run).
            let resumedLater =
                open[package].map { run in
                    guard let time, let last = run.lastAt else { return false }
                    return time - last > Measurement.AppendedRuns.nightGap
                } ?? false
            if action == "start" || resumedLater, let cut = open.removeValue(forKey: package) { runs.append(cut) }
            var run =
                open[package]
                ?? PackageRun(
                    package: package, output: package.isEmpty ? [] : Array("pkg: \(package)\n".utf8), startedAt: time)
            if let time { run.lastAt = time }
            if action == "output", let output = event["Output"]?.string { run.output += output.utf8 }
            if action == "fail", event["Test"] == nil {
                run.failure = event["FailedBuild"] != nil ? "the package did not build" : "the package failed (a test, a panic or a timeout)"
            }
            // The package's own end (no test named): its run is whole.
            if event["Test"] == nil, action == "pass" || action == "fail" || action == "skip" {
                runs.append(run)
                open[package] = nil
            } else {
                open[package] = run
            }
        }
        runs += open.values.sorted { $0.package < $1.package }
        // Undated runs (`go tool test2json` without `-t`) are read as one text, as the console's
        // are: a benchmark's runs appended night after night are then its samples, one line.
        let undated = runs.filter { $0.startedAt == nil }
        if undated.count > 1 {
            var joined: [String: PackageRun] = [:]
            for run in undated {
                guard var whole = joined[run.package] else {
                    joined[run.package] = run
                    continue
                }
                whole.output += run.output
                whole.failure = run.failure ?? whole.failure
                joined[run.package] = whole
            }
            runs = runs.filter { $0.startedAt != nil } + joined.values.sorted { $0.package < $1.package }
        }
        var measurements: [Measurement] = []
        var notes: [String] = []
        for run in runs {
            let console = extract(console: run.output[...])
            var read = console?.measurements ?? []
            // A failure no `--- FAIL: Benchmark` line names (it did not build, a test failed, a panic or
            // `-timeout` before or among its benchmarks): the package is the failure, beside what it timed.
            if let failure = run.failure, read.allSatisfy({ $0.failure == nil }) {
                // test2json without a package (`go tool test2json`): the test binary's.
                let name = run.package.isEmpty ? "test binary" : TextCuts.text(run.package)
                read.append(
                    Measurement(
                        tool: "go", name: name, parameters: run.package.isEmpty ? [] : [Parameter("pkg", name)], unit: "ns/op",
                        failure: failure, failedRuns: 1))
            }
            measurements += read.map { measurement in
                var dated = measurement
                dated.measuredAt = run.startedAt
                return dated
            }
            notes += (console?.notes ?? []).filter { !notes.contains($0) }
        }
        guard !measurements.isEmpty else { return nil }
        // Years of nights appended: the newest are kept, within a file's bound of entries (README, "Memory").
        if measurements.count > IngestLimits.maximumEntries {
            notes.append(
                "\(measurements.count - IngestLimits.maximumEntries) benchmark result(s) of the oldest runs left out, past \(IngestLimits.maximumEntries) in one file"
            )
            measurements.removeFirst(measurements.count - IngestLimits.maximumEntries)
        }
        if runs.count > 1 { notes.insert("\(runs.count) package runs, each dated by its first event", at: 0) }
        if undated.count > 1 { notes.append("\(undated.count) package runs without a time (test2json without -t) read as one log") }
        return Extraction(shape: .goTestJSON, measurements: measurements, notes: notes)
    }
}
