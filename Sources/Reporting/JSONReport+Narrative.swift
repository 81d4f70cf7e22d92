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

    /// `narrative`: the kept items, rendered and one by one with the facts
    /// they cite, and the counts (dropped items and notes counted by kind of
    /// reason, never quoted), or the reason there is none.
    static func narrative(_ outcome: NarrativeOutcome) -> JSONValue {
        let narrative = outcome.narrative
        func counts(_ list: [(kind: String, count: Int)]) -> JSONValue {
            .object(list.sorted { $0.kind < $1.kind }.map { ($0.kind, .int($0.count)) })
        }
        let items: [JSONValue] = (narrative?.items ?? []).map { item in
            var members: [(String, JSONValue)] = [
                ("section", .string(item.section.rawValue)), ("kind", .string(item.kind.rawValue)), ("facts", .strings(item.facts)),
                ("text", .string(item.text)), ("note", .string(item.note)),
            ]
            if let mitigation = item.mitigation {
                members.append(("mitigation", .string(mitigation.rawValue)))
                members.append(("mitigation_text", .string(item.mitigationStatement)))
            }
            return .object(members)
        }
        let kept = narrative?.sentencesKept ?? 0
        let dropped = narrative?.sentencesDropped ?? 0
        return .object([
            // The report's own rendering: Markdown whose every string is escaped.
            ("text", .string(narrative.map(MarkdownReport.narrativeMarkdown) ?? "")),
            ("items", .array(items)),
            ("facts_cited", .object((narrative?.factsCited ?? []).map { ($0.id, .string($0.line)) })),
            ("items_asked", .int(outcome.itemsAsked)),
            ("items_kept", .int(kept)),
            ("items_dropped", .int(dropped)),
            ("notes_dropped", .int(narrative?.droppedNotes.count ?? 0)),
            // Kept for readers of the free-text narrative: they count items now.
            ("sentences_kept", .int(kept)),
            ("sentences_dropped", .int(dropped)),
            ("dropped_by_reason", counts(narrative?.dropCounts ?? [])),
            ("notes_dropped_by_reason", counts(narrative?.noteDropCounts ?? [])),
            ("unavailable_reason", .string(outcome.unavailableReason)),
            ("pending", .bool(outcome.pending)),
            ("completed_at", .string(outcome.completedAt)),
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
