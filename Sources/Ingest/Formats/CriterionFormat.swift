import Records

/// criterion.rs's results (`cargo bench`), a folder a benchmark under
/// `target/criterion/`: `<group>/<function>/<value>/new/estimates.json`
/// holds the latest run's statistics of the time per iteration, in
/// nanoseconds, each with its confidence interval:
///
///     {"mean": {"confidence_interval": {"confidence_level": 0.95, "lower_bound": 1242.5, "upper_bound": 1251.7},
///               "point_estimate": 1247.1, "standard_error": 2.35},
///      "median": {...}, "median_abs_dev": {...}, "slope": {...} or null, "std_dev": {...}}
///
/// The benchmark is named by the folders between `criterion/` (or the
/// input) and `new/` (`parse/serde_json/1024`), as criterion names it; its
/// median is tested (lower is better), as hyperfine's is. `cargo bench`
/// writes the file anew each run, so its earlier versions are its nights.
/// The other files criterion keeps beside it are no sessions of their
/// own, each skipped with its reason: `base/` (or a `--save-baseline`
/// name) is a copy of a run, `change/` criterion's own comparison, and
/// `benchmark.json`, `sample.json` and `tukey.json` describe the run
/// `estimates.json` sums up. Before, each was numbers by path.
enum CriterionFormat {
    /// The statistics a file of estimates holds, by the names criterion
    /// writes (before 0.3.3 capitalised: `Mean`, `Median`, `StdDev`).
    private static func estimate(_ document: JSONValue, _ names: [String]) -> Double? {
        for name in names {
            // A time is never below zero: such an estimate is no figure (campaign s38h #9).
            if let value = document[name]?["point_estimate"]?.double, value.isFinite, value >= 0 { return value }
        }
        return nil
    }

    static func matches(estimates document: JSONValue) -> Bool {
        (document["mean"] ?? document["Mean"])?["confidence_interval"] != nil
            && (document["median"] ?? document["Median"])?["point_estimate"] != nil
    }

    /// Why a criterion file other than a run's `new/estimates.json` is
    /// skipped; nil when `document` at `path` is none of them.
    static func skipReason(_ document: JSONValue, path: String) -> String? {
        let parts = path.split(separator: "/")
        let folder = parts.dropLast().last.map(String.init)
        if matches(estimates: document) {
            switch folder {
            case "new", nil: return nil
            case "change": return "criterion's change against its baseline (in fractions): chimerad tests each run against the runs before it"
            default:
                return
                    "criterion's estimates outside a run's new/ folder (in '\(TextCuts.text(folder ?? ""))': a saved baseline, or a copy), a run read from its new/estimates.json"
            }
        }
        if document["group_id"] != nil, document["full_id"] != nil, document["directory_name"] != nil {
            return "criterion's description of the benchmark whose estimates.json beside it is read"
        }
        if document["sampling_mode"] != nil, document["iters"]?.elements != nil, document["times"]?.elements != nil {
            return "criterion's samples of the run whose estimates.json beside it is read"
        }
        if parts.last == "tukey.json", let fences = document.elements, fences.count == 4 {
            return "criterion's outlier fences of the run whose estimates.json beside it is read"
        }
        return nil
    }

    /// `new/estimates.json` at `path` (under its input) as the benchmark its folders name.
    static func extract(estimates document: JSONValue, path: String) -> Extraction {
        var parts = path.split(separator: "/").map(String.init)
        _ = parts.popLast()  // estimates.json
        if parts.last == "new" { _ = parts.popLast() }
        if let root = parts.lastIndex(of: "criterion") { parts.removeSubrange(...root) }
        let name = parts.isEmpty ? "benchmark" : TextCuts.text(parts.joined(separator: "/"))
        var notes: [String] = []
        var measurement = Measurement(
            tool: "criterion", name: name, unit: "ns", mean: estimate(document, ["mean", "Mean"]),
            median: estimate(document, ["median", "Median"]), stddev: estimate(document, ["std_dev", "StdDev"]))
        if measurement.median == nil, measurement.mean == nil {
            measurement.failure = "no finite estimate"
            notes.append("estimates.json without a finite mean or median at or above zero")
        }
        var measurements = [measurement]
        // The slope of a linear sampling is criterion's headline figure; listed beside the median.
        if let slope = estimate(document, ["slope", "Slope"]) {
            measurements.append(Measurement(tool: "criterion", name: "\(name) slope", unit: "ns", mean: slope, isRegressionTested: false))
        }
        return Extraction(shape: .criterion, measurements: measurements, notes: notes)
    }
}
