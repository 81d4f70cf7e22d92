import Records
import Narration
import ModelInterface

extension JSONReport {
    /// `model_call`: who was asked, the report's figures summed over its calls
    /// (the contract's keys), and each call; null when no model was asked.
    static func modelCall(_ outcome: NarrativeOutcome) -> JSONValue {
        guard let model = outcome.model, !outcome.calls.isEmpty else { return .null }
        var members: [(String, JSONValue)] = [
            ("backend", .string(model.backend)), ("model", .string(model.model)),
            ("url", .string(model.baseURL)), ("options", .string(model.options)),
        ]
        members += metricMembers(outcome.metrics)
        members += [
            ("prompt_tokens", outcome.promptTokens.map { .int($0) } ?? .null),
            ("facts_in_prompt", .int(outcome.factsShown)), ("facts_total", .int(outcome.factsTotal)),
            (
                "calls",
                .array(
                    outcome.calls.map { call in
                        var fields: [(String, JSONValue)] = [("attempt", .int(call.attempt)), ("outcome", .string(call.outcomeText))]
                        fields += metricMembers(call.metrics)
                        fields.append(("prompt_tokens", call.metrics?.promptTokens.map { .int($0) } ?? .null))
                        return .object(fields)
                    })
            ),
        ]
        return .object(members)
    }

    /// `narrative`: the kept text and its counts (dropped sentences counted by
    /// kind, never quoted), or the reason there is none.
    static func narrative(_ outcome: NarrativeOutcome) -> JSONValue {
        let counts = (outcome.narrative?.dropCounts ?? []).sorted { $0.kind < $1.kind }
        return .object([
            // The report's own rendering: Markdown whose model-written words are escaped.
            ("text", .string(outcome.narrative.map(MarkdownReport.narrativeMarkdown) ?? "")),
            ("sentences_kept", .int(outcome.sentencesKept)),
            ("sentences_dropped", .int(outcome.sentencesDropped)),
            ("dropped_by_reason", .object(counts.map { ($0.kind, .int($0.count)) })),
            ("unavailable_reason", .string(outcome.unavailableReason)),
        ])
    }

    private static func metricMembers(_ metrics: ModelCallMetrics?) -> [(String, JSONValue)] {
        [
            ("ttft_ms", .number(metrics?.ttftMilliseconds)),
            ("tokens_per_second", .number(metrics?.tokensPerSecond)),
            ("tokens_generated", metrics?.tokensGenerated.map { .int($0) } ?? .null),
            ("prompt_eval_ms", .number(metrics?.promptEvalMilliseconds)),
            ("eval_ms", .number(metrics?.evalMilliseconds)),
            ("load_ms", .number(metrics?.loadMilliseconds)),
            ("total_ms", .number(metrics?.totalMilliseconds)),
        ]
    }
}
