/// The narrative as a report may show it: only what passed grounding, with
/// the counts and, for each dropped sentence, why (for the journal and tests).
package struct GroundedNarrative: Sendable, Equatable {
    package enum Section: String, Sendable, Equatable {
        case summary, findings, recommendations, risks
    }

    package enum DropReason: Sendable, Equatable, CustomStringConvertible {
        /// A number no fact shows, at the precision written, and no ratio or
        /// percentage of two facts gives.
        case ungroundedNumber(String)
        /// A model the data does not hold (`llama3:8b`, `Mistral`).
        case unknownModel(String)
        /// A file the data does not hold (`results.csv`, `*.csv`).
        case unknownFile(String)
        /// A name with digits the data does not hold: hardware, versions,
        /// settings (`TPU-2019`, `A100`, `v2`, `fp16`).
        case unknownName(String)
        /// Restates the prompt: the instructions, the persona, or a fact-table row.
        case echoesPrompt
        /// Says again what an earlier kept sentence said.
        case duplicate
        /// Nothing in it is about benchmarks or the data (no number, model or
        /// benchmark word): "the United States is the world's largest economy".
        case offTopic
        /// A summary or finding that names nothing of this data (no figure,
        /// model, backend, parameter or tool of it): "performance is not optimal".
        case namesNothingOfTheData
        /// No words, only numbers or symbols (`"1"`, `":{"`): states nothing.
        case notASentence
        /// Stops mid-sentence ("... a new method called"): a reply cut at its token limit.
        case unfinished

        package var description: String {
            switch self {
            case .ungroundedNumber(let number): "number not in the facts: \(number)"
            case .unknownModel(let name): "model not in the data: \(name)"
            case .unknownFile(let name): "file not in the data: \(name)"
            case .unknownName(let name): "name not in the data: \(name)"
            case .echoesPrompt: "repeats the prompt"
            case .duplicate: "repeats an earlier sentence"
            case .offTopic: "not about the benchmarks"
            case .namesNothingOfTheData: "names nothing of the data"
            case .notASentence: "no words, only numbers or symbols"
            case .unfinished: "an unfinished sentence"
            }
        }
    }

    package struct Dropped: Sendable, Equatable {
        package var section: Section
        package var text: String
        package var reason: DropReason
    }

    package var summary: String
    package var findings: [String]
    package var recommendations: [String]
    package var risks: [NarrativeDraft.Risk]
    /// Sentences kept; a risk row (risk and mitigation) counts as one.
    package var sentencesKept: Int
    package var dropped: [Dropped]

    package var sentencesDropped: Int { dropped.count }

    /// Nothing survived: the report falls back to the rule-based text.
    package var isEmpty: Bool {
        summary.isEmpty && findings.isEmpty && recommendations.isEmpty && risks.isEmpty
    }

    /// Markdown for the report (`narrative.text`): the summary, then findings,
    /// recommendations and the risk table, each only when something was kept.
    package var markdown: String {
        var parts: [String] = []
        if !summary.isEmpty { parts.append(summary) }
        if !findings.isEmpty { parts.append(findings.map { "- " + $0 }.joined(separator: "\n")) }
        if !recommendations.isEmpty {
            parts.append(recommendations.enumerated().map { "\($0.offset + 1). " + $0.element }.joined(separator: "\n"))
        }
        if !risks.isEmpty {
            let rows = risks.map { "| " + cell($0.risk) + " | " + cell($0.mitigation) + " |" }
            parts.append((["| Risk | Mitigation |", "| --- | --- |"] + rows).joined(separator: "\n"))
        }
        return parts.joined(separator: "\n\n")
    }

    private func cell(_ text: String) -> String {
        let escaped = text.replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
        return escaped.isEmpty ? "—" : escaped
    }
}
