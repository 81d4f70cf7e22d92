import Foundation
import Testing

/// Runs appended night after night to one undated log (`/usr/bin/time -v
/// -a -o time.log make`, `go test -bench >> bench.txt`), the binary end to
/// end. Every night's runs were one pool: a night 25% slower moved the
/// pooled median a few percent and opened nothing (campaign s36c #2). Now
/// the runs each version of the log added are a night of their own, tested
/// against the nights before it.
@Suite(.serialized) struct AppendedLogTests {
    /// When night `day`'s run `run` ended: 02:00 UTC, and 4 minutes a run.
    private func end(day: Int, run: Int) -> Double { 1_795_000_000 + Double(day) * 86_400 + Double(run + 1) * 240 }

    /// Appends `text` to `path` (made if missing) and dates the file at `time`, as a night's harness leaves it.
    private func append(_ text: String, to path: String, at time: Double) throws {
        if !FileManager.default.fileExists(atPath: path) { try Data().write(to: URL(fileURLWithPath: path)) }
        let file = try #require(FileHandle(forUpdatingAtPath: path))
        try file.seekToEnd()
        try file.write(contentsOf: Data(text.utf8))
        try file.close()
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: time)], ofItemAtPath: path)
    }

    /// GNU time's `-v` report of one build that took `seconds`.
    private func timeReport(seconds: Double) -> String {
        let minutes = Int(seconds) / 60
        let rest = seconds - Double(minutes * 60)
        return """
            \tCommand being timed: "make -j16 bzImage"
            \tUser time (seconds): \(String(format: "%.2f", seconds * 14))
            \tSystem time (seconds): 312.88
            \tPercent of CPU this job got: 1497%
            \tElapsed (wall clock) time (h:mm:ss or m:ss): \(minutes):\(String(format: "%05.2f", rest))
            \tMaximum resident set size (kbytes): 1048212
            \tExit status: 0

            """
    }

    /// A night's build time: the usual 212 s with a little scatter, `level` times it.
    private func buildSeconds(day: Int, run: Int, level: Double) -> Double {
        (212 + 1.5 * sin(Double(day * 3 + run))) * level
    }

    private func folders(_ name: String) throws -> (tree: String, out: String, state: String, arguments: [String]) {
        let tree = try Chimerad.temporaryFolder(name)
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        return (tree, out, state, ["report", "--input", tree, "--output", out, "--state", state])
    }

    private func report(_ arguments: [String], out: String) async throws -> [String: Any] {
        let result = try await Chimerad.run(arguments)
        try #require(result.status == 0, "\(result.stderr)")
        return try Chimerad.json(out + "/latest.json")
    }

    /// Three builds a night appended with `time -a -o`, a report each
    /// morning: the night 25% slower opens a regression of its own, tested
    /// on its 3 runs against the nights before it, and the nights after it
    /// resolve it.
    @Test func aSlowerNightAppendedToATimeLogOpensItsRegression() async throws {
        let (tree, out, state, arguments) = try folders("time-log")
        let path = tree + "/time.log"
        func night(_ day: Int, level: Double) async throws -> [String: Any] {
            let text = (0..<3).map { timeReport(seconds: buildSeconds(day: day, run: $0, level: level)) }.joined()
            try append(text, to: path, at: end(day: day, run: 2))
            return try await report(arguments, out: out)
        }
        for day in 1...6 {
            let report = try await night(day, level: 1)
            #expect(report.object("regressions").list("open").isEmpty, "night \(day) is as usual")
        }
        let slow = try await night(7, level: 1.25)
        let opened = slow.object("regressions").list("open")
        #expect(opened.contains { $0["tool"] as? String == "time" && ($0["change_percent"] as? Double ?? 0) > 20 }, "\(opened)")
        let test = try #require(slow.object("session_tests").list("tests").first { $0["source"] as? String == "time.log" })
        #expect(test.object("current")["n"] as? Int == 3, "the night's own 3 builds: \(test)")
        #expect((test.object("baseline")["sources"] as? [String])?.count == 6, "each night before it once: \(test)")
        for day in 8...9 { _ = try await night(day, level: 1) }
        let listed = try await Chimerad.run(["regressions", "--state", state])
        #expect(listed.stdout.hasPrefix("0 open, 1 resolved\n"), "\(listed.stdout)")
    }

    /// A report after each build (a daemon, or a cron job per run): tonight's
    /// first build, 30% slower with a cold cache, is not tested while its
    /// night has fewer builds than the night before and its last build is
    /// recent; the whole night is, once its builds are all in. (The report
    /// reads the clock, so tonight's builds are written just before it.)
    @Test func aColdFirstBuildReportedAloneIsNoRegression() async throws {
        let (tree, out, _, arguments) = try folders("time-log-each")
        let path = tree + "/time.log"
        let tonight = Date().timeIntervalSince1970 - 900
        for day in 1...7 {
            let text = (0..<3).map { timeReport(seconds: buildSeconds(day: day, run: $0, level: $0 == 0 ? 1.3 : 1)) }.joined()
            try append(text, to: path, at: tonight - Double(8 - day) * 86_400)
            _ = try await report(arguments, out: out)
        }
        for run in 0..<3 {
            try append(timeReport(seconds: buildSeconds(day: 8, run: run, level: run == 0 ? 1.3 : 1)), to: path, at: tonight + Double(run) * 240)
            let report = try await report(arguments, out: out)
            #expect(report.object("regressions").list("open").isEmpty, "build \(run + 1)")
            let tested = report.object("session_tests").list("tests").first { $0["source"] as? String == "time.log" }
            if run == 0 {
                #expect(tested == nil, "the cold build alone waits: \(String(describing: tested))")
                let notes = try String(contentsOfFile: out + "/latest.md", encoding: .utf8)
                #expect(notes.contains("1 run(s) of tonight's make -j16 bzImage so far, fewer than the 3 of the night before"))
            } else if run == 2 {
                #expect(tested?.object("current")["n"] as? Int == 3, "the whole night: \(String(describing: tested))")
            }
        }
    }

    /// What `go test -bench . -count 5` prints on night `day`, its times `level` times the usual.
    private func goBenchNight(_ day: Int, level: Double) -> String {
        let lines = (0..<5).map { run in
            let ns = (512.3 + 3 * sin(Double(day * 5 + run))) * level
            return "BenchmarkParse-8   \t 2345678\t \(String(format: "%.1f", ns)) ns/op\n"
        }.joined()
        return "goos: linux\ngoarch: amd64\npkg: example.com/parser\n\(lines)PASS\nok  \texample.com/parser\t6.1s\n"
    }

    /// `go test -bench . -count 5 >> bench.txt` each night: the night 50%
    /// slower opens a regression on its 5 runs.
    @Test func aSlowerNightAppendedToAGoBenchLogOpensItsRegression() async throws {
        let (tree, out, _, arguments) = try folders("go-log")
        let path = tree + "/bench.txt"
        func night(_ day: Int, level: Double) async throws -> [String: Any] {
            try append(goBenchNight(day, level: level), to: path, at: end(day: day, run: 0))
            return try await report(arguments, out: out)
        }
        for day in 1...6 { _ = try await night(day, level: 1) }
        #expect(try Chimerad.json(out + "/latest.json").object("regressions").list("open").isEmpty)
        try expectGoRegression(try await night(7, level: 1.5), source: "bench.txt")
    }

    /// The slower night's regression is open, tested on its 5 runs of `source`.
    private func expectGoRegression(_ slow: [String: Any], source: String) throws {
        let opened = slow.object("regressions").list("open")
        #expect(opened.contains { $0["tool"] as? String == "go" }, "\(opened)")
        let test = try #require(slow.object("session_tests").list("tests").first { $0["source"] as? String == source })
        #expect(test.object("current")["n"] as? Int == 5, "\(test)")
    }

    /// A go bench log moved into another folder and appended to before the
    /// next report (a one-shot report on a timer sees both at once): it is
    /// the same log grown, its nights its history, so the slower night opens
    /// a regression. It was a new file whose every night was one session.
    @Test func aLogMovedAndAppendedToKeepsItsNights() async throws {
        let (tree, out, _, arguments) = try folders("go-moved")
        for day in 1...6 {
            try append(goBenchNight(day, level: 1), to: tree + "/bench.txt", at: end(day: day, run: 0))
            _ = try await report(arguments, out: out)
        }
        try FileManager.default.createDirectory(atPath: tree + "/archive", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: tree + "/bench.txt", toPath: tree + "/archive/bench.txt")
        try append(goBenchNight(7, level: 1.5), to: tree + "/archive/bench.txt", at: end(day: 7, run: 0))
        try expectGoRegression(try await report(arguments, out: out), source: "archive/bench.txt")
    }

    /// `cargo bench >> bench.log` each night, criterion's report of one
    /// benchmark a night: the night 40% slower opens a regression on its run
    /// against the six before, and its `change:` line (criterion's own
    /// verdict) is not what decides.
    @Test func aSlowerNightAppendedToACargoBenchLogOpensItsRegression() async throws {
        let (tree, out, _, arguments) = try folders("cargo-log")
        let path = tree + "/bench.log"
        func night(_ day: Int, level: Double) async throws -> [String: Any] {
            let us = (22.398 + 0.05 * sin(Double(day))) * level
            let figures = [0.999, 1, 1.001].map { String(format: "%.3f µs", us * $0) }.joined(separator: " ")
            try append(
                """
                     Running benches/fib.rs (target/release/deps/fib-1a2b3c4d5e6f7a8b)
                Benchmarking fib 20: Analyzing
                fib 20                  time:   [\(figures)]
                                        change: [-0.4167% -0.2012% +0.0090%] (p = 0.07 > 0.05)
                                        No change in performance detected.

                """, to: path, at: end(day: day, run: 0))
            return try await report(arguments, out: out)
        }
        for day in 1...6 { _ = try await night(day, level: 1) }
        let quiet = try Chimerad.json(out + "/latest.json")
        #expect(quiet.object("regressions").list("open").isEmpty)
        let benchmark = try #require(quiet.list("benchmarks").first { $0["tool"] as? String == "cargo bench" }, "\(quiet.list("benchmarks"))")
        #expect(benchmark["name"] as? String == "fib 20" && benchmark["unit"] as? String == "ns", "\(benchmark)")
        let slow = try await night(7, level: 1.4)
        let opened = slow.object("regressions").list("open")
        #expect(opened.contains { $0["tool"] as? String == "cargo bench" }, "\(opened)")
    }

    /// `go test -bench . -count 5 -json >> bench.jsonl` each night: test2json
    /// dates each package's run, so each night is a session by its own
    /// date, and the night 50% slower opens a regression.
    @Test func aSlowerNightAppendedToAGoTestJSONLogOpensItsRegression() async throws {
        let (tree, out, _, arguments) = try folders("go-json")
        let path = tree + "/bench.jsonl"
        func night(_ day: Int, level: Double) async throws -> [String: Any] {
            let started = Date(timeIntervalSince1970: end(day: day, run: 0) - 60).formatted(.iso8601)
            let package = "example.com/parser"
            var events = [#"{"Time":"\#(started)","Action":"start","Package":"\#(package)"}"#]
            for run in 0..<5 {
                let ns = (512.3 + 3 * sin(Double(day * 5 + run))) * level
                events.append(
                    #"{"Time":"\#(started)","Action":"output","Package":"\#(package)","Output":"BenchmarkParse-8   \t 2345678\t \#(String(format: "%.1f", ns)) ns/op\n"}"#
                )
            }
            events.append(#"{"Time":"\#(started)","Action":"pass","Package":"\#(package)","Elapsed":6.1}"#)
            try append(events.joined(separator: "\n") + "\n", to: path, at: end(day: day, run: 0))
            return try await report(arguments, out: out)
        }
        for day in 1...6 { _ = try await night(day, level: 1) }
        #expect(try Chimerad.json(out + "/latest.json").object("regressions").list("open").isEmpty)
        let slow = try await night(7, level: 1.5)
        #expect(slow.object("regressions").list("open").contains { $0["tool"] as? String == "go" }, "\(slow.object("regressions"))")
    }

    /// `cargo bench` rewrites criterion's `new/estimates.json` each night:
    /// its earlier versions are the nights before, and the night 25%
    /// slower opens a regression named as criterion names the benchmark.
    @Test func aSlowerCriterionRunOpensItsRegression() async throws {
        let (tree, out, _, arguments) = try folders("criterion")
        let folder = tree + "/target/criterion/parse/serde_json/1024"
        try FileManager.default.createDirectory(atPath: folder + "/new", withIntermediateDirectories: true)
        func night(_ day: Int, level: Double) async throws -> [String: Any] {
            func estimate(_ value: Double) -> String {
                #"{"confidence_interval":{"confidence_level":0.95,"lower_bound":\#(value * 0.99),"upper_bound":\#(value * 1.01)},"point_estimate":\#(value),"standard_error":2.3}"#
            }
            let ns = (1247 + 6 * sin(Double(day))) * level
            let text =
                #"{"mean":\#(estimate(ns + 1)),"median":\#(estimate(ns)),"median_abs_dev":\#(estimate(13)),"slope":null,"std_dev":\#(estimate(23))}"#
            try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/new/estimates.json"))
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: end(day: day, run: 0))], ofItemAtPath: folder + "/new/estimates.json")
            return try await report(arguments, out: out)
        }
        for day in 1...7 { _ = try await night(day, level: 1) }
        #expect(try Chimerad.json(out + "/latest.json").object("regressions").list("open").isEmpty)
        let slow = try await night(8, level: 1.25)
        let opened = slow.object("regressions").list("open")
        #expect(opened.contains { $0["tool"] as? String == "criterion" && $0["model"] as? String == "parse/serde_json/1024" }, "\(opened)")
    }

    /// A report after every line of `go test -bench -count 6 >> bench.txt`
    /// (a daemon sees each as it lands) made six versions a night, and the
    /// 30 the store keeps held five nights. Only the last version of each
    /// hour of such a log is kept now: the nights before are all there.
    @Test func aLogReportedLineByLineKeepsItsNights() async throws {
        let (tree, out, _, arguments) = try folders("go-lines")
        let path = tree + "/bench.txt"
        var last: [String: Any] = [:]
        for day in 1...11 {
            try append("goos: linux\npkg: example.com/parser\n", to: path, at: end(day: day, run: 0) - 60)
            for run in 0..<6 {
                let ns = 512.3 + 3 * sin(Double(day * 6 + run))
                try append(
                    "BenchmarkParse-8   \t 2345678\t \(String(format: "%.1f", ns)) ns/op\n", to: path, at: end(day: day, run: 0) + Double(run) * 30)
                last = try await report(arguments, out: out)
            }
        }
        let test = try #require(last.object("session_tests").list("tests").first { $0["source"] as? String == "bench.txt" })
        #expect(test.object("baseline")["sessions"] as? Int == 10, "ten nights before it, the baseline's window: \(test.object("baseline"))")
        #expect(test.object("current")["n"] as? Int == 6)
    }

    /// `/usr/bin/time -o build.time make` (no `-a`) three times a night, a
    /// report after each: each version holds a run no other does, so every
    /// version is kept and the night is its three runs (review s37f: an
    /// hourly pruning of kept versions had left it one).
    @Test func aLogRewrittenEachRunKeepsEveryRun() async throws {
        let (tree, out, _, arguments) = try folders("time-rewritten")
        let path = tree + "/build-time.log"
        var last: [String: Any] = [:]
        for day in 1...7 {
            for run in 0..<3 {
                try Data(timeReport(seconds: buildSeconds(day: day, run: run, level: day == 7 ? 1.25 : 1)).utf8).write(to: URL(fileURLWithPath: path))
                try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: end(day: day, run: run))], ofItemAtPath: path)
                last = try await report(arguments, out: out)
            }
        }
        let test = try #require(last.object("session_tests").list("tests").first { $0["source"] as? String == "build-time.log" })
        #expect(test.object("current")["n"] as? Int == 3, "\(test)")
        #expect(last.object("regressions").list("open").contains { $0["tool"] as? String == "time" })
    }
}
