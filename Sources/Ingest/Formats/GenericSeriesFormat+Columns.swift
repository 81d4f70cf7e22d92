/// What a numeric column of a table of no known shape is, by its name: a
/// counter of runs (`run`, `iteration`: 1, 2, 3 is no measurement, and its
/// median is no figure of anything), or an elapsed time, which is never
/// below zero (`-1` in `wall_time_s` is a harness's failure marker, and
/// pooled it made a 312 s build's mean 235 s).
extension GenericSeriesFormat {
    /// Run counters by their whole name (lower-cased, `-` and blanks read as `_`).
    private static let counterNames: Set<String> = [
        "run", "runs_index", "run_index", "run_id", "run_no", "run_number", "run_num", "iteration", "iter", "it", "repeat",
        "repetition", "rep", "trial", "attempt", "round", "sample", "sample_index", "i", "idx", "index", "seq", "#", "no",
        "row", "row_id", "rowid", "row_index", "row_num", "row_number", "row_no", "line", "line_no", "lineno", "record_id",
        "request_index",
    ]

    /// Whether a column named `header` may count runs (`isRunningCount` decides).
    static func namesCounter(_ header: String) -> Bool {
        counterNames.contains(String(header.lowercased().map { $0 == "-" || $0 == " " ? "_" : $0 }))
    }

    /// Whether `values` count runs: from 0 or 1 up by one, starting again
    /// from 0 or 1 for the next benchmark (`1,2,3,1,2`). A column named `i`
    /// holding anything else is measured.
    static func isRunningCount(_ values: [Double]) -> Bool {
        guard let first = values.first, first == 0 || first == 1 else { return false }
        return zip(values, values.dropFirst()).allSatisfy { previous, next in next == previous + 1 || next == 0 || next == 1 }
    }

    /// Words that make a column an elapsed time, wherever they stand.
    private static let timeWords: Set<String> = [
        "time", "seconds", "secs", "latency", "ttft", "tpot", "itl", "e2el", "elapsed", "duration", "wall", "walltime", "runtime",
        "took",
    ]
    /// Units that make a column an elapsed time when they end its name (`build_s`, `p50_ms`).
    private static let timeUnits: Set<String> = ["s", "sec", "ms", "msec", "us", "usec", "ns", "nsec", "min", "mins", "minutes"]
    /// Words that make a time a difference or a rate, which may be below zero or is no time.
    private static let notElapsed: Set<String> = [
        "delta", "diff", "difference", "change", "offset", "skew", "drift", "gain", "saved", "saving", "savings", "improvement",
        "regression", "speedup", "slowdown", "per", "rate", "tokens", "tok", "token", "req", "requests", "ops", "it", "items",
        "frames", "samples", "bytes", "kb", "mb", "gb", "pct", "percent", "ratio", "start", "end", "epoch", "timestamp", "stamp",
        "of", "at", "day", "vs", "versus", "overhead", "speed", "relative", "rel", "compared", "minus", "net", "error", "residual",
    ]

    /// Whether a numeric column named `header` holds elapsed times, so that
    /// none of its values can be below zero. A name with a rate (`tokens/s`),
    /// a difference (`delta_ms`) or a moment (`start_time`) is no such column.
    static func namesElapsedTime(_ header: String) -> Bool {
        let lowered = header.lowercased()
        // A rate, or a difference written with its sign (`Δ ms`, `± ms`).
        if lowered.contains("/") || lowered.contains("Δ") || lowered.contains("δ") || lowered.contains("±") { return false }
        let words = lowered.split { !$0.isLetter }.map(String.init)
        guard !words.contains(where: { notElapsed.contains($0) }) else { return false }
        if words.contains(where: { timeWords.contains($0) }) { return true }
        guard words.count >= 2, let last = words.last else { return false }
        return timeUnits.contains(last)
    }

    /// A note for the values below zero left out of an elapsed-time column.
    static func negativeTimesNote(_ count: Int, column: String) -> String {
        "\(count) value(s) below zero in '\(TextCuts.text(column))' left out: an elapsed time is never negative (a failure marker such as -1?)"
    }

    /// A note for counter columns not read as measurements.
    static func countersNote(_ names: [String]) -> String {
        let shown = names.prefix(3).map { "'\(TextCuts.text($0))'" }.joined(separator: ", ")
        return "\(shown) count\(names.count == 1 ? "s" : "") the runs (1, 2, 3, ...): not a measurement, so no series"
    }

    /// A note for the cells of a column of numbers that hold none (`NaN`, `N/A`), left out.
    static func missingNote(_ count: Int, of cells: Int, written: Set<String>, column: String) -> String {
        let shown = written.sorted().map { "'\(TextCuts.text($0))'" }.joined(separator: ", ")
        let verb = count == 1 ? "holds" : "hold"
        return "\(count) of \(cells) cells in '\(TextCuts.text(column))' \(verb) no number (\(shown)): left out, the column's other values kept"
    }
}
