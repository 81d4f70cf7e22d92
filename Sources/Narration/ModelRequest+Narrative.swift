import ModelInterface

extension ModelRequest {
    /// The narrative's request: the prompt's messages and its output schema.
    package init(prompt: NarrativePrompt, options: ModelOptions = ModelOptions(), timeout: Duration = .seconds(120)) {
        self.init(
            system: prompt.system, user: prompt.user, schema: prompt.outputSchema,
            schemaName: NarrativePrompt.outputSchemaName, options: options, timeout: timeout
        )
    }
}
