import Analysis
import Records
import ModelInterface

/// What a backend sends the model: the persona as the system message; the
/// instructions and the fact sheet as the user message; the schema of the
/// JSON reply. Small on purpose: small local models read short prompts best,
/// and `num_ctx` must hold the prompt and the reply.
package struct NarrativePrompt: Sendable, Equatable {
    /// The persona (the original tool's InsightAgent by default).
    package var system: String
    /// The instructions followed by the fact sheet.
    package var user: String
    /// The facts as shown to the model: grounding checks against these.
    package var factSheet: FactSheet

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
    /// the persona and instructions the prompt stays under 1,500 tokens.
    package static let defaultFactBudget = 1_150

    /// The instructions, kept short; the persona says what to write, these say
    /// how. No example JSON: Gemma 3 270M copied an example's `"..."` placeholders
    /// verbatim; the schema goes to the server as the reply's format instead.
    package static let instructions = """
        Write the report's narrative from the facts below and nothing else. \
        Use only numbers that appear in the facts, copied as written (or a ratio or percentage of two of them). \
        Name only models that appear in the facts. Do not mention the IDs. \
        Reply with one JSON object: summary (a short paragraph), findings (a list of sentences), \
        recommendations (exactly 3 sentences balancing throughput, TTFT and quality), \
        risks (at least 2 objects, each with a risk and its mitigation). \
        Write every sentence once.
        """

    package init(facts: Facts, persona: String = NarrativePrompt.defaultPersona, factBudget: Int = NarrativePrompt.defaultFactBudget) {
        self.init(factSheet: FactSheet(facts).trimmed(toTokens: factBudget), persona: persona)
    }

    package init(factSheet: FactSheet, persona: String = NarrativePrompt.defaultPersona) {
        self.factSheet = factSheet
        system = persona.trimmingWhiteSpace
        user = NarrativePrompt.instructions + "\n\nFacts:\n" + factSheet.text
    }

    /// System and user text in one, for backends with a single prompt
    /// (Ollama `/api/generate`, a base model without a chat template).
    package var text: String { system + "\n\n" + user }

    /// Estimated prompt tokens of `text` (`TokenEstimate`, conservative);
    /// chat templates add a few tokens per message on top.
    package var estimatedTokens: Int { TokenEstimate.tokens(in: text) }

    /// The JSON schema of the reply: for Ollama's `format`, or OpenAI's
    /// `response_format: {type: "json_schema", json_schema: {name, schema}}`.
    package static let outputSchema: JSONValue = {
        let text: JSONValue = .object([("type", .string("string"))])
        func list(_ item: JSONValue, min: Int, max: Int? = nil) -> JSONValue {
            var members: [(key: String, value: JSONValue)] = [("type", .string("array")), ("items", item), ("minItems", .number(Double(min)))]
            if let max { members.append(("maxItems", .number(Double(max)))) }
            return .object(members)
        }
        let risk: JSONValue = .object([
            ("type", .string("object")),
            ("properties", .object([("risk", text), ("mitigation", text)])),
            ("required", .array([.string("risk"), .string("mitigation")])),
        ])
        return .object([
            ("type", .string("object")),
            (
                "properties",
                .object([
                    ("summary", text),
                    ("findings", list(text, min: 1, max: 6)),
                    ("recommendations", list(text, min: 3, max: 3)),
                    ("risks", list(risk, min: 2, max: 4)),
                ])
            ),
            ("required", .array(["summary", "findings", "recommendations", "risks"].map { .string($0) })),
        ])
    }()

    /// The name OpenAI-compatible servers want beside the schema.
    package static let outputSchemaName = "chimerad_narrative"
}
