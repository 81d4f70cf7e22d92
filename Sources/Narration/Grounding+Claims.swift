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
            change = Grounding.changeKinds.contains(kind) || facts.contains { $0.key == "verdict" || $0.key == "speedup" }
            failure =
                Grounding.failureKinds.contains(kind)
                || cited.contains { $0.subject == "failure" || $0.subject.hasPrefix("harness failure") }
                || facts.contains { ($0.key == "failed" || $0.key == "runs.failed") && ($0.value ?? 0) > 0 }
        }
    }

    /// Words that say a figure moved, or that a move is real. Advice
    /// ("to improve the spread, rerun") is not a claim and is left alone.
    static let changeWords: Set<String> = [
        "improved", "improvement", "improvements", "regressed", "regression", "regressions", "degraded", "degradation",
        "worsened", "deteriorated", "significant", "significantly", "statistically", "slowdown", "speedup",
    ]

    /// Kinds whose items are about a move.
    static let changeKinds: Set<ItemKind> = [
        .regression, .improvement, .inconclusive, .buildSlower, .unconfirmedChange, .openRegression, .investigate,
    ]

    /// Kinds whose items are about failed runs or sessions.
    static let failureKinds: Set<ItemKind> = [
        .failures, .fixFailures, .failuresHideFigures, .harnessFailure, .fixHarness, .harnessUnreliable,
    ]

    /// The sentence's first claim its item's `scope` does not hold, or nil. A
    /// denied event ("no regression", "no run failed") is no claim:
    /// `NoteDenials` checks it against the facts. Failures of a model the
    /// sentence names, whose runs did fail, are the facts' even beside
    /// another item ("gemma decodes fastest; the mistral runs failed").
    func unsupportedClaim(in sentence: String, scope: ClaimScope) -> Claim? {
        let words = Grounding.words(sentence)
        let failureHeld = scope.failure || denials.namesFailedModel(sentence, words: words)
        for (index, word) in words.enumerated() {
            let claim: Claim
            if !scope.change, Grounding.changeWords.contains(word) {
                claim = .change(word)
            } else if !failureHeld, NoteDenials.failureWords.contains(word) {
                claim = .failure(word)
            } else {
                continue
            }
            let before = words[max(0, index - NoteDenials.reach)..<index]
            if !before.contains(where: NoteDenials.negations.contains) { return claim }
        }
        return nil
    }
}
