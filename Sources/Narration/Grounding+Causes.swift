/// A note may explain what the facts hold by a cause they do not: SmolLM2
/// wrote "the results are not available due to a bug that was introduced
/// during testing" beside one failed run. Nothing in the data says there was a
/// bug; a report that repeats it tells its reader something nobody measured.
/// A cause is the words after "because", "due to", "caused by" and the like,
/// up to the end of their clause; it may hold the facts' and the prompt's
/// words, the benchmark vocabulary and plain function words, nothing else.
///
/// ```swift
/// grounding.unsupportedCause(in: "It failed due to a bug in the driver.")  // "bug"
/// grounding.unsupportedCause(in: "It failed because the connection was refused.")  // nil beside "Connection refused"
/// ```
extension Grounding {
    /// Word sequences that introduce a cause.
    static let causeMarkers: [[String]] = [
        // Not "result of" or "results from": "the results from both runs" is a noun.
        ["because"], ["due", "to"], ["caused", "by"], ["owing", "to"], ["resulted", "from"], ["attributed", "to"], ["attributable", "to"],
        ["stems", "from"], ["stemming", "from"],
        ["thanks", "to"], ["blamed", "on"],
    ]
    /// How many words after its marker a cause is read for.
    static let causeReach = 8
    /// Words a cause may hold whatever the facts: grammar, and words that
    /// name no event or thing of their own ("noise", "variation").
    static let causeFunctionWords: Set<String> = [
        "the", "and", "but", "not", "its", "their", "this", "that", "these", "those", "which", "who", "what", "was", "were",
        "are", "been", "being", "has", "have", "had", "for", "from", "with", "into", "onto", "during", "after", "before",
        "than", "then", "there", "such", "can", "could", "may", "might", "will", "would", "should", "must", "all", "each",
        "every", "other", "another", "same", "own", "some", "any", "more", "most", "less", "fewer", "many", "much", "very",
        "also", "only", "both", "either", "how", "why", "when", "where", "just", "too", "one", "two", "way", "fact", "lack",
        "number", "amount", "size", "time", "times", "noise", "noisy", "variation", "variations", "difference", "differences",
        "different", "change", "changes", "changed", "high", "higher", "low", "lower", "small", "smaller", "large", "larger",
        "long", "longer", "short", "shorter", "few", "little", "similar", "used", "using", "use", "does", "did", "doing",
        "done", "make", "makes", "made", "them", "they", "our", "your",
    ]

    /// The first word of a cause the sentence gives that neither the facts,
    /// the prompt nor the benchmark vocabulary holds; nil when it gives no
    /// cause, or only one made of those.
    func unsupportedCause(in sentence: String) -> String? {
        for clause in sentence.split(whereSeparator: { ",;:()—–".contains($0) }) {
            let words = Grounding.words(String(clause))
            var index = 0
            while index < words.count {
                guard let marker = Grounding.causeMarkers.first(where: { words[index...].starts(with: $0) }) else {
                    index += 1
                    continue
                }
                let cause = words.dropFirst(index + marker.count).prefix(Grounding.causeReach)
                if let word = cause.first(where: { !isAllowedInCause($0) }) { return word }
                index += marker.count
            }
        }
        return nil
    }

    private func isAllowedInCause(_ word: String) -> Bool {
        // Short words and words with digits are left to the other checks (names, numbers).
        guard word.count >= 3, word.allSatisfy(\.isLetter) else { return true }
        if Grounding.causeFunctionWords.contains(word) || isTopical(word) { return true }
        // An inflection of a known word ("refusals" beside "refused" is not; "failures" beside "failure" is).
        let stems = [word] + ["s", "es", "ed", "ing", "d"].compactMap { word.hasSuffix($0) ? String(word.dropLast($0.count)) : nil }
        return stems.contains { stem in knownWords.contains(stem) || knownWords.contains(stem + "e") }
    }
}
