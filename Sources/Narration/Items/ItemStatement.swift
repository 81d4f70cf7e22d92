/// The sentence chimerad states for an item: names and figures taken from the
/// rows it cites, exactly as the fact table shows them (so every number in a
/// narrative is a cited fact's, at the report's precision). The model adds a
/// note in words; it writes no figure.
struct ItemStatement {
    let table: SheetLookup

    init(_ sheet: FactSheet) {
        table = SheetLookup(sheet)
    }

    /// The figure of `key` with its unit (`78.43 tok/s`, `0.124 s`, `+12.3%`), or nil.
    private func figure(_ row: String, _ key: String) -> String? {
        guard let fact = table.fact(row, key) else { return nil }
        switch fact.unit {
        case "tok/s": return fact.shown + " tok/s"
        case "s", "ms": return fact.shown + " " + fact.unit
        case "runs", "sessions", "repetitions", "configs", "files":
            // `1 session`, not `1 sessions`.
            return fact.shown + " " + (fact.shown == "1" ? String(fact.unit.dropLast()) : fact.unit)
        // The shown figure holds these (`+12.3%`, `5.50×`).
        case "", "%", "×": return fact.shown
        default: return fact.shown + " " + fact.unit
        }
    }

    private func subject(_ row: String) -> String { table.rows[row]?.subject ?? row }

    /// A move's group (`llama3.1:8b [num_ctx=2048]`) and its metric in words.
    private func move(_ row: String) -> (label: String, metric: String) {
        let subject = subject(row)
        for (suffix, metric) in [(" tps.median change", "tok/s"), (" ttft.median change", "TTFT")] where subject.hasSuffix(suffix) {
            return (String(subject.dropLast(suffix.count)), metric)
        }
        return (subject, "figure")
    }

    private func fromTo(_ row: String) -> String {
        let was = figure(row, "was") ?? "?"
        let now = figure(row, "now") ?? "?"
        let change = figure(row, "change").map { " (" + $0 + ")" } ?? ""
        return "from \(was) to \(now)\(change)"
    }

    private func strip(_ subject: String, _ suffix: String) -> String {
        subject.hasSuffix(suffix) ? String(subject.dropLast(suffix.count)) : subject
    }

    /// The statement of `choice` (an item or a risk).
    func statement(_ choice: ItemChoice) -> String {
        let rows = choice.rows
        let row = rows.first ?? ""
        switch choice.kind {
        case .regression:
            let (label, metric) = move(row)
            let p = figure(row, "p").map { " (p = \($0))" } ?? ""
            return "\(label): median \(metric) went \(fromTo(row)), a regression the session test confirms\(p)."
        case .improvement:
            let (label, metric) = move(row)
            return "\(label): median \(metric) improved \(fromTo(row)), confirmed by the session test."
        case .inconclusive:
            let (label, metric) = move(row)
            let verdict = table.text(row, "verdict")?.split(separator: ",").last.map { $0.trimmingWhiteSpace } ?? "not confirmed"
            return "\(label): median \(metric) moved \(fromTo(row)), which the session test does not confirm (\(verdict))."
        case .fastest:
            return "\(subject(row)) is the fastest at \(figure(row, "tps.median") ?? "?") median."
        case .slowest:
            return "\(subject(row)) is the slowest at \(figure(row, "tps.median") ?? "?") median."
        case .compare:
            let other = rows.count > 1 ? rows[1] : row
            return
                "\(subject(row)) (\(figure(row, "tps.median") ?? "?")) is faster than \(subject(other)) (\(figure(other, "tps.median") ?? "?"))."
        case .throughput:
            var text = "\(subject(row)): \(figure(row, "tps.median") ?? "?") median over \(figure(row, "ok") ?? "?")"
            if let ttft = figure(row, "ttft.median") { text += ", TTFT \(ttft)" }
            return text + "."
        case .failures:
            if row.hasPrefix("R") {
                let model = strip(subject(row), " all runs")
                return
                    "\(table.text(row, "failed") ?? "?") of \(figure(row, "total") ?? "?") of \(model) failed (\(figure(row, "failed.share") ?? "?"))."
            }
            return "\(figure(row, "runs") ?? "?") failed with “\(table.text(row, "error") ?? "an error")”."
        case .harnessFailure:
            if let cause = table.text(row, "cause") {
                return
                    "\(figure(row, "sessions") ?? "?") ran nothing (\(cause); \(figure(row, "runs") ?? "?")): the harness's failure, not the models'."
            }
            return
                "\(figure(row, "sessions") ?? "?") recorded no successful run (\(figure(row, "runs") ?? "?")): harness failures, kept out of the models' failure rates."
        case .coldStart:
            return
                "\(subject(row)): the first run took \(figure(row, "cold.ttft") ?? "?") to its first token, against \(figure(row, "ttft.median") ?? "?") median."
        case .noisy:
            let beats =
                table.text(row, "best.beats_noise") == "yes"
                ? "and its best configuration beats it" : "and its best configuration does not clearly beat it"
            return "\(subject(row)): run-to-run noise is \(figure(row, "noise.sd") ?? "?") (sd), \(beats)."
        case .bestConfig:
            var text =
                "\(subject(row)): the best throughput, \(figure(row, "best.tps") ?? "?"), came from \(table.text(row, "best.tps.config") ?? "?")"
            if let margin = figure(row, "best.margin") { text += ", \(margin) above the median configuration" }
            return text + "."
        case .fastestBackend:
            let fastest = table.text(row, "fastest") ?? "?"
            let speedup = figure(row, fastest + ".speedup").map { " (\($0) against eager)" } ?? ""
            return "\(subject(row)): \(fastest) was the fastest backend\(speedup)."
        case .buildSlower:
            return
                "\(subject(row)): the current build runs \(figure(row, "current.tps") ?? "?") against the baseline's \(figure(row, "baseline.tps") ?? "?") (\(figure(row, "change") ?? "?"))."
        case .benchmark:
            if row.hasPrefix("L") {
                let rate = table.rows[row]?.facts.first { $0.unit == "tok/s" }
                return "\(subject(row)): \(rate.map { $0.shown + " tok/s" } ?? "?")."
            }
            var figures: [String] = []
            if let median = figure(row, "median") { figures.append("median \(median)") }
            if let mean = figure(row, "mean") { figures.append("mean \(mean)") }
            let runs = table.text(row, "n").map { " over \($0) run\($0 == "1" ? "" : "s")" } ?? ""
            return "\(subject(row)): \(figures.joined(separator: ", "))\(runs)."
        case .investigate:
            if row.hasPrefix("K") { return "Investigate the llama-bench slowdown of \(subject(row)) (\(figure(row, "change") ?? "?"))." }
            let (label, metric) = move(row)
            return "Investigate \(label): median \(metric) went \(fromTo(row))."
        case .rerunWithMoreRuns:
            if row.hasPrefix("S") {
                let effect = figure(row, "runs_needed.effect").map { " to tell apart differences of \($0)" } ?? ""
                return "Re-run \(subject(row)) with \(figure(row, "runs_needed") ?? "more runs") per configuration\(effect)."
            }
            if row.hasPrefix("G") { return "Re-run \(subject(row)) with more runs: its figures rest on \(figure(row, "ok") ?? "few runs")." }
            let (label, _) = move(row)
            return "Re-run \(label) with more runs: its move of \(figure(row, "change") ?? "?") is not confirmed yet."
        case .pinBaseline:
            let (label, _) = move(row)
            return
                "If the change to \(label) (\(figure(row, "change") ?? "?")) was intended, pin the new baseline so later sessions are compared with it."
        case .useConfig:
            return
                "Use \(table.text(row, "best.tps.config") ?? "?") for \(strip(subject(row), " sweep")): it gave the sweep's best throughput, \(figure(row, "best.tps") ?? "?")."
        case .fixHarness:
            let cause = table.text(row, "cause").map { " (\($0))" } ?? ""
            return "Fix the harness and re-run: \(figure(row, "sessions") ?? "?") ran nothing\(cause)."
        case .fixFailures:
            return "Fix the cause of “\(table.text(row, "error") ?? "the error")” and re-run: \(figure(row, "runs") ?? "?") failed with it."
        case .warmUp:
            return "Warm \(subject(row)) up before timing: its first run took \(figure(row, "cold.ttft") ?? "?") to the first token."
        case .fewRuns:
            return "The figures of \(subject(row)) rest on \(figure(row, "ok") ?? "few runs"), too few to tell a small change from noise."
        case .noisyResults:
            return "The noise of \(subject(row)) (\(figure(row, "noise.sd") ?? "?")) may hide or invent differences between configurations."
        case .harnessUnreliable:
            return "\(figure(row, "sessions") ?? "?") ran nothing: the harness may fail the next runs too."
        case .failuresHideFigures:
            let model = strip(subject(row), " all runs")
            return "\(table.text(row, "failed") ?? "?") of \(figure(row, "total") ?? "?") of \(model) failed, so its figures rest on the rest."
        case .coldStartSkews:
            return "Cold first runs (\(figure(row, "cold.ttft") ?? "?") to the first token) skew the TTFT of \(subject(row))."
        case .unconfirmedChange:
            let (label, _) = move(row)
            return "The move of \(label) (\(figure(row, "change") ?? "?")) is not confirmed and may be noise."
        case .openRegression:
            let (label, _) = move(row)
            return "\(label) regressed (\(figure(row, "change") ?? "?")) and stays open until a session recovers or it is acknowledged."
        }
    }

    /// A risk's mitigation, in words only: the risk's statement holds the figures.
    static func mitigation(_ kind: ItemKind) -> String {
        switch kind {
        case .rerunWithMoreRuns: "Re-run with more runs before acting on it."
        case .fixHarness: "Fix the harness (the server address, the server itself) before the next runs."
        case .fixFailures: "Fix the failing runs' cause and re-run."
        case .warmUp: "Warm the model up before timing, or report cold runs apart."
        case .investigate: "Investigate the change before relying on these figures."
        case .pinBaseline: "If the change was intended, pin the new baseline."
        case .useConfig: "Use the sweep's best configuration."
        default: "Watch it in the next reports."
        }
    }
}
