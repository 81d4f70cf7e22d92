import Records

/// `hyperfine --export-json`: `{"results": [{"command", "mean", "stddev", "median",
/// "min", "max", "times": [...], "exit_codes": [...], "parameters": {...}}]}`, seconds.
enum HyperfineFormat {
    static func matches(_ document: JSONValue) -> Bool {
        guard let first = document["results"]?.elements?.first else { return false }
        return first["command"] != nil && first["mean"] != nil
    }

    static func extract(_ document: JSONValue) -> Extraction {
        var measurements: [Measurement] = []
        var notes: [String] = []
        var budget = RecordBudget()
        for (index, entry) in (document["results"]?.elements ?? []).enumerated() {
            // Named as its console output names it: one command's two exports are one benchmark.
            guard let command = entry["command"]?.string.map(ConsoleLines.shown) else { continue }
            guard budget.admits("result \(index + 1)") else { break }
            var parameters: [Parameter] = []
            for (key, value) in entry["parameters"]?.members ?? [] {
                if let text = value.scalarText { parameters.append(Parameter(key, text)) }
            }
            let listed = entry["times"]?.elements ?? []
            let numbers = listed.compactMap(\.double)
            let read = Array(numbers.prefix(budget.numbersLeft))
            // NaN and infinities (read as no value) and text are no times.
            let checked = checkedFigures(
                of: entry, times: read, command: command, unread: listed.count - numbers.count, whole: read.count == numbers.count)
            if let note = checked.note { notes.append(note) }
            guard let figures = checked.figures else { continue }
            let times = figures.times
            // `hyperfine -i` times a command that fails: its runs are failed
            // runs, whatever their times (which hyperfine keeps in its figures).
            // A run killed by a signal (the OOM killer, `timeout -s KILL`) has
            // no exit code: hyperfine writes it as null, and it was counted good.
            // A run whose time was left out (below zero) goes with its exit code.
            let allCodes = entry["exit_codes"]?.elements ?? []
            let codes =
                allCodes.count == listed.count
                ? zip(allCodes, listed).filter { $0.1.double.map { $0 >= 0 } ?? false }.map(\.0) : allCodes
            let failedCodes = codes.compactMap(\.double).filter { $0 != 0 }
            let killed = codes.filter { $0 == .null }.count
            let exited = failedCodes.isEmpty ? nil : "exited non-zero (exit code \(ValueText.render(mostFrequent(failedCodes))))"
            let signalled = killed > 0 ? "was killed by a signal (no exit code)" : nil
            let failure = [exited, signalled].compactMap { $0 }.joined(separator: " or ")
            let failureText = failure.isEmpty ? nil : "command " + failure
            var measurement = Measurement(
                tool: "hyperfine", name: command, parameters: parameters, unit: "s",
                mean: figures.mean, median: figures.median, stddev: figures.stddev,
                min: figures.min, max: figures.max, count: times.isEmpty ? nil : times.count,
                samples: times, failure: failureText, failedRuns: failedCodes.count + killed)
            // hyperfine before 1.10 wrote no median: its times have it.
            measurement.fillFromSamples()
            measurements.append(measurement)
            budget.spend(entries: 1)
            budget.spend(numbers: times.count + 5)
            budget.spend(text: command)
            budget.spend(parameters)
        }
        if let note = budget.note { notes.append(note) }
        return Extraction(shape: .hyperfine, measurements: measurements, notes: notes)
    }

    /// A command's times and figures, as far as they can be times.
    struct Figures {
        var times: [Double]
        var mean, median, stddev, min, max: Double?
    }

    /// The figures of one result, checked: a time below zero measured
    /// nothing (a clock stepped back, a harness's marker, a file edited by
    /// hand), and a mean outside its own min and max is not a summary of
    /// them. Times below zero are left out and the figures taken from the
    /// times kept; without times, figures below zero or out of order are
    /// left out. Each case is said in a note; a result with no time left
    /// is left out (nil figures). Times that are no number (`unread`: NaN,
    /// an infinity) are left out as those below zero are, and a mean more
    /// than 2% from its times' (`whole`: every time read) is taken from them:
    /// a file's figures made from other times than its own were reported
    /// beside its times' median.
    static func checkedFigures(
        of entry: JSONValue, times read: [Double], command: String, unread: Int = 0, whole: Bool = true
    ) -> (figures: Figures?, note: String?) {
        let named = "'\(TextCuts.text(command))'"
        let times = read.filter { $0 >= 0 }
        var figures = Figures(
            times: times, mean: entry["mean"]?.double, median: entry["median"]?.double, stddev: entry["stddev"]?.double,
            min: entry["min"]?.double, max: entry["max"]?.double)
        let summary = [figures.mean, figures.median, figures.min, figures.max].compactMap { $0 }
        let outOfOrder: Bool = {
            guard let low = figures.min, let high = figures.max else { return false }
            // A mean of equal times may land an ulp past them (0.1 three times sums to 0.30000000000000004).
            let slack = 1e-9 * Swift.max(abs(low), abs(high))
            return low > high || [figures.mean, figures.median].contains { $0.map { $0 < low - slack || $0 > high + slack } ?? false }
        }()
        let negativeTimes = read.count - times.count
        let notTimes = negativeTimes == 0 && unread > 0
        let notTheTimes: Bool = {
            guard whole, unread == 0, negativeTimes == 0, !times.isEmpty, let mean = figures.mean else { return false }
            let own = times.reduce(0, +) / Double(times.count)
            // Beyond rounding (a script's `round(mean, 3)`): 2%.
            return abs(own - mean) > 0.02 * Swift.max(abs(own), abs(mean))
        }()
        guard negativeTimes > 0 || notTimes || notTheTimes || outOfOrder || summary.contains(where: { $0 < 0 }) || (figures.stddev ?? 0) < 0
        else { return (figures, nil) }
        if !times.isEmpty {
            // Its times are what was measured: the figures are made from them (`fillFromSamples`).
            (figures.mean, figures.median, figures.stddev, figures.min, figures.max) = (nil, nil, nil, nil, nil)
            let what =
                if negativeTimes > 0 {
                    "\(negativeTimes) time\(negativeTimes == 1 ? "" : "s") below zero left out"
                } else if notTimes {
                    "\(unread) time\(unread == 1 ? "" : "s") that \(unread == 1 ? "is" : "are") no number (NaN, an infinity) left out"
                } else if outOfOrder {
                    "its mean, median, min and max disagree"
                } else if notTheTimes {
                    "its mean is not its times' mean"
                } else {
                    "its figures hold a value below zero"
                }
            return (
                figures,
                "hyperfine result \(named): \(what); its figures are taken from its \(times.count) time\(times.count == 1 ? "" : "s") at or above zero"
            )
        }
        // No time at or above zero: figures hyperfine made from times below zero are none either.
        guard negativeTimes == 0, !outOfOrder, !summary.contains(where: { $0 < 0 }) else {
            let reason =
                negativeTimes > 0
                ? "its \(negativeTimes == 1 ? "time is" : "\(negativeTimes) times are") below zero, as no time can be"
                : (outOfOrder ? "its mean, median, min and max disagree" : "its figures are below zero, as no time can be")
                    + ", and it has no times to take them from"
            return (nil, "hyperfine result \(named) left out: \(reason)")
        }
        figures.stddev = nil
        return (figures, "hyperfine result \(named): its standard deviation is below zero, and was left out")
    }

    /// The most frequent value, the smallest among equals.
    private static func mostFrequent(_ values: [Double]) -> Double {
        var counts: [Double: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? 0
    }
}
