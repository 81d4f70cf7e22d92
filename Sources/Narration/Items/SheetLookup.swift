/// The fact table read by row ID and key, and the items each kind supports:
/// the rules behind `ItemChoices` and `ItemStatement`.
struct SheetLookup: Sendable {
    let rows: [String: FactSheet.Row]
    let order: [FactSheet.Row]

    init(_ sheet: FactSheet) {
        order = sheet.rows
        rows = Dictionary(sheet.rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func fact(_ row: String, _ key: String) -> Fact? {
        rows[row]?.facts.first { $0.key == key }
    }

    func value(_ row: String, _ key: String) -> Double? { fact(row, key)?.value }

    func text(_ row: String, _ key: String) -> String? { fact(row, key)?.shown }

    /// A group row's median tok/s.
    func throughput(_ row: String) -> Double? {
        row.hasPrefix("G") ? value(row, "tps.median") : nil
    }

    private func ids(_ letter: Character, where include: (String) -> Bool = { _ in true }) -> [String] {
        order.map(\.id).filter { $0.first == letter && include($0) }
    }

    /// The verdict a move row shows: `regression`, `better, significant`, `worse, not significant`, ...
    private func verdict(_ row: String) -> String { text(row, "verdict") ?? "" }

    func isRegression(_ row: String) -> Bool { verdict(row) == "regression" }
    func isImprovement(_ row: String) -> Bool { verdict(row) == "better, significant" }
    func isUnconfirmed(_ row: String) -> Bool {
        let verdict = verdict(row)
        return verdict.hasSuffix("not significant") || verdict.hasSuffix("too few runs")
    }

    /// Groups measured cold: a first run slower to its first token than the median.
    func isCold(_ row: String) -> Bool {
        // As shown: "0.031 s against 0.031 s" would be no finding.
        guard let cold = shownValue(row, "cold.ttft"), let warm = shownValue(row, "ttft.median") else { return false }
        return cold > warm
    }

    /// The figure as the table shows it (rounded), else its exact value.
    private func shownValue(_ row: String, _ key: String) -> Double? {
        guard let fact = fact(row, key) else { return nil }
        return Double(fact.shown) ?? fact.value
    }

    /// Fewer runs than two sides of a session test need.
    static let fewRuns = 20

    func hasFewRuns(_ row: String) -> Bool {
        guard let ok = value(row, "ok"), value(row, "tps.median") != nil else { return false }
        return ok < Double(SheetLookup.fewRuns)
    }

    /// The items of `kind` the table supports, most telling first.
    func choices(for kind: ItemKind) -> [ItemChoice] {
        func each(_ ids: [String]) -> [ItemChoice] { ids.map { ItemChoice(kind: kind, rows: [$0]) } }
        let groups = ids("G") { throughput($0) != nil }
        let ranked = groups.sorted { (throughput($0) ?? 0, $1) > (throughput($1) ?? 0, $0) }
        switch kind {
        case .regression, .openRegression: return each(ids("M", where: isRegression))
        case .improvement: return each(ids("M", where: isImprovement))
        case .inconclusive, .unconfirmedChange: return each(ids("M", where: isUnconfirmed))
        case .fastest, .slowest:
            // Groups all equally fast have no fastest nor slowest.
            guard ranked.count >= 2, let top = ranked.first.flatMap(throughput), let bottom = ranked.last.flatMap(throughput),
                top > bottom
            else { return [] }
            return each(ranked.filter { throughput($0) == (kind == .fastest ? top : bottom) })
        case .compare:
            // Neighbours in the ranking, then the ends: each pair faster first.
            var pairs: [[String]] = []
            for (faster, slower) in zip(ranked, ranked.dropFirst()) where (throughput(faster) ?? 0) > (throughput(slower) ?? 0) {
                pairs.append([faster, slower])
            }
            if ranked.count > 2, let first = ranked.first, let last = ranked.last, (throughput(first) ?? 0) > (throughput(last) ?? 0) {
                pairs.insert([first, last], at: 0)
            }
            return pairs.map { ItemChoice(kind: kind, rows: $0) }
        case .throughput: return each(ranked)
        case .failures: return each(ids("R") + ids("F"))
        case .harnessFailure, .harnessUnreliable: return each(ids("H"))
        case .fixHarness: return each(ids("H").filter { value($0, "sessions") != nil })
        case .coldStart, .warmUp, .coldStartSkews: return each(groups.filter(isCold))
        case .noisy, .noisyResults: return each(ids("S") { value($0, "noise.sd") != nil })
        case .bestConfig: return each(ids("S") { value($0, "best.tps") != nil && text($0, "best.tps.config") != nil })
        case .useConfig:
            return each(ids("S") { text($0, "best.tps.config") != nil && value($0, "best.tps") != nil && text($0, "best.beats_noise") != "no" })
        case .fastestBackend: return each(ids("C") { text($0, "fastest") != nil })
        case .buildSlower: return each(ids("K") { (value($0, "speedup") ?? 1) < 1 })
        case .benchmark: return each(ids("L") + ids("B") { value($0, "median") != nil || value($0, "mean") != nil })
        case .investigate: return each(ids("M", where: isRegression) + ids("K") { (value($0, "speedup") ?? 1) < 1 && value($0, "p") != nil })
        case .rerunWithMoreRuns:
            return each(ids("M", where: isUnconfirmed) + ids("S") { value($0, "runs_needed") != nil } + groups.filter(hasFewRuns))
        case .pinBaseline: return each(ids("M") { isRegression($0) || isImprovement($0) })
        case .fixFailures: return each(ids("F"))
        case .fewRuns: return each(groups.filter(hasFewRuns))
        case .failuresHideFigures: return each(ids("R"))
        }
    }
}
