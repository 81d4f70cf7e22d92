/// One call's output: the model's whole text and what the call cost.
public struct ModelReply: Sendable, Equatable {
    /// The concatenated content of the reply, as the model wrote it.
    public var text: String
    public var metrics: ModelCallMetrics
    /// Why generation stopped (`stop`, `length`), when the server says.
    public var finishReason: String?

    public init(text: String, metrics: ModelCallMetrics, finishReason: String? = nil) {
        self.text = text
        self.metrics = metrics
        self.finishReason = finishReason
    }
}
