import Foundation

/// Splits a model's text into the sentences grounding judges one by one.
///
/// A sentence ends at `.`, `!` or `?` followed by white space, and at a line
/// break; a `.` between digits (68.4), after a one-letter or known
/// abbreviation (e.g., vs.) or inside a name (llama3.1) ends nothing. List
/// markers at the start of a line (`1.`, `2)`, `(3)`, `-`, `*`, `•`) and
/// Markdown emphasis are removed: they are layout, not claims.
enum SentenceSplitter {
    static let abbreviations: Set<String> = ["e.g", "i.e", "vs", "etc", "approx", "cf", "fig", "no", "mr", "mrs", "dr", "prof", "st", "ca"]

    static func sentences(in text: String) -> [String] {
        var result: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let body = stripMarker(String(line).replacingAll("**", with: "").replacingAll("__", with: ""))
            result += split(line: body)
        }
        return result.map(\.trimmingWhiteSpace).filter { sentence in sentence.contains { $0.isLetter || $0.isNumber } }
    }

    /// `1. `, `2) `, `(3) `, `- `, `* `, `• `, `# ` at the start of a line.
    static func stripMarker(_ line: String) -> String {
        var rest = Substring(line.trimmingWhiteSpace)
        while let first = rest.first, "#>-*•".contains(first) {
            rest = rest.dropFirst().drop { $0 == " " }
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty && digits.count <= 2 {
            let after = rest.dropFirst(digits.count)
            if let mark = after.first, mark == "." || mark == ")", after.dropFirst().first == " " {
                rest = after.dropFirst(2)
            }
        } else if rest.first == "(" {
            let inner = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
            if !inner.isEmpty, inner.count <= 2, rest.dropFirst(inner.count + 1).first == ")" {
                rest = rest.dropFirst(inner.count + 2)
            }
        }
        return String(rest).trimmingWhiteSpace
    }

    private static func split(line: String) -> [String] {
        let characters = Array(line)
        var sentences: [String] = []
        var start = 0
        var index = 0
        while index < characters.count {
            let c = characters[index]
            if c == "." || c == "!" || c == "?" {
                let next = index + 1 < characters.count ? characters[index + 1] : " "
                if next.isWhitespace && !(c == "." && isAbbreviation(characters, before: index)) {
                    sentences.append(String(characters[start...index]))
                    start = index + 1
                }
            }
            index += 1
        }
        if start < characters.count { sentences.append(String(characters[start...])) }
        return sentences
    }

    /// The word before a `.` is an abbreviation (`e.g.`, `vs.`) or a single letter (`U.S.`).
    private static func isAbbreviation(_ characters: [Character], before dot: Int) -> Bool {
        var begin = dot
        while begin > 0, !characters[begin - 1].isWhitespace, characters[begin - 1] != "(" { begin -= 1 }
        let word = String(characters[begin..<dot]).lowercased()
        if word.count == 1, word.first?.isLetter == true { return true }
        return abbreviations.contains(word)
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }
}
