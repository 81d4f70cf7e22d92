import Foundation
import Records
import Testing

@testable import Analysis

/// A night of a few runs (a suite of three prompts, or a session still being
/// written, read after its third run) is tested against the nights before it
/// by their medians over as many runs: judged by the spread of medians of ten
/// runs, a median of three cried wolf about one time in ten when runs scatter
/// by 8%, and opened regressions that the session's later runs resolved.
@Suite struct ShortNightTests {
    typealias Generator = SweepNoiseTests.SeededGenerator

    /// Eight nights of ten runs, then one of `tonight` runs at `level` times
    /// the usual: each night's level scattered by `between`, runs by `within`
    /// (as logarithms). The new night's test, if it had one.
    private static func tested(
        _ generator: inout Generator, tonight: Int, level: Double = 1, within: Double = 0.08, between: Double = 0.01
    ) -> SessionComparison.Test? {
        var values: [Double] = []
        var spans: [Range<Int>] = []
        for night in 0..<9 {
            let runs = night < 8 ? 10 : tonight
            let nightLevel = 100 * exp(between * generator.normal()) * (night < 8 ? 1 : level)
            let start = values.count
            for _ in 0..<runs { values.append(nightLevel * exp(within * generator.normal())) }
            spans.append(start..<values.count)
        }
        let history = SessionHistory.analyse(
            values: values, spans: spans, chronological: Array(0..<9), isNew: (0..<9).map { $0 == 8 }, window: 10)
        let outcome = history.outcomes.first { $0.session == 8 }
        return outcome?.basis == .sessions ? outcome?.test : nil
    }

    @Test("a night of 3 or 4 unchanged runs is seldom found worse; one 25% slower still is, nearly always")
    func shortNightsNeitherCryWolfNorMiss() {
        var generator = Generator(state: 0x5EED_0001)
        let trials = 600
        for tonight in [3, 4] {
            var alarms = 0
            var caught = 0
            for _ in 0..<trials {
                if let test = Self.tested(&generator, tonight: tonight), test.pValue < 0.05, test.changePercent < -5 { alarms += 1 }
                if let test = Self.tested(&generator, tonight: tonight, level: 0.75), test.pValue < 0.05, test.changePercent < -5 {
                    caught += 1
                }
            }
            // Matched, the rate is about 2%; judged against medians of ten, it was about 10%.
            #expect(Double(alarms) / Double(trials) < 0.045, "\(tonight) runs: \(alarms) of \(trials) unchanged nights found worse")
            #expect(Double(caught) / Double(trials) > 0.85, "\(tonight) runs: \(caught) of \(trials) nights 25% slower found worse")
        }
    }
}

/// How a file's own bare `ttft` was read is its environment alone: a file
/// beside it that names its unit assumed nothing, and was kept from being
/// tested on TTFT by a neighbour's assumption.
@Suite struct AssumedTTFTUnitTests {
    @Test func theUnitAssumedIsNoNeighboursEnvironment() {
        let environmentOf = SessionEnvironment.bySource([
            SourceDetail(source: "2026-11-10/b.csv", items: ["ttft_unit=ms (assumed)", "gpu=RTX 4090"]),
            SourceDetail(source: "2026-11-10/a.csv", items: ["gpu=RTX 4090"]),
            SourceDetail(source: "2026-11-10/c.csv", items: ["ttft_unit=s (assumed)"]),
        ])
        #expect(environmentOf("2026-11-10/a.csv").values.map(\.key) == ["gpu"])
        #expect(environmentOf("2026-11-10/b.csv").values.first { $0.key == AssumedTTFTUnit.key }?.value == AssumedTTFTUnit.milliseconds)
        #expect(environmentOf("2026-11-10/c.csv").values.first { $0.key == AssumedTTFTUnit.key }?.value == AssumedTTFTUnit.seconds)
        // Tokens per second are compared whatever the unit TTFT was read in.
        #expect(
            environmentOf("2026-11-10/b.csv").of(.tokensPerSecond).differences(from: environmentOf("2026-11-10/c.csv").of(.tokensPerSecond)).isEmpty)
        #expect(!environmentOf("2026-11-10/b.csv").differences(from: environmentOf("2026-11-10/c.csv")).isEmpty)
    }
}
