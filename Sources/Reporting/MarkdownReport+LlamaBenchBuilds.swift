import Analysis
import Records

extension MarkdownReport {
    /// `### llama-bench: builds compared`, under the llama-bench table: per
    /// model, each test two or more builds measured, the oldest build against
    /// the newest, as llama.cpp's compare-llama-bench.py sets them side by side.
    /// Model, setting and build names come from the inputs: headings, cells
    /// and code spans escape them for their place.
    static func llamaBenchBuilds(_ facts: Facts, _ out: inout MarkdownText) {
        let comparisons = facts.llamaBenchBuilds
        guard !comparisons.isEmpty else { return }
        out.heading(3, "llama-bench: builds compared")
        out.line(
            "Tests that two or more llama.cpp builds measured at otherwise equal settings: the oldest build (baseline: the lowest build number, else the earliest test time) against the newest (current). Speedup is current over baseline t/s, below 1.00× the current build is slower; a change is tested (Mann-Whitney, over the per-repetition t/s) only when both builds' files list at least \(MannWhitney.minimumRuns) repetitions each (llama-bench's JSON does, its CSV and Markdown do not)."
        )
        out.blank()
        var models: [String] = []
        var byModel: [String: [LlamaBenchBuildComparison]] = [:]
        for comparison in comparisons {
            if byModel[comparison.model] == nil { models.append(comparison.model) }
            byModel[comparison.model, default: []].append(comparison)
        }
        for model in models {
            llamaBenchBuildTable(model, byModel[model] ?? [], &out)
        }
    }

    private static func llamaBenchBuildTable(_ model: String, _ rows: [LlamaBenchBuildComparison], _ out: inout MarkdownText) {
        guard let first = rows.first else { return }
        out.heading(4, model)
        // One pair of builds for every row: said once, above the table.
        let onePair = rows.allSatisfy { $0.baseline.build == first.baseline.build && $0.current.build == first.current.build }
        var notes: [String] = []
        if onePair {
            notes.append(
                "Baseline build \(MarkdownLiteral.codeSpan(first.baseline.build.label)), current build \(MarkdownLiteral.codeSpan(first.current.build.label))."
            )
        }
        let between = rows.filter { $0.builds > 2 }.count
        if between > 0 {
            notes.append("Builds in between also measured \(between) of these tests; the llama-bench table lists them.")
        }
        let unmatched = Set(rows.flatMap(\.unmatchedColumns)).sorted()
        if !unmatched.isEmpty {
            notes.append(
                "Columns only some builds' files have, with one value where they appear, are left out of the match: "
                    + unmatched.map(MarkdownLiteral.codeSpan).joined(separator: ", ") + ".")
        }
        if !notes.isEmpty {
            out.line(notes.joined(separator: " "))
            out.blank()
        }
        var names: [String] = []
        for row in rows {
            for parameter in row.parameters where !names.contains(parameter.name) { names.append(parameter.name) }
        }
        var header = ["Test"] + names
        if !onePair { header += ["Baseline build", "Current build"] }
        header += ["Baseline t/s", "Current t/s", "Speedup", "Change", "Evidence"]
        out.table(
            header,
            rows.map { row in
                var cells = [row.test] + names.map { row.parameters[name: $0] ?? "—" }
                if !onePair { cells += [row.baseline.build.label, row.current.build.label] }
                return cells + [
                    rate(row.baseline), rate(row.current), Figures.ratio(row.speedup), Figures.signedPercent(row.changePercent),
                    row.verdictText,
                ]
            })
    }

    /// `108.47 ± 0.75`: the standard deviation when the side is one result.
    private static func rate(_ side: LlamaBenchBuildComparison.Side) -> String {
        Figures.tokensPerSecond(side.tokensPerSecond) + (side.stddev.map { " ± " + Figures.tokensPerSecond($0) } ?? "")
    }
}
