import Foundation
import Records
import Testing

@testable import Ingest

/// criterion.rs's `new/estimates.json` is a benchmark named by its folders;
/// the other files it keeps beside it are skipped with their reasons. Each
/// was numbers by path (campaign s36c).
@Suite struct CriterionFormatTests {
    private func estimate(_ value: Double) -> String {
        #"{"confidence_interval":{"confidence_level":0.95,"lower_bound":\#(value * 0.99),"upper_bound":\#(value * 1.01)},"point_estimate":\#(value),"standard_error":2.35}"#
    }

    private var estimates: String {
        #"{"mean":\#(estimate(1247.1)),"median":\#(estimate(1245.9)),"median_abs_dev":\#(estimate(13.9)),"slope":\#(estimate(1248.7)),"std_dev":\#(estimate(23.4))}"#
    }

    private func parse(_ text: String, _ path: String) -> ContentParser.Parsed {
        ContentParser.parse(Array(text.utf8), fileName: String(path.split(separator: "/").last ?? ""), path: path)
    }

    @Test func aRunsEstimatesAreTheBenchmarkItsFoldersName() throws {
        for path in [
            "target/criterion/parse/serde_json/1024/new/estimates.json", "criterion/parse/serde_json/1024/new/estimates.json",
            "parse/serde_json/1024/new/estimates.json",
        ] {
            guard case .extracted(let e) = parse(estimates, path) else {
                Issue.record("\(path) not read")
                continue
            }
            #expect(e.shape == .criterion)
            let timed = try #require(e.measurements.first)
            #expect(timed.tool == "criterion" && timed.name == "parse/serde_json/1024" && timed.unit == "ns", "\(path)")
            #expect(timed.median == 1245.9 && timed.mean == 1247.1 && timed.stddev == 23.4 && timed.isRegressionTested && !timed.higherIsBetter)
            #expect(e.measurements.last.map { $0.name == "parse/serde_json/1024 slope" && !$0.isRegressionTested } == true)
        }
        // Flat sampling writes no slope; criterion before 0.3.3 capitalised its keys.
        let old = #"{"Mean":\#(estimate(14.1)),"Median":\#(estimate(14.0)),"MedianAbsDev":\#(estimate(0.2)),"Slope":null,"StdDev":\#(estimate(0.3))}"#
        guard case .extracted(let e) = parse(old, "criterion/fib 20/new/estimates.json") else {
            Issue.record("capitalised keys not read")
            return
        }
        #expect(e.measurements.count == 1 && e.measurements[0].name == "fib 20" && e.measurements[0].median == 14.0)
    }

    /// A time below zero is no figure: it was listed and tested (campaign s38h #9).
    @Test func anEstimateBelowZeroIsNoFigure() throws {
        let negative = #"{"mean":\#(estimate(-50)),"median":\#(estimate(-40)),"std_dev":\#(estimate(-1)),"slope":null}"#
        guard case .extracted(let e) = parse(negative, "criterion/neg/new/estimates.json") else {
            Issue.record("not read")
            return
        }
        let timed = try #require(e.measurements.first)
        #expect(timed.median == nil && timed.mean == nil && timed.stddev == nil && timed.failure == "no finite estimate")
        #expect(e.notes.contains { $0.contains("at or above zero") })
    }

    @Test func theFilesBesideItAreSkippedWithTheirReasons() {
        let folder = "target/criterion/parse/serde_json/1024/"
        let change = #"{"mean":\#(estimate(0.023)),"median":\#(estimate(0.021))}"#
        let cases: [(String, String, String)] = [
            (change, "change/estimates.json", "criterion's change against its baseline"),
            (estimates, "base/estimates.json", "criterion's estimates outside a run's new/ folder (in 'base': a saved baseline, or a copy)"),
            (
                #"{"group_id":"parse","function_id":"serde_json","value_str":"1024","throughput":{"Bytes":1024},"full_id":"parse/serde_json/1024","directory_name":"parse/serde_json/1024","title":"parse/serde_json/1024"}"#,
                "new/benchmark.json", "criterion's description of the benchmark"
            ),
            (#"{"sampling_mode":"Linear","iters":[397.0,794.0],"times":[495100.0,990200.0]}"#, "new/sample.json", "criterion's samples"),
            ("[1178.3,1206.6,1282.2,1310.6]", "new/tukey.json", "criterion's outlier fences"),
        ]
        for (text, file, reason) in cases {
            guard case .skipped(.noBenchmarkData(let said)) = parse(text, folder + file) else {
                Issue.record("\(file) was read")
                continue
            }
            #expect(said.hasPrefix(reason), "\(file): \(said)")
        }
    }
}
