import Records

/// Columns that name each run rather than a setting, under names
/// `identityColumns` does not know: what a run was asked or answered (a
/// sentence: `input`, `output`, `text`), a request id, or a run counter
/// (`sample`, `trial_no`). Read as settings, they would make every run a
/// group of its own, and no session would ever have enough runs to be tested.
///
/// Told by what the values are, never by whether they repeat, so a file that
/// grows (tonight's questions asked again tomorrow) keeps its groups, and a
/// sweep of one run a configuration (`threads` 1, 2, 3, 4; a GPU's name; a
/// GGUF file) keeps its settings.
extension RunTableFormat {
    /// The columns of `header` (not sweep parameters) whose every value in
    /// `sets` is a sentence, or an id of its own for each run, or which a
    /// counter's name holds whole numbers in.
    static func perRunColumns(of sets: [RunSet], header: [String]) -> [String] {
        let columns = Set(header)
        var values: [String: [String]] = [:]
        var runs: [String: Int] = [:]
        for set in sets {
            for parameter in set.configuration where columns.contains(parameter.name) {
                values[parameter.name, default: []].append(parameter.value)
                runs[parameter.name, default: 0] += set.columns.count
            }
        }
        return header.filter { name in
            guard !sweepParameters.contains(name.lowercased()), let taken = values[name], !taken.isEmpty else { return false }
            if taken.allSatisfy(isSentence) { return true }
            if isCounterName(name) && taken.allSatisfy(isWholeNumber) { return true }
            // An id is each run's own: one value a run, and none a setting would be spelled as.
            return taken.count == runs[name] && taken.count >= 2 && Set(taken).count == taken.count && taken.allSatisfy(isIdentifier)
        }
    }

    /// Five words or more, or words ended as a sentence ends (`Say hello.`):
    /// what a run was asked or answered. A GPU's or a file's name is neither.
    private static func isSentence(_ value: String) -> Bool {
        let blanks = value.utf8.count { $0 == UInt8(ascii: " ") }
        guard let last = value.utf8.last else { return false }
        return blanks >= 4 || (blanks >= 1 && [UInt8(ascii: "?"), UInt8(ascii: "."), UInt8(ascii: "!")].contains(last))
    }

    /// A request or run id (a UUID, a hash, `chatcmpl-7f3a...`): 16 bytes or
    /// more with four digits or more, and no blank, dot or slash (a file's
    /// or a path's name is a setting).
    private static func isIdentifier(_ value: String) -> Bool {
        let bytes = value.utf8
        return bytes.count >= 16 && bytes.count { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } >= 4
            && !bytes.contains { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") }
    }

    private static func isWholeNumber(_ value: String) -> Bool {
        guard let number = Double(value) else { return false }
        return number == number.rounded() && abs(number) < 1e9
    }

    /// Words of a column name that count runs: `sample`, `trial_no`, `rep_idx`.
    private static let counterWords: Set<String> = [
        "run", "trial", "rep", "repeat", "repetition", "iter", "iteration", "sample", "attempt", "seq", "try", "round",
    ]

    /// Whole names of a row counter (`i`, `No.`, `idx`): as words they are
    /// too short to tell. Not `n` (llama.cpp's `-n`, tokens to generate, is
    /// a setting), `num` or `step` (a diffusion model's steps are). A test's
    /// or a case's number counts what was asked, as `prompt_index` does
    /// (`case_id` 1 to 12, each a prompt); as text (`test_long_prompt`, a
    /// `line` of products) it stays a setting.
    private static let counterNames: Set<String> = [
        "i", "no", "no.", "nr", "idx", "batch_idx", "test_id", "test_index", "test_no", "case_id", "case_index", "case_no", "line",
        "line_no", "lineno", "line_number", "req_id", "req_idx",
    ]

    private static func isCounterName(_ name: String) -> Bool {
        let lower = name.lowercased()
        if counterNames.contains(lower) { return true }
        let words = lower.split { !$0.isLetter }.map(String.init)
        return words.contains(where: counterWords.contains)
    }

    /// `the question column holds what each run was asked, an id or a count of
    /// runs: read as the runs' identity, not as a setting that makes each run a group`.
    static func perRunNote(_ names: [String]) -> String {
        let listed = names.joined(separator: ", ")
        return names.count == 1
            ? "the \(listed) column holds what each run was asked or answered, its id or its count: read as the runs' identity, not as a setting that splits them into groups"
            : "the \(listed) columns hold what each run was asked or answered, its id or its count: read as the runs' identity, not as settings that split them into groups"
    }
}
