/// Whether a note speaks of its own item. A small model writes fluent
/// sentences about nothing in the data ("The test suite was designed to
/// evaluate a new quantum computer architecture"): their words are benchmark
/// words, they cite no number, so no other check catches them. A note sentence
/// is kept only when it shares a word stem with what its item is about: the
/// statement chimerad makes from the cited facts, those facts' subjects and
/// keys, the risk's mitigation, and the words a note on that kind of item
/// would use (`ItemKind.noteWords`); or, naming only a model or its runs in
/// general, when it is mostly the benchmarks' words (`isAbout`).
///
///     let about = Grounding.stems(of: [statement, row.subject, "tps median"], kind: .throughput)
///     Grounding.speaksOf(about, "Gemma decodes steadily across runs.")  // true: "gemma", "decod", "run"
extension Grounding {
    /// The stems a note on an item may share with it.
    static func stems(of texts: [String], kind: ItemKind, mitigation: ItemKind? = nil) -> Set<String> {
        var stems = Set<String>()
        let words = texts.flatMap(Grounding.words) + kind.noteWords + (mitigation?.noteWords ?? [])
        for word in words {
            if let stem = stem(word) { stems.insert(stem) }
            // A model's family is its name before the digits (`gemma3` is
            // `gemma`): what a note calls it.
            let family = String(word.prefix { $0.isLetter })
            if family.count >= 3, family.count < word.count, let stem = stem(family) { stems.insert(stem) }
        }
        return stems
    }

    /// Whether a note's sentence speaks of its item: it shares a stem with
    /// it (`speaksOf`), or it names a model or its runs in general ("warm
    /// the model before timing the runs") and at least half of its other
    /// words are the benchmarks' or the item's. "The model was designed to
    /// evaluate a new quantum computer architecture" is neither: a small
    /// model's usual opening, with nothing of the data after it.
    func isAbout(_ sentence: String, _ stems: Set<String>) -> Bool {
        if Grounding.speaksOf(stems, sentence) { return true }
        let words = Grounding.words(sentence).filter { Grounding.stem($0) != nil }
        guard words.contains(where: { Grounding.stem($0).map(Grounding.generalSubjects.contains) == true }) else { return false }
        let known = words.count { isTopical($0) || Grounding.stem($0).map(stems.contains) == true }
        return known * 2 >= words.count
    }

    /// Stems of what every item is about, in general: a model and its runs.
    static let generalSubjects: Set<String> = ["model", "run"]

    /// Whether one of the sentence's words has a stem of `stems`.
    static func speaksOf(_ stems: Set<String>, _ sentence: String) -> Bool {
        Grounding.words(sentence).contains { word in stem(word).map(stems.contains) ?? false }
    }

    /// A word less one ending of its forms, then less a final `e`
    /// (`decodes`, `decoding`, `decoded` and `decode` are `decod`; `failure`
    /// and `failed` are `fail`), so long as three letters stay; nil for a word
    /// too short or too common to tie a sentence to anything. Whole stems,
    /// not prefixes: `through` is not `throughput`, nor `confirm` `configuration`.
    static func stem(_ word: String) -> String? {
        guard word.count >= 3, !Grounding.commonWords.contains(word) else { return nil }
        var stem = word
        if let ending = Grounding.endings.first(where: { word.hasSuffix($0) && word.count - $0.count >= 3 }) {
            stem = String(word.dropLast(ending.count))
        }
        if stem.hasSuffix("e") && stem.count >= 4 { stem.removeLast() }
        return stem
    }

    /// Endings of a word's forms, longest first.
    static let endings = [
        "ations", "ation", "ings", "ures", "ions", "iest", "ies", "ing", "ure", "ion", "ers", "est", "ied", "ly", "ed", "er", "es",
        "s", "y",
    ]

    /// Words any sentence may hold: they tie it to nothing.
    static let commonWords: Set<String> = [
        "the", "and", "for", "with", "from", "that", "this", "these", "those", "are", "was", "were", "been", "being",
        "have", "has", "had", "not", "but", "its", "their", "they", "them", "than", "then", "more", "most", "less",
        "also", "into", "over", "under", "about", "which", "what", "when", "where", "there", "here", "will", "would",
        "could", "should", "can", "may", "might", "each", "all", "any", "some", "such", "very", "only", "just", "our",
        "your", "one", "two", "new", "does", "did", "done", "out", "per", "via", "how", "why", "who", "other", "same",
        "both", "much", "many", "well", "still", "even", "like", "make", "makes", "made", "based", "used", "using",
    ]
}
