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
    /// The first capitalised word that is not a word of the prompt, the data
    /// or the benchmarks: inside a sentence, or a hyphenated or quoted part
    /// of one (`Gryn-Kowalski`, `O'Brien`); at a sentence's or clause's start,
    /// where English capitalises any word, only one that a possessive or a
    /// verb of reporting after it shows is a name ("Gryn's lab found",
    /// "Gryn reported"). Titles (`Dr.`) lead to the name after them. The
    /// prompt's own names (the persona's `Chimera`) are no authority of the
    /// data's: "as the Chimera team predicted" is invented too.
    func inventedName(in sentence: String) -> String? {
        let tokens = sentence.split(whereSeparator: \.isWhitespace)
        var opensClause = true
        for (position, token) in tokens.enumerated() {
            let word = Grounding.bareWord(token)
            let isTitle = Grounding.titles.contains(word.lowercased())
            defer { opensClause = token.hasSuffix(":") || (!isTitle && token.last.map { ".?!".contains($0) } == true) }
            if isTitle { continue }
            if opensClause {
                let next = position + 1 < tokens.count ? Grounding.bareWord(tokens[position + 1]).lowercased() : ""
                let possessive = token.hasSuffix("'s") || token.hasSuffix("’s")
                guard possessive || Grounding.reportingVerbs.contains(next) else { continue }
            }
            for part in word.split(whereSeparator: { $0 == "-" || $0 == "'" || $0 == "’" }).map(String.init)
            where Grounding.isCapitalised(part) && !isKnownName(part.lowercased()) {
                return part
            }
        }
        return nil
    }

    /// Verbs that make the capitalised word before them a person or a team.
    static let reportingVerbs: Set<String> = [
        "reported", "reports", "found", "finds", "measured", "measures", "predicted", "predicts", "showed", "shows", "said", "says",
        "noted", "notes", "observed", "observes", "recommended", "recommends", "suggested", "suggests", "claimed", "claims",
    ]

    /// A word of the data, the benchmarks or plain English connectives, in
    /// this form or another of its forms: whole words, never a prefix
    /// (`Tunstall` is not `tun`ing); the prompt's own names are not.
    private func isKnownName(_ word: String) -> Bool {
        if promptNames.contains(word) && !tableWords.contains(word) { return false }
        if knownWords.contains(word) || topicalWords.contains(word) || Grounding.everydayWords.contains(word) { return true }
        if Grounding.commonWords.contains(word) || KnownNames.family(of: word) != nil { return true }
        if Grounding.benchmarkStems.contains(where: { Grounding.isForm(word, of: $0) }) { return true }
        return Grounding.stem(word).map(knownStems.contains) ?? false
    }

    /// Whether `word` is `stem` with one of English's endings (`latency` of
    /// `latenc`, `performance` of `perform`), not a longer word that
    /// begins like it (`Tunstall`, `Testa`, `Coldwell`).
    static func isForm(_ word: String, of stem: String) -> Bool {
        guard word.hasPrefix(stem) else { return false }
        let rest = word.dropFirst(stem.count)
        return rest.isEmpty || Grounding.endings.contains(String(rest)) || Grounding.nameEndings.contains(String(rest))
    }

    /// Endings of word forms beyond `endings` (which are for stemming).
    static let nameEndings: Set<String> = [
        "e", "ance", "ances", "ence", "ences", "ency", "encies", "ity", "ities", "ive", "al", "ment", "ments", "ize", "ise", "ized",
        "ised", "ization", "isation", "ure", "ures", "s", "ed", "ing", "ings", "er", "ers",
    ]

    /// Words the prompt writes as names: capitalised inside its sentences.
    static func names(inPrompt text: String) -> Set<String> {
        var names = Set<String>()
        var opensClause = true
        for token in text.split(whereSeparator: \.isWhitespace) {
            let word = bareWord(token)
            defer { opensClause = token.last.map { ".?!:".contains($0) } == true }
            guard !opensClause else { continue }
            for part in word.split(separator: "-").map(String.init) where isCapitalised(part) { names.insert(part.lowercased()) }
        }
        return names
    }

    /// The token without the punctuation around it and a possessive `'s`.
    static func bareWord(_ token: Substring) -> String {
        var word = String(token.drop { "([{\"'“‘`".contains($0) }).trimmingTrailing(".,;:!?)]}\"'”’`")
        for possessive in ["'s", "’s"] where word.hasSuffix(possessive) { word = String(word.dropLast(2)) }
        return word
    }

    /// `Gryn`: a capital, then lower-case letters. Inner capitals and
    /// acronyms are `isCoinedName`'s.
    static func isCapitalised(_ word: String) -> Bool {
        guard let first = word.first, first.isUppercase, word.count >= 2 else { return false }
        return word.dropFirst().allSatisfy { $0.isLetter && !$0.isUppercase }
    }

    /// Titles before a name, as `SentenceSplitter` keeps them in a sentence.
    static let titles: Set<String> = ["dr", "mr", "mrs", "ms", "prof", "sir"]
}
