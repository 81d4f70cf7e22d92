import ModelInterface

/// What the narrative stage gave one report: the checked text, or why there
/// is none, and the model calls it took. The report shows all of it; a
/// narrative that is missing never stops a report.
package struct NarrativeOutcome: Sendable, Equatable {
    /// Who was asked; nil when no model was (backend `none`, or none found).
    package var model: ModelIdentity?
    /// The calls made, in order (a second one only after an unusable reply).
    package var calls: [ModelCall]
    /// What passed grounding; nil when no draft came back.
    package var narrative: GroundedNarrative?
    /// Why the report carries no model-written text; nil when it does.
    package var unavailableReason: String?
    /// The prompt's size in tokens: the server's count when it gave one, else the estimate.
    package var promptTokens: Int?
    /// Facts in the prompt's table, and how many the analysis had (the table is
    /// trimmed to fit the context window).
    package var factsShown: Int
    package var factsTotal: Int
    /// Items the prompt asked for; 0 when no prompt was sent.
    package var itemsAsked = 0
    /// True while the model works: the report was written without waiting
    /// for it, and is rewritten once its narrative is checked.
    package var pending = false
    /// When the narrative was checked and the report rewritten with it
    /// (ISO 8601, UTC); nil while pending or when no model was asked.
    package var completedAt: String?

    package init(
        model: ModelIdentity?, calls: [ModelCall], narrative: GroundedNarrative?, unavailableReason: String?,
        promptTokens: Int?, factsShown: Int, factsTotal: Int
    ) {
        self.model = model
        self.calls = calls
        self.narrative = narrative
        self.unavailableReason = unavailableReason
        self.promptTokens = promptTokens
        self.factsShown = factsShown
        self.factsTotal = factsTotal
    }

    /// No model asked, for `reason`.
    package static func unavailable(_ reason: String, model: ModelIdentity? = nil) -> NarrativeOutcome {
        NarrativeOutcome(
            model: model, calls: [], narrative: nil, unavailableReason: reason, promptTokens: nil, factsShown: 0, factsTotal: 0)
    }

    /// The model is being asked: what a report written before its narrative says.
    package static func pending(model: ModelIdentity) -> NarrativeOutcome {
        var outcome = NarrativeOutcome(
            model: model, calls: [], narrative: nil, unavailableReason: nil, promptTokens: nil, factsShown: 0, factsTotal: 0)
        outcome.pending = true
        return outcome
    }

    /// The report's figures over all calls; nil when no call got a reply.
    package var metrics: ModelCallMetrics? {
        ModelCallMetrics.summed(calls.compactMap(\.metrics))
    }

    package var sentencesKept: Int { narrative?.sentencesKept ?? 0 }
    package var sentencesDropped: Int { narrative?.sentencesDropped ?? 0 }
}
