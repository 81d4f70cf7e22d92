extension NumberClaim {
    /// The numbers a sentence states as figures. Not claims:
    /// - digits inside a name: `p95`, `Q4_K_M`, `gemma3`, `llama3.1:8b`,
    ///   `8B`, `fp16`, `x86_64` (a word with letters that is not a number
    ///   with a known unit such as `68ms`, `2.1x`, `1.2k`);
    /// - a version right after a model family word (`Gemma 3`, `Llama 3.1`);
    /// - numbering: `Recommendation 2`, `Step 1`, `#3` (list markers at the
    ///   start of a line are removed by the sentence splitter);
    /// - dates and times: `2025-10-02`, `12:27:01`, and a year (1900-2100)
    ///   with a month name within two words (`October 2025`); a bare `2048`
    ///   stays a claim, since context sizes look like years.
    /// Everything else is a claim, negative numbers, ranges (`3-4` is two)
    /// and `a/b` pairs included.
    static func claims(in sentence: String) -> [NumberClaim] {
        let words = sentence.split(whereSeparator: \.isWhitespace).map(String.init)
        var claims: [NumberClaim] = []
        for (index, raw) in words.enumerated() {
            var word = strip(raw)
            guard word.contains(where: \.isNumber) else { continue }
            let previous = index > 0 ? strip(words[index - 1]).lowercased() : ""
            let next = index + 1 < words.count ? strip(words[index + 1]).lowercased() : ""
            if isDateOrTime(word) { continue }
            if numberingWords.contains(previous) || word.hasPrefix("#") { continue }
            if KnownNames.isFamilyWord(previous) && word.allSatisfy({ $0.isNumber || $0 == "." }) { continue }
            if isYear(word), nearMonth(words, index) { continue }
            var isAssignment = false
            if let equals = word.lastIndex(of: "=") {
                word = String(word[word.index(after: equals)...])
                isAssignment = true
            }
            guard let parsed = parse(word) else { continue }  // a name with digits in it
            for var claim in parsed {
                claim.isAssignment = isAssignment
                if let multiplier = magnitudeWords[next] {
                    claim.value *= multiplier
                    claim.resolution *= multiplier
                    claim.text += " " + next
                } else if next == "percent" || next == "per" {
                    claim.kind = .percent
                } else if next == "times" || next == "x" || next == "×" || next == "fold" {
                    claim.kind = .ratio
                } else if foreignUnits.contains(next) {
                    claim.hasForeignUnit = true
                }
                claims.append(claim)
            }
        }
        return claims
    }

    static let numberingWords: Set<String> = [
        "recommendation", "recommendations", "step", "steps", "risk", "finding", "option", "priority", "tier", "phase",
        "section", "no", "number", "item", "row", "rank", "ranked", "top",
    ]
    /// Units of things no report's fact counts: calendar time, money, people,
    /// memory and power (the facts are tok/s, seconds, runs, files, % and ×).
    static let foreignUnits: Set<String> = [
        "year", "years", "month", "months", "week", "weeks", "day", "days", "decade", "decades", "century", "hour",
        "hours", "dollar", "dollars", "usd", "eur", "euros", "people", "users", "customers", "employees", "countries",
        "companies", "gb", "mb", "tb", "kb", "gib", "mib", "ghz", "mhz", "watts", "w", "kwh",
    ]
    static let magnitudeWords: [String: Double] = [
        "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mn": 1e6, "bn": 1e9,
    ]
    static let months: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]
    /// Unit suffixes a number may carry without becoming a name.
    static let units: [String: Kind] = [
        "%": .percent, "×": .ratio, "x": .ratio, "X": .ratio, "ms": .plain, "s": .plain, "sec": .plain, "secs": .plain,
        "tok/s": .plain, "t/s": .plain, "tps": .plain, "": .plain,
    ]

    /// Without the punctuation around a word: brackets, quotes, emphasis,
    /// and a sentence's final punctuation.
    static func strip(_ word: String) -> String {
        let leading: Set<Character> = ["(", "[", "{", "\"", "'", "“", "‘", "*", "_", "`"]
        let trailing: Set<Character> = [")", "]", "}", "\"", "'", "”", "’", ",", ";", ":", "!", "?", ".", "*", "_", "`"]
        var text = Substring(word)
        while let first = text.first, leading.contains(first) { text = text.dropFirst() }
        while let last = text.last, trailing.contains(last) { text = text.dropLast() }
        return String(text)
    }

    static func isDateOrTime(_ word: String) -> Bool {
        let shape = String(word.map { $0.isASCII && $0.isNumber ? "9" : $0 })
        return shape.hasPrefix("9999-99-99") || shape.hasPrefix("99/99/9999") || shape == "99:99" || shape == "99:99:99"
            || shape == "9:99"
    }

    static func isYear(_ word: String) -> Bool {
        guard word.count == 4, word.allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(word) else { return false }
        return (1900...2100).contains(year)
    }

    static func nearMonth(_ words: [String], _ index: Int) -> Bool {
        let range = max(0, index - 2)...min(words.count - 1, index + 2)
        return range.contains { months.contains(strip(words[$0]).lowercased()) }
    }

    /// `[~$]-1,234.5k%` and ranges `3-4`, `3–4`, pairs `5/10`. Nil when the
    /// word is not a number with a known unit (a name with digits).
    static func parse(_ word: String) -> [NumberClaim]? {
        var text = Substring(word)
        var unit = ""
        for suffix in ["tok/s", "t/s"] where text.hasSuffix(suffix) {
            text = text.dropLast(suffix.count)
            unit = suffix
        }
        var parts: [Substring] = []
        var index = text.startIndex
        // Split ranges and pairs: a `-`, `–`, `—` or `/` between two numbers.
        var partStart = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if "-–—/".contains(c), index > partStart, text[text.index(before: index)].isNumber || "%×xX".contains(text[text.index(before: index)]) {
                parts.append(text[partStart..<index])
                partStart = text.index(after: index)
            }
            index = text.index(after: index)
        }
        parts.append(text[partStart...])
        var claims: [NumberClaim] = []
        for (position, part) in parts.enumerated() {
            guard var claim = single(part) else { return nil }
            if position == parts.count - 1 && !unit.isEmpty { claim.text += unit }
            claims.append(claim)
        }
        // A range's unit is written once, at its end (`3-4%`): it applies to both.
        if let last = claims.last, last.kind != .plain {
            for i in claims.indices { claims[i].kind = last.kind }
        }
        return claims
    }

    private static func single(_ part: Substring) -> NumberClaim? {
        var text = part
        var isCurrency = false
        while let first = text.first, "~≈<>≤≥+-−$€£".contains(first) {
            if "$€£".contains(first) { isCurrency = true }
            text = text.dropFirst()
        }
        let integer = text.prefix { $0.isASCII && ($0.isNumber || $0 == ",") }
        guard let firstDigit = integer.first, firstDigit.isNumber else { return nil }
        // `1,024` groups thousands; `3,4` is not a number we read.
        let groups = integer.split(separator: ",", omittingEmptySubsequences: false)
        if groups.count > 1 && (groups.dropFirst().contains { $0.count != 3 } || groups[0].count > 3) { return nil }
        var rest = text.dropFirst(integer.count)
        var fraction = Substring()
        if rest.first == ".", rest.dropFirst().first?.isNumber == true {
            fraction = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(1 + fraction.count)
        }
        var multiplier = 1.0
        if rest == "k" || rest == "K" {
            multiplier = 1000
            rest = ""
        }
        guard let kind = units[String(rest)] else { return nil }
        let digits = integer.filter { $0 != "," } + (fraction.isEmpty ? "" : "." + fraction)
        guard let value = Double(digits) else { return nil }
        var resolution = 1.0
        for _ in 0..<fraction.count { resolution /= 10 }
        return NumberClaim(
            text: String(part), value: value * multiplier, resolution: resolution * multiplier, kind: kind,
            isCurrency: isCurrency, isAssignment: false, digits: String(digits))
    }
}
