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
        case .bestConfig, .useConfig: ["configuration", "config", "setting", "parameter", "context", "temperature", "thread", "batch", "option"]
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
