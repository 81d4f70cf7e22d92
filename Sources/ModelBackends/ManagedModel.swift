/// A model chimerad can run itself, in its own llama-server: the names are the
/// keys of `chimerad-models.json` (written by `scripts/setup-model`).
package enum ManagedModel: String, CaseIterable, Sendable {
    /// Gemma 3 270M (Q4_K_M): a tiny base model with no chat template of its own.
    case gemma3_270m = "gemma3-270m"
    /// SmolLM2-135M-Instruct (Q4_1): smaller, instruction-tuned.
    case smollm2_135m = "smollm2-135m"

    /// The model used when the configuration names none: SmolLM2, whose
    /// sentences survive the grounding checks; Gemma 3 270M (a base model)
    /// wrote nothing that did on the shared corpus (see the README's figures).
    package static let `default`: ManagedModel = .smollm2_135m

    /// The model as a person names it, for logs and reports.
    package var displayName: String {
        switch self {
        case .gemma3_270m: "Gemma 3 270M (Q4_K_M)"
        case .smollm2_135m: "SmolLM2-135M-Instruct (Q4_1)"
        }
    }

    /// The GGUF's file name in a venv's `models/` folder, where `scripts/setup-model` puts it.
    package var fileName: String {
        switch self {
        case .gemma3_270m: "gemma-3-270m-q4_k_m.gguf"
        case .smollm2_135m: "SmolLM2-135M-Instruct.Q4_1.gguf"
        }
    }
}
