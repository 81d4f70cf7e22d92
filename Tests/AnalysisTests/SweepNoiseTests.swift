import Foundation
import Records
import Testing

@testable import Analysis
@testable import Ingest

/// A sweep names a best configuration only when it beats run-to-run noise,
/// never ranks a sampling setting as a speed setting unless its effect does,
/// and says which configurations were measured only cold.
@Suite struct SweepNoiseTests {
    /// SplitMix64: the same draws on every platform and run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A standard normal draw (Box-Muller).
        mutating func normal() -> Double {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
            let v = Double.random(in: 0..<1, using: &self)
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
    }

    static let gpus = ["40", "60", "80", "999"]
    static let contexts = ["1024", "2048", "4096"]
    static let temperatures = ["0.2", "0.4", "0.8"]

    private let noInputs = InputFacts(roots: [], filesSeen: 0, filesAnalyzed: 0, skipped: [], changed: [], deleted: [], added: [])

    /// A 4 × 3 × 3 sweep of model `m`: tok/s = 100 · e^(noise · z) times the
    /// factor `effect` gives the configuration; `load` its runs' load time.
    private func sweep(
        _ generator: inout SeededGenerator, runs: Int, noise: Double = 0.025,
        effect: ([Parameter]) -> Double = { _ in 1 }, load: ([Parameter]) -> Double = { _ in 0.1 }
    ) -> Extraction {
        var sets: [RunSet] = []
        for gpu in Self.gpus {
            for context in Self.contexts {
                for temperature in Self.temperatures {
                    let configuration = [Parameter("num_gpu", gpu), Parameter("num_ctx", context), Parameter("temperature", temperature)]
                    let values = (0..<runs).map { _ in 100 * effect(configuration) * exp(noise * generator.normal()) }
                    let loads = load(configuration)
                    sets.append(
                        RunSet(
                            model: "m", configuration: configuration,
                            runs: values.enumerated().map { index, value in
                                LLMRun(
                                    ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: value, ttftSeconds: 0.1,
                                    loadSeconds: index == 0 ? loads : 0.1, evalCount: 100)
                            }))
                }
            }
        }
        return Extraction(shape: .parameterSweep, runSets: sets)
    }

    private func analyse(_ files: [(String, Extraction)]) -> Facts {
        var analyzer = Analyzer(catalog: files.map { Analyzer.CatalogEntry(path: $0.0, shape: $0.1.shape, modelHint: $0.1.modelHint) })
        for (path, extraction) in files { analyzer.add(path: path, extraction: extraction) }
        return analyzer.finish(inputs: noInputs, previous: nil, previousAt: nil)
    }

    /// Every figure a finding lists is in its text.
    private func expectCited(_ findings: [Finding], sourceLocation: SourceLocation = #_sourceLocation) {
        for finding in findings {
            for figure in finding.figures {
                #expect(finding.text.contains(figure), "\(finding.id): \(figure) not in \(finding.text)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a sweep of pure noise names a best in at most 5% of 200 tries, and ranks temperature about as rarely")
    func pureNoiseIsRarelyNamed() throws {
        var generator = SeededGenerator(state: 20_251_122)
        var named = 0
        var temperatureRanked = 0
        var widths: [Double] = []
        for _ in 0..<200 {
            let facts = analyse([("s.csv", sweep(&generator, runs: 1))])
            let result = try #require(facts.sweeps.first)
            #expect(result.noise?.source == .residual, "no repeated runs, no baseline: the residual of the main effects")
            #expect(result.noise?.degreesOfFreedom == 36 - 1 - 3 - 2 - 2)
            if result.bestBeatsNoise {
                named += 1
                #expect(facts.recommendations.contains { $0.id == "best-config" })
            } else {
                #expect(facts.recommendations.contains { $0.id == "sweep-inconclusive" })
                #expect(!facts.recommendations.contains { $0.id == "best-config" })
            }
            let temperature = try #require(result.effects.first { $0.parameter == "temperature" })
            #expect(temperature.sampling)
            if temperature.beyondNoise { temperatureRanked += 1 }
            widths.append(result.noise?.sdPercent ?? 0)
            expectCited(facts.findings + facts.recommendations)
        }
        #expect(named <= 10, "named a best in \(named) of 200 pure-noise sweeps")
        #expect(temperatureRanked <= 10, "temperature beyond the noise in \(temperatureRanked) of 200")
        var sorted = widths
        let median = try #require(Summary.quantile(&sorted, 0.5))
        #expect(abs(median - 2.5) < 0.3, "the residual recovers the 2.5% noise: \(median)")
    }

    @Test("a 15% effect of num_gpu with 3 runs per configuration is named, and temperature is left out")
    func aRealEffectIsNamed() throws {
        var generator = SeededGenerator(state: 7)
        var temperatureRanked = 0
        for _ in 0..<20 {
            let extraction = sweep(&generator, runs: 3) { $0[name: "num_gpu"] == "999" ? 1.15 : 1 }
            let facts = analyse([("s.csv", extraction)])
            let result = try #require(facts.sweeps.first)
            #expect(result.noise?.source == .repeatedRuns)
            #expect(result.noise.map { abs($0.sdPercent - 2.5) < 0.6 } == true)
            #expect(result.bestBeatsNoise)
            #expect(result.bestThroughput?.configuration[name: "num_gpu"] == "999")
            let interval = try #require(result.bestMarginInterval)
            #expect(interval.lower > 0 && interval.upper > interval.lower)
            #expect(result.runsNeeded == nil)
            #expect(result.effects.first { $0.parameter == "num_gpu" }?.beyondNoise == true)
            let temperature = try #require(result.effects.first { $0.parameter == "temperature" })
            #expect(temperature.sampling)
            if temperature.beyondNoise { temperatureRanked += 1 }
            let recommendation = try #require(facts.recommendations.first { $0.id == "best-config" })
            if !temperature.beyondNoise {
                #expect(recommendation.text.hasPrefix("Run m with num_gpu=999:"), "\(recommendation.text)")
                #expect(!recommendation.text.contains("temperature="), "\(recommendation.text)")
            }
            let effect = try #require(facts.findings.first { $0.id == "sweep-effect" })
            #expect(effect.text.hasPrefix("For m, num_gpu moves throughput by"))
            expectCited(facts.findings + facts.recommendations)
        }
        #expect(temperatureRanked <= 1)
    }

    /// Two settings beyond the noise: the finding named the larger and left
    /// the other to the sweep's table, which listed both.
    @Test("two settings that move throughput beyond the noise are both in the finding, the larger first")
    func twoRealEffectsAreBothNamed() throws {
        var generator = SeededGenerator(state: 11)
        for _ in 0..<10 {
            let extraction = sweep(&generator, runs: 3) {
                ($0[name: "num_gpu"] == "999" ? 1.20 : 1) * ($0[name: "num_ctx"] == Self.contexts.last ? 1.10 : 1)
            }
            let facts = analyse([("s.csv", extraction)])
            let result = try #require(facts.sweeps.first)
            try #require(result.effects.filter { $0.beyondNoise && !$0.sampling }.count == 2, "\(result.effects)")
            let effect = try #require(facts.findings.first { $0.id == "sweep-effect" })
            #expect(effect.text.hasPrefix("For m, num_gpu moves throughput by"), "\(effect.text)")
            #expect(effect.text.contains("; so does num_ctx ("), "\(effect.text)")
            expectCited(facts.findings + facts.recommendations)
        }
    }

    @Test("a sweep of two configurations names its best exactly when its parameter moves throughput beyond the noise")
    func aPairsBestAndItsEffectAgree() throws {
        var generator = SeededGenerator(state: 42)
        var disagreements: [String] = []
        var named = 0
        for attempt in 0..<200 {
            // 0% to 10% apart, 3 runs each at 2.5% noise: from hopeless to plain.
            let effect = 1 + Double(attempt % 11) / 100
            let sets = [("2048", 1.0), ("4096", effect)].map { context, factor in
                RunSet(
                    model: "m", configuration: [Parameter("num_ctx", context)],
                    runs: (0..<3).map { index in
                        LLMRun(
                            ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: 100 * factor * exp(0.025 * generator.normal()),
                            ttftSeconds: 0.1, loadSeconds: 0.1, evalCount: 100)
                    })
            }
            let facts = analyse([("pair.csv", Extraction(shape: .parameterSweep, runSets: sets))])
            let result = try #require(facts.sweeps.first)
            let beyond = try #require(result.effects.first { $0.parameter == "num_ctx" }).beyondNoise
            if result.bestBeatsNoise { named += 1 }
            if beyond != result.bestBeatsNoise {
                disagreements.append(
                    "\(attempt): best \(result.bestBeatsNoise), effect \(beyond), \(result.bestMarginInterval.map { "\($0)" } ?? "-")")
            }
            // What a report then says cannot contradict itself.
            if beyond {
                #expect(!facts.recommendations.contains { $0.id == "sweep-inconclusive" }, "\(attempt)")
            }
            expectCited(facts.findings + facts.recommendations)
        }
        // The two use the same difference, error and quantile.
        #expect(disagreements.isEmpty, "\(disagreements)")
        #expect(named >= 60, "a best named in \(named) of 200")
    }

    @Test("with no noise estimate, a sampling setting is never the effect a finding names")
    func samplingIsNotRankedWithoutNoise() throws {
        // One run each of 3 contexts × 2 temperatures: the main effects use
        // every degree of freedom but two; temperature's spread is the largest.
        let values: [String: Double] = [
            "1024 0.2": 100, "1024 0.8": 120, "2048 0.2": 101, "2048 0.8": 121, "4096 0.2": 102, "4096 0.8": 122,
        ]
        var sets: [RunSet] = []
        for context in ["1024", "2048", "4096"] {
            for temperature in ["0.2", "0.8"] {
                let value = try #require(values["\(context) \(temperature)"])
                sets.append(
                    RunSet(
                        model: "m", configuration: [Parameter("num_ctx", context), Parameter("temperature", temperature)],
                        runs: [LLMRun(ordinal: 0, promptKey: 1, tokensPerSecond: value, ttftSeconds: 0.1, loadSeconds: 0.1, evalCount: 100)]))
            }
        }
        var facts = analyse([("s.csv", Extraction(shape: .parameterSweep, runSets: sets))])
        var result = try #require(facts.sweeps.first)
        // The residual has 2 degrees of freedom and is nearly zero: exact
        // additivity. It is used (no other source), and temperature is beyond it.
        #expect(result.noise?.source == .residual)
        #expect(result.effects.first { $0.parameter == "temperature" }?.sampling == true)

        // Without any noise source (a single parameter, one run each), the
        // finding ranks only settings that are not sampling settings.
        let onlyTemperature = ["0.2", "0.5", "0.8"].enumerated().map { index, temperature in
            RunSet(
                model: "m", configuration: [Parameter("temperature", temperature), Parameter("num_ctx", "2048")],
                runs: [
                    LLMRun(ordinal: 0, promptKey: 1, tokensPerSecond: 100 + 10 * Double(index), ttftSeconds: 0.1, loadSeconds: 0.1, evalCount: 100)
                ])
        }
        facts = analyse([("t.csv", Extraction(shape: .parameterSweep, runSets: onlyTemperature))])
        result = try #require(facts.sweeps.first)
        #expect(result.noise == nil)
        #expect(!result.bestBeatsNoise)
        let effect = try #require(facts.findings.first { $0.id == "sweep-effect" })
        #expect(effect.text.contains("only sampling settings were swept"), "\(effect.text)")
        #expect(facts.recommendations.contains { $0.id == "sweep-inconclusive" })
        expectCited(facts.findings + facts.recommendations)
    }

    @Test("a baseline of the same model measures the noise of a sweep of single runs")
    func baselineRunsMeasureTheNoise() throws {
        var generator = SeededGenerator(state: 99)
        let extraction = sweep(&generator, runs: 1)
        let baselineValues = (0..<20).map { _ in 100 * exp(0.025 * generator.normal()) }
        // Its first run a cold start, and slow: left out of the noise.
        let baseline = Extraction(
            shape: .ollamaRuns,
            runSets: [
                RunSet(
                    model: "m", configuration: [],
                    runs: ([60] + baselineValues).enumerated().map { index, value in
                        LLMRun(
                            ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: value, ttftSeconds: index == 0 ? 3 : 0.1,
                            loadSeconds: index == 0 ? 5 : 0.1, evalCount: 100)
                    })
            ])
        let facts = analyse([("b.csv", baseline), ("s.csv", extraction)])
        let result = try #require(facts.sweeps.first)
        let noise = try #require(result.noise)
        #expect(noise.source == .baselineRuns)
        #expect(noise.degreesOfFreedom == 19)
        #expect(abs(noise.sdPercent - 2.5) < 1, "\(noise.sdPercent)")
        let best = try #require(facts.findings.first { $0.id == "sweep-best" })
        #expect(best.text.contains("runs outside the sweep"))
    }

    @Test("configurations measured only cold are confounds, and temperature's levels coinciding with them are said")
    func coldConfigurationsAreConfounds() throws {
        var generator = SeededGenerator(state: 3)
        // Each temperature=0.2 configuration was the first after a reload.
        let extraction = sweep(&generator, runs: 1, load: { $0[name: "temperature"] == "0.2" ? 4 : 0.1 })
        let facts = analyse([("s.csv", extraction)])
        let result = try #require(facts.sweeps.first)
        #expect(result.confounds.count == 12)
        #expect(result.confounds.allSatisfy { $0.cold && $0.configuration[name: "temperature"] == "0.2" })
        #expect(result.confounds.first?.reason.hasPrefix("its only run was a cold start") == true)
        #expect(result.effects.first { $0.parameter == "temperature" }?.confounded == true)
        let finding = try #require(facts.findings.first { $0.id == "sweep-confound" })
        #expect(finding.text.hasPrefix("12 configurations of m were measured only cold"))
        #expect(finding.text.contains("exactly the configurations with temperature=0.2"))
        #expect(facts.recommendations.first { $0.id == "sweep-inconclusive" }?.text.contains("12 were measured only cold") == true)
        expectCited(facts.findings + facts.recommendations)
    }

    @Test("Student's t quantiles, against SciPy")
    func studentQuantiles() {
        let cases: [(p: Double, freedom: Double, t: Double)] = [
            (0.975, 4, 2.7764451052), (0.975, 28, 2.0484071418), (0.99929, 28, 3.5438),
            (1 - (1 - pow(0.95, 1.0 / 36)) / 2, 4, 7.8483), (1 - (1 - pow(0.95, 1.0 / 34)) / 2, 26, 3.5464),
            (0.025, 10, -2.2281388520),
        ]
        for (p, freedom, t) in cases {
            let value = StudentDistribution.quantile(p, freedom: freedom)
            #expect(abs(value - t) < 2e-3 * abs(t), "t(\(p), \(freedom)) = \(value), not \(t)")
        }
        #expect(abs(StudentDistribution.cdf(2.7764451052, freedom: 4) - 0.975) < 1e-9)
    }

    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus/chimeraforge/gemma3")

    /// gemma3:270m: 36 configurations, one run each (two timed out); every
    /// temperature=0.2 configuration was its block's first run after a reload.
    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: corpus.appendingPathComponent("gemma3_270m_param_tuning.csv").path),
            "needs ../shared/corpus beside the checkout, as in CI"))
    func theCorpusSweepNamesNoBest() throws {
        var files: [(String, Extraction)] = []
        for name in ["gemma3_270m_baseline.json", "gemma3_270m_baseline.csv", "gemma3_270m_param_tuning.csv"] {
            let bytes = [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            guard case .extracted(let extraction) = ContentParser.parse(bytes, fileName: name) else {
                Issue.record("\(name) did not parse")
                return
            }
            files.append(("gemma3/" + name, extraction))
        }
        let facts = analyse(files)
        let result = try #require(facts.sweeps.first { $0.model == "gemma3:270m" })
        #expect(result.ranking.count == 34)
        #expect(result.ranking.allSatisfy { $0.runs == 1 })
        let margin = try #require(result.bestMarginPercent)
        #expect(abs(margin - 4.9) < 0.05, "the margin that used to be recommended")
        #expect(result.noise != nil)
        #expect(!result.bestBeatsNoise)
        #expect((result.bestMarginInterval?.lower ?? 1) < 0)
        #expect((result.runsNeeded?.runs ?? 0) > 1)
        #expect(!facts.recommendations.contains { $0.id == "best-config" })
        let inconclusive = try #require(facts.recommendations.first { $0.id == "sweep-inconclusive" })
        #expect(inconclusive.text.contains("none beats the run-to-run noise"))
        let best = try #require(facts.findings.first { $0.id == "sweep-best" && $0.text.contains("gemma3:270m") })
        #expect(best.text.hasPrefix("No configuration of gemma3:270m beats the run-to-run noise"))
        let temperature = try #require(result.effects.first { $0.parameter == "temperature" })
        #expect(temperature.sampling && !temperature.beyondNoise && temperature.confounded)
        #expect(result.confounds.filter(\.cold).count == 11)
        #expect(result.confounds.allSatisfy { $0.configuration[name: "temperature"] == "0.2" })
        let confound = try #require(facts.findings.first { $0.id == "sweep-confound" && $0.text.contains("gemma3:270m") })
        #expect(confound.text.contains("temperature=0.2"))
        expectCited(facts.findings + facts.recommendations)
    }
}
