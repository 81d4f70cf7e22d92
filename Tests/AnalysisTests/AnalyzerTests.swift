import Records
import Testing

@testable import Analysis

@Suite struct AnalyzerTests {
    private let noInputs = InputFacts(roots: [], filesSeen: 0, filesAnalyzed: 0, skipped: [], changed: [], deleted: [], added: [])

    private func run(_ tps: Double, ttft: Double = 0.1, load: Double = 0.1, prompt: UInt64 = 0, error: String? = nil) -> LLMRun {
        LLMRun(
            ordinal: 0, promptKey: prompt, tokensPerSecond: tps, ttftSeconds: ttft, loadSeconds: load,
            evalCount: error == nil ? 100 : 0, error: error)
    }

    private func analyse(_ files: [(String, Extraction)], previous: ReportDigest? = nil) -> Facts {
        var analyzer = Analyzer(catalog: files.map { Analyzer.CatalogEntry(path: $0.0, shape: $0.1.shape, modelHint: $0.1.modelHint) })
        for (path, extraction) in files { analyzer.add(path: path, extraction: extraction) }
        return analyzer.finish(inputs: noInputs, previous: previous, previousAt: previous == nil ? nil : "2026-01-01T00:00:00Z")
    }

    /// A benchmark its tool says failed is listed under Failures beside the
    /// failed runs; one with no figure at all is not shown as if measured.
    @Test func benchmarkFailuresAreFailuresAndWhollyFailedOnesAreNotShownAsMeasured() {
        let gbench = Extraction(
            shape: .googleBenchmark,
            measurements: [
                Measurement(tool: "google-benchmark", name: "BM_Plain", unit: "ns", mean: 372),
                Measurement(tool: "google-benchmark", name: "BM_Err", unit: "ns", failure: "boom", failedRuns: 2),
            ])
        let hyperfine = Extraction(
            shape: .hyperfine,
            measurements: [
                Measurement(tool: "hyperfine", name: "exit 1", unit: "s", mean: 5e-6, failure: "command exited non-zero (exit code 1)", failedRuns: 3)
            ])
        let runs = Extraction(
            shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: [run(100), run(0, error: "boom")])])
        let facts = analyse([("g.json", gbench), ("h.json", hyperfine), ("r.csv", runs)])
        #expect(facts.measurements.map(\.name) == ["BM_Plain", "exit 1"])
        #expect(facts.measurements.last?.failedRuns == 3)
        let boom = facts.failures.first { $0.message == "boom" }
        #expect(boom?.count == 3 && boom?.models.sorted() == ["BM_Err", "m"] && boom?.sources.sorted() == ["g.json", "r.csv"])
        let exit = facts.failures.first { $0.message == "command exited non-zero (exit code 1)" }
        #expect(exit?.count == 3 && exit?.models == ["exit 1"] && exit?.sources == ["h.json"])
    }

    /// The same llama-bench test on two machines: each row says which (its
    /// GPU), or the table shows two identical labels with different speeds.
    @Test func llamaBenchRowsOfTwoMachinesNameTheirMachine() {
        func file(_ gpu: String, _ speed: Double) -> Extraction {
            Extraction(
                shape: .llamaBenchJSON,
                llamaBench: [
                    LlamaBenchResult(
                        model: "llama 8B Q4_K - Medium", test: "pp512", parameters: [Parameter("n_threads", "16")], tokensPerSecond: speed,
                        stddevTokensPerSecond: nil, samples: [],
                        environment: [Parameter("gpu_info", gpu), Parameter("cpu_info", "Ryzen"), Parameter("build_commit", "abc")])
                ])
        }
        let rows = analyse([("a.json", file("RTX 3090", 5459.8)), ("b.json", file("RTX 4090", 9099.7))]).llamaBench
        #expect(rows.map(\.parameters) == [[Parameter("gpu_info", "RTX 3090")], [Parameter("gpu_info", "RTX 4090")]])
        // One machine: nothing to tell apart, no machine in the row.
        #expect(analyse([("a.json", file("RTX 3090", 5459.8))]).llamaBench.first?.parameters == [])
    }

    @Test func twinRunsCountOnceAndTheCSVBorrowsTheModelName() {
        let runs = [run(100, prompt: 1), run(102, prompt: 2), run(104, prompt: 3)]
        let csv = Extraction(shape: .baselineCSV, runSets: [RunSet(model: nil, configuration: [], runs: runs)])
        let json = Extraction(shape: .baselineJSON, modelHint: "gemma3:270m", runSets: [RunSet(model: "gemma3:270m", configuration: [], runs: runs)])
        let facts = analyse([("g/gemma3_270m_baseline.csv", csv), ("g/gemma3_270m_baseline.json", json)])
        #expect(facts.runGroups.count == 1)
        let group = facts.runGroups[0]
        #expect(group.model == "gemma3:270m")
        #expect(group.runsOK == 3 && group.duplicatesMerged == 3)
        #expect(group.tokensPerSecond.median == 102)
        #expect(Set(group.sources) == ["g/gemma3_270m_baseline.csv", "g/gemma3_270m_baseline.json"])
    }

    @Test func modelNamesComeFromSiblingsThenFileNames() {
        let hinted = Extraction(
            shape: .baselineJSON, modelHint: "gemma3:latest", runSets: [RunSet(model: "gemma3:latest", configuration: [], runs: [run(100)])])
        let sweep = Extraction(
            shape: .parameterSweep,
            runSets: [
                RunSet(model: nil, configuration: [Parameter("num_ctx", "1024")], runs: [run(90)]),
                RunSet(model: nil, configuration: [Parameter("num_ctx", "2048")], runs: [run(95)]),
            ])
        let orphan = Extraction(shape: .baselineCSV, runSets: [RunSet(model: nil, configuration: [], runs: [run(50)])])
        let facts = analyse([("g/gemma3_baseline.json", hinted), ("g/gemma3_param_tuning.csv", sweep), ("x/qwen_results.csv", orphan)])
        let sweepGroups = facts.runGroups.filter(\.isSweep)
        #expect(sweepGroups.allSatisfy { $0.model == "gemma3:latest" && $0.modelSource == "sibling g/gemma3_baseline.json" })
        #expect(facts.runGroups.contains { $0.model == "qwen" && $0.modelSource == "file name" })
    }

    @Test func failuresAreExcludedCountedAndGrouped() {
        let runs = [run(100), run(0, error: "connection refused"), run(110), run(0, error: "connection refused"), run(0, error: "timed out")]
        let facts = analyse([("r.csv", Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: runs)]))])
        let group = facts.runGroups[0]
        #expect(group.runsOK == 2 && group.runsFailed == 3)
        #expect(group.tokensPerSecond.n == 2 && group.tokensPerSecond.median == 105)
        #expect(facts.failures.map(\.message) == ["connection refused", "timed out"])
        #expect(facts.failures.map(\.count) == [2, 1])
        #expect(facts.findings.contains { $0.id == "some-failed" && $0.text.contains("3 of 5 runs of m failed") })
    }

    @Test func aModelWhoseRunsAllFailedIsSaidSo() {
        let runs = [run(0, error: "[WinError 10049] bad address"), run(0, error: "[WinError 10049] bad address")]
        // Beside a file where it ran: the model's own failure.
        let working = Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "other", configuration: [], runs: [run(50)])] + [])
        var mixed = working
        mixed.runSets.append(RunSet(model: "gemma3:latest", configuration: [], runs: runs))
        let facts = analyse([("r.csv", mixed)])
        let group = facts.runGroups.first { $0.model == "gemma3:latest" }
        #expect(group?.tokensPerSecond == .empty && group?.runsFailedHarness == 0)
        #expect(facts.findings.contains { $0.id == "all-failed" && $0.text.contains("[WinError 10049] bad address") })
        #expect(facts.harnessFailures.isEmpty)
    }

    /// A configuration whose latest night failed in every run, where earlier
    /// nights ran, is said on the first screen: over its history it was a few
    /// percent failed, said far down. One failing all along is not news of tonight.
    @Test func aConfigurationFailingInItsLatestSessionIsSaidSo() {
        func night(_ day: Int, _ context: String, failed: Bool) -> RunSet {
            RunSet(
                model: "m", configuration: [Parameter("num_ctx", context)],
                runs: (0..<4).map { index in
                    LLMRun(
                        ordinal: index, promptKey: UInt64(index), tokensPerSecond: failed ? nil : 60 + Double(index), ttftSeconds: failed ? nil : 0.2,
                        evalCount: failed ? 0 : 100, error: failed ? "CUDA error: out of memory" : nil,
                        timestamp: 1_795_000_000 + Double(day) * 86_400 + Double(index) * 60)
                })
        }
        let files = (1...4).map { day in
            (
                "night-\(day).csv",
                Extraction(
                    shape: .ollamaRuns,
                    runSets: [night(day, "32768", failed: day == 4), night(day, "4096", failed: false), night(day, "65536", failed: true)])
            )
        }
        let facts = analyse(files)
        let failing = facts.findings.filter { $0.id == "failing-now" }
        #expect(failing.count == 1, "\(failing.map(\.text))")
        #expect(
            failing.first?.text
                == "Every run of m (num_ctx=32768) failed in its latest session, night-4.csv (4 of 4): \"CUDA error: out of memory\", where its earlier sessions ran: that session has no figures."
        )
        #expect(facts.findings.first?.id == "failing-now", "\(facts.findings.map(\.id))")
        // A night in which no model ran is the harness's: said once, never per model.
        let down = (1...4).map { day in
            (
                "down-\(day).csv",
                Extraction(shape: .ollamaRuns, runSets: [night(day, "4096", failed: day == 4), night(day, "8192", failed: day == 4)])
            )
        }
        let harness = analyse(down)
        #expect(!harness.findings.contains { $0.id == "failing-now" }, "\(harness.findings.map(\.text))")
        #expect(harness.findings.contains { $0.id == "harness-failure" })
    }

    /// The case: files in which nothing ran (a server that was not
    /// there, a client pointed at 0.0.0.0) are the harness's failures, said
    /// once per cause with what the files recorded, and kept out of the
    /// models' failure rates.
    @Test func sessionsInWhichNothingRanAreHarnessFailures() throws {
        let refused = (0..<5).map { _ in run(0, error: "Failed to connect to Ollama. Please check that Ollama is running") }
        let badAddress = (0..<3).map { _ in run(0, error: "[WinError 10049] The requested address is not valid in its context") }
        let summary = Extraction(shape: .runSummaryJSON, environment: [Parameter("ollama_host", "http://0.0.0.0:11434")])
        let facts = analyse([
            ("a/runs.csv", Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: refused)])),
            ("b/runs.csv", Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: badAddress)])),
            ("b/summary.json", summary),
            (
                "c/runs.csv",
                Extraction(
                    shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: [run(40), run(41), run(0, error: "timed out")])])
            ),
        ])
        #expect(facts.harnessFailures.map(\.cause) == [.connection, .badAddress])
        #expect(facts.harnessFailures.map(\.runs) == [5, 3])
        let address = try #require(facts.harnessFailures.last)
        #expect(address.environment.flatMap(\.items) == ["ollama_host=http://0.0.0.0:11434"])
        let group = try #require(facts.runGroups.first)
        #expect(group.runsFailed == 9 && group.runsFailedHarness == 8)
        // The model's own failure rate: 1 of 3.
        #expect(facts.findings.contains { $0.id == "some-failed" && $0.text.hasPrefix("1 of 3 runs of m failed") })
        #expect(facts.findings.contains { $0.id == "harness-failure" && $0.text.hasPrefix("2 sessions recorded no successful run (8 runs)") })
        #expect(facts.recommendations.filter { $0.id == "fix-harness" }.count == 2)
        #expect(facts.recommendations.contains { $0.id == "fix-harness" && $0.text.contains("ollama_host=http://0.0.0.0:11434") })
        // Every cause reads as a sentence ("every run the server's address was not valid" did not).
        #expect(
            facts.recommendations.contains { $0.id == "fix-harness" && $0.text.contains(" every run failed (the server's address was not valid): ") })
        #expect(!facts.recommendations.contains { $0.id == "fix-failures" && $0.text.contains("WinError") })
    }

    @Test func failureMessagesAreGroupedByCause() {
        let causes: [(String, FailureCause)] = [
            ("Failed to connect to Ollama. Please check that Ollama is downloaded", .connection),
            ("[WinError 10061] No connection could be made because the target machine actively refused it", .connection),
            ("HTTPConnectionPool(host='localhost', port=11434): Max retries exceeded", .connection),
            ("[WinError 10049] The requested address is not valid in its context", .badAddress),
            ("Invalid URL 'ollama:11434/api'", .badAddress),
            ("timed out", .timeout), ("ReadTimeout: read timed out. (read timeout=60)", .timeout),
            ("CUDA out of memory. Tried to allocate 2.00 GiB", .outOfMemory),
            ("model 'llama9' not found, try pulling it first", .modelNotFound),
            ("HTTP 500 from server", .serverError), ("no tokens generated", .noOutput), ("segfault", .runnerCrashed),
            ("unexpected EOF", .other),
            // Short words are matched whole: "oom" is not in "bloom", a duration is no status.
            ("model 'bloom-560m' not found", .modelNotFound), ("took 500 ms, then segfault", .runnerCrashed),
            // Ollama's runner dying under the request; out of memory when it says so.
            (
                "llama runner process has terminated: error:model runner has unexpectedly stopped, this may be due to resource limitations",
                .runnerCrashed
            ),
            ("llama runner process has terminated: CUDA error: out of memory", .outOfMemory),
            // Ollama's, llama.cpp's and vLLM's own words for it.
            ("model requires more system memory (21.5 GiB) than is available (15.2 GiB)", .outOfMemory),
            ("ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 8589934592", .outOfMemory),
            ("ValueError: No available memory for the cache blocks.", .outOfMemory),
            ("ggml_vulkan: Device memory allocation of size 4294967296 failed.", .outOfMemory),
            ("vk::Device::allocateMemory: ErrorOutOfDeviceMemory", .outOfMemory),
        ]
        for (message, cause) in causes { #expect(FailureCause(message: message) == cause, "\(message)") }
    }

    @Test func coldStartIsKeptOutOfTTFT() {
        let runs = [
            run(100, ttft: 2.3, load: 2.0), run(101, ttft: 0.12, load: 0.1), run(102, ttft: 0.13, load: 0.11), run(103, ttft: 0.11, load: 0.1),
        ]
        let facts = analyse([
            ("b.json", Extraction(shape: .baselineJSON, modelHint: "m", runSets: [RunSet(model: "m", configuration: [], runs: runs)]))
        ])
        let group = facts.runGroups[0]
        #expect(group.ttftSeconds.n == 3 && group.ttftSeconds.median == 0.12)
        #expect(group.coldStart?.runs == 1 && group.coldStart?.ttftSeconds.median == 2.3)
        #expect(group.tokensPerSecond.n == 4, "decode throughput does not pay for the load")
        #expect(facts.recommendations.contains { $0.id == "warm-up" })
    }

    @Test func sweepFindsBestConfigurationsAndParameterEffects() throws {
        func set(_ ctx: String, _ temp: String, _ tps: [Double], _ ttft: Double) -> RunSet {
            RunSet(model: "m", configuration: [Parameter("num_ctx", ctx), Parameter("temperature", temp)], runs: tps.map { run($0, ttft: ttft) })
        }
        let sweep = Extraction(
            shape: .parameterSweep,
            runSets: [
                set("1024", "0.2", [100, 101, 99, 100, 100], 0.2), set("1024", "0.8", [100, 100, 100, 100, 100], 0.1),
                set("4096", "0.2", [80, 80, 81, 79, 80], 0.3), set("4096", "0.8", [81, 80, 80, 80, 80], 0.25),
            ])
        let facts = analyse([("s.csv", sweep)])
        let result = try #require(facts.sweeps.first)
        #expect(result.bestThroughput?.configuration.rendered == "num_ctx=1024, temperature=0.2")
        #expect(result.bestTTFT?.configuration.rendered == "num_ctx=1024, temperature=0.8")
        let ctx = result.effects.first { $0.parameter == "num_ctx" }
        #expect(ctx?.levels.map(\.value) == ["1024", "4096"])
        #expect(ctx?.levels.map(\.tokensPerSecond) == [100, 80])
        #expect(ctx?.throughputSpreadPercent == 25)
        #expect(facts.recommendations.contains { $0.id == "best-config" })
    }

    @Test func aSweepOfSingleRunsWithinNoiseIsNotRecommended() {
        let sets = (0..<6).map { index in
            RunSet(model: "m", configuration: [Parameter("num_gpu", String(index))], runs: [run(100 + Double(index) * 0.1)])
        }
        let facts = analyse([("s.csv", Extraction(shape: .parameterSweep, runSets: sets))])
        #expect(facts.recommendations.contains { $0.id == "sweep-inconclusive" })
        #expect(!facts.recommendations.contains { $0.id == "best-config" })
    }

    @Test func compilationSpeedupsAgainstEager() {
        func backend(_ name: String, _ mean: Double?, ok: Bool = true, error: String? = nil) -> CompilationResult {
            CompilationResult(
                model: "mlp", backend: name, succeeded: ok, error: error, compileSeconds: name == "eager" ? nil : 1,
                meanMilliseconds: mean, stddevMilliseconds: nil, minMilliseconds: nil, maxMilliseconds: nil, parameters: [Parameter("device", "cpu")])
        }
        let bench = Extraction(
            shape: .compilationBench,
            compilation: [
                backend("eager", 0.5), backend("onnx", 0.05), backend("torch_compile", nil, ok: false, error: "no triton"),
            ])
        let facts = analyse([("c.json", bench)])
        let result = facts.compilation[0]
        #expect(result.fastest == "onnx")
        #expect(result.backends.first { $0.backend == "onnx" }?.speedupVersusEager == 10)
        #expect(facts.findings.contains { $0.id == "compile-failed" && $0.text.contains("no triton") })
    }

    @Test func changesAgainstThePreviousReportLeadWithRegressions() throws {
        func file(_ tps: [Double]) -> [(String, Extraction)] {
            [("r.csv", Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: tps.map { run($0) })]))]
        }
        let before = analyse(file((0..<8).map { 100 + Double($0) }))
        let facts = analyse(file((0..<8).map { 80 + Double($0) }), previous: ReportDigest(before.runGroups))
        let move = try #require(facts.changes.moves.first { $0.metric == "tokens_per_second" })
        #expect(move.previous == 103.5 && move.current == 83.5 && move.worse)
        // 8 against 8 without ties: exact, p = 2 / C(16, 8) = 2 / 12870.
        #expect(move.verdict == .significant && move.test?.method == .exact)
        #expect(abs((move.test?.pValue ?? 1) - 2.0 / 12870) < 1e-15)
        // A file rewritten in place is one session with nothing before it:
        // the move is in What Changed, and no session regression opens.
        #expect(facts.sessionComparisons.isEmpty)
        #expect(!facts.findings.contains { $0.id == "regression" })

        // The same drop against a digest without samples (an older chimerad): said apart, not a regression.
        let old = ReportDigest(groups: [.init(key: "m | ", model: "m", configuration: "", runs: 8, tokensPerSecondMedian: 103.5, ttftMedian: 0.1)])
        let untested = analyse(file((0..<8).map { 80 + Double($0) }), previous: old)
        #expect(!untested.findings.contains { $0.id == "regression" })
        let unconfirmed = try #require(untested.findings.first { $0.id == "unconfirmed-change" })
        #expect(unconfirmed.text.contains("not tested (the previous report kept no runs to test against)"))
    }

    /// The case: 10 runs at about 78 tok/s, then a new file of 5 runs
    /// at about 63. Pooled, the group moves by a few percent; the new session
    /// alone is about 19% slower, which its test against the sessions before
    /// it shows, and the ledger opens a regression that a recovering session
    /// resolves.
    @Test func aNewSessionSlowerThanTheSessionsBeforeItOpensARegression() throws {
        func session(_ file: String, _ values: [Double], at start: Double) -> (String, Extraction) {
            let runs = values.enumerated().map { index, tps in
                LLMRun(
                    ordinal: index, tokensPerSecond: tps, ttftSeconds: 0.1 + Double(index) / 1000, loadSeconds: 0.1, evalCount: 100,
                    timestamp: start + Double(index) * 5)
            }
            return (file, Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: runs)]))
        }
        let day = 86_400.0
        let history = [
            session("a.csv", [77.1, 78.4, 78.9, 77.8, 78.2], at: 1_760_000_000),
            session("b.csv", [78.6, 77.5, 78.1, 79.0, 78.3], at: 1_760_000_000 + day),
        ]
        let slow = session("c.csv", [63.2, 62.8, 63.9, 63.1, 62.5], at: 1_760_000_000 + 2 * day)
        var analyzer = Analyzer(catalog: (history + [slow]).map { .init(path: $0.0, shape: .ollamaRuns, modelHint: nil) })
        for (path, extraction) in history + [slow] { analyzer.add(path: path, extraction: extraction) }
        let inputs = InputFacts(roots: [], filesSeen: 3, filesAnalyzed: 3, skipped: [], changed: ["c.csv"], deleted: [], added: ["c.csv"])
        let previous = ReportDigest(groups: [])
        let facts = analyzer.finish(inputs: inputs, previous: previous, previousAt: "then")
        let group = try #require(facts.runGroups.first)
        #expect(group.sessions.map(\.source) == ["a.csv", "b.csv", "c.csv"])
        #expect(group.sessions.map(\.isNew) == [false, false, true])
        let comparison = try #require(facts.sessionComparisons.first { $0.metric == .tokensPerSecond })
        #expect(comparison.baselineSessions == 2 && comparison.baseline.n == 10 && comparison.current.n == 5)
        let test = try #require(comparison.test)
        // Every new run is below every earlier one: the exact two-sided p is 2 / C(15, 5).
        #expect(abs(test.pValue - 2.0 / 3003) < 1e-12)
        #expect(test.changePercent < -17 && test.changePercent > -22)
        #expect(test.intervalPercent.low < test.changePercent && test.changePercent < test.intervalPercent.high)
        #expect(test.intervalPercent.high < -5)
        #expect(comparison.verdict(.standard) == .worse)

        let moves = RegressionLedger.update(open: [], comparisons: facts.sessionComparisons, policy: .standard, at: "t1")
        let opened = try #require(moves.opened.first)
        #expect(moves.opened.count == 1 && opened.metric == .tokensPerSecond && opened.currentSources == ["c.csv"])
        // A later session back at the old speed recovers it; one still slow does not.
        var stillSlow = comparison
        stillSlow.source = "d.csv"
        stillSlow.measuredAt += day
        var stored = opened
        stored.id = 1
        #expect(RegressionLedger.update(open: [stored], comparisons: [stillSlow], policy: .standard, at: "t2").resolved.isEmpty)
        var recovered = stillSlow
        recovered.current = .init(median: 77.9, n: 5)
        recovered.test?.changePercent = -0.4
        recovered.test?.qValue = 0.9
        // Too few runs, or run elsewhere, a fast session does not speak for the group.
        var tooFew = recovered
        tooFew.current.n = 2
        #expect(RegressionLedger.update(open: [stored], comparisons: [tooFew], policy: .standard, at: "t2").resolved.isEmpty)
        var elsewhere = recovered
        elsewhere.environment = SessionEnvironment(parameters: [Parameter("gpu", "H100")])
        var storedOnA100 = stored
        storedOnA100.environment = [Parameter("gpu", "A100")]
        #expect(RegressionLedger.update(open: [storedOnA100], comparisons: [elsewhere], policy: .standard, at: "t2").resolved.isEmpty)
        // An old file copied in, measured before the regression's session, says nothing of a recovery.
        var older = recovered
        older.measuredAt = comparison.measuredAt - day
        #expect(RegressionLedger.update(open: [stored], comparisons: [older], policy: .standard, at: "t2").resolved.isEmpty)
        var predating = recovered
        predating.predatesHistory = true
        #expect(RegressionLedger.update(open: [stored], comparisons: [predating], policy: .standard, at: "t2").resolved.isEmpty)
        let resolved = RegressionLedger.update(open: [stored], comparisons: [recovered], policy: .standard, at: "t2")
        #expect(resolved.open.isEmpty && resolved.resolved.map(\.id) == [1] && resolved.resolved.first?.resolvedAt == "t2")
        // A slow night and the mended one in one report: opened and resolved,
        // one regression under one provisional id, so it stands in the history.
        let both = RegressionLedger.update(open: [], comparisons: [recovered, comparison], policy: .standard, at: "t3")
        #expect(both.open.isEmpty)
        #expect(both.opened.map(\.id) == [-1] && both.opened.first?.currentSources == ["c.csv"] && both.opened.first?.resolvedAt == nil)
        let level = try #require(both.opened.first?.baseline.median)
        #expect(
            both.resolved.map(\.id) == [-1] && both.resolved.first?.resolution == .recovered(source: "d.csv", changePercent: (77.9 / level - 1) * 100)
        )

        // The session that recovered it, read again grown and now slow: the
        // regression is reopened under its id, and none opens in its place.
        var done = try #require(resolved.resolved.first)
        done.id = 1
        done.environment = [Parameter("gpu", "A100")]
        var grownSlow = stillSlow
        grownSlow.measuredAt = recovered.measuredAt
        grownSlow.environment = SessionEnvironment(parameters: [Parameter("gpu", "A100")])
        let reopened = RegressionLedger.update(open: [], recovered: [done], comparisons: [grownSlow], policy: .standard, at: "t4")
        #expect(reopened.opened.isEmpty && reopened.reopened.map(\.id) == [1] && reopened.open.map(\.id) == [1])
        let again = try #require(reopened.reopened.first)
        #expect(again.resolution == nil && again.resolvedAt == nil && again.recoveredSessionAt == nil)
        #expect(again.reopenedAt == "t4" && again.reopenCount == 1 && again.currentSources == ["c.csv"], "its own session's figures stand")
        // Another session, the same file at another time, or another machine: a regression of its own.
        var later = grownSlow
        later.measuredAt += day
        var otherFile = grownSlow
        otherFile.source = "e.csv"
        var otherMachine = grownSlow
        otherMachine.environment = SessionEnvironment(parameters: [Parameter("gpu", "H100")])
        for comparison in [later, otherFile, otherMachine] {
            let moves = RegressionLedger.update(open: [], recovered: [done], comparisons: [comparison], policy: .standard, at: "t4")
            #expect(moves.reopened.isEmpty && moves.opened.count == 1, "\(comparison.source) \(comparison.measuredAt)")
        }
        // Acknowledged, not recovered: never reopened.
        var accepted = done
        accepted.resolution = .acknowledged(note: "expected")
        #expect(RegressionLedger.update(open: [], recovered: [accepted], comparisons: [grownSlow], policy: .standard, at: "t4").reopened.isEmpty)
    }

    /// A session is never compared with sessions that ran elsewhere: the
    /// comparison says what differs instead. Names of one Ollama are one.
    @Test func sessionsFromAnotherEnvironmentAreNotTestedAgainst() throws {
        func runs(_ values: [Double], day: Double) -> Extraction {
            let runs = values.enumerated().map { index, tps in
                LLMRun(
                    ordinal: index, tokensPerSecond: tps, ttftSeconds: 0.1, loadSeconds: 0.1, evalCount: 100,
                    timestamp: 1_760_000_000 + day * 86_400 + Double(index))
            }
            return Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: runs)])
        }
        func host(_ address: String) -> Extraction {
            Extraction(shape: .runSummaryJSON, environment: [Parameter("ollama_host", address)])
        }
        let files: [(String, Extraction)] = [
            ("a/runs.csv", runs([100, 101, 102, 100.5, 101.5], day: 0)), ("a/summary.json", host("127.0.0.1")),
            ("b/runs.csv", runs([80, 81, 82, 80.5, 81.5], day: 1)), ("b/summary.json", host("http://0.0.0.0:11434")),
            ("c/runs.csv", runs([80, 81, 82, 80.5, 81.5], day: 2)), ("c/summary.json", host("http://localhost:11434/")),
        ]
        var analyzer = Analyzer(catalog: files.map { .init(path: $0.0, shape: $0.1.shape, modelHint: nil) })
        for (path, extraction) in files { analyzer.add(path: path, extraction: extraction) }
        let inputs = InputFacts(
            roots: [], filesSeen: 6, filesAnalyzed: 6, skipped: [], changed: ["b/runs.csv", "c/runs.csv"], deleted: [], added: [])
        let facts = analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then")
        let tokens = facts.sessionComparisons.filter { $0.metric == .tokensPerSecond }
        let elsewhere = try #require(tokens.first { $0.source == "b/runs.csv" })
        #expect(elsewhere.test == nil && elsewhere.verdict(.standard) == .differentEnvironment)
        #expect(elsewhere.environmentDifferences == ["ollama_host: 127.0.0.1 → http://0.0.0.0:11434"])
        let same = try #require(tokens.first { $0.source == "c/runs.csv" })
        #expect(same.baselineSources == ["a/runs.csv"] && same.verdict(.standard) == .worse)
        let group = try #require(facts.runGroups.first)
        #expect(group.sessions.map { $0.environment.values.first?.value } == ["127.0.0.1", "http://0.0.0.0:11434", "http://localhost:11434/"])
    }

    /// A pinned baseline takes the sessions of files stored by the pin; a pin
    /// that holds none of the earlier sessions says so instead of testing.
    @Test func aPinnedBaselineTakesTheFilesStoredByThePin() throws {
        func session(_ values: [Double], day: Double) -> Extraction {
            let runs = values.enumerated().map { index, tps in
                LLMRun(
                    ordinal: index, tokensPerSecond: tps, ttftSeconds: 0.1, loadSeconds: 0.1, evalCount: 100,
                    timestamp: 1_760_000_000 + day * 86_400 + Double(index))
            }
            return Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: runs)])
        }
        let files: [(String, Extraction, Int64)] = [
            ("a.csv", session([100, 101, 102, 100.5, 101.5], day: 0), 1),
            ("b.csv", session([80, 81, 82, 80.5, 81.5], day: 1), 3),
            ("c.csv", session([80, 81, 82, 80.5, 81.5], day: 2), 4),
        ]
        func analyse(pin: Int64) -> [SessionComparison] {
            var analyzer = Analyzer(catalog: files.map { .init(path: $0.0, shape: .ollamaRuns, modelHint: nil) })
            for (path, extraction, sequence) in files {
                analyzer.add(path: path, extraction: extraction, stamp: FileStamp(modifiedAt: 0, sequence: sequence))
            }
            let inputs = InputFacts(roots: [], filesSeen: 3, filesAnalyzed: 3, skipped: [], changed: ["c.csv"], deleted: [], added: [])
            var policy = RegressionPolicy.standard
            policy.pins[""] = .init(sequence: pin)
            return analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then", policy: policy)
                .sessionComparisons.filter { $0.metric == .tokensPerSecond }
        }
        let pinned = try #require(analyse(pin: 2).first)
        #expect(pinned.baselineSources == ["a.csv"] && pinned.verdict(.standard) == .worse, "b.csv came after the pin")
        let empty = try #require(analyse(pin: 0).first)
        #expect(empty.test == nil && empty.pinnedBaselineEmpty && empty.verdict(.standard) == .untested)
    }

    /// A harness that appends every night to one file: the nights it
    /// appended after the pin are no part of the pinned baseline, or the pin
    /// would slide with them and miss the drift it is there to catch.
    @Test func sessionsAppendedAfterThePinAreNotItsBaseline() throws {
        let start = 1_760_000_000.0
        let day = 86_400.0
        func night(_ day: Double, _ tps: Double) -> [LLMRun] {
            (0..<5).map { index in
                LLMRun(
                    ordinal: 0, tokensPerSecond: tps + Double(index) * 0.5, ttftSeconds: 0.1, loadSeconds: 0.1, evalCount: 100,
                    timestamp: start + day * 86_400 + Double(index))
            }
        }
        // Two nights at 100 before the pin, three at 96 appended after it, then one at 92.
        let nights = [(0.0, 100.0), (1, 100), (3, 96), (4, 96), (5, 96), (6, 92)]
        var runs = nights.flatMap { night($0.0, $0.1) }
        for index in runs.indices { runs[index].ordinal = index }
        let file = Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: runs)])
        var analyzer = Analyzer(catalog: [.init(path: "results.csv", shape: .ollamaRuns, modelHint: nil)])
        // The last report read it up to the fifth night.
        analyzer.add(path: "results.csv", extraction: file, stamp: FileStamp(modifiedAt: 0, sequence: 1, reportedUntil: start + 5 * day + 10))
        let inputs = InputFacts(roots: [], filesSeen: 1, filesAnalyzed: 1, skipped: [], changed: ["results.csv"], deleted: [], added: [])
        var policy = RegressionPolicy.standard
        policy.pins[""] = .init(sequence: 1, time: start + 2 * day)
        let facts = analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then", policy: policy)
        let tested = try #require(facts.sessionComparisons.first { $0.metric == .tokensPerSecond })
        #expect(tested.baselineSessions == 2, "only the two nights measured by the pin")
        #expect(tested.baseline.median == 101 && tested.verdict(.standard) == .worse)
        // Without a time, the pin holds the file's sessions by its sequence alone.
        #expect(RegressionPolicy.Pin(sequence: 1).holds(sequence: 1, startedAt: start + 9 * day, measuredAt: start + 9 * day))
        #expect(!RegressionPolicy.Pin(sequence: 1, time: start).holds(sequence: 1, startedAt: start + 1, measuredAt: start + 1))
        // Dated by its file: held when the file was written by the pin, in the files' clock.
        let pin = RegressionPolicy.Pin(sequence: 1, time: start, fileTime: start + day)
        #expect(pin.holds(sequence: 1, startedAt: nil, measuredAt: start + 9 * day) == false)
        #expect(pin.holds(sequence: 1, startedAt: nil, measuredAt: start + day))
        #expect(!pin.holds(sequence: 2, startedAt: nil, measuredAt: start))
    }

    /// A new file dated before the group's whole history (a clock set back)
    /// has nothing to be compared with: the report says so, never silence.
    @Test func aNewSessionDatedBeforeAllHistorySaysSo() throws {
        func night(_ day: Double, _ tps: Double) -> Extraction {
            let runs = (0..<5).map { index in
                LLMRun(
                    ordinal: index, tokensPerSecond: tps + Double(index), ttftSeconds: 0.1, loadSeconds: 0.1, evalCount: 100,
                    timestamp: 1_760_000_000 + day * 86_400 + Double(index))
            }
            return Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: runs)])
        }
        let files = [("a.csv", night(5, 100)), ("b.csv", night(6, 100)), ("c.csv", night(-2000, 80))]
        var analyzer = Analyzer(catalog: files.map { .init(path: $0.0, shape: .ollamaRuns, modelHint: nil) })
        for (path, extraction) in files { analyzer.add(path: path, extraction: extraction) }
        let inputs = InputFacts(roots: [], filesSeen: 3, filesAnalyzed: 3, skipped: [], changed: ["c.csv"], deleted: [], added: ["c.csv"])
        let facts = analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then")
        let comparison = try #require(facts.sessionComparisons.first { $0.metric == .tokensPerSecond })
        #expect(comparison.source == "c.csv" && comparison.test == nil && comparison.predatesHistory)
        #expect(comparison.verdict(.standard) == .untested)
        #expect(facts.findings.contains { $0.text.contains("c.csv was not tested: by its dates it was measured before every earlier session") })
    }

    @Test func theFirstReportOverAStoreTestsNothing() {
        // Two nights an hour apart (the same runs at the same time would be one session recorded twice).
        let files = [("a.csv", 1_760_000_000.0), ("b.csv", 1_760_003_600)].map { path, time in
            let runs = (0..<5).map { LLMRun(ordinal: $0, tokensPerSecond: 50, ttftSeconds: 0.1, evalCount: 100, timestamp: time) }
            return (path, Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: runs)]))
        }
        var analyzer = Analyzer(catalog: files.map { .init(path: $0.0, shape: .ollamaRuns, modelHint: nil) })
        for (path, extraction) in files { analyzer.add(path: path, extraction: extraction) }
        let inputs = InputFacts(roots: [], filesSeen: 2, filesAnalyzed: 2, skipped: [], changed: ["a.csv", "b.csv"], deleted: [], added: [])
        let facts = analyzer.finish(inputs: inputs, previous: nil, previousAt: nil)
        #expect(facts.sessionComparisons.isEmpty)
        #expect(facts.runGroups.first?.sessions.count == 2)
    }

    @Test func aSessionRecordedInTwoFilesCountsOnce() {
        func night(_ time: Double?) -> [LLMRun] {
            (0..<5).map { LLMRun(ordinal: $0, tokensPerSecond: 50 + Double($0), ttftSeconds: 0.1, evalCount: 100, timestamp: time) }
        }
        // backup/a.csv holds a.csv's first night; b.csv and c.csv the same numbers on
        // undated runs, written a day apart; d.csv is c.csv with c.csv's modification time.
        let files: [(String, [RunSet], modifiedAt: Double)] = [
            ("a.csv", [RunSet(model: "m", configuration: [], runs: night(1_760_000_000) + night(1_760_086_400))], 1_760_090_000),
            ("backup/a.csv", [RunSet(model: "m", configuration: [], runs: night(1_760_000_000))], 1_760_200_000),
            ("b.csv", [RunSet(model: "m", configuration: [], runs: night(nil))], 1_760_000_000),
            ("c.csv", [RunSet(model: "m", configuration: [], runs: night(nil))], 1_760_086_400),
            ("d.csv", [RunSet(model: "m", configuration: [], runs: night(nil))], 1_760_086_400),
        ]
        var analyzer = Analyzer(catalog: files.map { .init(path: $0.0, shape: .ollamaRuns, modelHint: nil) })
        for (path, sets, modifiedAt) in files {
            analyzer.add(
                path: path, extraction: Extraction(shape: .ollamaRuns, runSets: sets), stamp: FileStamp(modifiedAt: modifiedAt, sequence: 1))
        }
        let facts = analyzer.finish(
            inputs: InputFacts(roots: [], filesSeen: 4, filesAnalyzed: 4, skipped: [], changed: [], deleted: [], added: []),
            previous: nil, previousAt: nil)
        let group = facts.runGroups.first
        #expect(group?.runsOK == 20 && group?.duplicatesMerged == 10)
        // Undated, b.csv and c.csv are two nights: their files' times tell them apart.
        #expect(group?.sessions.map(\.source).sorted() == ["a.csv", "a.csv", "b.csv", "c.csv"])
    }

    /// A backup (`cp -r`) of a file whose first night failed whole: that
    /// night is the original's too, so the backup neither counts it again
    /// nor looks like a file where nothing ran (its working nights being
    /// the original's, counted once).
    @Test func aBackupsFailedNightCountsOnceAndIsNoHarnessFailure() throws {
        let failed = (0..<5).map { LLMRun(ordinal: $0, error: "HTTP 500: out of memory", timestamp: 1_760_000_000 + Double($0)) }
        func night(_ time: Double) -> [LLMRun] {
            (0..<5).map { LLMRun(ordinal: $0, tokensPerSecond: 50 + Double($0), ttftSeconds: 0.1, evalCount: 100, timestamp: time + Double($0)) }
        }
        let runs = failed + night(1_760_086_400) + night(1_760_172_800)
        func facts(_ files: [(String, Double, Int64)]) -> Facts {
            var analyzer = Analyzer(catalog: files.map { .init(path: $0.0, shape: .ollamaRuns, modelHint: nil) })
            for (path, modifiedAt, sequence) in files {
                analyzer.add(
                    path: path, extraction: Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: runs)]),
                    stamp: FileStamp(modifiedAt: modifiedAt, sequence: sequence))
            }
            return analyzer.finish(
                inputs: InputFacts(roots: [], filesSeen: files.count, filesAnalyzed: files.count, skipped: [], changed: [], deleted: [], added: []),
                previous: nil, previousAt: nil)
        }
        let alone = facts([("a.csv", 1_760_180_000, 1)])
        let backedUp = facts([("a.csv", 1_760_180_000, 1), ("backup/a.csv", 1_760_300_000, 2)])
        let group = try #require(backedUp.runGroups.first)
        #expect(group.sessions.count == 3 && group.runsOK == 10 && group.runsFailed == 5 && group.duplicatesMerged == 15)
        #expect(group.sessions.allSatisfy { $0.source == "a.csv" })
        #expect(backedUp.harnessFailures == alone.harnessFailures && backedUp.harnessFailures.isEmpty)
        #expect(!backedUp.recommendations.contains { $0.id == "fix-harness" })
        #expect(backedUp.findings.map(\.text) == alone.findings.map(\.text))
    }

    /// A script that times only the first token: its backup's sessions are
    /// the original's all the same.
    @Test func aBackupOfTTFTOnlyRunsCountsOnce() throws {
        let runs = (0..<5).map { LLMRun(ordinal: $0, ttftSeconds: 0.1 + Double($0) / 100, evalCount: 100, timestamp: 1_760_000_000 + Double($0)) }
        let files = [("a.csv", 1_760_000_100.0, Int64(1)), ("backup/a.csv", 1_760_090_000, 2)]
        var analyzer = Analyzer(catalog: files.map { .init(path: $0.0, shape: .ollamaRuns, modelHint: nil) })
        for (path, modifiedAt, sequence) in files {
            analyzer.add(
                path: path, extraction: Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: runs)]),
                stamp: FileStamp(modifiedAt: modifiedAt, sequence: sequence))
        }
        let facts = analyzer.finish(
            inputs: InputFacts(roots: [], filesSeen: 2, filesAnalyzed: 2, skipped: [], changed: [], deleted: [], added: []),
            previous: nil, previousAt: nil)
        let group = try #require(facts.runGroups.first)
        #expect(group.sessions.count == 1 && group.ttftSeconds.n == 5 && group.duplicatesMerged == 5)
    }

    @Test func twoHostsFailingAtTheSameMinuteAreTwoSessions() {
        let failed = (0..<2).map {
            LLMRun(ordinal: $0, error: "connection refused", timestamp: 1_760_000_000 + Double($0))
        }
        let files = ["host1/runs.csv", "host2/runs.csv"]
        var analyzer = Analyzer(catalog: files.map { .init(path: $0, shape: .ollamaRuns, modelHint: nil) })
        for path in files {
            analyzer.add(path: path, extraction: Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: failed)]))
        }
        let facts = analyzer.finish(
            inputs: InputFacts(roots: [], filesSeen: 2, filesAnalyzed: 2, skipped: [], changed: [], deleted: [], added: []),
            previous: nil, previousAt: nil)
        #expect(facts.runGroups.first?.sessions.count == 2 && facts.runGroups.first?.runsFailed == 4)
        #expect(facts.runGroups.first?.duplicatesMerged == 0)
    }

    @Test func aSmallUnconfirmedWiggleStaysInTheTableOnly() throws {
        func file(_ tps: [Double]) -> [(String, Extraction)] {
            [("r.csv", Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: tps.map { run($0) })]))]
        }
        let before = analyse(file((0..<10).map { 100 + Double($0) }))
        let facts = analyse(file((0..<10).map { (100 + Double($0)) * 0.995 }), previous: ReportDigest(before.runGroups))
        let move = try #require(facts.changes.moves.first)
        #expect(move.worse && move.verdict == .notSignificant && abs(move.changePercent + 0.5) < 1e-9)
        #expect(!facts.findings.contains { $0.id == "unconfirmed-change" || $0.id == "regression" })
    }

    @Test func eachGroupKeepsABoundedSampleOfItsRuns() throws {
        let many = (0..<1_200).map { run(50 + Double($0 % 97), ttft: 0.1 + Double($0 % 13) / 100) }
        let facts = analyse([("r.csv", Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: many)]))])
        let group = try #require(facts.runGroups.first)
        #expect(group.tokensPerSecondSample.count == Sample.capacity && group.tokensPerSecondSample.population == 1_200)
        #expect(group.ttftSample.population == group.ttftSeconds.n)
        #expect(Sample.isAscending(group.tokensPerSecondSample.values))
        // The median's selection reorders the runs afterwards; the sample is taken before.
        #expect(group.tokensPerSecondSample == Sample(drawingFrom: many.map { $0.tokensPerSecond ?? 0 }))
    }

    @Test func everyFigureAFindingCitesAppearsInItsText() {
        let runs = (0..<8).map { run(100 + Double($0), ttft: 0.1 + Double($0) / 100) }
        let facts = analyse([
            ("a.csv", Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "a", configuration: [], runs: runs)])),
            (
                "b.csv",
                Extraction(
                    shape: .ollamaRuns, runSets: [RunSet(model: "b", configuration: [], runs: runs.map { run(($0.tokensPerSecond ?? 0) / 2) })])
            ),
        ])
        #expect(!facts.findings.isEmpty)
        for finding in facts.findings + facts.recommendations {
            for figure in finding.figures {
                #expect(finding.text.contains(figure), "\(finding.id): \(figure) not in \(finding.text)")
            }
        }
    }

    @Test func aLoadThatNeverReachedTheFirstTokenIsNoFinding() {
        let runs = [run(100, ttft: 0.031, load: 0.56), run(101, ttft: 0.030, load: 0), run(102, ttft: 0.032, load: 0)]
        let facts = analyse([("r.csv", Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: runs)]))])
        #expect(facts.runGroups[0].coldStart?.runs == 1, "still counted apart in the tables")
        #expect(!facts.findings.contains { $0.id == "cold-start" })
        #expect(!facts.recommendations.contains { $0.id == "warm-up" })
    }

    @Test func twoRunsPerConfigurationWithinNoiseAreNotRecommendedEither() {
        let sets = (0..<4).map { index in
            RunSet(
                model: "m", configuration: [Parameter("num_ctx", String(1024 << index))],
                runs: [run(100 + Double(index)), run(100 + Double(index))])
        }
        let facts = analyse([("s.csv", Extraction(shape: .parameterSweep, runSets: sets))])
        let inconclusive = facts.recommendations.first { $0.id == "sweep-inconclusive" }
        #expect(inconclusive?.text.contains("as few as 2 runs per configuration") == true)
        #expect(!facts.recommendations.contains { $0.id == "best-config" })
    }

    @Test func onlyAlternativesAreComparedAsFasterOrSlower() {
        let hyperfine = Extraction(
            shape: .hyperfine,
            measurements: [
                Measurement(tool: "hyperfine", name: "gzip -1", unit: "s", mean: 0.08),
                Measurement(tool: "hyperfine", name: "gzip -9", unit: "s", mean: 0.32),
            ])
        let pytest = Extraction(
            shape: .pytestBenchmark,
            measurements: [
                Measurement(tool: "pytest-benchmark", name: "test_sort", unit: "s", mean: 0.001),
                Measurement(tool: "pytest-benchmark", name: "test_json", unit: "s", mean: 0.00001),
            ])
        let facts = analyse([("h.json", hyperfine), ("p.json", pytest)])
        let spreads = facts.findings.filter { $0.id == "benchmark-spread" }
        #expect(spreads.count == 1)
        #expect(spreads.first?.text.contains("gzip -1") == true && spreads.first?.text.contains("4.00×") == true)
    }

    /// The same commands timed night after night are compared once, in the
    /// last file, which says how many others measured them.
    @Test func theSameAlternativesInManyFilesAreComparedOnce() {
        func night(_ slow: Double) -> Extraction {
            Extraction(
                shape: .hyperfine,
                measurements: [
                    Measurement(tool: "hyperfine", name: "gzip -1", unit: "s", mean: 0.08),
                    Measurement(tool: "hyperfine", name: "gzip -9", unit: "s", mean: slow),
                ])
        }
        let other = Extraction(
            shape: .hyperfine,
            measurements: [
                Measurement(tool: "hyperfine", name: "make -j1", unit: "s", mean: 4),
                Measurement(tool: "hyperfine", name: "make -j8", unit: "s", mean: 1),
            ])
        let facts = analyse([("n1/h.json", night(0.32)), ("n2/h.json", night(0.32)), ("n3/h.json", night(0.4)), ("make.json", other)])
        let spreads = facts.findings.filter { $0.id == "benchmark-spread" }.map(\.text)
        #expect(
            spreads == [
                "hyperfine: fastest is make -j8 at 1 s mean; slowest is make -j1 at 4 s (4.00×).",
                "hyperfine, in n3/h.json: fastest is gzip -1 at 80 ms mean; slowest is gzip -9 at 400 ms (5.00×) (2 other files measured the same).",
            ], "\(spreads)")
    }

    /// `hyperfine -L t 1,2 'sleep 0.001' -i 'exit 1'`: rows of one name are told
    /// apart by their setting, and a command that failed is no alternative.
    @Test func benchmarkSpreadNamesSettingsAndLeavesOutFailedCommands() {
        let hyperfine = Extraction(
            shape: .hyperfine,
            measurements: [
                Measurement(tool: "hyperfine", name: "sleep 0.001", parameters: [Parameter("t", "1")], unit: "s", mean: 0.0011),
                Measurement(tool: "hyperfine", name: "sleep 0.001", parameters: [Parameter("t", "2")], unit: "s", mean: 0.0029),
                Measurement(
                    tool: "hyperfine", name: "exit 1", unit: "s", mean: 0.00001, failure: "command exited non-zero (exit code 1)", failedRuns: 3),
            ])
        let spread = analyse([("h.json", hyperfine)]).findings.first { $0.id == "benchmark-spread" }
        #expect(spread?.text == "hyperfine: fastest is sleep 0.001 (t=1) at 1.100 ms mean; slowest is sleep 0.001 (t=2) at 2.900 ms (2.64×).")
    }

    @Test func aSummaryFileIsReadForItsCentralValueNotItsSpread() throws {
        let rows = [("a", 100.0, 5.0, 90.0), ("b", 120.0, 30.0, 60.0)].map { name, mean, std, low in
            AggregateRow(
                model: "m", configuration: [Parameter("config_name", name)],
                metrics: ["mean_tokens_s": mean, "std_tokens_s": std, "min_tokens_s": low, "std_ttft_s": 9, "mean_ttft_s": 0.2])
        }
        for _ in 0..<5 {  // dictionary order differs between runs; the answer must not
            let facts = analyse([("s_summary.csv", Extraction(shape: .sweepSummary, aggregates: rows))])
            let sweep = try #require(facts.sweeps.first)
            #expect(sweep.bestThroughput?.tokensPerSecond == 120)
            #expect(sweep.bestTTFT?.ttftSeconds == 0.2)
        }
    }

    /// A summary that writes TTFT in milliseconds (`mean_ttft_ms`) is read in
    /// seconds, as a run table's `ttft_ms` is: never a minute-long TTFT.
    @Test func aSummaryFileTTFTInMillisecondsIsReadInSeconds() throws {
        let rows = [("a", 100.0, 64.874), ("b", 120.0, 53.585)].map { name, mean, ttft in
            AggregateRow(model: "m", configuration: [Parameter("config_name", name)], metrics: ["mean_tokens_s": mean, "mean_ttft_ms": ttft])
        }
        let sweep = try #require(analyse([("s_summary.csv", Extraction(shape: .sweepSummary, aggregates: rows))]).sweeps.first)
        #expect(sweep.bestTTFT?.ttftSeconds == 53.585 / 1e3)
        #expect(sweep.ranking.map(\.ttftSeconds) == [53.585 / 1e3, 64.874 / 1e3])
        #expect(Analyzer.seconds(250, unitOf: "median_ttft_us") == 250 / 1e6 && Analyzer.seconds(0.2, unitOf: "mean_ttft_s") == 0.2)
    }

    /// A run script's summary stands for its runs only when they are not
    /// among the inputs: then its figures are shown, never nothing.
    @Test func aRunSummaryWithoutItsRunsShowsItsFigures() {
        let summary = Extraction(
            shape: .runSummaryJSON,
            aggregates: [
                AggregateRow(model: "a", configuration: [], metrics: ["mean_tokens_s": 290, "completed": 5]),
                AggregateRow(model: "b", configuration: [], metrics: ["mean_tokens_s": 72.1]),
            ])
        let runs = Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "b", configuration: [], runs: [run(70, ttft: 0.1)])])
        let facts = analyse([("summary.json", summary), ("b_runs.csv", runs)])
        #expect(facts.series.map(\.name) == ["a completed", "a mean_tokens_s"], "b's runs are there: its summary adds nothing")
        #expect(facts.series.map(\.summary.mean) == [5, 290])
    }

    /// Thousands of files each at their own bound still make one readable
    /// report: it lists the first rows and says how many there were.
    @Test func aReportListsABoundedNumberOfBenchmarks() {
        let files = (0..<3).map { file in
            (
                "h\(file).json",
                Extraction(
                    shape: .hyperfine,
                    measurements: (0..<(Analyzer.listedRows / 2)).map {
                        Measurement(tool: "hyperfine", name: "command \($0)", unit: "s", mean: 1)
                    })
            )
        }
        let facts = analyse(files)
        #expect(facts.measurements.count == Analyzer.listedRows)
        #expect(
            facts.notes.contains {
                $0.source == "Other benchmarks"
                    && $0.items == ["7500 rows; the first 5000 (in file order) are listed, so a report stays readable and its memory bounded"]
            })
    }

    /// A latency sweep's summary (TTFT, no throughput) ranks nothing: its
    /// figures are shown as numbers, never lost.
    @Test func aSweepSummaryWithoutThroughputShowsItsFigures() {
        let rows = [1, 2].map { context in
            AggregateRow(model: "m", configuration: [Parameter("num_ctx", "\(context)")], metrics: ["mean_ttft_ms": Double(context) * 10])
        }
        let facts = analyse([("s_summary.csv", Extraction(shape: .sweepSummary, aggregates: rows))])
        #expect(facts.sweeps.isEmpty)
        #expect(facts.series.map(\.name) == ["m (num_ctx=1) mean_ttft_ms", "m (num_ctx=2) mean_ttft_ms"])
    }

    @Test func twinsDeduplicateAcrossFilesButNotRepeatsWithinOne() {
        let failed = (0..<3).map { _ in run(0, ttft: 0, prompt: 1, error: "timeout") }
        let csv = Extraction(shape: .baselineCSV, runSets: [RunSet(model: nil, configuration: [], runs: failed)])
        let json = Extraction(shape: .baselineJSON, modelHint: "m", runSets: [RunSet(model: "m", configuration: [], runs: failed)])
        let facts = analyse([("m_baseline.csv", csv), ("m_baseline.json", json)])
        #expect(facts.runGroups[0].runsFailed == 3)
        #expect(facts.runGroups[0].duplicatesMerged == 3)
        #expect(facts.failures.first?.count == 3)
    }
}

/// A bare Ollama name is its `:latest` tag when the data writes both; a name
/// with a tag of its own is left as it is, however it ends (campaign s38h #11:
/// `a:latest:latest` took `a:latest`'s runs).
@Suite struct ModelAttributionTests {
    @Test func onlyABareNameTakesItsLatestTag() {
        let naming = ModelAttribution([], models: ["a", "a:latest", "a:latest:latest", ":latest", "b:7b"])
        #expect(naming.canonical("a") == "a:latest")
        #expect(naming.canonical("a:latest") == "a:latest" && naming.canonical("a:latest:latest") == "a:latest:latest")
        #expect(naming.canonical("b") == "b" && naming.canonical("") == "" && naming.canonical("b:7b") == "b:7b")
        // Hints of files that name one model count as the data's names too.
        let hinted = ModelAttribution([.init(path: "runs/c.csv", modelHint: "c:latest")], models: ["c"])
        #expect(hinted.canonical("c") == "c:latest")
    }
}
