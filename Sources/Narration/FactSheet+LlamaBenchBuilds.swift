import Analysis
import Records

extension FactSheetBuilder {
    /// A row per llama-bench test two builds measured: each build's t/s (one
    /// family, so their ratio is a figure a narrative may state), the speedup,
    /// the change and the p-value. A significant slowdown ranks with the
    /// figures a reader acts on.
    mutating func llamaBenchBuilds(_ comparisons: [LlamaBenchBuildComparison]) {
        let ids = StableID.assign(kind: "K", identities: comparisons.map(Self.identity))
        for (comparison, id) in zip(comparisons, ids) {
            let settings = comparison.parameters.isEmpty ? "" : " [" + comparison.parameters.rendered + "]"
            let subject =
                "llama-bench builds " + comparison.model + " " + comparison.test + settings + " baseline=" + comparison.baseline.build.label
                + " current=" + comparison.current.build.label
            var row = FactSheet.Row(id: id, subject: subject, facts: [])
            let slower = comparison.verdict == .significant && comparison.speedup < 1
            let priority = slower ? 1 : 3
            let family = id + ".tps"
            for (key, side) in [("baseline.tps", comparison.baseline), ("current.tps", comparison.current)] {
                row.facts.append(
                    Fact(
                        id: id + "." + key, key: key, shown: Figures.tokensPerSecond(side.tokensPerSecond), value: side.tokensPerSecond,
                        unit: "tok/s", family: family, priority: priority))
            }
            row.facts.append(
                Fact(
                    id: id + ".speedup", key: "speedup", shown: Figures.ratio(comparison.speedup), value: comparison.speedup, unit: "×",
                    priority: priority))
            row.facts.append(
                Fact(
                    id: id + ".change", key: "change", shown: Figures.signedPercent(comparison.changePercent), value: comparison.changePercent,
                    unit: "%", priority: priority))
            for (key, side) in [("baseline.n", comparison.baseline), ("current.n", comparison.current)] where !side.samples.isEmpty {
                row.facts.append(
                    Fact(
                        id: id + "." + key, key: key, shown: String(side.samples.count), value: Double(side.samples.count), unit: "repetitions",
                        priority: priority + 1))
            }
            if let test = comparison.mannWhitney {
                row.facts.append(
                    Fact(id: id + ".p", key: "p", shown: Figures.pValue(test.pValue), value: test.pValue, unit: "", priority: priority + 1))
            }
            rows.append(row)
        }
    }

    static func identity(_ comparison: LlamaBenchBuildComparison) -> String {
        [
            comparison.model, comparison.test, comparison.parameters.rendered, comparison.baseline.build.label,
            comparison.current.build.label,
        ].joined(separator: "|")
    }
}
