import Records

/// The comparisons a summary leads with set like against like: one model's
/// quantisations (`Leaderboard.quantisationFindings`), one model on several
/// backends, models of one parameter count. Models of different sizes are
/// ranked, never set against each other as if they were alternatives.
extension FindingRules {
    /// The fastest model, and the next model of its size when one was
    /// measured (`ModelSize`); otherwise its figure alone, saying why it is
    /// compared with none.
    static func fastestModel(_ leaders: [(model: String, median: Double)]) -> Finding? {
        guard leaders.count > 1 else { return nil }
        let sorted = leaders.sorted { $0.median > $1.median }
        let best = sorted[0]
        let a = Figures.tokensPerSecond(best.median)
        let size = ModelSize.of(best.model)
        if let size, let peer = sorted.dropFirst().first(where: { ModelSize.of($0.model) == size }), peer.median > 0 {
            let b = Figures.tokensPerSecond(peer.median)
            let lead = Figures.percent((best.median - peer.median) / peer.median * 100)
            return Finding(
                id: "fastest-model",
                text:
                    "\(best.model) is the fastest model measured: \(a) tok/s against \(b) tok/s for the next model of its size, \(peer.model) (\(lead) ahead).",
                figures: [a, b, lead])
        }
        let count = String(leaders.count)
        let why = size == nil ? "its name states no parameter count" : "no other model measured has its parameter count"
        return Finding(
            id: "fastest-model",
            text: "\(best.model) decodes fastest of the \(count) models measured, at a median \(a) tok/s; \(why), so it is compared with none.",
            figures: [a, count])
    }

    /// One sentence per model (and quantisation) measured on two or more
    /// backends: each backend's median decode throughput and its ratio to
    /// the fastest, as the quantisation comparisons say it.
    static func backendComparisons(_ board: Leaderboard) -> [Finding] {
        struct Key: Hashable {
            var model: String
            var quant: String?
        }
        var order: [Key] = []
        var rows: [Key: [Leaderboard.Row]] = [:]
        // The board is fastest first, so each model's backends are too.
        for row in board.rows where row.tokensPerSecondMedian != nil {
            let key = Key(model: row.model, quant: row.quant)
            if rows[key] == nil { order.append(key) }
            rows[key, default: []].append(row)
        }
        return order.compactMap { key in
            let measured = rows[key] ?? []
            guard measured.count > 1, let fastest = measured[0].tokensPerSecondMedian, fastest > 0 else { return nil }
            var figures: [String] = []
            let parts = measured.enumerated().map { index, row in
                let median = Figures.tokensPerSecond(row.tokensPerSecondMedian ?? 0)
                figures.append(median)
                guard index > 0 else { return "\(row.backend) \(median) tok/s" }
                let ratio = Figures.ratio((row.tokensPerSecondMedian ?? 0) / fastest)
                figures.append(ratio)
                return "\(row.backend) \(median) (\(ratio))"
            }
            // A quantisation the configuration names, not the model name.
            let named = key.quant.flatMap { ModelQuantisation(model: key.model).quant == $0 ? nil : " (\($0))" } ?? ""
            return Finding(
                id: "backend-comparison",
                text: "\(key.model)\(named), median decode by backend: \(parts.joined(separator: ", ")), each against the fastest.",
                figures: figures)
        }
    }
}
