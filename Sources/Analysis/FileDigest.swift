import Records

/// What analysis needs of one file, computed once when the file is ingested and
/// stored beside its records: per run set the successful throughput and TTFT
/// values (cold starts apart), the failures by message, and the file's other
/// results. Nothing in it depends on other files, so it stays valid until the
/// file changes; model names still unknown are resolved when a report is made.
///
/// Reports read digests instead of every run's columns: a report after one
/// changed file in a tree of half a million runs reads a fifth of the bytes and
/// does no per-run work.
public struct FileDigest: Sendable, Equatable {
    public struct RunSetDigest: Sendable, Equatable {
        public var model: String?
        public var configuration: [Parameter]
        public var runsOK: Int
        /// Failure messages with their counts, in first-seen order.
        public var failures: [Failure]
        public var duplicates: Int
        public var tokensPerSecond: [Double]
        public var warmTTFT: [Double]
        public var coldTTFT: [Double]
        public var coldLoad: [Double]

        public struct Failure: Sendable, Equatable {
            public var message: String
            public var count: Int
        }
    }

    public var shape: Shape
    public var runSets: [RunSetDigest]
    /// The file's non-run results (compilation, llama-bench, ...), runs removed.
    public var others: Extraction

    /// Digests a file's extraction. `seen` deduplicates runs across twin files
    /// (a CSV and its JSON twin): it counts the runs earlier twins recorded, and
    /// each run of this file that matches one uses one up, so a run repeated
    /// within a file still counts as often as it was recorded. Pass `nil` for a
    /// file without a twin.
    public init(_ extraction: Extraction, seen: inout [RunFingerprint: Int]?) {
        shape = extraction.shape
        var others = extraction
        others.runSets = []
        self.others = others
        // A cold start is a set's first run whose load time dwarfs the file's typical load.
        var loads: [Double] = []
        for set in extraction.runSets {
            let columns = set.columns
            for index in 0..<columns.count where !columns.loadSeconds[index].isNaN {
                if columns.failureReason(at: index) == nil { loads.append(columns.loadSeconds[index]) }
            }
        }
        let typicalLoad = Summary.quantile(&loads, 0.5) ?? 0
        // Runs this file adds to the twins' pool, added once the whole file is read
        // (two sets of one file never deduplicate each other).
        var recorded: [RunFingerprint: Int] = [:]
        runSets = extraction.runSets.map { set in
            var digest = RunSetDigest(
                model: set.model, configuration: set.configuration, runsOK: 0, failures: [], duplicates: 0,
                tokensPerSecond: [], warmTTFT: [], coldTTFT: [], coldLoad: [])
            let columns = set.columns
            digest.tokensPerSecond.reserveCapacity(columns.count)
            digest.warmTTFT.reserveCapacity(columns.count)
            var failureIndex: [String: Int] = [:]
            // Error texts are sparse: walk their indices alongside the runs.
            let errorIndices = columns.errors.keys.sorted()
            var nextError = 0
            for index in 0..<columns.count {
                if seen != nil {
                    let fingerprint = RunFingerprint(columns, index)
                    if let left = seen?[fingerprint], left > 0 {
                        seen?[fingerprint] = left - 1
                        digest.duplicates += 1
                        if nextError < errorIndices.count, errorIndices[nextError] == index { nextError += 1 }
                        continue
                    }
                    recorded[fingerprint, default: 0] += 1
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
                    if let at = failureIndex[reason] {
                        digest.failures[at].count += 1
                    } else {
                        failureIndex[reason] = digest.failures.count
                        digest.failures.append(RunSetDigest.Failure(message: reason, count: 1))
                    }
                    continue
                }
                digest.runsOK += 1
                let tokensPerSecond = columns.tokensPerSecond[index]
                let ttft = columns.ttftSeconds[index]
                if !tokensPerSecond.isNaN { digest.tokensPerSecond.append(tokensPerSecond) }
                let load = RunColumns.value(columns.loadSeconds[index]) ?? 0
                if index == 0 && load >= 0.5 && load >= 3 * typicalLoad {
                    if !ttft.isNaN { digest.coldTTFT.append(ttft) }
                    digest.coldLoad.append(load)
                } else if !ttft.isNaN {
                    digest.warmTTFT.append(ttft)
                }
            }
            return digest
        }
        if seen != nil {
            for (fingerprint, count) in recorded { seen?[fingerprint, default: 0] += count }
        }
    }

    public init(shape: Shape, runSets: [RunSetDigest], others: Extraction) {
        self.shape = shape
        self.runSets = runSets
        self.others = others
    }
}

/// Identifies one run across twin files: the same prompt and the same measurements.
public struct RunFingerprint: Hashable, Sendable {
    var prompt: UInt64
    var tokensPerSecond: UInt64
    var ttft: UInt64
    var evalCount: UInt64
    var error: String?

    init(_ columns: RunColumns, _ index: Int) {
        prompt = columns.promptKey[index]
        tokensPerSecond = columns.tokensPerSecond[index].bitPattern
        ttft = columns.ttftSeconds[index].bitPattern
        evalCount = columns.evalCount[index].bitPattern
        error = columns.failureReason(at: index)
    }
}
