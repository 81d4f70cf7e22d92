import Foundation
import Records
import Testing

@testable import Analysis

@Suite struct ChangesTests {
    /// A group as the analyzer makes it: summaries and samples of its runs.
    private func group(_ model: String, _ tokensPerSecond: [Double], ttft: [Double]? = nil, configuration: [Parameter] = []) -> RunGroup {
        let ttft = ttft ?? tokensPerSecond.map { _ in 0.1 }
        return RunGroup(
            model: model, modelSource: "data", configuration: configuration, sources: ["\(model).csv"],
            runsOK: tokensPerSecond.count, runsFailed: 0, duplicatesMerged: 0, tokensPerSecond: Summary(tokensPerSecond),
            ttftSeconds: Summary(ttft), coldStart: nil, isSweep: false,
            tokensPerSecondSample: Sample(drawingFrom: tokensPerSecond), ttftSample: Sample(drawingFrom: ttft))
    }

    /// `count` runs spread evenly around `center` (± 2%), in a scrambled order.
    private func runs(_ count: Int, around center: Double) -> [Double] {
        (0..<count).map { center * (0.98 + 0.04 * Double(($0 * 7) % count) / Double(count)) }
    }

    private func changes(_ before: [RunGroup], _ after: [RunGroup]) -> Changes {
        Changes.between(ReportDigest(before), at: "2026-01-01T00:00:00Z", and: after)
    }

    /// Thousands of groups (a tree of thousands of models): the report lists
    /// the `listedRows` with the most runs, in their order, and says so.
    @Test func aReportListsTheLargestRunGroupsAndSaysHowManyThereWere() {
        let count = Analyzer.listedRows + 3
        var groups = (0..<count).map { index in
            // Three groups of one run (indices 10, 20, 30); every other one has two.
            group(String(format: "m%05d", index), [Double](repeating: 50, count: [10, 20, 30].contains(index) ? 1 : 2))
        }
        var notes: [SourceDetail] = []
        Analyzer.boundRunGroups(&groups, notes: &notes)
        #expect(groups.count == Analyzer.listedRows)
        #expect(!groups.contains { ["m00010", "m00020", "m00030"].contains($0.model) })
        #expect(groups.map(\.model) == groups.map(\.model).sorted())
        #expect(notes.first?.items.first?.hasPrefix("\(count) groups of a model and configuration; the 5000 with the most runs") == true)
        var few = Array(groups.prefix(3))
        Analyzer.boundRunGroups(&few, notes: &notes)
        #expect(few.count == 3 && notes.count == 1)
    }

    @Test func aClearSlowdownIsASignificantRegression() throws {
        let result = changes([group("m", runs(20, around: 100))], [group("m", runs(20, around: 80))])
        let move = try #require(result.moves.first)
        #expect(move.metric == "tokens_per_second" && move.worse)
        #expect(move.verdict == .significant && move.isRegression)
        let test = try #require(move.test)
        #expect(test.u == 0, "every run after is slower than every run before")
        #expect(test.pValue < 1e-6 && test.rankBiserial == -1)
        #expect(move.runsBefore == 20 && move.runsAfter == 20)
        #expect(move.verdictText.hasPrefix("significant (Mann-Whitney p < 0.001)"))
        #expect(result.regressions.count == 1)
    }

    @Test func regressionsLeadThenUnconfirmedWorseMovesThenImprovements() {
        let before = [
            group("a", runs(30, around: 100)),  // -5%, significant
            group("b", [100, 101, 102]),  // -30%, too few runs
            group("c", runs(30, around: 100)),  // noise: not significant
            group("d", runs(30, around: 100)),  // +20%, significant improvement
            group("e", runs(30, around: 100)),  // -25%, significant
        ]
        let after = [
            group("a", runs(30, around: 95)),
            group("b", [70, 71, 72]),
            group("c", runs(30, around: 100).map { $0 * 0.999 }.reversed() + [50]),
            group("d", runs(30, around: 120)),
            group("e", runs(30, around: 75)),
        ]
        let moves = changes(before, after).moves.filter { $0.metric == "tokens_per_second" }
        #expect(moves.map(\.model) == ["e", "a", "b", "c", "d"])
        #expect(moves.map(\.verdict) == [.significant, .significant, .tooFewRuns, .notSignificant, .significant])
        #expect(moves.map(\.isRegression) == [true, true, false, false, false])
        #expect(moves[2].verdictText == "too few runs (3 before, 3 after)")
        #expect(moves[3].verdictText.hasPrefix("not significant (Mann-Whitney p = "))
    }

    @Test func aRiseInTTFTIsWorse() throws {
        let before = group("m", runs(10, around: 50), ttft: runs(10, around: 0.2))
        let after = group("m", runs(10, around: 50), ttft: runs(10, around: 0.3))
        let move = try #require(changes([before], [after]).moves.first { $0.metric == "ttft_seconds" })
        #expect(move.worse && move.isRegression && move.verb == "rose")
        #expect(move.metricLabel == "median TTFT (s)")
    }

    @Test func unchangedRunsAreNoMoveAndGroupsComeAndGo() {
        let result = changes([group("m", runs(10, around: 50)), group("old", [1, 2, 3])], [group("m", runs(10, around: 50)), group("new", [4])])
        #expect(result.moves.isEmpty)
        #expect(result.newGroups == ["new | "] && result.goneGroups == ["old | "])
        #expect(Changes.between(nil, at: nil, and: [group("m", [1])]) == .none)
    }

    /// A digest written before samples were kept still compares medians; its
    /// moves are "not tested" instead of failing the comparison.
    @Test func anOldDigestStillDecodesAndItsMovesAreNotTested() throws {
        let old = #"{"groups":[{"key":"m | ","model":"m","configuration":"","runs":5,"tokensPerSecondMedian":100,"ttftMedian":0.1}]}"#
        let digest = try JSONDecoder().decode(ReportDigest.self, from: Data(old.utf8))
        #expect(digest.groups.first?.tokensPerSecondSample == nil)
        let move = try #require(Changes.between(digest, at: "then", and: [group("m", runs(10, around: 80))]).moves.first)
        #expect(move.verdict == .notTested && move.test == nil && move.runsBefore == nil)
        #expect(move.previousRuns == 5 && move.worse && !move.isRegression)
        #expect(move.runsText == "— → 10")
    }

    @Test func aDamagedSampleCostsOnlyItsTest() throws {
        let damaged =
            #"{"groups":[{"key":"m | ","model":"m","configuration":"","runs":5,"tokensPerSecondMedian":100,"tokensPerSecondSample":{"n":5,"values":"%%%"}}]}"#
        let digest = try JSONDecoder().decode(ReportDigest.self, from: Data(damaged.utf8))
        #expect(digest.groups.count == 1 && digest.groups[0].tokensPerSecondSample == nil)
    }

    @Test func theDigestCarriesTheSamplesExactly() throws {
        let groups = [group("m", runs(1_000, around: 50), ttft: runs(1_000, around: 0.2)), group("n", [1, 2, 3])]
        let digest = ReportDigest(groups)
        let decoded = try JSONDecoder().decode(ReportDigest.self, from: try JSONEncoder().encode(digest))
        #expect(decoded == digest)
        #expect(decoded.groups[0].tokensPerSecondSample?.count == Sample.capacity)
        #expect(decoded.groups[0].tokensPerSecondSample?.population == 1_000)
        #expect(decoded.groups[1].tokensPerSecondSample?.values == [1, 2, 3])
    }

    @Test func groupResultsKeepTheirSamplesInTheCache() throws {
        var result = GroupResult(group: group("m", runs(700, around: 50), ttft: runs(700, around: 0.2)), failures: [])
        result.failures = [GroupResult.FailureShare(message: "timeout", count: 2, sources: ["m.csv"])]
        let decoded = try GroupResult(decoding: result.encoded())
        #expect(decoded == result)
        #expect(decoded.group.tokensPerSecondSample.count == Sample.capacity)
        // A result stored by the previous layout is refused (and recomputed).
        var old = result.encoded()
        old[0] = 1
        #expect(throws: (any Error).self) { try GroupResult(decoding: old) }
    }
}
