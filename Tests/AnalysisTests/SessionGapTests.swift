import Foundation
import Records
import Testing

@testable import Analysis

/// Where a file's runs pause for longer than the gap, a new session starts:
/// the file's runs, all models together, say so, not one model's.
@Suite struct SessionGapTests {
    /// Runs of `model` at the given minutes after a fixed start.
    private func set(_ model: String, minutes: [Double]) -> RunSet {
        RunSet(
            model: model, configuration: [],
            runs: minutes.enumerated().map { index, minute in
                LLMRun(
                    ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: 50 + Double(index), ttftSeconds: 0.1, evalCount: 10,
                    timestamp: 1_795_000_000 + minute * 60)
            })
    }

    @Test("two models taken in turn, six minutes a run, are one session each, though each model's runs are twelve minutes apart")
    func modelsTakenInTurn() {
        let a = set("a", minutes: [0, 12, 24, 36, 48])
        let b = set("b", minutes: [6, 18, 30, 42, 54])
        let digest = FileDigest(Extraction(shape: .ollamaRuns, runSets: [a, b]), sessionGap: 600)
        #expect(digest.runSets.map(\.model) == ["a", "b"])
        #expect(digest.runSets.map(\.runsOK) == [5, 5])
    }

    @Test("a pause of the file's runs longer than the gap starts a new session of every model")
    func aPauseStartsNewSessions() {
        let a = set("a", minutes: [0, 12, 24, 200, 212])
        let b = set("b", minutes: [6, 18, 206, 218])
        let digest = FileDigest(Extraction(shape: .ollamaRuns, runSets: [a, b]), sessionGap: 600)
        #expect(digest.runSets.map(\.model) == ["a", "a", "b", "b"])
        #expect(digest.runSets.map(\.runsOK) == [3, 2, 2, 2])
        // One model alone: its own runs are the file's.
        let alone = FileDigest(Extraction(shape: .ollamaRuns, runSets: [set("c", minutes: [0, 12, 24])]), sessionGap: 600)
        #expect(alone.runSets.map(\.runsOK) == [1, 1, 1])
    }

    @Test("a night's runs written into the file twice count once; a date alone or no time keeps repeated figures")
    func runsWrittenTwiceCountOnce() {
        let night = set("a", minutes: [0, 1, 2, 3, 4])
        var twice = night
        for run in set("a", minutes: [0, 1, 2]).runs { twice.columns.append(run) }
        let digest = FileDigest(Extraction(shape: .ollamaRuns, runSets: [twice]), sessionGap: 600)
        #expect(digest.runSets.map(\.runsOK) == [5])
        #expect(digest.runSets.map(\.duplicates) == [3])
        #expect(digest.runSets.first?.tokensPerSecond == [50, 51, 52, 53, 54])
        // Two runs in one second with their own figures are two runs.
        let sameSecond = set("a", minutes: [0, 0, 0])
        #expect(FileDigest(Extraction(shape: .ollamaRuns, runSets: [sameSecond]), sessionGap: 600).runSets.map(\.runsOK) == [3])
        // A harness that stamps every row with its session's start, figures
        // rounded: rows that never go back in time are all runs.
        let sessionStart = RunSet(
            model: "a", configuration: [],
            runs: (0..<4).map { LLMRun(ordinal: $0, promptKey: 1, tokensPerSecond: 45.3, ttftSeconds: 0.12, timestamp: 1_795_000_000) })
        #expect(FileDigest(Extraction(shape: .ollamaRuns, runSets: [sessionStart]), sessionGap: 600).runSets.map(\.runsOK) == [4])
        // Stamped with their day alone, equal figures may be two runs.
        let dated = RunSet(
            model: "a", configuration: [],
            runs: (0..<3).map { LLMRun(ordinal: $0, promptKey: 1, tokensPerSecond: 45.3, ttftSeconds: 0.12, timestamp: 1_795_046_400) })
        #expect(FileDigest(Extraction(shape: .ollamaRuns, runSets: [dated]), sessionGap: 600).runSets.map(\.runsOK) == [3])
    }

    @Test("runs that take longer than the gap, back to back, are one session: the time a run took is no pause")
    func longRunsBackToBackAreOneSession() {
        // A large model: 14 minutes a run (eval_s), 2 seconds between them,
        // then a night's break.
        func run(_ index: Int, at minute: Double) -> LLMRun {
            LLMRun(
                ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: 2.0, ttftSeconds: 3, evalSeconds: 837, evalCount: 1674,
                timestamp: 1_795_000_000 + minute * 60)
        }
        let minutes: [Double] = [0, 14.05, 28.1, 42.15, 56.2, 1440, 1454.05, 1468.1]
        let long = RunSet(model: "big", configuration: [], runs: minutes.enumerated().map { run($0.offset, at: $0.element) })
        let digest = FileDigest(Extraction(shape: .ollamaRuns, runSets: [long]), sessionGap: 600)
        #expect(digest.runSets.map(\.runsOK) == [5, 3])
        // A run that recorded only its throughput and tokens took their quotient.
        let counted = RunSet(
            model: "big", configuration: [],
            runs: [0, 14.05, 28.1].enumerated().map { index, minute in
                LLMRun(
                    ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: 2.0, evalCount: 1680, timestamp: 1_795_000_000 + minute * 60)
            })
        #expect(FileDigest(Extraction(shape: .ollamaRuns, runSets: [counted]), sessionGap: 600).runSets.map(\.runsOK) == [3])
    }

    /// A dated table's columns become sessions where its rows pause: two
    /// compilers built one after the other are one night; a build of 40
    /// minutes after one of 40 is no pause; the next night starts anew.
    @Test("a dated table's rows are cut into sessions where they pause, less the longer row's own time")
    func aDatedTablesRowsAreSessions() throws {
        let start = 1_795_000_000.0
        let minutes: [Double] = [0, 40.5, 81, 1440, 1480.5]
        let gcc = DatedSeries(
            benchmark: "builds.csv › build_s", parameters: [Parameter("compiler", "gcc")], unit: "s", higherIsBetter: false,
            values: [2400, 2410, 2395, 2420, 2405], times: minutes.map { start + $0 * 60 })
        // Rates say nothing of how long their row took: their rows 20 minutes apart are pauses.
        let rate = DatedSeries(
            benchmark: "builds.csv › files_s", parameters: [], unit: "files/s", higherIsBetter: true, values: [9, 8, 7],
            times: [0.0, 20, 40].map { start + 3 * 86_400 + $0 * 60 })
        // Its CPU seconds beside, on many cores: longer than any wait, no row's own.
        let cpu = DatedSeries(
            benchmark: "builds.csv › cpu_s", parameters: [Parameter("compiler", "gcc")], unit: "s", higherIsBetter: false,
            values: [96_000, 96_400, 95_800, 96_800, 96_200], times: minutes.map { start + $0 * 60 })
        var extraction = Extraction(shape: .genericCSV)
        extraction.datedSeries = [gcc, rate]
        var withCPU = extraction
        withCPU.datedSeries.append(cpu)
        #expect(FileDigest(withCPU, sessionGap: 600).others.measurements.filter { $0.name == gcc.benchmark }.map(\.samples.count) == [3, 2])
        let digest = FileDigest(extraction, sessionGap: 600)
        #expect(digest.others.datedSeries.isEmpty)
        let sessions = digest.others.measurements
        #expect(sessions.map(\.name) == Array(repeating: "builds.csv › build_s", count: 2) + Array(repeating: "builds.csv › files_s", count: 3))
        #expect(sessions.map(\.samples) == [[2400, 2410, 2395], [2420, 2405], [9], [8], [7]])
        let first = try #require(sessions.first)
        // Dated by its last row: a night still being appended to is measured anew.
        #expect(first.measuredAt == start + 81 * 60 && first.median == 2400 && first.count == 3 && first.tool == DatedSeries.tool)
        #expect(first.parameters == [Parameter("compiler", "gcc")] && first.unit == "s" && !first.higherIsBetter)
        #expect(sessions[1].measuredAt == start + 1480.5 * 60)
        // The last night, with fewer rows than the one before it, is still
        // being written: listed, tested once it has as many.
        #expect(first.isRegressionTested && !sessions[1].isRegressionTested && sessions[4].isRegressionTested)
    }

    /// A time longer than the wait between two rows is no row's own (a
    /// host's `uptime_s`, a build's CPU seconds on many cores): it merged
    /// every night into one session, and no night was ever tested.
    @Test("a time longer than the wait between rows shortens no pause")
    func aTimeLongerThanTheWaitIsNoRowsOwn() {
        let start = 1_795_000_000.0
        let nights = (0..<4).map { start + Double($0) * 86_400 }
        let wall = DatedSeries(
            benchmark: "b.csv › wall_s", parameters: [], unit: "s", higherIsBetter: false, values: [300, 301, 299, 360], times: nights)
        let cpu = DatedSeries(
            benchmark: "b.csv › cpu_s", parameters: [], unit: "s", higherIsBetter: false, values: [400_000, 401_000, 399_000, 480_000],
            times: nights)
        var extraction = Extraction(shape: .genericCSV)
        extraction.datedSeries = [wall, cpu]
        let sessions = FileDigest(extraction, sessionGap: 600).others.measurements
        #expect(sessions.filter { $0.name == "b.csv › wall_s" }.map(\.samples) == [[300], [301], [299], [360]])
    }
}
