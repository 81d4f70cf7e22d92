import Logging

extension NarrativeOutcome {
    /// The narrative's and the model call's figures as journal fields
    /// (`MODEL_TTFT_MS`, `NARRATIVE_KEPT`, ...), added to the "report written"
    /// entry so `journalctl -u chimerad -o json` carries them per report.
    package var journalMetadata: Logger.Metadata {
        var fields: Logger.Metadata = [
            "narrative_kept": "\(sentencesKept)",
            "narrative_dropped": "\(sentencesDropped)",
        ]
        if let reason = unavailableReason { fields["narrative_unavailable"] = "\(reason)" }
        guard let model else { return fields }
        fields["model_backend"] = "\(model.backend)"
        fields["model_name"] = "\(model.model)"
        fields["model_calls"] = "\(calls.count)"
        if let promptTokens { fields["model_prompt_tokens"] = "\(promptTokens)" }
        guard let metrics else { return fields }
        func milliseconds(_ key: String, _ value: Double?) {
            if let value { fields[key] = "\(Int(value.rounded()))" }
        }
        milliseconds("model_ttft_ms", metrics.ttftMilliseconds)
        milliseconds("model_prompt_eval_ms", metrics.promptEvalMilliseconds)
        milliseconds("model_eval_ms", metrics.evalMilliseconds)
        milliseconds("model_load_ms", metrics.loadMilliseconds)
        milliseconds("model_total_ms", metrics.totalMilliseconds)
        if let rate = metrics.tokensPerSecond { fields["model_tokens_per_second"] = "\((rate * 10).rounded() / 10)" }
        if let tokens = metrics.tokensGenerated { fields["model_tokens_generated"] = "\(tokens)" }
        return fields
    }
}
