/// Proper names a note invents. A small model credits what it says to people,
/// teams and places that do not exist ("in line with what the team of
/// Dr. Gryn reported"): no figure, no model or file name, so no other check
/// catches them, and the report would print an invented authority. A
/// capitalised word inside a sentence that the prompt, the data and the
/// benchmarks' vocabulary never showed is taken for such a name.
///
///     grounding.inventedName(in: "Gemma decodes as Dr. Gryn predicted.")  // "Gryn"
///     grounding.inventedName(in: "Gemma decodes faster than Llama.")      // nil: the data's families
extension Grounding {
    /// The first capitalised word, not the sentence's first nor the first
    /// after a colon (where English capitalises any word), that is not a
    /// word of the prompt, the data or the benchmarks. Titles (`Dr.`) lead
    /// to the name after them.
    func inventedName(in sentence: String) -> String? {
        var opensClause = true
        for token in sentence.split(whereSeparator: \.isWhitespace) {
            let word = Grounding.bareWord(token)
            defer { opensClause = token.hasSuffix(":") }
            guard !opensClause, Grounding.isCapitalised(word) else { continue }
            if Grounding.titles.contains(word.lowercased()) { continue }
            let parts = Grounding.words(word)
            if !parts.allSatisfy(isKnownWord) { return word }
        }
        return nil
    }

    /// A word the prompt, the data, the benchmarks or plain English
    /// connectives hold, in this form or another of its forms.
    private func isKnownWord(_ word: String) -> Bool {
        if knownWords.contains(word) || isTopical(word) || Grounding.everydayWords.contains(word) { return true }
        if Grounding.commonWords.contains(word) || KnownNames.family(of: word) != nil { return true }
        return Grounding.stem(word).map(knownStems.contains) ?? false
    }

    /// The token without the punctuation around it and a possessive `'s`.
    static func bareWord(_ token: Substring) -> String {
        var word = String(token.drop { "([{\"'“‘`".contains($0) }).trimmingTrailing(".,;:!?)]}\"'”’`")
        for possessive in ["'s", "’s"] where word.hasSuffix(possessive) { word = String(word.dropLast(2)) }
        return word
    }

    /// `Gryn`, `Chimera-optimised`: a capital, then lower-case letters (and
    /// hyphens). Inner capitals and acronyms are `isCoinedName`'s.
    static func isCapitalised(_ word: String) -> Bool {
        guard let first = word.first, first.isUppercase, word.count >= 2 else { return false }
        return word.dropFirst().allSatisfy { $0 == "-" || ($0.isLetter && !$0.isUppercase) }
    }

    /// Titles before a name, as `SentenceSplitter` keeps them in a sentence.
    static let titles: Set<String> = ["dr", "mr", "mrs", "ms", "prof", "sir"]
}
