import Records

/// What analysis needs of one file, computed once when the file is ingested and
/// stored in its place: per run set the successful throughput and TTFT values
/// (cold starts apart), the failures by message, and the file's other results.
/// A run set is digested as one or more sessions (`RunSetDigest`s of the same
/// model and configuration): runs far apart in time are separate sessions.
/// Nothing in it depends on other files, so it stays valid until the file
/// changes; model names still unknown are resolved when a report is made.
///
/// The store keeps digests, not the files' records: a report after one changed
/// file in a tree of half a million runs does no per-run parsing, and the state
/// folder holds a fraction of the input's bytes. Files that may have a twin (a
/// CSV and a JSON of the same runs) also keep a `RunLedger`, enough to count
/// each run once across the twins without the records.
package struct FileDigest: Sendable, Equatable {
    package struct RunSetDigest: Sendable, Equatable {
        package var model: String?
        package var configuration: [Parameter]
        package var runsOK: Int
        /// Failure messages with their counts, in first-seen order.
        package var failures: [Failure]
        package var duplicates: Int
        package var tokensPerSecond: [Double]
        package var warmTTFT: [Double]
        package var coldTTFT: [Double]
        package var coldLoad: [Double]
        /// Every run in file order, for deduplication across twins (twin
        /// candidates only).
        package var ledger: RunLedger?
        /// When the session's first and last timed runs were measured (seconds
        /// since 1970, UTC); nil when the file gives no times.
        package var startedAt: Double?
        package var endedAt: Double?
        /// Prompt tokens and seconds summed over the good runs that record
        /// both (`prompt_eval_count`, `prompt_eval_s`): prefill throughput is
        /// their ratio, a few bytes a session rather than a value a run.
        package var prefillTokens = 0.0
        package var prefillSeconds = 0.0

        /// The session's figures, computed once when its file is digested
        /// (and stored with it), so a report does not select them again from
        /// every session of a group each time one of its files changes; nil
        /// for a set built otherwise (a twin's runs left out), whose figures
        /// the report computes.
        package var figures: Figures?

        package struct Failure: Sendable, Hashable {
            package var message: String
            package var count: Int
        }

        package struct Figures: Sendable, Equatable {
            package var tokensPerSecond: SessionFigures
            package var ttft: SessionFigures

            /// The figures of `set`'s values as they are.
            package init(of set: RunSetDigest) {
                var tokens = set.tokensPerSecond
                var ttft = set.warmTTFT
                self.init(tokensPerSecond: SessionFigures(&tokens), ttft: SessionFigures(&ttft))
            }

            package init(tokensPerSecond: SessionFigures, ttft: SessionFigures) {
                self.tokensPerSecond = tokensPerSecond
                self.ttft = ttft
            }
        }

        package init(
            model: String?, configuration: [Parameter], runsOK: Int, failures: [Failure], duplicates: Int,
            tokensPerSecond: [Double], warmTTFT: [Double], coldTTFT: [Double], coldLoad: [Double], ledger: RunLedger? = nil
        ) {
            self.model = model
            self.configuration = configuration
            self.runsOK = runsOK
            self.failures = failures
            self.duplicates = duplicates
            self.tokensPerSecond = tokensPerSecond
            self.warmTTFT = warmTTFT
            self.coldTTFT = coldTTFT
            self.coldLoad = coldLoad
            self.ledger = ledger
        }
    }

    package var shape: Shape
    package var runSets: [RunSetDigest]
    /// The file's non-run results (compilation, llama-bench, ...), runs removed.
    package var others: Extraction

    /// A pause of a file's runs longer than this (seconds) starts a new session by default.
    package static let defaultSessionGap = 600.0

    /// Digests a file's extraction; twin candidates get a ledger of their
    /// runs. Each run set becomes one session, or several where its runs are
    /// more than `sessionGap` seconds apart.
    package init(_ extraction: Extraction, sessionGap: Double = FileDigest.defaultSessionGap) {
        shape = extraction.shape
        var others = extraction
        others.runSets = []
        // A dated table's columns are benchmarks' sessions, cut at the same gap.
        others.measurements += FileDigest.sessions(of: extraction.datedSeries, gap: sessionGap)
        others.datedSeries = []
        self.others = others
        let keepsLedger = ContentParserStem.isTwinCandidate(extraction.shape)
        // A cold start is a set's first run whose load time dwarfs the file's typical load.
        var loads: [Double] = []
        for set in extraction.runSets {
            let columns = set.columns
            for index in 0..<columns.count where !columns.loadSeconds[index].isNaN {
                if columns.failureReason(at: index) == nil { loads.append(columns.loadSeconds[index]) }
            }
        }
        let typicalLoad = Summary.quantile(&loads, 0.5) ?? 0
        let pauses = FileDigest.pauses(extraction.runSets, longerThan: sessionGap)
        var sessions: [RunSetDigest] = []
        for set in extraction.runSets {
            FileDigest.digest(set, typicalLoad: typicalLoad, keepsLedger: keepsLedger, pauses: pauses, into: &sessions)
        }
        for index in sessions.indices { sessions[index].figures = RunSetDigest.Figures(of: sessions[index]) }
        runSets = sessions
    }

    /// Where the file's runs, all sets together, pause for longer than
    /// `gap` seconds: the time of each run that ends such a pause, ascending.
    /// A harness that takes two models in turn, six minutes a run, measures
    /// each one every twelve: the file's runs, not one model's, say when a
    /// session ended.
    ///
    /// A pause is the time between two runs less the longer of the two (a
    /// run is stamped at its start or at its end; either way the other's
    /// length is no pause): a large model's back-to-back 14-minute runs were
    /// a session each, and no night was ever tested.
    static func pauses(_ sets: [RunSet], longerThan gap: Double) -> [Double] {
        var runs: [(time: Double, seconds: Double)] = []
        for set in sets {
            let columns = set.columns
            for index in 0..<columns.count where !columns.timestamps[index].isNaN {
                runs.append((columns.timestamps[index], runSeconds(columns, index)))
            }
        }
        runs.sort { $0.time < $1.time }
        var pauses: [Double] = []
        for index in runs.indices.dropFirst() {
            let between = runs[index].time - runs[index - 1].time
            if between - max(runs[index].seconds, runs[index - 1].seconds) > gap { pauses.append(runs[index].time) }
        }
        return pauses
    }

    /// How many of `pauses` (ascending) end at or before `time`: its stretch of the file.
    static func stretch(of time: Double, pauses: [Double]) -> Int {
        var low = 0
        var high = pauses.count
        while low < high {
            let middle = (low + high) / 2
            if pauses[middle] <= time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// How long a run took, from what it recorded: its load, its prompt (or
    /// first token) and its generation; 0 when it recorded none of them.
    static func runSeconds(_ columns: RunColumns, _ index: Int) -> Double {
        func known(_ value: Double) -> Double { value.isFinite && value > 0 ? value : 0 }
        var generation = known(columns.evalSeconds[index])
        if generation == 0, known(columns.tokensPerSecond[index]) > 0 {
            generation = known(columns.evalCount[index]) / columns.tokensPerSecond[index]
        }
        return known(columns.loadSeconds[index]) + max(known(columns.promptEvalSeconds[index]), known(columns.ttftSeconds[index])) + generation
    }

    /// Digests one run set as one session per stretch of its runs that no
    /// pause of the file's runs (`pauses`) cuts.
    private static func digest(
        _ set: RunSet, typicalLoad: Double, keepsLedger: Bool, pauses: [Double], into sessions: inout [RunSetDigest]
    ) {
        let columns = set.columns
        func newSession() -> RunSetDigest {
            var digest = RunSetDigest(
                model: set.model, configuration: set.configuration, runsOK: 0, failures: [], duplicates: 0,
                tokensPerSecond: [], warmTTFT: [], coldTTFT: [], coldLoad: [])
            digest.tokensPerSecond.reserveCapacity(columns.count)
            digest.warmTTFT.reserveCapacity(columns.count)
            digest.ledger = keepsLedger ? RunLedger(capacity: columns.count) : nil
            return digest
        }
        var digest = newSession()
        var failureIndex: [String: Int] = [:]
        var sessionStart = 0
        var currentStretch: Int? = nil
        // Error texts are sparse: walk their indices alongside the runs.
        let errorIndices = columns.errors.keys.sorted()
        var nextError = 0
        var repeats = RepeatedRuns()
        for index in 0..<columns.count {
            let time = columns.timestamps[index]
            if repeats.isRepeat(columns, index) {
                digest.duplicates += 1
                if nextError < errorIndices.count, errorIndices[nextError] == index { nextError += 1 }
                continue
            }
            if !time.isNaN {
                let here = FileDigest.stretch(of: time, pauses: pauses)
                if let currentStretch, here != currentStretch, digest.endedAt != nil {
                    sessions.append(digest)
                    digest = newSession()
                    failureIndex = [:]
                    sessionStart = index
                }
                currentStretch = here
                // Its earliest and latest runs, in whatever order the file
                // lists them (newest first, as `ORDER BY time DESC` writes).
                digest.startedAt = min(digest.startedAt ?? time, time)
                digest.endedAt = max(digest.endedAt ?? time, time)
            }
            let reason: String?
            if nextError < errorIndices.count, errorIndices[nextError] == index {
                nextError += 1
                reason = columns.failureReason(at: index)
            } else {
                reason = LLMRun.failureReason(
                    error: nil, tokensPerSecond: RunColumns.value(columns.tokensPerSecond[index]),
                    ttftSeconds: RunColumns.value(columns.ttftSeconds[index]),
                    evalCount: RunColumns.value(columns.evalCount[index]))
            }
            if let reason {
                let at: Int
                if let known = failureIndex[reason] {
                    at = known
                    digest.failures[at].count += 1
                } else {
                    at = digest.failures.count
                    failureIndex[reason] = at
                    digest.failures.append(RunSetDigest.Failure(message: reason, count: 1))
                }
                digest.ledger?.append(RunLedger.fingerprint(columns, index, failure: reason), .failed(at))
                continue
            }
            digest.runsOK += 1
            let tokensPerSecond = columns.tokensPerSecond[index]
            let ttft = columns.ttftSeconds[index]
            if !tokensPerSecond.isNaN { digest.tokensPerSecond.append(tokensPerSecond) }
            let promptTokens = columns.promptEvalCount[index]
            let promptSeconds = columns.promptEvalSeconds[index]
            // Sums of finite values can still overflow: such a run adds nothing.
            if promptTokens > 0, promptSeconds > 0, (digest.prefillTokens + promptTokens).isFinite,
                (digest.prefillSeconds + promptSeconds).isFinite
            {
                digest.prefillTokens += promptTokens
                digest.prefillSeconds += promptSeconds
            }
            let load = RunColumns.value(columns.loadSeconds[index]) ?? 0
            // A session's first run pays for loading the model when it was
            // unloaded in the gap before it (Ollama unloads after 5 minutes).
            let cold = index == sessionStart && load >= 0.5 && load >= 3 * typicalLoad
            if cold {
                if !ttft.isNaN { digest.coldTTFT.append(ttft) }
                digest.coldLoad.append(load)
            } else if !ttft.isNaN {
                digest.warmTTFT.append(ttft)
            }
            digest.ledger?.append(
                RunLedger.fingerprint(columns, index, failure: nil),
                .succeeded(hasTokens: !tokensPerSecond.isNaN, hasTTFT: !ttft.isNaN, cold: cold))
        }
        sessions.append(digest)
    }

    /// A run written twice into one file (`cat night.csv >> all.csv` run
    /// again, a harness that resumes by writing its runs anew): the same
    /// prompt and figures at the same time of day, to the second or finer.
    /// Counted twice, a night of 5 runs was tested as 10 and a change below
    /// what it could show opened a regression. Runs stamped with a date
    /// alone, or not at all, may repeat their figures and are kept.
    ///
    /// Only a run that goes back in time (a block written again after the
    /// later runs), and the runs right after it at the latest time, are
    /// looked for: a harness that stamps every row with its session's start
    /// repeats its time and may repeat rounded figures, and each row is a run.
    /// Runs come in time order as a rule: the runs before one are hashed
    /// only when one goes back.
    struct RepeatedRuns {
        private var latest = -Double.infinity
        private var seen: Set<Key>? = nil
        private var repeating = false

        private struct Key: Hashable {
            var time: UInt64
            var run: UInt64
        }

        mutating func isRepeat(_ columns: RunColumns, _ index: Int) -> Bool {
            let time = columns.timestamps[index]
            guard time.isFinite, time.truncatingRemainder(dividingBy: 86_400) != 0 else { return false }
            func key(_ at: Int) -> Key {
                Key(time: columns.timestamps[at].bitPattern, run: RunLedger.fingerprint(columns, at, failure: columns.errors[at]))
            }
            defer { latest = max(latest, time) }
            guard time < latest || (time == latest && repeating) else {
                seen?.insert(key(index))
                repeating = false
                return false
            }
            if seen == nil {
                var earlier: Set<Key> = []
                for at in 0..<index where columns.timestamps[at].isFinite { earlier.insert(key(at)) }
                seen = earlier
            }
            repeating = seen?.insert(key(index)).inserted == false
            return repeating
        }
    }

    package init(shape: Shape, runSets: [RunSetDigest], others: Extraction) {
        self.shape = shape
        self.runSets = runSets
        self.others = others
    }
}
