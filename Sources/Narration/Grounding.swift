import Analysis

/// Checks a model's items against the facts the prompt showed it, and states
/// the kept ones. An item is dropped when its kind is not one chimerad knows
/// or not of its section, when it cites IDs the table does not hold, when the
/// facts do not show what its kind says (a `compare` the wrong way round, a
/// `fastest` that is not), or when it repeats an earlier item of its section.
/// A kept item is stated by chimerad from its facts (`ItemStatement`); the
/// model's note is added when it passes the sentence checks below, and left
/// out (the item stays) when
///
/// 0. it holds a digit (every figure is chimerad's), has no words or fewer
///    than three, or stops mid-sentence (a reply cut short);
/// 1. it echoes the prompt (most of its word 4-grams come from the persona or
///    the instructions, all its words from the fact table, or it copies three
///    or more `key=value` cells of the fact table);
/// 2. it repeats an earlier kept note (same words, or 80% of its word set);
/// 3. it names a file or a model the data does not hold, or another name
///    the prompt never showed (`TPU`, `LlamaOpt`, the team of `Dr. Gryn`);
/// 4. nothing in it is about the benchmarks (no known name or benchmark word);
/// 5. it denies what the facts hold (`NoteDenials`), explains them by a
///    cause they do not hold (`unsupportedCause`), or claims a move or a
///    failure beside an item that holds none (`unsupportedClaim`);
/// 6. a sentence of it speaks of nothing its item is about (`speaksOf`).
package struct Grounding: Sendable {
    package let sheet: FactSheet
    package let choices: ItemChoices
    let names: KnownNames
    let promptGrams: Set<String>
    let promptWords: String
    /// The fact table's own words (subjects, keys, the legend).
    let tableWords: Set<String>
    let factIDs: Set<String>
    let topicalWords: Set<String>
    /// Words naming this data's own subjects: its models (and their families),
    /// backends, parameters and tools.
    let specificWords: Set<String>
    let numbers: FactNumbers
    /// What a note may not deny.
    let denials: NoteDenials
    /// Every word of the prompt, the fact table and the data's names: a name
    /// with digits made of these is the data's own.
    let knownWords: Set<String>
    /// The same, as one lower-case text, for names that are more than words (`2.1.3`).
    let knownText: String
    /// Stems of the known and topical words: `Decoders` is known when `decode` is.
    let knownStems: Set<String>
    /// Words the prompt itself writes as names (the persona's `Chimera`):
    /// no authority a note may credit.
    let promptNames: Set<String>

    /// Word 4-grams of a sentence at least this share of which come from the
    /// prompt make it an echo.
    static let echoShare = 0.5
    /// Word-set overlap (Jaccard) from which a sentence repeats an earlier one.
    static let duplicateOverlap = 0.8

    package init(prompt: NarrativePrompt) {
        self.init(sheet: prompt.factSheet, promptText: prompt.system + "\n" + NarrativePrompt.instructions)
    }

    /// - Parameter promptText: the persona and instructions the model was given
    ///   (without the fact table), to recognise echoes of them.
    package init(sheet: FactSheet, promptText: String) {
        self.sheet = sheet
        choices = ItemChoices(sheet: sheet)
        names = KnownNames(models: sheet.models, files: sheet.files)
        let words = Grounding.words(promptText)
        promptGrams = Grounding.grams(words)
        promptWords = " " + words.joined(separator: " ") + " "
        factIDs = Set(sheet.rows.map { $0.id.lowercased() })
        var nameWords = Set<String>()  // of the data's models, backends, parameters and tools
        for item in sheet.vocabulary + sheet.models { nameWords.formUnion(Grounding.words(item)) }
        var keyWords = Set<String>()
        for fact in sheet.facts { keyWords.formUnion(Grounding.words(fact.key)) }
        topicalWords = Grounding.benchmarkWords.union(nameWords).union(keyWords)
        var specific = nameWords
        for model in sheet.models { if let family = KnownNames.family(of: model) { specific.insert(family) } }
        // Metric words (`ttft`, `tps`, `median`) are in every data set: they name
        // nothing of this one; nor do everyday parts of names (`it` of `gemma3:1b-it-qat`).
        specificWords = specific.subtracting(Grounding.benchmarkWords).subtracting(keyWords).subtracting(Grounding.everydayWords)
            .filter { $0.count > 2 || $0.contains(where: \.isNumber) }
        numbers = FactNumbers(sheet)
        denials = NoteDenials(sheet)
        tableWords = Set(Grounding.words(sheet.text))
        var known = Set(words).union(tableWords).union(nameWords)
        for text in sheet.files + sheet.configurationValues { known.formUnion(Grounding.words(text)) }
        knownWords = known
        knownStems = Set(known.union(topicalWords).compactMap(Grounding.stem))
        promptNames = Grounding.names(inPrompt: promptText)
        let named = [sheet.text] + sheet.models + sheet.files + sheet.vocabulary + sheet.configurationValues
        knownText = (named + [promptText]).joined(separator: "\n").lowercased()
    }

    package func check(_ draft: NarrativeDraft) -> GroundedNarrative {
        var state = CheckState()
        let statement = ItemStatement(sheet)
        var items: [GroundedNarrative.Item] = []
        var dropped: [GroundedNarrative.Dropped] = []
        var droppedNotes: [GroundedNarrative.DroppedNote] = []
        var seen: Set<String> = []
        for item in draft.items {
            func drop(_ reason: GroundedNarrative.ItemDropReason) {
                dropped.append(.init(section: item.section, kind: item.kind, reason: reason))
            }
            guard let kind = ItemKind(loosely: item.kind) else {
                drop(.unknownKind(Figures.firstLine(item.kind, limit: 40)))
                continue
            }
            let rows = item.facts.map(rowID)
            let choice: ItemChoice
            switch choices.check(kind, rows: rows, in: item.section) {
            case .failure(let reason):
                drop(reason)
                continue
            case .success(let checked): choice = checked
            }
            var mitigation: ItemKind?
            if item.section == .risks {
                guard let written = item.mitigation, let chosen = ItemKind(loosely: written), kind.mitigations.contains(chosen) else {
                    drop(.unsuitableMitigation(Figures.firstLine(item.mitigation ?? "none", limit: 40)))
                    continue
                }
                mitigation = chosen
            }
            guard seen.insert(item.section.rawValue + " " + kind.rawValue + " " + rows.joined(separator: " ")).inserted else {
                drop(.duplicate)
                continue
            }
            let stated = statement.statement(choice)
            let mitigationStatement = mitigation.map(ItemStatement.mitigation)
            let cited = sheet.rows.filter { rows.contains($0.id) }
            let about = Grounding.stems(
                of: [stated, mitigationStatement ?? ""] + cited.map(\.subject) + cited.flatMap { $0.facts.map(\.key) }, kind: kind,
                mitigation: mitigation)
            var note: String?
            let scope = Grounding.ClaimScope(kind, cited: cited)
            switch checkedNote(item.note, about: about, scope: scope, &state) {
            case .kept(let text): note = text
            case .dropped(let reason): droppedNotes.append(.init(section: item.section, kind: kind, reason: reason))
            case .absent: break
            }
            items.append(
                GroundedNarrative.Item(
                    section: item.section, kind: kind, facts: rows, statement: stated,
                    note: note, mitigation: mitigation, mitigationStatement: mitigationStatement))
        }
        let cited = Set(items.flatMap(\.facts))
        let factsCited = sheet.rows.filter { cited.contains($0.id) }.map { GroundedNarrative.CitedFact(id: $0.id, line: $0.line) }
        return GroundedNarrative(items: items, dropped: dropped, droppedNotes: droppedNotes, factsCited: factsCited)
    }

    /// The table's row ID a model's citation names: `Gk3f9`, `gk3f9`, `Gk3f9.tps.median`, `[Gk3f9]`.
    func rowID(_ cited: String) -> String {
        let bare = cited.trimmingWhiteSpace.trimmingTrailing(".,;:)]}\"'`").drop { "([{\"'`".contains($0) }
        let head = String(bare.split(separator: ".").first ?? bare[...])
        return sheet.rows.first { $0.id.lowercased() == head.lowercased() }?.id ?? head
    }

    private enum NoteCheck {
        case kept(String)
        case dropped(GroundedNarrative.DropReason)
        case absent
    }

    /// The note as the report prints it, or why it is left out; `about`: the
    /// stems of what its item is about (`stems(of:kind:mitigation:)`);
    /// `scope`: the moves and failures its item holds (`ClaimScope`).
    private func checkedNote(_ note: String, about: Set<String>, scope: ClaimScope, _ state: inout CheckState) -> NoteCheck {
        // White space of any kind (a line break, a tab) becomes one space;
        // other controls go.
        let scalars = note.unicodeScalars.compactMap { scalar -> Character? in
            if scalar.properties.isWhitespace { return " " }
            return scalar.properties.generalCategory == .control ? nil : Character(scalar)
        }
        let text = String(scalars).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        guard !text.isEmpty else { return .absent }
        if text.contains(where: \.isNumber) { return .dropped(.holdsDigits) }

        var kept: [String] = []
        for sentence in SentenceSplitter.sentences(in: text) {
            if let reason = reason(sentence, scope: scope, &state) { return .dropped(reason) }
            let cleaned = clean(sentence)
            // A cited ID taken from its end can leave "reported in the literature and." behind.
            if Grounding.endsUnfinished(cleaned) { return .dropped(.unfinished) }
            kept.append(cleaned)
        }
        var joined = kept.joined(separator: " ")
        // A cited ID standing alone was taken out above; one still there is
        // run into other words (`Lmjg,Llwc,Bqmlh`, `Gyrth's`).
        if joined.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains(where: { factIDs.contains(String($0)) }) {
            return .dropped(.quotesRowID)
        }
        // What is left (cited IDs taken out) must be a plain sentence: words
        // and `,.'!?-` between them, four words at least (not
        // `R - best-of-round results: gzip, max: x;`).
        if joined.split(separator: " ").count < 4 || joined.contains(where: { !($0.isLetter || " ,.'’!?-".contains($0)) })
            || holdsDebris(joined)
        {
            return .dropped(.notASentence)
        }
        if !kept.allSatisfy({ isAbout($0, about) }) { return .dropped(.notAboutItsItem) }
        if joined.count > ItemChoices.noteLimit { joined = String(joined.prefix(ItemChoices.noteLimit)).trimmingTrailing(" ,;:") + "…" }
        guard let first = joined.first else { return .absent }
        joined = first.uppercased() + joined.dropFirst()
        if let last = joined.last, !".!?…".contains(last) { joined += "." }
        return .kept(joined)
    }

    struct CheckState {
        var kept = 0
        var dropped: [GroundedNarrative.Dropped] = []
        var seen: [Set<String>] = []
        var seenText: Set<String> = []

        /// Records a kept sentence's words; false when it repeats an earlier one.
        mutating func remember(_ words: [String]) -> Bool {
            let joined = words.joined(separator: " ")
            let set = Set(words)
            if seenText.contains(joined) { return false }
            if set.count >= 4, seen.contains(where: { Grounding.jaccard($0, set) >= Grounding.duplicateOverlap }) { return false }
            seenText.insert(joined)
            seen.append(set)
            return true
        }
    }

    /// Why the sentence goes, or nil when it stays (then it is remembered for
    /// the duplicate check); `scope`: what its item holds, when it is a note's.
    func reason(
        _ sentence: String, statesFacts: Bool = false, scope: ClaimScope? = nil, _ state: inout CheckState
    ) -> GroundedNarrative.DropReason? {
        let words = Grounding.words(sentence)
        // Fewer than three words (`"num_ctx="`) state nothing; nor does JSON
        // debris at the start (`}, # This line ends ...`).
        if !words.contains(where: { $0.contains { $0.isLetter } }) || words.count < 3 { return .notASentence }
        if let first = sentence.trimmingWhiteSpace.first, "{}[],#".contains(first) { return .notASentence }
        if Grounding.endsUnfinished(sentence) { return .unfinished }
        if echoes(sentence, words) { return .echoesPrompt }
        let rawWords = sentence.split(whereSeparator: \.isWhitespace).map { NumberClaim.strip(String($0)) }
        // A glob keeps its `*` (which `strip` takes for Markdown emphasis).
        let fileWords = sentence.split(whereSeparator: \.isWhitespace).map { word in
            word.contains("*.") ? String(word.drop { $0 != "*" }).trimmingTrailing(".,;:!?)]}\"'`") : NumberClaim.strip(String(word))
        }
        if let file = names.unknownFile(in: fileWords) { return .unknownFile(file) }
        if let model = names.unknownModel(in: rawWords) { return .unknownModel(model) }
        let claims = NumberClaim.claims(in: sentence)
        if let claim = claims.first(where: { !numbers.grounds($0) }) { return .ungroundedNumber(claim.text) }
        if let name = rawWords.first(where: isUnknownName) ?? inventedName(in: sentence) { return .unknownName(name) }
        if claims.isEmpty && !words.contains(where: isTopical) { return .offTopic }
        if let claim = denials.contradiction(in: sentence) { return .contradictsFacts(claim) }
        if let word = unsupportedCause(in: sentence) { return .unsupportedCause(word) }
        let namesData = !claims.isEmpty || words.contains(where: specificWords.contains)
        if statesFacts && !namesData { return .namesNothingOfTheData }
        // Advice built on the persona's own phrase ("the Chimera-optimised LLM
        // operations are ...") and nothing of the data restates the prompt.
        if !namesData && !Grounding.grams(words).isDisjoint(with: promptGrams) { return .echoesPrompt }
        // Before it is remembered: the same words beside an item that holds the claim are kept there.
        if let scope, let claim = unsupportedClaim(in: sentence, scope: scope) { return .unsupportedClaim(claim.word) }
        if !state.remember(words) { return .duplicate }
        return nil
    }

    private func echoes(_ sentence: String, _ words: [String]) -> Bool {
        // Nothing but the table's words ("pytest-benchmark bench.py::test_sort"):
        // a row's subject or cells copied out, no statement about them.
        if words.allSatisfy(tableWords.contains) { return true }
        let assignments = sentence.split(whereSeparator: \.isWhitespace).filter { word in
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
            return word[word.index(after: equals)...].contains { $0.isNumber || $0.isLetter }
        }
        if assignments.count >= 3 { return true }
        guard !words.isEmpty else { return false }
        if words.count < 4 { return promptWords.contains(" " + words.joined(separator: " ") + " ") }
        let grams = Grounding.grams(words)
        let shared = grams.filter { promptGrams.contains($0) }.count
        return Double(shared) / Double(grams.count) >= Grounding.echoShare
    }

    /// A word mixing letters and digits (not a number with a unit, a date, an
    /// ordinal or an assignment) whose digit-bearing parts the prompt never showed.
    private func isUnknownName(_ word: String) -> Bool {
        // A version (`2.1.3`) is a name, not a figure.
        if word.wholeMatch(of: /v?\d+(\.\d+){2,}/) != nil { return !knownText.contains(word.lowercased()) }
        if isCoinedName(word) { return true }
        if let equals = word.firstIndex(of: "=") { return isUnknownSetting(key: word[..<equals], value: word[word.index(after: equals)...]) }
        guard word.contains(where: \.isLetter), word.contains(where: \.isNumber) else { return false }
        if NumberClaim.parse(word) != nil || NumberClaim.isDateOrTime(word) { return false }
        let lower = word.lowercased()
        if lower.wholeMatch(of: /\d+(st|nd|rd|th)/) != nil { return false }
        return Grounding.words(lower).contains { $0.contains(where: \.isNumber) && !knownWords.contains($0) }
    }

    /// `key=value` naming a setting the data does not have (`max-gpu=2`), or
    /// with a value that is neither a number nor the data's (`238715.00&cmp;`).
    /// A known setting with a number is left to the number check.
    private func isUnknownSetting(key: Substring, value: Substring) -> Bool {
        let keyWords = Grounding.words(String(key))
        if !keyWords.isEmpty, !keyWords.allSatisfy({ knownWords.contains($0) || topicalWords.contains($0) }) { return true }
        guard value.contains(where: \.isNumber) else { return false }
        return NumberClaim.parse(String(value)) == nil && !knownText.contains(value.lowercased())
    }

    /// Letters only, but shaped like a name: capitals inside a word
    /// (`ChimExI`, `LlamaOpt`), an acronym of three or more (`TPU`, `TDPT`),
    /// or letters with no vowel (`Lmjl`),
    /// none of whose parts the prompt, the data or the benchmark vocabulary
    /// holds. SmolLM2 coins such names from the persona's "Chimera".
    private func isCoinedName(_ word: String) -> Bool {
        guard word.allSatisfy({ $0.isLetter || "-_".contains($0) }) else { return false }
        let letters = Array(word)
        let innerCapital = letters.indices.dropFirst().contains { letters[$0].isUppercase && letters[$0 - 1].isLowercase }
        let acronym = word.filter(\.isLetter).count >= 3 && word.allSatisfy { !$0.isLowercase }
        guard innerCapital || acronym || Grounding.isVowelless(word) else { return false }
        let lower = word.lowercased()
        if knownWords.contains(lower) || topicalWords.contains(lower) || knownText.contains(lower) { return false }
        return Grounding.words(lower).contains { !knownWords.contains($0) && !topicalWords.contains($0) }
    }

    /// Three or more letters and no vowel, not in capitals (`Lmjl`, `lljf`):
    /// no word; acronyms are written in capitals.
    static func isVowelless(_ word: String) -> Bool {
        let letters = word.lowercased().filter(\.isLetter)
        return letters.count >= 3 && !letters.contains(where: "aeiouy".contains) && word.contains(where: \.isLowercase)
    }

    func isTopical(_ word: String) -> Bool {
        if topicalWords.contains(word) { return true }
        return Grounding.benchmarkStems.contains { word.hasPrefix($0) }
    }

    /// The sentence without fact IDs a model cited, and without the brackets left empty.
    private func clean(_ text: String) -> String {
        guard !factIDs.isEmpty else { return text.trimmingWhiteSpace }
        var words: [String] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let bare = NumberClaim.strip(String(word)).lowercased()
            let id = bare.split(separator: ".").first.map(String.init) ?? bare
            if factIDs.contains(id) && (bare == id || bare.hasPrefix(id + ".")) {
                // Keep the sentence's own punctuation after a cited ID.
                if let last = word.last, ".,;:".contains(last), !words.isEmpty { words[words.count - 1] += String(last) }
                continue
            }
            words.append(String(word))
        }
        var joined = words.joined(separator: " ")
        // The punctuation that stood between cited IDs goes with them: `(Glmjg, Gyrth)` leaves `(,)`.
        for (debris, kept) in [(", ,", ","), (",,", ","), ("(,)", "()"), ("(, )", "()"), ("[,]", "[]"), ("[, ]", "[]")] {
            joined = joined.replacingAll(debris, with: kept)
        }
        joined =
            joined.replacingAll("()", with: "").replacingAll("[]", with: "").replacingAll(" ,", with: ",")
            .replacingAll(" .", with: ".").replacingAll("  ", with: " ").replacingAll(",.", with: ".").trimmingWhiteSpace
        return joined
    }

    /// The length (in letters) past which a word is words run together:
    /// English's long words (`characteristically`, `telecommunications`) have 18.
    static let longestWord = 20

    /// Punctuation no sentence holds (`fast.,`, `runs ,`), words run
    /// together, a lower-case letter standing alone, or one letter strung with dots that the
    /// prompt never showed (`v.v.`, where `e.g.` is English): a reply
    /// falling apart.
    func holdsDebris(_ text: String) -> Bool {
        // (An ellipsis, `...`, is English.)
        if [",.", ".,", ",,", " .", " ,"].contains(where: text.contains) { return true }
        let tokens = text.split(separator: " ")
        // Words run together ("Themitigationisnotenough"): longer than English's
        // long words, and none of the data's.
        if tokens.contains(where: { token in
            let letters = token.filter(\.isLetter)
            return letters.count > Grounding.longestWord && !knownText.contains(letters.lowercased())
        }) {
            return true
        }
        // A lower-case letter standing alone, not `a` ("only one run can load a t and"): a word cut short.
        if tokens.contains(where: { token in
            let bare = String(token).trimmingTrailing(",.;!?")
            return bare.count == 1 && bare != "a" && bare.first?.isLowercase == true
        }) {
            return true
        }
        return tokens.contains { token in
            // One letter strung with dots (`v.v.`, `x.x.x`); `U.S.` and `e.g.` are words.
            let letters = String(token).trimmingTrailing(".,!?").split(separator: ".")
            guard letters.count > 1, letters.allSatisfy({ $0.count == 1 }), Set(letters.map { $0.lowercased() }).count == 1 else { return false }
            return !knownText.contains(token.lowercased())
        }
    }

    // MARK: - Words

    /// Lower-case words of letters and digits (`tok/s` gives `tok`, `s`).
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    static func grams(_ words: [String]) -> Set<String> {
        guard words.count >= 4 else { return [] }
        return Set((0...(words.count - 4)).map { words[$0..<($0 + 4)].joined(separator: " ") })
    }

    static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }

    /// Short everyday words that also turn up as parts of model, backend or
    /// parameter names.
    static let everydayWords: Set<String> = [
        "the", "and", "for", "with", "from", "not", "all", "any", "new", "use", "run", "one", "two", "top", "max", "min",
        "base", "chat", "mini", "small", "large", "latest", "default", "instruct", "text", "code", "auto", "none",
    ]

    /// Whether a sentence was cut off: it ends on a word no sentence ends
    /// on, or on a lone letter (`... as it only allows n.`: a word cut
    /// short), as written (`isn't.` ends on `isn't`, not on its `t`).
    static func endsUnfinished(_ sentence: String) -> Bool {
        // A sentence ending on a comma or a dash was cut off after it ("... or rerun with more runs,").
        if let end = sentence.trimmingWhiteSpace.last, ",;-–—".contains(end) { return true }
        guard let last = Grounding.words(sentence).last else { return false }
        if unfinishedEndings.contains(last) { return true }
        let token = sentence.split(whereSeparator: \.isWhitespace).last.map { $0.filter { $0.isLetter || $0.isNumber || $0 == "'" || $0 == "’" } }
        return token?.count == 1 && token?.first?.isLetter == true && token != "I"
    }

    /// Words no English sentence ends on: a reply cut at its token limit
    /// leaves "It provides a new optimization method called".
    static let unfinishedEndings: Set<String> = [
        "a", "an", "the", "of", "to", "for", "with", "by", "in", "on", "at", "and", "or", "but", "called", "named",
        "is", "are", "was", "were", "than", "as", "from", "into", "that", "which", "such", "like", "its", "their",
    ]

    /// Whole words that make a sentence about benchmarks.
    static let benchmarkWords: Set<String> = [
        "model", "models", "tok", "tokens", "token", "ttft", "p95", "gpu", "cpu", "run", "runs", "ran", "median", "mean",
        "ms", "onnx", "jit", "eager", "cuda", "ollama", "llm", "llms", "ctx", "vram", "ram", "api", "quality",
    ]
    /// Word starts that make a sentence about benchmarks.
    static let benchmarkStems = [
        "throughput", "latenc", "perform", "benchmark", "fail", "error", "config", "context", "temperat", "backend",
        "compil", "warm", "cold", "load", "memor", "quanti", "decod", "prefill", "sweep", "paramet", "regress",
        "varian", "stabil", "server", "inferen", "prompt", "request", "deploy", "monitor", "test", "measur", "result",
        "speed", "fast", "slow", "second", "batch", "cache", "thread", "hardware", "resource", "timeout", "connect",
        "retry", "tensorrt", "capacity", "scal", "optimi", "tun", "efficien", "respons", "output", "metric", "evaluat",
        "accura", "baseline", "generat", "first-token", "offload", "layer", "window", "precision", "accelerat",
    ]
}
