import Records

/// One call's input: the two messages, the reply's JSON schema if any, the
/// options and the time the whole call may take.
package struct ModelRequest: Sendable, Equatable {
    /// The persona (system message).
    package var system: String
    /// The instructions and facts (user message).
    package var user: String
    /// The JSON schema the reply should follow; nil for free text.
    package var schema: JSONValue?
    /// The name OpenAI-compatible servers want beside the schema.
    package var schemaName: String
    /// Overrides of the backend's configured options (unset ones fall back to those).
    package var options: ModelOptions
    /// The whole call's budget, health check and streaming included.
    package var timeout: Duration

    package init(
        system: String, user: String, schema: JSONValue? = nil, schemaName: String = "reply",
        options: ModelOptions = ModelOptions(), timeout: Duration = .seconds(120)
    ) {
        self.system = system
        self.user = user
        self.schema = schema
        self.schemaName = schemaName
        self.options = options
        self.timeout = timeout
    }

    /// Estimated prompt tokens (conservative), with a few for the chat template's markers.
    package var estimatedPromptTokens: Int {
        TokenEstimate.tokens(in: system + "\n\n" + user) + ModelRequest.templateOverhead
    }

    /// Throws `.contextOverflow` when the estimated prompt is longer than
    /// `contextSize`: checked before sending, since servers cut or reject it.
    package func checkFits(contextSize: Int) throws(ModelCallError) {
        let estimate = estimatedPromptTokens
        if estimate > contextSize { throw .contextOverflow(promptTokens: estimate, contextSize: contextSize) }
    }

    /// Role markers and turn separators a chat template adds around two messages.
    package static let templateOverhead = 16
}
