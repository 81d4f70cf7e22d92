import Foundation
import Records
import Testing

@testable import Ingest

/// `go test -bench` output kept as text: it was "no benchmark data", and
/// no Go benchmark was ever tested night to night (campaign s36c #7).
@Suite struct GoBenchmarkFormatTests {
    private let output = """
        goos: linux
        goarch: amd64
        pkg: example.com/parser
        cpu: AMD Ryzen 9 7950X 16-Core Processor
        BenchmarkParse/small-32         \t 2345678\t       512.3 ns/op\t 234.56 MB/s\t      64 B/op\t       2 allocs/op
        BenchmarkParse/small-32         \t 2345678\t       520.1 ns/op\t 231.00 MB/s\t      64 B/op\t       2 allocs/op
        BenchmarkParse/large-32         \t    1234\t    987654 ns/op
        --- FAIL: BenchmarkBroken-32
            parser_test.go:42: unexpected EOF
        PASS
        ok  \texample.com/parser\t3.456s

        """

    @Test func eachBenchmarkAndUnitIsABenchmarkItsLinesTheSamples() throws {
        let e = try ParsedText.extract(output, "bench.txt")
        #expect(e.shape == .goBenchmarkText)
        let small = try #require(e.measurements.first { $0.name == "BenchmarkParse/small" })
        #expect(small.samples == [512.3, 520.1] && small.unit == "ns/op" && !small.higherIsBetter && small.isRegressionTested)
        #expect(small.parameters.map { "\($0.name)=\($0.value)" } == ["pkg=example.com/parser", "procs=32"])
        let rate = try #require(e.measurements.first { $0.name == "BenchmarkParse/small MB/s" })
        #expect(rate.higherIsBetter && !rate.isRegressionTested && rate.samples == [234.56, 231])
        #expect(e.measurements.first { $0.name == "BenchmarkParse/small allocs/op" }?.median == 2)
        #expect(e.measurements.first { $0.name == "BenchmarkParse/large" }?.samples == [987654])
        let broken = try #require(e.measurements.first { $0.name == "BenchmarkBroken" })
        #expect(broken.isWhollyFailed && broken.failedRuns == 1)
    }

    /// A benchmark that failed past its first pass (`-count`): its times stand,
    /// its failure said; a reported metric with no `/` in its unit, or a `NaN`,
    /// costs its line none of its other figures (review s36d).
    @Test func aLateFailureAndOddMetricsKeepTheRest() throws {
        let text = """
            pkg: example.com/a
            BenchmarkZ-8   \t 1000\t 100.0 ns/op\t 0.95 hit-ratio\t NaN widgets/op
            BenchmarkZ-8   \t--- FAIL: BenchmarkZ-8
                z_test.go:9: flaked

            """
        let e = try ParsedText.extract(text, "bench.log")
        let z = try #require(e.measurements.first { $0.name == "BenchmarkZ" })
        #expect(z.samples == [100] && z.failedRuns == 1 && z.failure != nil, "\(z)")
        #expect(e.measurements.first { $0.name == "BenchmarkZ hit-ratio" }?.samples == [0.95])
        #expect(e.notes.contains("1 figure(s) that are no number (NaN, an infinity, a time or size below zero) left out"), "\(e.notes)")
    }

    /// A benchmark that prints to stdout: its output follows its name, its
    /// figures come on a line of their own (review s36d).
    @Test func aBenchmarkThatPrintsKeepsItsFigures() throws {
        let text = "BenchmarkPrint-8   \thello from the benchmark\nmore output\n 1000000\t      1052 ns/op\nPASS\n"
        let e = try ParsedText.extract(text, "bench.log")
        #expect(e.measurements.first { $0.name == "BenchmarkPrint" }?.samples == [1052])
    }

    /// A line that only starts like a result is none: a log's `Benchmarks run: 5`, a name with no figures.
    @Test func otherLinesAreNoResults() {
        #expect(GoBenchmarkFormat.row("Benchmarks ran 5 times") == nil)
        #expect(GoBenchmarkFormat.row("BenchmarkX-8 100 fast ns/op") == nil)
        #expect(GoBenchmarkFormat.row("BenchmarkX 100 12.5 ns/op")?.procs == nil)
    }

    /// test2json's events of one package run: `start`, the output split
    /// across events as Go writes it, the package's `pass`.
    private func events(_ package: String, night: Int, ns: [Double], failing: Bool = false) -> [String] {
        let time = "2026-12-0\(night)T02:00:0"
        var lines = [
            #"{"Time":"\#(time)1.5Z","Action":"start","Package":"\#(package)"}"#,
            #"{"Time":"\#(time)1.6Z","Action":"output","Package":"\#(package)","Output":"goos: linux\n"}"#,
        ]
        for value in ns {
            lines.append(#"{"Time":"\#(time)2Z","Action":"output","Package":"\#(package)","Test":"BenchmarkParse","Output":"BenchmarkParse-8   \t"}"#)
            lines.append(
                #"{"Time":"\#(time)2Z","Action":"output","Package":"\#(package)","Test":"BenchmarkParse","Output":" 2345678\t \#(value) ns/op\n"}"#)
        }
        if failing {
            lines.append(#"{"Time":"\#(time)3Z","Action":"output","Package":"\#(package)","Output":"--- FAIL: BenchmarkBroken-8\n"}"#)
        }
        lines.append(#"{"Time":"\#(time)4Z","Action":"\#(failing ? "fail" : "pass")","Package":"\#(package)","Elapsed":3.4}"#)
        return lines
    }

    /// `go test -bench . -json >> bench.jsonl` night after night, two
    /// packages side by side: each package's run its benchmarks, dated by
    /// its first event, so each night is a session. They were numbers by
    /// path (the `Elapsed` seconds).
    @Test func testJSONEventsAreEachPackagesRunDated() throws {
        let a = events("example.com/a", night: 1, ns: [512, 514])
        let b = events("example.com/b", night: 1, ns: [90], failing: true)
        // Night 1's two packages interleaved, then night 2's run of a.
        let interleaved = zip(a, b).flatMap { [$0, $1] } + a.dropFirst(b.count) + b.dropFirst(a.count)
        let text = (interleaved + events("example.com/a", night: 2, ns: [700, 702])).joined(separator: "\n") + "\n"
        let e = try ParsedText.extract(text, "bench.jsonl")
        #expect(e.shape == .goTestJSON)
        let parses = e.measurements.filter { $0.name == "BenchmarkParse" }
        #expect(parses.map(\.samples) == [[90], [512, 514], [700, 702]] || parses.map(\.samples) == [[512, 514], [90], [700, 702]])
        let night1 = try #require(TimestampParsing.secondsSinceEpoch("2026-12-01T02:00:01.5Z"))
        let nightA = try #require(parses.first { $0.parameters.contains(Parameter("pkg", "example.com/a")) })
        #expect(nightA.measuredAt == night1 && nightA.parameters.contains(Parameter("procs", "8")))
        #expect(parses.last?.measuredAt == night1 + 86_400)
        let broken = try #require(e.measurements.first { $0.name == "BenchmarkBroken" })
        #expect(broken.isWhollyFailed && broken.parameters.contains(Parameter("pkg", "example.com/b")))
        // Events of tests alone are no Go benchmark.
        let tests = #"{"Time":"2026-12-01T02:00:00Z","Action":"pass","Package":"p","Test":"TestX","Elapsed":0.01}"#
        #expect(GoBenchmarkFormat.extract(events: [try JSONParser.parse(Array(tests.utf8))]) == nil)
    }

    /// A Markdown table beside the output (a job summary of the same runs)
    /// is taken for its results again, and its leaving out is said.
    @Test func aTableBesideTheOutputIsLeftOutWithANote() throws {
        let table = "\n| benchmark | ns/op |\n|---|---|\n| parse | 512.3 |\n"
        let e = try ParsedText.extract(output + table, "ci.log")
        #expect(e.shape == .goBenchmarkText && e.series.isEmpty)
        #expect(
            e.notes.contains("1 numeric column(s) of Markdown tables beside go test -bench output left out, taken for its results again"),
            "\(e.notes)")
    }

    /// Go 1.24 writes a build failure as events of an `ImportPath`, and the
    /// package's `fail` names it; a package whose only benchmark failed
    /// prints no `/op`; `2>&1` mixes go's own lines in. Each had made the
    /// whole file numbers by path (or unreadable), every night lost (review s37c).
    @Test func buildFailuresFailedPackagesAndGosOwnLinesLoseNothing() throws {
        let good = events("example.com/p", night: 1, ns: [512, 514])
        let broken = [
            #"{"ImportPath":"example.com/broken [example.com/broken.test]","Action":"build-output","Output":"broken/x_test.go:3:1: syntax error\n"}"#,
            #"{"ImportPath":"example.com/broken [example.com/broken.test]","Action":"build-fail"}"#,
            #"{"Time":"2026-12-01T02:00:06Z","Action":"start","Package":"example.com/broken"}"#,
            #"{"Time":"2026-12-01T02:00:06Z","Action":"output","Package":"example.com/broken","Output":"FAIL\texample.com/broken [build failed]\n"}"#,
            #"{"Time":"2026-12-01T02:00:06Z","Action":"fail","Package":"example.com/broken","Elapsed":0,"FailedBuild":"example.com/broken [example.com/broken.test]"}"#,
        ]
        let onlyFailing = [
            #"{"Time":"2026-12-01T02:00:07Z","Action":"start","Package":"example.com/q"}"#,
            #"{"Time":"2026-12-01T02:00:08Z","Action":"output","Package":"example.com/q","Output":"--- FAIL: BenchmarkBad-8\n"}"#,
            #"{"Time":"2026-12-01T02:00:09Z","Action":"fail","Package":"example.com/q","Elapsed":1.2}"#,
        ]
        let text =
            (["go: downloading golang.org/x/text v0.14.0"] + good + broken + onlyFailing + ["# example.com/other", "other/x.go:3:1: syntax error"])
            .joined(separator: "\n") + "\n"
        for name in ["bench.jsonl", "bench.json"] {
            let e = try ParsedText.extract(text, name)
            #expect(e.shape == .goTestJSON, "\(name)")
            #expect(e.measurements.first { $0.name == "BenchmarkParse" }?.samples == [512, 514])
            #expect(e.measurements.contains { $0.name == "example.com/broken" && $0.failure == "the package did not build" && $0.isWhollyFailed })
            #expect(
                e.measurements.contains {
                    $0.name == "BenchmarkBad" && $0.isWhollyFailed && $0.parameters.contains(Parameter("pkg", "example.com/q"))
                })
            // (A `.json` file's log lines above its first value are blanked first, as llama-bench's are.)
            #expect(e.notes.contains { $0.contains(" line(s) that are not JSON passed over (the first, line ") }, "\(e.notes)")
        }
    }

    /// The night a benchmark's package did not build, or timed out before
    /// its first benchmark, prints no `/op` at all: in a file named for
    /// benchmarks that night is the package's failure (it was the
    /// `Elapsed` seconds as a series, the failure lost; campaign s38h #1, #2).
    /// A test log of another name is not taken for benchmarks.
    @Test func aNightWithoutABenchmarkLineIsItsPackagesFailure() throws {
        let buildFailed =
            [
                #"{"ImportPath":"example.com/p [example.com/p.test]","Action":"build-output","Output":"p/bench_test.go:12:3: undefined: parseFast\n"}"#,
                #"{"ImportPath":"example.com/p [example.com/p.test]","Action":"build-fail"}"#,
                #"{"Time":"2026-12-07T02:00:00.5Z","Action":"start","Package":"example.com/p"}"#,
                #"{"Time":"2026-12-07T02:00:00.5Z","Action":"output","Package":"example.com/p","Output":"FAIL\texample.com/p [build failed]\n"}"#,
                #"{"Time":"2026-12-07T02:00:00.5Z","Action":"fail","Package":"example.com/p","Elapsed":0,"FailedBuild":"example.com/p [example.com/p.test]"}"#,
            ].joined(separator: "\n") + "\n"
        let built = try ParsedText.extract(buildFailed, "bench.jsonl")
        #expect(built.shape == .goTestJSON)
        #expect(built.measurements.map(\.name) == ["example.com/p"] && built.measurements.first?.failure == "the package did not build")
        let timedOut =
            [
                #"{"Time":"2026-12-07T02:00:00Z","Action":"start","Package":"example.com/p"}"#,
                #"{"Time":"2026-12-07T02:10:00Z","Action":"output","Package":"example.com/p","Output":"panic: test timed out after 10m0s\n"}"#,
                #"{"Time":"2026-12-07T02:10:00Z","Action":"fail","Package":"example.com/p","Elapsed":600.012}"#,
            ].joined(separator: "\n") + "\n"
        let timed = try ParsedText.extract(timedOut, "nightly-bench.json")
        #expect(timed.measurements.first?.failure == "the package failed (a test, a panic or a timeout)")
        #expect(timed.measurements.first?.isWhollyFailed == true)
        #expect((try? ParsedText.extract(timedOut, "unit-tests.jsonl"))?.shape != .goTestJSON)
    }

    /// go never writes a time or a size below zero: such a figure is left
    /// out and said, a custom metric's kept (campaign s38h #12).
    @Test func goFiguresBelowZeroAreLeftOut() throws {
        let e = try ParsedText.extract("BenchmarkX-8   \t 1000\t -5 ns/op\t -0.5 delta/op\nBenchmarkX-8   \t 1000\t 7 ns/op\n", "bench.txt")
        #expect(e.measurements.first { $0.name == "BenchmarkX" }?.samples == [7])
        #expect(e.measurements.first { $0.name == "BenchmarkX delta/op" }?.samples == [-0.5])
        #expect(e.notes.contains { $0.hasPrefix("1 figure(s) that are no number") }, "\(e.notes)")
    }

    /// Before Go 1.20 test2json writes no `start`: a night cut short (no
    /// `pass`) is told from the next by its events coming a night later; the
    /// two were one run, dated by the first (campaign s38h #5).
    @Test func aCutNightWithoutStartEventsIsNotTheNextNights() throws {
        func line(_ time: String, _ output: String) -> String {
            #"{"Time":"\#(time)","Action":"output","Package":"example.com/p","Output":"\#(output)\n"}"#
        }
        let text =
            [
                line("2026-12-01T02:00:00Z", "BenchmarkX-8   \\t 1000\\t 100 ns/op"),
                line("2026-12-01T02:00:01Z", "BenchmarkX-8   \\t 1000\\t 101 ns/op"),
                line("2026-12-02T02:00:00Z", "BenchmarkX-8   \\t 1000\\t 200 ns/op"),
                line("2026-12-02T02:00:01Z", "BenchmarkX-8   \\t 1000\\t 201 ns/op"),
                #"{"Time":"2026-12-02T02:00:02Z","Action":"pass","Package":"example.com/p","Elapsed":2}"#,
            ].joined(separator: "\n") + "\n"
        let e = try ParsedText.extract(text, "bench.jsonl")
        let nights = e.measurements.filter { $0.name == "BenchmarkX" }
        #expect(nights.map(\.samples) == [[100, 101], [200, 201]], "\(nights.map(\.samples))")
        #expect(Set(nights.compactMap(\.measuredAt)).count == 2)
    }

    /// `go tool test2json -t` on a test binary's output names no package:
    /// its benchmarks are read all the same (campaign s38h #3: only `Elapsed`).
    @Test func test2jsonWithoutAPackageIsRead() throws {
        let text =
            [
                #"{"Time":"2026-12-07T02:00:00Z","Action":"start"}"#,
                #"{"Time":"2026-12-07T02:00:00Z","Action":"output","Output":"goos: linux\n"}"#,
                #"{"Time":"2026-12-07T02:00:01Z","Action":"output","Test":"BenchmarkX","Output":"BenchmarkX-8   \t 1000000\t 512.3 ns/op\n"}"#,
                #"{"Time":"2026-12-07T02:00:02Z","Action":"output","Output":"PASS\n"}"#,
                #"{"Time":"2026-12-07T02:00:02Z","Action":"pass","Elapsed":2.1}"#,
            ].joined(separator: "\n") + "\n"
        let e = try ParsedText.extract(text, "bench.jsonl")
        #expect(e.shape == .goTestJSON)
        let x = try #require(e.measurements.first)
        #expect(x.name == "BenchmarkX" && x.samples == [512.3] && x.measuredAt != nil, "\(e.measurements)")
        // An object with keys of its own is no event: not taken for go's.
        #expect((try? ParsedText.extract(#"{"Action":"deploy","Service":"api","Elapsed":2.1}"# + "\n", "bench.jsonl"))?.shape != .goTestJSON)
    }

    /// A log appended to each night counts each night's `--- FAIL`, so the
    /// night that failed again is told from the nights before (review s37d).
    @Test func eachFailureOfAnAppendedLogCounts() throws {
        let night = "goos: linux\npkg: example.com/p\n--- FAIL: BenchmarkBad-8\nFAIL\texample.com/p\t0.1s\n"
        let e = try ParsedText.extract(night + night, "bench.txt")
        let bad = try #require(e.measurements.first { $0.name == "BenchmarkBad" })
        #expect(bad.failedRuns == 2 && bad.isWhollyFailed && bad.appendedRuns == .figures)
    }

    /// `go tool test2json` without `-t` writes no `Time`: a package's runs
    /// appended night after night are its samples, as in the console's
    /// log, not each night but the last dropped (review s37d).
    @Test func undatedPackageRunsAreOneLog() throws {
        let nights = [events("example.com/p", night: 1, ns: [512]), events("example.com/p", night: 2, ns: [700])].flatMap { $0 }
            .map { $0.replacingOccurrences(of: #""Time":"2026-12-0[12]T02:00:0[0-9.]*Z","#, with: "", options: .regularExpression) }
        let e = try ParsedText.extract(nights.joined(separator: "\n") + "\n", "bench.jsonl")
        let parse = try #require(e.measurements.first { $0.name == "BenchmarkParse" })
        #expect(parse.samples == [512, 700] && parse.measuredAt == nil && parse.appendedRuns == .figures)
        #expect(e.notes.contains("2 package runs without a time (test2json without -t) read as one log"), "\(e.notes)")
    }

    /// Years of nights appended keep the newest results within a file's
    /// bound of entries, and say how many older ones were left out.
    @Test func yearsOfNightsKeepTheNewest() throws {
        var lines: [String] = []
        for night in 0..<3_400 {
            let time = Date(timeIntervalSince1970: 1_700_000_000 + Double(night) * 86_400).formatted(.iso8601)
            lines.append(#"{"Time":"\#(time)","Action":"start","Package":"p"}"#)
            lines.append(
                #"{"Time":"\#(time)","Action":"output","Package":"p","Output":"BenchmarkX-8 \t 100\t \#(night) ns/op\t 3 B/op\t 1 allocs/op\n"}"#)
            lines.append(#"{"Time":"\#(time)","Action":"pass","Package":"p"}"#)
        }
        let e = try ParsedText.extract(lines.joined(separator: "\n") + "\n", "bench.jsonl")
        #expect(e.measurements.count == IngestLimits.maximumEntries)
        let timed = e.measurements.filter { $0.name == "BenchmarkX" }
        #expect(timed.last?.samples == [3_399] && timed.first?.samples == [67], "the newest 3,333 nights and a third")
        #expect(e.notes.contains("200 benchmark result(s) of the oldest runs left out, past 10000 in one file"), "\(e.notes.suffix(2))")
    }
}
