import Analysis
import Records
import ModelInterface

/// What a backend sends the model: the persona as the system message; the
/// instructions, the fact sheet and the items it supports as the user
/// message; the schema of the JSON reply. Small on purpose: small local models
/// read short prompts best, and `num_ctx` must hold the prompt and the reply.
package struct NarrativePrompt: Sendable {
    /// The persona (the original tool's InsightAgent by default).
    package var system: String
    /// The instructions followed by the fact sheet and the choices.
    package var user: String
    /// The facts as shown to the model: items cite its rows.
    package var factSheet: FactSheet
    /// The items the facts support: what the reply may hold.
    package var choices: ItemChoices

    /// The persona the original tool used, kept as the default.
    package static let defaultPersona = """
        You are InsightAgent, a Chimera-optimised LLM operations specialist.
        Given the repository context described previously, produce:
        1. Executive summary of model performance.
        2. Three optimisation recommendations that balance throughput, TTFT, and quality.
        3. A risk/mitigation table with at least two rows.
        Aim for 300-400 words, with numbered sections and bolded metric callouts.
        """

    /// Estimated tokens of the fact sheet kept in the prompt by default: with
    /// the persona, the instructions and the choices (`Narrator.choicesAllowance`)
    /// the prompt stays under about 1,800 tokens.
    package static let defaultFactBudget = 1_150

    /// The instructions, kept short. No example JSON: Gemma 3 270M copied an
    /// example's `"..."` placeholders verbatim; the schema goes to the server
    /// as the reply's format instead.
    package static let instructions = """
        Choose what the report says about the facts below. \
        Reply with one JSON object: summary, findings, recommendations and risks, each a list of items. \
        An item is {"kind", "facts", "note"}: kind says what it states, facts are the IDs of the rows it is about, \
        and the Choices below list every kind with the IDs it may cite. \
        chimerad writes the figures and names itself: note is one short sentence in plain words saying why it matters, \
        with no digits, no IDs and no names. A risk also has a "mitigation", one of the kinds listed with it. \
        Choose each item once.
        """

    package init(facts: Facts, persona: String = NarrativePrompt.defaultPersona, factBudget: Int = NarrativePrompt.defaultFactBudget) {
        self.init(fitting: FactSheet(facts), persona: persona, factBudget: factBudget)
    }

    /// The prompt whose table and choices together take at most `factBudget`
    /// plus `Narrator.choicesAllowance` tokens: the table is trimmed to the
    /// budget, then further (fewer rows, so fewer choices) while the choices
    /// need more than their allowance.
    package init(fitting full: FactSheet, persona: String = NarrativePrompt.defaultPersona, factBudget: Int) {
        var prompt = NarrativePrompt(factSheet: full.trimmed(toTokens: factBudget), persona: persona)
        for _ in 0..<4 {
            let sheet = prompt.factSheet.estimatedTokens
            let excess = sheet + TokenEstimate.tokens(in: prompt.choices.text) - (factBudget + Narrator.choicesAllowance)
            guard excess > 0, sheet > 64 else { break }
            prompt = NarrativePrompt(factSheet: full.trimmed(toTokens: max(64, sheet - excess)), persona: persona)
        }
        self = prompt
    }

    package init(factSheet: FactSheet, persona: String = NarrativePrompt.defaultPersona) {
        self.factSheet = factSheet
        choices = ItemChoices(sheet: factSheet)
        system = persona.trimmingWhiteSpace
        user = NarrativePrompt.instructions + "\n\nFacts:\n" + factSheet.text + "\n\nChoices (kind IDs):\n" + choices.text
    }

    /// System and user text in one, for backends with a single prompt
    /// (Ollama `/api/generate`, a base model without a chat template).
    package var text: String { system + "\n\n" + user }

    /// Estimated prompt tokens of `text` (`TokenEstimate`, conservative);
    /// chat templates add a few tokens per message on top.
    package var estimatedTokens: Int { TokenEstimate.tokens(in: text) }

    /// The JSON schema of the reply, for Ollama's `format` or OpenAI's
    /// `response_format: {type: "json_schema", json_schema: {name, schema}}`:
    /// the choices' (see `ItemChoices.schema`).
    package var outputSchema: JSONValue { choices.schema }

    /// The name OpenAI-compatible servers want beside the schema.
    package static let outputSchemaName = "chimerad_narrative"
}
