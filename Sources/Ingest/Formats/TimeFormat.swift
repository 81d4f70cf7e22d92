import Records

/// What `/usr/bin/time -v` and a shell's `time` print, kept as text (a
/// kernel build's log, `time make 2> build-time.txt`):
///
///     	Command being timed: "make -j16 bzImage"
///     	User time (seconds): 2871.43
///     	System time (seconds): 312.88
///     	Elapsed (wall clock) time (h:mm:ss or m:ss): 3:32.67
///     	Maximum resident set size (kbytes): 1048212
///     	Exit status: 0
///
///     real	3m32.671s
///     user	47m51.430s
///     sys	5m12.880s
///
///     2871.43user 312.88system 3:32.67elapsed 1497%CPU (0avgtext+0avgdata 1048212maxresident)k
///
/// GNU time's report is a benchmark of its command: its wall-clock time,
/// tested night to night as hyperfine's are; user and system time and the
/// peak resident set size listed. A run whose exit status is not 0 failed:
/// its time is no build's. GNU time's default line is read as its `-v`
/// report is (`Command exited with non-zero status N` above it fails the
/// run), named as a shell's time is. A shell's `real`/`user`/`sys` (bash's `3m32.671s`,
/// `time -p`'s seconds) names no command: the benchmark is named after the
/// file, or after the command a `+ time make` line (a script's `set -x`) names.
/// A shell prints its times for a command that failed too, and says nothing
/// of it: such a run counts. Reports appended to one file are runs of their command.
///
/// Other shells' `time` is read the same way: zsh's one line, named by its
/// command (`make -j8  2.71s user 0.31s system 98% cpu 3.068 total`), fish's
/// block (`Executed in 3.07 secs`, `usr time`, `sys time`), busybox's
/// `real 0m 3.07s`, and a locale's decimal comma (`real 0m3,068s` under `de_DE`).
enum TimeFormat {
    static func extract(console text: ArraySlice<UInt8>, stem: String) -> Extraction? {
        let verbose = ByteSearch.contains(text, "Command being timed:")
        let oneLine = ByteSearch.contains(text, "elapsed") && ByteSearch.contains(text, "system ")
        let shell = ByteSearch.contains(text, "real") && ByteSearch.contains(text, "user") && ByteSearch.contains(text, "sys")
        let zsh = ByteSearch.contains(text, " cpu ") && ByteSearch.contains(text, " total")
        let fish = ByteSearch.contains(text, "Executed in")
        guard verbose || shell || oneLine || zsh || fish else { return nil }
        var commands: [String] = []
        var runs: [String: Runs] = [:]
        var current: (command: String, run: Run)? = nil
        func finish() {
            guard let (command, run) = current else { return }
            budget.spend(numbers: 4)
            if runs[command] == nil {
                commands.append(command)
                budget.spend(entries: 1)
                budget.spend(text: command)
            }
            runs[command, default: Runs()].add(run)
            current = nil
        }
        // A run read whole from one line (or a shell's three): its command's at once.
        func add(_ command: String, _ run: Run) {
            finish()
            current = (TextCuts.text(command), run)
            finish()
        }
        // A shell's `real` and `user` lines, waiting for its `sys` line.
        var real: Double? = nil
        var user: Double? = nil
        var next = NextTiming()
        // GNU time says a run failed on a line before its figures (its default
        // format), or before its `-v` report when a signal ended it.
        var failedStatus: Int? = nil
        var failedSignal: Int? = nil
        var budget = RecordBudget()
        for line in ConsoleLines(text) {
            guard budget.admits("a line after \(commands.count) commands") else { break }
            if verbose, line.hasPrefix("Command being timed:") {
                finish()
                var command = String(line.dropFirst("Command being timed:".count)).trimmingBlanks()
                if command.count >= 2, command.hasPrefix("\""), command.hasSuffix("\"") { command = String(command.dropFirst().dropLast()) }
                current = (TextCuts.text(command.isEmpty ? stem : command), Run())
                // Killed by a signal, GNU time says so above the report, whose `Exit status` is then 0.
                if let signal = failedSignal {
                    current?.run.exitStatus = failedStatus
                    current?.run.signal = signal
                }
                (failedStatus, failedSignal) = (nil, nil)
                continue
            }
            if verbose, current == nil, let failure = commandFailure(line), failure.signal != nil {
                (failedStatus, failedSignal) = (failure.status, failure.signal)
                continue
            }
            // The same inside a report, as an older GNU time prints it.
            if current != nil, let failure = commandFailure(line), let signal = failure.signal {
                current?.run.exitStatus = failure.status
                current?.run.signal = signal
                continue
            }
            if current != nil, let colon = line.lastIndex(of: ":") {
                let key = String(line[..<colon]).trimmingBlanks()
                let value = String(line[line.index(after: colon)...]).trimmingBlanks()
                switch key {
                case "User time (seconds)": current?.run.user = Double(value)
                case "System time (seconds)": current?.run.system = Double(value)
                case "Maximum resident set size (kbytes)": current?.run.maximumResident = Double(value)
                case "Exit status":
                    // Killed by a signal, GNU time still says `Exit status: 0`.
                    if current?.run.exitStatus == nil { current?.run.exitStatus = Int(value) }
                    finish()
                default:
                    // The clock's own colons: the key is what comes before `(h:mm:ss or m:ss)`.
                    if line.hasPrefix("Elapsed (wall clock) time"), let separator = line.range(of: "):") {
                        current?.run.elapsed = ClockDuration(String(line[separator.upperBound...]).trimmingBlanks())?.seconds
                    }
                }
                continue
            }
            // `set -x`'s `+ time make -j8`, or a prompt's `$ time make`: names the next timing.
            // bash traces `time make -j8` as `+ make -j8` (`time` is a keyword): the command last traced.
            if let command = timedCommand(line) {
                next = NextTiming(command: command, namedByTime: true)
                continue
            }
            if let command = tracedCommand(line) {
                next.traced(command)
                continue
            }
            // The first says where (`make[3]: *** [...core.o] Error 1`); the rest pass it up.
            if let failure = TimeFormat.buildFailure(line) {
                next.failed(TextCuts.text(failure))
                continue
            }
            // GNU time's default line, after `Command exited with non-zero status N` when it failed.
            if oneLine {
                if let failure = commandFailure(line) {
                    (failedStatus, failedSignal) = (failure.status, failure.signal)
                    continue
                }
                if var run = defaultFormatRun(line) {
                    run.exitStatus = failedStatus
                    run.signal = failedSignal
                    run.failure = failedStatus == nil ? next.buildFailure : nil
                    add(next.command ?? stem, run)
                    (failedStatus, failedSignal, next) = (nil, nil, NextTiming())
                    continue
                }
            }
            if zsh, let (command, timed) = zshRun(line) {
                var run = timed
                run.failure = next.buildFailure
                add(command, run)
                next.buildFailure = nil
                continue
            }
            // fish: `Executed in`, then `usr time` and `sys time`, as a shell's three lines.
            if fish, let seconds = fishTime(line, "Executed in") {
                (real, user) = (seconds, nil)
                continue
            }
            if fish, real != nil, user == nil, let seconds = fishTime(line, "usr time") {
                user = seconds
                continue
            }
            // A shell's three lines: `real` first, then `user` and `sys`.
            guard shell || fish else { continue }
            if let seconds = shellTime(line, "real") {
                (real, user) = (seconds, nil)
            } else if real != nil, user == nil, let seconds = shellTime(line, "user") {
                user = seconds
            } else if let elapsed = real, let userSeconds = user, let system = shellTime(line, "sys") ?? fishTime(line, "sys time") {
                add(next.command ?? stem, Run(elapsed: elapsed, user: userSeconds, system: system, failure: next.buildFailure))
                next = NextTiming()
                budget.spend(numbers: 3)
                (real, user) = (nil, nil)
            } else {
                (real, user) = (nil, nil)
            }
        }
        var notes = budget.note.map { [$0] } ?? []
        // A `-v` report ends at its `Exit status:` line: one the text ends
        // before was still being written, and a failing command's times were
        // read as a success's until its status came.
        if let unfinished = current, unfinished.run.exitStatus == nil {
            notes.append(
                "the last time -v report ('\(unfinished.command)') ends before its Exit status line (still being written, or cut off): left out until it is whole"
            )
            current = nil
        }
        finish()
        var measurements: [Measurement] = []
        for command in commands {
            guard let runs = runs[command] else { continue }
            measurements += runs.measurements(command)
            if runs.failed > 0 {
                notes.append(
                    "\(runs.failed) run(s) of '\(command)' \(runs.failedByStatus ? "exited with a status other than 0" : "failed, as the build tool said") (the first: \(runs.firstFailure ?? "")): their times left out"
                )
            }
        }
        guard measurements.contains(where: { !$0.samples.isEmpty || $0.failure != nil }) else { return nil }
        return Extraction(shape: .timeReport, measurements: measurements, notes: notes)
    }

    /// How GNU time says a command failed, on a line of its own: `Command
    /// exited with non-zero status 2`, or `Command terminated by signal 9`
    /// (its status then 128 and the signal).
    static func commandFailure(_ line: String) -> (status: Int, signal: Int?)? {
        for (prefix, isSignal) in [("Command exited with non-zero status ", false), ("Command terminated by signal ", true)]
        where line.hasPrefix(prefix) {
            guard let number = Int(line.dropFirst(prefix.count).trimmingCharacters()) else { return nil }
            return isSignal ? (128 + number, number) : (number, nil)
        }
        return nil
    }

    /// GNU time's default line: `2871.43user 312.88system 3:32.67elapsed
    /// 1497%CPU (0avgtext+0avgdata 1048212maxresident)k`.
    static func defaultFormatRun(_ line: String) -> Run? {
        let words = line.split(separator: " ")
        func value(_ suffix: String) -> Substring? {
            words.first { $0.hasSuffix(suffix) && $0.count > suffix.count }.map { $0.dropLast(suffix.count) }
        }
        guard let user = value("user").flatMap({ Double($0) }), let system = value("system").flatMap({ Double($0) }),
            let elapsed = value("elapsed").flatMap({ ClockDuration($0)?.seconds })
        else { return nil }
        let resident = words.first { $0.contains("maxresident") }.flatMap { word -> Double? in
            let digits = word.split(separator: "+").last?.prefix { $0.isNumber } ?? ""
            return Double(digits)
        }
        return Run(elapsed: elapsed, user: user, system: system, maximumResident: resident)
    }

    /// The command a shell line runs under `time`: `+ time make -j8` (a
    /// script's `set -x`), `$ time make -j8` (a terminal's log).
    static func timedCommand(_ line: String) -> String? {
        for prefix in ["+ time ", "++ time ", "$ time ", "# time ", "+ /usr/bin/time ", "$ /usr/bin/time "] where line.hasPrefix(prefix) {
            let command = String(line.dropFirst(prefix.count)).trimmingBlanks()
            return command.isEmpty ? nil : command
        }
        return nil
    }

    /// The command a line of bash's `set -x` trace runs (`+ make -j16`):
    /// the command a `time` before it timed, as bash prints no `time`.
    /// Not a nested trace (`++ date`), nor an assignment (`+ START=3`).
    static func tracedCommand(_ line: String) -> String? {
        guard line.hasPrefix("+ ") else { return nil }
        let command = String(line.dropFirst(2)).trimmingBlanks()
        guard let first = command.split(separator: " ").first, !first.contains("="), !untimedPrograms.contains(String(first)) else { return nil }
        return command
    }

    /// Builtins and a pipeline's other ends (`time make | tee build.log` is
    /// traced as `+ make` and `+ tee build.log`): never what was timed.
    private static let untimedPrograms: Set<String> = [
        "tee", "echo", "printf", "cd", "set", "export", "true", "false", "date", "source", ".", "read", "[", "[[", "test", "local", "shift",
        "trap", "cat", "grep", "head", "tail", "sed", "awk", "wc", "sort", "uniq",
    ]

    /// A build tool's line saying the build failed: make's `make: ***
    /// [Makefile:234: __sub-make] Error 2` (or `make[1]: *** ...`, `gmake`),
    /// ninja's `ninja: build stopped: subcommand failed.`; nil for any other.
    static func buildFailure(_ line: String) -> String? {
        if line.hasPrefix("ninja: build stopped") { return line.trimmingBlanks() }
        guard line.hasPrefix("make") || line.hasPrefix("gmake"), let stars = line.range(of: ": *** "),
            line[..<stars.lowerBound].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "[" || $0 == "]" }),
            line.range(of: "Error ", range: stars.upperBound..<line.endIndex) != nil || line.contains("No rule to make target")
        else { return nil }
        return line.trimmingBlanks()
    }

    /// `real	3m32.671s` (bash), `real 212.67` (`time -p`), `real	0m 3.07s`
    /// (busybox), `real	0m3,068s` (a locale's decimal comma): seconds.
    static func shellTime(_ line: String, _ name: String) -> Double? {
        guard line.hasPrefix(name) else { return nil }
        let rest = line.dropFirst(name.count)
        guard let first = rest.first, first == " " || first == "\t" else { return nil }
        var value = String(rest.filter { $0 != " " && $0 != "\t" })
        if !value.contains("."), value.filter({ $0 == "," }).count == 1 { value = value.replacingOccurrences(of: ",", with: ".") }
        return decimalSeconds(value[...]) ?? GoDuration.seconds(value)
    }

    /// zsh's default `TIMEFMT` (`%J  %U user %S system %P cpu %*E total`):
    /// `make -j8  2.71s user 0.31s system 98% cpu 3.068 total`, the
    /// elapsed time in seconds or `m:ss.fff`.
    static func zshRun(_ line: String) -> (command: String, run: Run)? {
        guard line.hasSuffix(" total") else { return nil }
        let words = line.split(separator: " ")
        // From the end: total, elapsed, cpu, percentage, system, its time, user, its time.
        let count = words.count
        guard count >= 9, words[count - 3] == "cpu", words[count - 4].hasSuffix("%"), words[count - 5] == "system",
            words[count - 7] == "user",
            let elapsed = ClockDuration(words[count - 2])?.seconds ?? decimalSeconds(words[count - 2]),
            let user = decimalSeconds(words[count - 8].dropLast(words[count - 8].hasSuffix("s") ? 1 : 0)),
            let system = decimalSeconds(words[count - 6].dropLast(words[count - 6].hasSuffix("s") ? 1 : 0))
        else { return nil }
        // The command is what comes before its user time, as the job was typed.
        guard let userStart = line.range(of: " " + words[count - 8] + " user ", options: .backwards) else { return nil }
        let command = String(line[..<userStart.lowerBound]).trimmingBlanks()
        guard !command.isEmpty else { return nil }
        return (command, Run(elapsed: elapsed, user: user, system: system))
    }

    /// fish's `Executed in    3.07 secs    fish   external` and its `usr time`
    /// and `sys time` lines: the first figure, in seconds.
    static func fishTime(_ line: String, _ name: String) -> Double? {
        guard line.hasPrefix(name) else { return nil }
        let words = line.dropFirst(name.count).split(separator: " ")
        guard words.count >= 2, let value = decimalSeconds(words[0]) else { return nil }
        let scale: Double
        switch words[1] {
        case "secs": scale = 1
        case "millis": scale = 1e-3
        case "micros": scale = 1e-6
        case "mins": scale = 60
        case "hours": scale = 3600
        default: return nil
        }
        return value * scale
    }

    /// Digits with a decimal point or, as some locales print it, a comma
    /// (digits and a mark only: Swift's `Double` reads `0x10` too).
    private static func decimalSeconds(_ word: Substring) -> Double? {
        let text = word.contains(".") ? String(word) : word.replacingOccurrences(of: ",", with: ".")
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(text), value.isFinite
        else { return nil }
        return value
    }

    /// One timed run.
    struct Run {
        var elapsed: Double?
        var user: Double?
        var system: Double?
        var maximumResident: Double?
        var exitStatus: Int?
        var signal: Int?
        /// Why it failed when its status is not known (a build tool's own line).
        var failure: String?
    }

    /// What the log said of the next timing before its figures: the
    /// command a line named, whether a `time` named it (`+ time make`, `$
    /// time make`: then no trace renames it, bash tracing `time make` as
    /// `+ make`), and a build tool's own word that it failed since
    /// (`make: *** [...] Error 2`): a shell's `time` does not say whether
    /// the command failed, make does.
    struct NextTiming {
        var command: String?
        var namedByTime = false
        var buildFailure: String?

        /// A traced command names the timing, unless a `time` did (a trace inside its output, a recipe under `-x`, names nothing).
        mutating func traced(_ traced: String) {
            if !namedByTime { self = NextTiming(command: traced) }
        }

        /// The first failure since a line named the command: in a CI log
        /// without one, a make that failed before the timed step is not known to be it.
        mutating func failed(_ failure: String) {
            if command != nil, buildFailure == nil { buildFailure = failure }
        }
    }

    /// A command's runs: their figures, and the ones that failed.
    struct Runs {
        var elapsed: [Double] = []
        var user: [Double] = []
        var system: [Double] = []
        var maximumResident: [Double] = []
        var failed = 0
        var firstFailure: String?
        /// Whether the first failure was an exit status's (else a build tool's line).
        var failedByStatus = true

        mutating func add(_ run: Run) {
            if let status = run.exitStatus, status != 0 {
                failed += 1
                if firstFailure == nil { firstFailure = run.signal.map { "terminated by signal \($0)" } ?? "exit status \(status)" }
                return
            }
            if let failure = run.failure {
                failed += 1
                if firstFailure == nil { (firstFailure, failedByStatus) = (failure, false) }
                return
            }
            if let value = run.elapsed, value.isFinite { elapsed.append(value) }
            if let value = run.user, value.isFinite { user.append(value) }
            if let value = run.system, value.isFinite { system.append(value) }
            if let value = run.maximumResident, value.isFinite { maximumResident.append(value) }
        }

        /// The wall-clock time, tested; the others listed.
        func measurements(_ command: String) -> [Measurement] {
            func figure(_ name: String, _ unit: String, _ samples: [Double], tested: Bool) -> Measurement? {
                guard !samples.isEmpty else { return nil }
                let sorted = samples.sorted()
                let middle = sorted.count / 2
                let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
                var measurement = Measurement(
                    tool: "time", name: name, unit: unit, mean: samples.reduce(0, +) / Double(samples.count), median: median,
                    min: sorted.first, max: sorted.last, count: samples.count, samples: samples, isRegressionTested: tested)
                // Runs of a command appended to one log (`time -a -o`) are each night's after the last;
                // the wall time is how long each run took.
                measurement.appendedRuns = name == command ? .durations : .figures
                return measurement
            }
            var measurements: [Measurement] = []
            if var wall = figure(command, "s", elapsed, tested: true) {
                if failed > 0 {
                    wall.failure = firstFailure
                    wall.failedRuns = failed
                }
                measurements.append(wall)
            } else if failed > 0 {
                var failing = Measurement(tool: "time", name: command, unit: "s", failure: firstFailure ?? "failed", failedRuns: failed)
                failing.appendedRuns = .durations
                measurements.append(failing)
            }
            measurements += [
                figure("\(command) user time", "s", user, tested: false), figure("\(command) system time", "s", system, tested: false),
                figure("\(command) max RSS", "KiB", maximumResident, tested: false),
            ].compactMap { $0 }
            return measurements
        }
    }
}
