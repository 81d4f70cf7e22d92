import Analysis
import Narration
import ModelInterface

extension MarkdownReport {
    /// The model's checked text under the rule-based summary, saying who wrote
    /// it and what the checks dropped; or why there is none. Dropped sentences
    /// are counted, never quoted: their numbers are what must not reach a report.
    static func narrative(_ context: ReportContext, _ out: inout MarkdownText) {
        let outcome = context.narrative
        if outcome.pending {
            let model = MarkdownLiteral.inline(outcome.model.map { "\($0.model) (\($0.backendName))" } ?? "the model")
            out.line("_\(model) is choosing this report's narrative; the report is rewritten with it once it is checked._")
            out.blank()
            return
        }
        guard let narrative = outcome.narrative, !narrative.isEmpty else {
            if let reason = outcome.unavailableReason {
                out.line("_This summary is rule-based: \(MarkdownLiteral.inline(reason))._")
                out.blank()
            }
            return
        }
        let author = MarkdownLiteral.inline(outcome.model.map { "\($0.model) (\($0.backendName))" } ?? "the model")
        var checks = "\(narrative.sentencesKept) item\(narrative.sentencesKept == 1 ? "" : "s") kept"
        if narrative.sentencesDropped > 0 {
            checks += ", \(narrative.sentencesDropped) dropped (\(MarkdownLiteral.inline(narrative.dropSummary)))"
        }
        if !narrative.droppedNotes.isEmpty {
            checks += "; \(narrative.droppedNotes.count) of the model's notes left out"
        }
        out.heading(3, "Model Narrative")
        out.line(
            "_Chosen by \(author) from the computed facts and stated by chimerad: every figure and name below is a cited fact's, and the model's notes are in words only (\(checks)). The bullets above are rule-based._"
        )
        out.blank()
        out.line(narrativeMarkdown(narrative))
        out.blank()
    }

    /// The kept narrative as Markdown, for the report and report.json's
    /// `narrative.text`: the summary, then findings, recommendations and the
    /// risk table, each only when something was kept. Everything is text, not
    /// Markdown: statements quote names from the files, notes are the model's.
    static func narrativeMarkdown(_ narrative: GroundedNarrative) -> String {
        var out = MarkdownText()
        let summary = narrative.items(.summary)
        if !summary.isEmpty {
            out.line(summary.map { MarkdownLiteral.inline($0.text) }.joined(separator: " "))
            out.blank()
        }
        // A finding the summary already states (the model may choose its
        // headline again) is not said twice, unless it has a note of its own.
        let findings = narrative.items(.findings).filter { finding in
            !summary.contains { $0.statement == finding.statement && (finding.note == nil || $0.text == finding.text) }
        }
        if !findings.isEmpty {
            for finding in findings { out.line("- " + MarkdownLiteral.inline(finding.text)) }
            out.blank()
        }
        let recommendations = narrative.items(.recommendations)
        if !recommendations.isEmpty {
            for (index, recommendation) in recommendations.enumerated() {
                out.line("\(index + 1). " + MarkdownLiteral.inline(recommendation.text))
            }
            out.blank()
        }
        let risks = narrative.items(.risks)
        if !risks.isEmpty {
            out.table(["Risk", "Mitigation"], risks.map { [dashIfBlank($0.text), dashIfBlank($0.mitigationStatement ?? "")] })
        }
        var text = out.text
        while text.last == "\n" { text.removeLast() }
        return text
    }

    private static func dashIfBlank(_ text: String) -> String {
        MarkdownLiteral.inline(text).isEmpty ? "—" : text
    }

    /// The model calls' figures, per call and for the report.
    static func metrics(_ context: ReportContext, _ out: inout MarkdownText) {
        out.heading(2, "Metrics")
        let outcome = context.narrative
        guard let model = outcome.model, !outcome.calls.isEmpty else {
            out.line(
                "No model call was made for this report, so there are no throughput, TTFT or token figures for it. Reason: \(MarkdownLiteral.inline(outcome.unavailableReason ?? "the model is off"))."
            )
            out.blank()
            return
        }
        var about = "Model: \(model.model) via \(model.backendName) at \(model.baseURL)"
        if !model.options.isEmpty { about += " (\(model.options))" }
        out.line(MarkdownLiteral.inline(about + ".") + "  ")
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
