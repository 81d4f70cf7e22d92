/// A note's words may deny what the facts hold: "no failures were recorded"
/// beside a failure row, "nothing regressed" beside a confirmed regression.
/// Every figure of a narrative is checked against the facts; a denial has no
/// figure, so it is checked here, by what it denies.
///
/// ```swift
/// let denials = NoteDenials(sheet)
/// denials.contradiction(in: "No run failed in this round.")  // "says no run failed"
/// ```
///
/// A note about one model ("gemma3:1b had no failures") contradicts only when
/// that model failed; one that names no model speaks for all of them.
struct NoteDenials: Sendable {
    /// Models of failed runs (lowercased); the facts may hold failures without models.
    let failedModels: Set<String>
    let anyFailure: Bool
    /// Subjects of confirmed regressions (lowercased).
    let regressedSubjects: [String]
    let models: [String]

    init(_ sheet: FactSheet) {
        var failed = Set<String>()
        var any = false
        var regressed: [String] = []
        for row in sheet.rows {
            for fact in row.facts {
                if (fact.key == "failed" || fact.key == "runs.failed"), (fact.value ?? 0) > 0 {
                    any = true
                    if fact.key == "failed" { failed.insert(row.subject.lowercased()) }
                } else if fact.key == "models", row.subject == "failure" {
                    failed.formUnion(fact.shown.lowercased().split(separator: ",").map(String.init))
                } else if fact.key == "verdict", fact.shown == "regression" {
                    regressed.append(row.subject.lowercased())
                }
            }
            if row.subject == "failure" || row.subject.hasPrefix("harness failure") { any = true }
        }
        failedModels = failed
        anyFailure = any
        regressedSubjects = regressed
        models = sheet.models.map { $0.lowercased() }.sorted { $0.count > $1.count }
    }

    /// `don't` is two words here (`don`, `t`): the first is the negation.
    static let negations: Set<String> = [
        "no", "not", "none", "nothing", "zero", "without", "never", "neither", "nor", "nobody", "don", "didn", "doesn", "wasn", "weren",
        "isn", "aren", "haven", "hasn",
    ]
    static let failureWords: Set<String> = [
        "fail", "fails", "failed", "failure", "failures", "failing", "error", "errors", "crash", "crashed", "crashes",
    ]
    static let regressionWords: Set<String> = ["regression", "regressions", "regressed", "regress", "slowdown", "slowdowns"]
    static let universals: Set<String> = ["all", "every", "each"]
    static let successWords: Set<String> = ["succeeded", "successful", "successfully", "passed", "worked", "completed"]
    /// How far before its word a negation still governs it ("no one has reported any failures").
    static let reach = 5

    /// What the sentence denies that the facts hold, worded for the journal; nil when it denies nothing they hold.
    func contradiction(in sentence: String) -> String? {
        let words = Grounding.words(sentence)
        let lower = sentence.lowercased()
        let named = models.filter { lower.contains($0) }
        if anyFailure, deniesFailures(words) {
            let contradicts = named.isEmpty || failedModels.isEmpty || named.contains { model in failedModels.contains { $0.hasPrefix(model) } }
            if contradicts { return "says there were no failures" }
        }
        if !regressedSubjects.isEmpty, Self.denies(Self.regressionWords, in: words) {
            let contradicts = named.isEmpty || named.contains { model in regressedSubjects.contains { $0.hasPrefix(model) } }
            if contradicts { return "says nothing regressed" }
        }
        return nil
    }

    /// Whether the sentence names a model whose runs failed, by its name or
    /// its family (`mistral`, `llama` for `llama3.1:8b`).
    func namesFailedModel(_ sentence: String, words: [String]) -> Bool {
        let lower = sentence.lowercased()
        return failedModels.contains { model in
            if let name = model.split(separator: " ").first, lower.contains(name) { return true }
            return KnownNames.family(of: model).map(words.contains) ?? false
        }
    }

    func deniesFailures(_ words: [String]) -> Bool {
        if Self.denies(Self.failureWords, in: words) { return true }
        // "All runs succeeded", "every run completed successfully".
        for (index, word) in words.enumerated() where Self.universals.contains(word) {
            if words[(index + 1)..<min(words.count, index + 5)].contains(where: Self.successWords.contains) { return true }
        }
        return false
    }

    /// A word of `targets` with a negation at most `reach` words before it.
    static func denies(_ targets: Set<String>, in words: [String]) -> Bool {
        for (index, word) in words.enumerated() where targets.contains(word) {
            if words[max(0, index - reach)..<index].contains(where: negations.contains) { return true }
        }
        return false
    }
}
