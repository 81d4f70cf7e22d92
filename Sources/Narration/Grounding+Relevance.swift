/// Whether a note speaks of its own item. A small model writes fluent
/// sentences about nothing in the data ("The test suite was designed to
/// evaluate a new quantum computer architecture"): their words are benchmark
/// words, they cite no number, so no other check catches them. A note sentence
/// is kept only when it shares a word stem with what its item is about: the
/// statement chimerad makes from the cited facts, those facts' subjects and
/// keys, the risk's mitigation, and the words a note on that kind of item
/// would use (`ItemKind.noteWords`).
///
///     let about = Grounding.stems(of: [statement, row.subject, "tps median"], kind: .throughput)
///     Grounding.speaksOf(about, "Gemma decodes steadily across runs.")  // true: "gemm", "deco", "run"
extension Grounding {
    /// The stems a note on an item may share with it.
    static func stems(of texts: [String], kind: ItemKind, mitigation: ItemKind? = nil) -> Set<String> {
        var stems = Set<String>()
        let words = texts.flatMap(Grounding.words) + kind.noteWords + (mitigation?.noteWords ?? []) + ["model"]
        for word in words { if let stem = stem(word) { stems.insert(stem) } }
        return stems
    }

    /// Whether one of the sentence's words has a stem of `stems`.
    static func speaksOf(_ stems: Set<String>, _ sentence: String) -> Bool {
        Grounding.words(sentence).contains { word in stem(word).map(stems.contains) ?? false }
    }

    /// The first four characters of a word of five or more (`decodes`,
    /// `decoding` and `decoder` are one); a shorter word whole, less a plural
    /// `s` (`runs` is `run`); nil for a word too short or too common to tie a
    /// sentence to anything.
    static func stem(_ word: String) -> String? {
        guard word.count >= 3, !Grounding.commonWords.contains(word) else { return nil }
        if word.count >= 5 { return String(word.prefix(4)) }
        return word.count == 4 && word.hasSuffix("s") && !word.hasSuffix("ss") ? String(word.dropLast()) : word
    }

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

extension ItemKind {
    /// Words a note on an item of this kind would use to speak of it, beyond
    /// the item's own statement and facts. Generic benchmark words
    /// (`performance`, `test`, `evaluate`) are left out: they are what a
    /// sentence about nothing is made of.
    var noteWords: [String] {
        switch self {
        case .regression:
            ["regression", "regressed", "slower", "worse", "drop", "decline", "degraded", "baseline", "session", "previous", "before"]
        case .improvement: ["improvement", "improved", "faster", "better", "gain", "baseline", "session", "previous", "before"]
        case .inconclusive: ["inconclusive", "noise", "significant", "confirm", "uncertain", "session"]
        case .fastest, .slowest, .compare, .throughput:
            ["throughput", "speed", "fast", "faster", "fastest", "slow", "slower", "slowest", "decode", "generation", "token", "latency"]
        case .failures, .fixFailures, .failuresHideFigures:
            ["failure", "failed", "error", "crash", "refused", "connection", "timeout", "memory", "retry", "cause", "fix"]
        case .harnessFailure, .fixHarness, .harnessUnreliable:
            ["harness", "script", "session", "failure", "failed", "error", "nothing", "fix"]
        case .coldStart, .warmUp, .coldStartSkews: ["cold", "warm", "load", "loading", "first", "start", "latency", "preload"]
        case .noisy, .noisyResults:
            ["noise", "noisy", "variance", "variability", "spread", "stable", "consistent", "jitter", "deviation"]
        case .bestConfig, .useConfig: ["configuration", "setting", "parameter", "context", "temperature", "thread", "batch", "option"]
        case .fastestBackend: ["backend", "compile", "compiler", "compilation", "eager", "speedup", "inductor"]
        case .buildSlower: ["build", "commit", "version", "slower", "regression"]
        case .benchmark: ["benchmark", "command", "timing", "time"]
        case .investigate: ["investigate", "cause", "regression", "check", "change"]
        case .rerunWithMoreRuns, .fewRuns: ["rerun", "repeat", "sample", "confidence", "noise", "few"]
        case .pinBaseline: ["baseline", "pin", "reference", "session"]
        case .unconfirmedChange: ["confirm", "noise", "significant", "change", "session"]
        case .openRegression: ["regression", "open", "baseline", "slower", "worse"]
        }
    }
}
