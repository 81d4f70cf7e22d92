import Analysis
import Narration
import ModelInterface

extension MarkdownReport {
    /// The model's checked text under the rule-based summary, saying who wrote
    /// it and what the checks dropped; or why there is none. Dropped sentences
    /// are counted, never quoted: their numbers are what must not reach a report.
    static func narrative(_ context: ReportContext, _ out: inout MarkdownText) {
        let outcome = context.narrative
        guard let narrative = outcome.narrative, !narrative.isEmpty else {
            if let reason = outcome.unavailableReason {
                out.line("_This summary is rule-based: \(reason)._")
                out.blank()
            }
            return
        }
        let author = outcome.model.map { "\($0.model) (\($0.backendName))" } ?? "the model"
        var checks = "\(narrative.sentencesKept) sentence\(narrative.sentencesKept == 1 ? "" : "s") kept"
        if narrative.sentencesDropped > 0 {
            checks += ", \(narrative.sentencesDropped) dropped (\(narrative.dropSummary))"
        }
        out.heading(3, "Model Narrative")
        out.line("_Worded by \(author) from the computed facts; every number, model and file name in it was checked against the data: \(checks). The bullets above are rule-based._")
        out.blank()
        out.line(narrative.markdown)
        out.blank()
    }

    /// The model calls' figures, per call and for the report.
    static func metrics(_ context: ReportContext, _ out: inout MarkdownText) {
        out.heading(2, "Metrics")
        let outcome = context.narrative
        guard let model = outcome.model, !outcome.calls.isEmpty else {
            out.line("No model call was made for this report, so there are no throughput, TTFT or token figures for it. Reason: \(outcome.unavailableReason ?? "the model is off").")
            out.blank()
            return
        }
        var about = "Model: \(model.model) via \(model.backendName) at \(model.baseURL)"
        if !model.options.isEmpty { about += " (\(model.options))" }
        out.line(about + ".  ")
        var prompt = "Prompt: "
        prompt += outcome.promptTokens.map { "\($0) tokens" } ?? "size unknown"
        prompt += ", holding \(outcome.factsShown) of \(outcome.factsTotal) facts"
        if outcome.factsShown < outcome.factsTotal { prompt += " (the rest did not fit the context window)" }
        out.line(prompt + ".")
        out.blank()
        var rows = outcome.calls.map { call in
            metricsRow("Call \(call.attempt)", call.outcomeText, call.metrics)
        }
        if outcome.calls.count > 1 {
            rows.append(metricsRow("Report", "\(outcome.calls.count) calls", outcome.metrics))
        }
        out.table(
            ["Call", "Outcome", "TTFT", "Throughput", "Tokens generated", "Prompt tokens", "Prompt eval", "Generation", "Load", "Total"],
            rows)
    }

    /// ` (prompt eval 0.21s, generation 6.80s)` for the workflow's timing line; empty without figures.
    static func narrativeSplit(_ outcome: NarrativeOutcome) -> String {
        guard let metrics = outcome.metrics else { return "" }
        var parts: [String] = []
        if let prompt = metrics.promptEvalMilliseconds { parts.append("prompt eval \(ReportContext.Timings.text(prompt / 1000))") }
        if let eval = metrics.evalMilliseconds { parts.append("generation \(ReportContext.Timings.text(eval / 1000))") }
        if let load = metrics.loadMilliseconds, load > 0 { parts.append("model load \(ReportContext.Timings.text(load / 1000))") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    private static func metricsRow(_ label: String, _ outcome: String, _ metrics: ModelCallMetrics?) -> [String] {
        func ms(_ value: Double?) -> String { value.map { Figures.fixed($0, 0) + " ms" } ?? "—" }
        func count(_ value: Int?) -> String { value.map(String.init) ?? "—" }
        return [
            label, outcome, ms(metrics?.ttftMilliseconds),
            metrics?.tokensPerSecond.map { Figures.fixed($0, 1) + " tok/s" } ?? "—",
            count(metrics?.tokensGenerated), count(metrics?.promptTokens), ms(metrics?.promptEvalMilliseconds),
            ms(metrics?.evalMilliseconds), ms(metrics?.loadMilliseconds), ms(metrics?.totalMilliseconds),
        ]
    }
}
