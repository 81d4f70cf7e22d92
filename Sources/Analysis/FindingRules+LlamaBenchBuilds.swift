import Records

extension FindingRules {
    /// How much slower a newer build must be on a test, the test confirming
    /// it, for a finding.
    static let llamaBenchSlowdownPercent = 5.0

    /// Per model, the test the newest build slowed down most, when it is at
    /// least `llamaBenchSlowdownPercent` slower than the oldest build and the
    /// repetitions say it is no noise (Mann-Whitney p < α). A change the files
    /// cannot test (CSV and Markdown list no repetitions) is left to the table.
    static func llamaBenchBuilds(_ facts: Facts, _ findings: inout [Finding]) {
        let slower = facts.llamaBenchBuilds.filter { $0.verdict == .significant && $0.changePercent <= -llamaBenchSlowdownPercent }
        let byModel = Dictionary(grouping: slower, by: \.model)
        for model in byModel.keys.sorted() {
            // Slowest first; a tie keeps the table's order.
            let rows = (byModel[model] ?? []).enumerated().sorted { ($0.element.speedup, $0.offset) < ($1.element.speedup, $1.offset) }.map(\.element)
            guard let worst = rows.first else { continue }
            let drop = Figures.percent(-worst.changePercent)
            let was = Figures.tokensPerSecond(worst.baseline.tokensPerSecond)
            let now = Figures.tokensPerSecond(worst.current.tokensPerSecond)
            let ratio = Figures.ratio(worst.speedup)
            let setting = worst.parameters.isEmpty ? "" : " (\(worst.parameters.rendered))"
            var text =
                "llama-bench, \(model): \(worst.test)\(setting) is \(drop) slower in build \(worst.current.build.label) than in build \(worst.baseline.build.label), \(now) against \(was) t/s (\(ratio)), \(worst.verdictText); \(worst.current.sources.joined(separator: ", ")) against \(worst.baseline.sources.joined(separator: ", "))"
            var figures = [drop, now, was, ratio] + worst.verdictFigures
            // The model's other tests that slowed down as clearly, by name.
            let others = rows.dropFirst()
            if !others.isEmpty {
                var listed: [String] = []
                for row in others.prefix(3) {
                    let change = Figures.signedPercent(row.changePercent)
                    listed.append(row.test + (row.parameters.isEmpty ? "" : " (\(row.parameters.rendered))") + " " + change)
                    figures.append(change)
                }
                text += "; also slower: " + listed.joined(separator: ", ")
                if others.count > listed.count {
                    let more = String(others.count - listed.count)
                    text += " and \(more) more"
                    figures.append(more)
                }
            }
            findings.append(Finding(id: "llama-bench-slower", text: text + ".", figures: figures))
        }
    }
}
