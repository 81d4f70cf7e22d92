import Foundation
import Records

/// A model's quantisation, and the family its quantisations share: what the
/// leaderboard ranks by and compares within.
///
/// The quantisation comes from the configuration when the files record it
/// (`quant`, `quantization`, `quantisation`, `quantization_level`, or a `tag`
/// that names one), else from the model name's last component, as Ollama and
/// GGUF files spell it: `llama3.1:8b-instruct-q4_0` is `q4_0` of
/// `llama3.1:8b-instruct`, `gemma3:1b-it-qat` is `qat` of `gemma3:1b-it`,
/// `Llama-3.2-1B-Instruct-Q4_K_M.gguf` is `q4_K_M`. Names are matched without
/// regard to case and shown one way (`Q4_K_M` and `q4_k_m` are one row).
package struct ModelQuantisation: Sendable, Equatable {
    /// The model name without its quantisation (the whole name when it has none).
    package var family: String
    package var quant: String?

    package init(family: String, quant: String?) {
        self.family = family
        self.quant = quant
    }

    package init(model: String, configuration: [Parameter] = []) {
        let named = ModelQuantisation.split(model)
        family = named.map(\.family).flatMap { $0.isEmpty ? nil : $0 } ?? model
        quant = ModelQuantisation.configured(configuration) ?? named?.quant
    }

    /// Parameters that state the quantisation outright: taken as written
    /// when not a spelling this type knows.
    static let quantParameters: Set<String> = ["quant", "quantization", "quantisation", "quantization_level"]

    /// Precisions and schemes that are a quantisation by name alone.
    static let namedSchemes: Set<String> = [
        "f16", "fp16", "bf16", "f32", "fp32", "fp8", "qat", "int4", "int8", "mxfp4", "awq", "gptq",
    ]

    /// The quantisation a configuration records, if any.
    static func configured(_ configuration: [Parameter]) -> String? {
        for parameter in configuration where quantParameters.contains(parameter.name.lowercased()) {
            let value = parameter.value.trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { return canonical(value) ?? value }
        }
        // A tag is often the model's whole tag (`8b-instruct-q4_0`) or a word
        // (`latest`): only a quantisation it ends with counts.
        for parameter in configuration where parameter.name.lowercased() == "tag" {
            if let quant = split(parameter.value)?.quant { return quant }
        }
        return nil
    }

    /// The name's quantisation and what comes before it: the component after
    /// the last `:`, `-`, `.` or `/` (a `.gguf` extension dropped), or failing
    /// that its longest part after a `_` (`model_q4_K_M`). The family is empty
    /// when the whole name is a quantisation.
    static func split(_ name: String) -> (family: String, quant: String)? {
        var text = Substring(name.trimmingCharacters(in: .whitespaces))
        if text.lowercased().hasSuffix(".gguf") { text = text.dropLast(5) }
        let separators: Set<Character> = [":", "-", ".", "/"]
        var cut = text.lastIndex(where: { separators.contains($0) }).map(text.index(after:)) ?? text.startIndex
        while cut < text.endIndex {
            if let quant = canonical(text[cut...]) {
                var family = text[..<cut]
                if let last = family.last, separators.contains(last) || last == "_" { family = family.dropLast() }
                return (String(family), quant)
            }
            guard let underscore = text[cut...].firstIndex(of: "_") else { return nil }
            cut = text.index(after: underscore)
        }
        return nil
    }

    /// `text` as this type spells a quantisation, or nil when it is none:
    /// llama.cpp's k-quants and legacy quants (`q2_K` … `q8_0`, `q4_K_M`,
    /// `q4_0_4_4`), i-quants (`iq1_S` … `iq4_NL`, `iq2_XXS`), ternary
    /// (`tq1_0`), and `namedSchemes`. The kind and bit width are lower case,
    /// the letters after them upper case, as Ollama's tags write them.
    static func canonical<Text: StringProtocol>(_ text: Text) -> String? {
        let lower = text.lowercased()
        if namedSchemes.contains(lower) { return lower }
        let parts = lower.split(separator: "_", omittingEmptySubsequences: false)
        guard let head = parts.first else { return nil }
        let kind: (prefix: String, bits: ClosedRange<Character>, suffixes: Set<Substring>)
        if head.hasPrefix("iq") {
            kind = ("iq", "1"..."4", ["xxs", "xs", "s", "m", "l", "xl", "nl", "k"])
        } else if head.hasPrefix("tq") {
            kind = ("tq", "1"..."2", [])
        } else if head.hasPrefix("q") {
            kind = ("q", "2"..."8", ["k", "s", "m", "l", "xs", "xl"])
        } else {
            return nil
        }
        let bits = head.dropFirst(kind.prefix.count)
        guard bits.count == 1, let bit = bits.first, kind.bits.contains(bit) else { return nil }
        var spelled = [String(head)]
        for part in parts.dropFirst() {
            if part.count == 1, let digit = part.first, digit.isASCII, digit.isNumber {
                spelled.append(String(part))
            } else if kind.suffixes.contains(part) {
                spelled.append(part.uppercased())
            } else {
                return nil
            }
        }
        return spelled.joined(separator: "_")
    }
}
