/// A note may claim an event its item does not hold. SmolLM2 wrote "the
/// performance of the model was significantly improved by rerunning with
/// more runs" beside one group's median, which nothing was compared with,
/// and "the tests fail when they are run with more than one round" beside a
/// sweep's noise, whose runs all succeeded. Whether a figure moved (and
/// whether the move is significant) is the session test's to say, and which
/// runs failed is the facts'; a note may speak of a move only beside an item
/// about one (What Changed, a build against another), and of failures only
/// beside an item about them or citing a failed run.
///
///     let fastest = Grounding.ClaimScope(.fastest, cited: [gemmaRow])
///     grounding.unsupportedClaim(in: "Decode improved after the rerun.", scope: fastest)  // .change("improved")
///     grounding.unsupportedClaim(in: "More runs would firm up the median.", scope: fastest)  // nil
extension Grounding {
    /// What a note claims happened.
    enum Claim: Equatable {
        /// A figure moved, or a move is real: `improved`, `significantly`.
        case change(String)
        /// Runs failed: `fail`, `crashed`, `errors`.
        case failure(String)

        var word: String {
            switch self {
            case .change(let word), .failure(let word): word
            }
        }
    }

    /// What an item may be said to hold.
    struct ClaimScope {
        var change: Bool
        var failure: Bool

        init(_ kind: ItemKind, cited: [FactSheet.Row]) {
            let facts = cited.flatMap(\.facts)
            // Keys of a backend's (`inductor.speedup`, `tensorrt.failed`) count as the bare key.
            func holds(_ key: String) -> (Fact) -> Bool { { $0.key == key || $0.key.hasSuffix("." + key) } }
            change = Grounding.changeKinds.contains(kind) || facts.contains(where: holds("verdict")) || facts.contains(where: holds("speedup"))
            failure =
                Grounding.failureKinds.contains(kind)
                || cited.contains { $0.subject == "failure" || $0.subject.hasPrefix("harness failure") }
                || facts.contains { holds("failed")($0) && ($0.value ?? 0) > 0 }
        }
    }

    /// Words that say a figure moved, or that a move is real. Advice
    /// ("to improve the spread, rerun") is not a claim and is left alone.
    static let changeWords: Set<String> = [
        "improved", "improves", "improvement", "improvements", "regressed", "regresses", "regression", "regressions", "degraded",
        "degrades", "degradation", "worsened", "worsens", "deteriorated", "deteriorates", "significant", "significantly",
        "statistically", "slowdown", "speedup",
    ]

    /// Kinds whose items are about a move, or about whether one is real:
    /// a regression, a build against another, a configuration or backend
    /// against the rest, the noise and the few runs that hide one, the
    /// baseline that shows one.
    static let changeKinds: Set<ItemKind> = [
        .regression, .improvement, .inconclusive, .buildSlower, .unconfirmedChange, .openRegression, .investigate, .bestConfig,
        .useConfig, .fastestBackend, .noisy, .noisyResults, .fewRuns, .rerunWithMoreRuns, .pinBaseline,
    ]

    /// Kinds whose items are about failed runs or sessions.
    static let failureKinds: Set<ItemKind> = [
        .failures, .fixFailures, .failuresHideFigures, .harnessFailure, .fixHarness, .harnessUnreliable,
    ]

    /// The sentence's first claim its item's `scope` does not hold, or nil.
    /// Read clause by clause: a denied event ("no regression", "none of its
    /// runs failed") is no claim (`NoteDenials` checks it against the facts),
    /// but a negation in another clause denies nothing ("Not surprisingly,
    /// gemma regressed"). A question ("whether it is significant") claims
    /// nothing; nor do the words of a margin ("margin of error", "error
    /// bars"). Failures of a model the clause names, whose runs did fail,
    /// are the facts' even beside another item ("gemma decodes fastest; the
    /// mistral runs failed").
    func unsupportedClaim(in sentence: String, scope: ClaimScope) -> Claim? {
        for clause in sentence.split(whereSeparator: { ",;:()—–".contains($0) }) {
            let words = Grounding.words(String(clause))
            let failureHeld = scope.failure || denials.namesFailedModel(String(clause), words: words)
            for (index, word) in words.enumerated() {
                let before = words[max(0, index - NoteDenials.reach)..<index]
                if before.contains(where: NoteDenials.negations.contains) { continue }
                if !scope.change, Grounding.changeWords.contains(word) {
                    let asked = words[max(0, index - 4)..<index].contains { $0 == "whether" || $0 == "if" }
                    if !asked { return .change(word) }
                } else if !failureHeld, NoteDenials.failureWords.contains(word), !Grounding.isMargin(words, at: index) {
                    return .failure(word)
                }
            }
        }
        return nil
    }

    /// `margin of error`, `standard error`, `error bars`: words of a spread, no failure.
    static func isMargin(_ words: [String], at index: Int) -> Bool {
        guard words[index] == "error" || words[index] == "errors" else { return false }
        let previous = index > 0 ? words[index - 1] : ""
        let next = index + 1 < words.count ? words[index + 1] : ""
        return previous == "standard" || (previous == "of" && index > 1 && words[index - 2] == "margin") || next == "bar" || next == "bars"
    }
}
