/// A model's parameter count as its name spells it, so a comparison sets
/// only models of one size against each other: `gemma3:270m` is `270m`,
/// `llama3.1:8b-instruct-q4_0` and `Llama-3.1-8B-Instruct.gguf` are `8b`,
/// `qwen2.5:1.5b` is `1.5b`, `mixtral:8x7b` is `8x7b`. The first component of
/// the name (split at `:`, `-`, `_`, `/` and spaces) that is a count of
/// millions or billions; nil when there is none (`gemma3:latest`), and such
/// a model is of no known size, equal to none.
package enum ModelSize {
    package static func of(_ model: String) -> String? {
        let separators: Set<Character> = [":", "-", "_", "/", " "]
        for component in model.split(whereSeparator: { separators.contains($0) }) where isSize(component.lowercased()) {
            return component.lowercased()
        }
        return nil
    }

    /// `8b`, `270m`, `1.5b`, `8x7b`: digits, an optional decimal part, an
    /// optional `x` and more digits (experts), then `b` or `m`.
    private static func isSize(_ text: String) -> Bool {
        guard let unit = text.last, unit == "b" || unit == "m" else { return false }
        let count = text.dropLast()
        let parts = count.split(separator: "x", maxSplits: 1, omittingEmptySubsequences: false)
        guard !count.isEmpty, parts.allSatisfy({ isNumber($0) }) else { return false }
        // An expert count is a whole number.
        return parts.count == 1 || !parts[0].contains(".")
    }

    private static func isNumber(_ text: Substring) -> Bool {
        let pieces = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return pieces.allSatisfy { piece in !piece.isEmpty && piece.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
