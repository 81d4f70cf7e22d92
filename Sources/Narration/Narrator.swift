import Analysis
import Logging
import ModelInterface

/// The narrative stage: the facts' prompt to the model, the reply parsed
/// (retried once when it is not the JSON asked for) and checked against the
/// facts. Any failure (server down, slow, garbage, context overflow) costs the
/// narrative, never the report: `narrate` does not throw.
package struct Narrator: Sendable {
    /// Who is asked; nil when no model is configured or none was found.
    package let backend: (any ModelBackend)?
    /// Why `backend` is nil, as the report shows it.
    package let unavailableReason: String
    package var persona: String
    /// The whole stage's budget, a retry included; nil: from the model's
    /// measured pace on this machine (`pace`).
    package var timeout: Duration?
    /// The model's pace on earlier calls, for budgets.
    package let pace = ModelPace()
    /// The most tokens a reply may take (`num_predict`), for budgets.
    package var replyTokens: Int
    /// Estimated tokens the fact table may take in the prompt.
    package var factBudget: Int

    /// A retry needs at least this much of the budget left to be worth starting.
    static let shortestRetry = Duration.seconds(3)

    package init(
        backend: any ModelBackend, persona: String, timeout: Duration?, replyTokens: Int = 768,
        factBudget: Int = NarrativePrompt.defaultFactBudget
    ) {
        self.backend = backend
        unavailableReason = ""
        self.persona = persona
        self.timeout = timeout
        self.replyTokens = replyTokens
        self.factBudget = factBudget
    }

    /// A narrator that never asks a model, for `reason`.
    package init(unavailable reason: String) {
        backend = nil
        unavailableReason = reason
        persona = NarrativePrompt.defaultPersona
        timeout = nil
        replyTokens = 768
        factBudget = NarrativePrompt.defaultFactBudget
    }

    /// The fact table's budget for a context window: what is left of
    /// `contextSize` after the reply, the persona and the instructions, at most
    /// the default (prompts under 1,500 tokens read best on small models).
    package static func factBudget(contextSize: Int, replyTokens: Int, persona: String) -> Int {
        let fixed = TokenEstimate.tokens(in: persona + "\n\n" + NarrativePrompt.instructions + "\n\nFacts:\n") + 16
        return max(64, min(NarrativePrompt.defaultFactBudget, contextSize - replyTokens - fixed - Narrator.choicesAllowance))
    }

    /// Tokens kept for the prompt's list of choices (a few lines of kinds and
    /// IDs); `NarrativePrompt(fitting:)` trims the table when they need more.
    package static let choicesAllowance = 300

    /// The checked narrative for `facts`, or the reason there is none.
    /// - Parameters:
    ///   - heartbeat: called about once a second while the model works (the
    ///     daemon's watchdog); the call itself is bounded by `timeout`.
    ///   - shouldStop: polled as often; true abandons the call (the daemon is stopping).
    package func narrate(
        _ facts: Facts, logger: Logger, heartbeat: @escaping @Sendable () -> Void = {},
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) async -> NarrativeOutcome {
        guard let backend else { return .unavailable(unavailableReason) }
        let full = FactSheet(facts)
        // The inputs row alone (files counted, nothing measured) is nothing to word.
        guard full.rows.contains(where: { $0.subject != "inputs" }) else {
            return .unavailable("no benchmark figures to narrate", model: backend.identity)
        }
        let prompt = NarrativePrompt(fitting: full, persona: persona, factBudget: factBudget)
        let sheet = prompt.factSheet
        // Figures no item kind covers (a lone llama-bench or hyperfine run):
        // nothing to choose, so nothing to ask.
        guard prompt.choices.itemsAsked > 0 else {
            return .unavailable("the facts support no narrative item (no kind covers these figures)", model: backend.identity)
        }
        let grounding = Grounding(prompt: prompt)
        logger.trace("model prompt", metadata: ["system": "\(prompt.system)", "user": "\(prompt.user)"])
        let measured = await pace.budget(promptTokens: prompt.estimatedTokens, replyTokens: replyTokens)
        let budget = timeout ?? measured
        let deadline = ContinuousClock.now + budget
        var calls: [ModelCall] = []
        var promptTokens: Int?
        var outcome = NarrativeOutcome(
            model: backend.identity, calls: [], narrative: nil, unavailableReason: nil,
            promptTokens: nil, factsShown: sheet.facts.count, factsTotal: full.facts.count)

        for attempt in 1...2 {
            let left = deadline - .now
            if attempt > 1 && left < Narrator.shortestRetry { break }
            var request = ModelRequest(prompt: prompt, timeout: left)
            // The same seed would draw the same unusable reply again.
            if attempt > 1 { request.options.seed = Int.random(in: 1...1_000_000) }
            if promptTokens == nil { promptTokens = request.estimatedPromptTokens }
            let result = await Narrator.call(backend, request, heartbeat: heartbeat, shouldStop: shouldStop)
            switch result {
            case .failure(let error):
                calls.append(ModelCall(attempt: attempt, outcome: .failed(error.description), metrics: nil))
                outcome.unavailableReason = "\(error)"
                logger.warning(
                    "model call failed; the report keeps its rule-based text",
                    metadata: ["model_backend": "\(backend.identity.backend)", "model_name": "\(backend.identity.model)", "reason": "\(error)"])
            case .success(let reply):
                await pace.record(reply.metrics)
                if let counted = reply.metrics.promptTokens { promptTokens = counted }
                do {
                    let draft = try NarrativeDraft(parsing: reply.text)
                    calls.append(ModelCall(attempt: attempt, outcome: .drafted, metrics: reply.metrics))
                    let narrative = grounding.check(draft)
                    outcome.narrative = narrative
                    outcome.unavailableReason =
                        narrative.isEmpty
                        ? "none of the model's \(narrative.sentencesDropped) items passed the checks (\(narrative.dropSummary))"
                        : nil
                    outcome.itemsAsked = prompt.choices.itemsAsked
                    Narrator.log(narrative, logger: logger)
                } catch {
                    calls.append(ModelCall(attempt: attempt, outcome: .unparseable(error.description), metrics: reply.metrics))
                    outcome.unavailableReason = error.description
                    logger.notice(
                        "the model's reply was not the JSON asked for",
                        metadata: ["attempt": "\(attempt)", "reason": "\(error)", "reply_chars": "\(reply.text.count)"])
                    continue
                }
            }
            break
        }
        outcome.calls = calls
        outcome.promptTokens = promptTokens
        // A managed server's address is known once it runs.
        outcome.model = backend.identity
        return outcome
    }

    /// One call, with the heartbeat running beside it and the stop request
    /// polled: the daemon's watchdog keeps being fed while the call is bounded
    /// by its own deadline, and a SIGTERM does not wait for the model.
    private static func call(
        _ backend: any ModelBackend, _ request: ModelRequest, heartbeat: @escaping @Sendable () -> Void,
        shouldStop: @escaping @Sendable () -> Bool
    ) async -> Result<ModelReply, ModelCallError> {
        await withTaskGroup(of: Result<ModelReply, ModelCallError>?.self) { group in
            group.addTask {
                do throws(ModelCallError) {
                    return .success(try await backend.generate(request))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    if shouldStop() { return .failure(.cancelled("chimerad is stopping")) }
                    heartbeat()
                    try? await Task.sleep(for: .seconds(1))
                }
                return nil
            }
            var result: Result<ModelReply, ModelCallError>? = nil
            while result == nil, let next = await group.next() {
                result = next
            }
            group.cancelAll()
            return result ?? .failure(.cancelled("the call was cancelled"))
        }
    }

    /// What the checks dropped and why, for the journal (debug): the report
    /// only counts them.
    private static func log(_ narrative: GroundedNarrative, logger: Logger) {
        logger.info(
            "narrative checked",
            metadata: [
                "items_kept": "\(narrative.sentencesKept)", "items_dropped": "\(narrative.sentencesDropped)",
                "notes_dropped": "\(narrative.droppedNotes.count)",
            ])
        for item in narrative.dropped {
            logger.debug(
                "item dropped", metadata: ["section": "\(item.section.rawValue)", "reason": "\(item.reason)", "kind": "\(item.kind)"])
        }
        for note in narrative.droppedNotes {
            logger.debug(
                "note dropped", metadata: ["section": "\(note.section.rawValue)", "reason": "\(note.reason)", "kind": "\(note.kind.rawValue)"])
        }
    }
}
