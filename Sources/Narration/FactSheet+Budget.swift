extension FactSheet {
    /// The sheet cut to at most `budget` estimated tokens, keeping the most
    /// important facts: priority 0 (regressions, failures, each group's runs and
    /// median throughput) before 1 (TTFT, p95, best configurations, fastest
    /// backends) before 2 and 3 (cold starts, other backends, other benchmarks).
    /// A priority level that does not fit whole is filled fact by fact in table
    /// order, and nothing of a later level is added. Rows left without facts go.
    package func trimmed(toTokens budget: Int) -> FactSheet {
        guard estimatedTokens > budget else { return self }
        let levels = Set(facts.map(\.priority)).sorted()
        // For each row, which of its facts are kept (by index).
        var kept: [Set<Int>] = Array(repeating: [], count: rows.count)
        levelLoop: for level in levels {
            var whole = kept
            for (r, row) in rows.enumerated() {
                for (f, fact) in row.facts.enumerated() where fact.priority == level { whole[r].insert(f) }
            }
            if selecting(whole).estimatedTokens <= budget {
                kept = whole
                continue
            }
            for (r, row) in rows.enumerated() {
                for (f, fact) in row.facts.enumerated() where fact.priority == level {
                    var trial = kept
                    trial[r].insert(f)
                    if selecting(trial).estimatedTokens <= budget { kept = trial }
                }
            }
            break levelLoop
        }
        return selecting(kept)
    }

    private func selecting(_ kept: [Set<Int>]) -> FactSheet {
        var copy = self
        copy.rows = zip(rows, kept).compactMap { row, indices in
            guard !indices.isEmpty else { return nil }
            var trimmed = row
            trimmed.facts = row.facts.enumerated().filter { indices.contains($0.offset) }.map(\.element)
            return trimmed
        }
        return copy
    }
}
