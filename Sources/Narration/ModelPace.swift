import ModelInterface

/// How fast the model has been on this machine: prompt tokens and generated
/// tokens per second, from the figures of its last calls. A narrative's time
/// budget comes from it, not from a faster machine's figures.
package actor ModelPace {
    /// Prompt tokens per second and generated tokens per second, once measured.
    private var promptRate: Double?
    private var generationRate: Double?

    /// Before the first call: a small model on two busy cores, as measured on
    /// the slowest machine chimerad is tested on (SmolLM2-135M beside a
    /// CPU-bound benchmark: about 25 prompt and 2 generated tokens a second).
    static let startingPromptRate = 25.0
    static let startingGenerationRate = 2.0
    /// The budget's margin over the estimate, and its bounds.
    static let margin = 2.0
    static let shortest = Duration.seconds(60)
    static let longest = Duration.seconds(1_800)

    package init() {}

    /// Takes in a call's figures; a call that reports none changes nothing.
    package func record(_ metrics: ModelCallMetrics) {
        if let tokens = metrics.promptTokens, let milliseconds = metrics.promptEvalMilliseconds, tokens > 0, milliseconds > 0 {
            promptRate = Double(tokens) / (milliseconds / 1000)
        }
        if let tokens = metrics.tokensGenerated, let milliseconds = metrics.evalMilliseconds, tokens > 0, milliseconds > 0 {
            generationRate = Double(tokens) / (milliseconds / 1000)
        }
    }

    /// The time a call with `promptTokens` in and at most `replyTokens` out
    /// may take: the estimate at the measured pace, doubled, within 1 to 30 minutes.
    package func budget(promptTokens: Int, replyTokens: Int) -> Duration {
        let seconds =
            Double(promptTokens) / (promptRate ?? ModelPace.startingPromptRate)
            + Double(replyTokens) / (generationRate ?? ModelPace.startingGenerationRate)
        // Bounded before it is a whole number: a pace measured near zero makes
        // the estimate too large for one.
        let longest = Double(ModelPace.longest.components.seconds)
        let bounded = seconds.isFinite ? min(seconds * ModelPace.margin, longest) : longest
        let budget = Duration.milliseconds(Int((bounded * 1000).rounded()))
        return min(max(budget, ModelPace.shortest), ModelPace.longest)
    }
}
