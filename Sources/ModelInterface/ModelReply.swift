/// One call's output: the model's whole text and what the call cost.
package struct ModelReply: Sendable, Equatable {
    /// The concatenated content of the reply, as the model wrote it.
    package var text: String
    package var metrics: ModelCallMetrics
    /// Why generation stopped (`stop`, `length`), when the server says.
    package var finishReason: String?

    package init(text: String, metrics: ModelCallMetrics, finishReason: String? = nil) {
        self.text = text
        self.metrics = metrics
        self.finishReason = finishReason
    }
}
