import Records

/// Every run of one run set in file order, with just enough to count a run once
/// when twin files (a CSV and a JSON of the same benchmark) both record it: a
/// fingerprint of the run, and which of the digest's values it contributed.
///
/// It is what lets the store keep digests instead of records. Without it, the
/// twins' full records had to be stored and re-read to deduplicate their runs.
///
///     var seen: [UInt64: Int] = [:]
///     let counted = csvDigest.runSets.map { $0.deduplicated(against: &seen) }
package struct RunLedger: Sendable, Equatable {
    /// What one run contributed to its set's digest.
    package enum Mark: Sendable, Equatable {
        /// A failed run, with its message's index in the set's `failures`.
        case failed(Int)
        /// A successful run: whether it had a throughput and a TTFT, and
        /// whether it was the set's cold start.
        case succeeded(hasTokens: Bool, hasTTFT: Bool, cold: Bool)
    }

    // Kept as the store keeps them (a byte of flags per run, the failed runs'
    // message indices apart): a report reads hundreds of thousands of runs'
    // ledgers, and these load with a copy each.
    static let failedBit: UInt8 = 1
    static let tokensBit: UInt8 = 2
    static let ttftBit: UInt8 = 4
    static let coldBit: UInt8 = 8

    /// A 48-bit stable hash of each run's prompt, measurements and failure.
    package private(set) var fingerprints: [UInt64] = []
    private(set) var flags: [UInt8] = []
    /// For each failed run, in order, its message's index in `failures`.
    private(set) var failureIndices: [Int] = []

    package init(capacity: Int = 0) {
        fingerprints.reserveCapacity(capacity)
        flags.reserveCapacity(capacity)
    }

    init(fingerprints: [UInt64], flags: [UInt8], failureIndices: [Int]) {
        self.fingerprints = fingerprints
        self.flags = flags
        self.failureIndices = failureIndices
    }

    package var count: Int { fingerprints.count }

    package mutating func append(_ fingerprint: UInt64, _ mark: Mark) {
        fingerprints.append(fingerprint)
        switch mark {
        case .failed(let index):
            flags.append(RunLedger.failedBit)
            failureIndices.append(index)
        case .succeeded(let hasTokens, let hasTTFT, let cold):
            flags.append(
                (hasTokens ? RunLedger.tokensBit : 0) | (hasTTFT ? RunLedger.ttftBit : 0) | (cold ? RunLedger.coldBit : 0))
        }
    }

    /// Every run's mark, in order.
    package var marks: [Mark] {
        var failed = failureIndices.makeIterator()
        return flags.map { flag in
            flag & RunLedger.failedBit != 0
                ? .failed(failed.next() ?? -1)
                : .succeeded(
                    hasTokens: flag & RunLedger.tokensBit != 0, hasTTFT: flag & RunLedger.ttftBit != 0,
                    cold: flag & RunLedger.coldBit != 0)
        }
    }

    /// Bits a fingerprint keeps. Every run file that could have a twin carries
    /// a ledger, so its bytes count: at 48 bits, two different runs of one
    /// pair of 250-run twins share a fingerprint with odds of about one in
    /// 10^10, and the ledger is 6 bytes a run rather than 8.
    static let fingerprintMask: UInt64 = 0xFFFF_FFFF_FFFF

    /// Identifies one run across twin files: the same prompt, the same
    /// measurements and the same failure.
    static func fingerprint(_ columns: RunColumns, _ index: Int, failure: String?) -> UInt64 {
        var hash = StableHash()
        hash.add(columns.promptKey[index])
        hash.add(columns.tokensPerSecond[index].bitPattern)
        hash.add(columns.ttftSeconds[index].bitPattern)
        hash.add(columns.evalCount[index].bitPattern)
        if let failure { hash.add(failure) }
        return hash.low & fingerprintMask
    }
}

extension FileDigest.RunSetDigest {
    /// The set with the runs earlier twins recorded left out. `seen` counts
    /// the runs earlier twins recorded; each run here that matches one uses
    /// one up (and counts as a duplicate), so a run repeated within a file
    /// still counts as often as it was recorded. The runs this set adds go to
    /// `recorded`, for the caller to add to `seen` once the whole file is
    /// read: two sets of one file never deduplicate each other. A set without
    /// a ledger is returned as it is.
    package func deduplicated(against seen: inout [UInt64: Int], recording recorded: inout [UInt64: Int]) -> Self {
        guard let ledger else { return self }
        var kept = Self(
            model: model, configuration: configuration, runsOK: 0, failures: [], duplicates: duplicates,
            tokensPerSecond: [], warmTTFT: [], coldTTFT: [], coldLoad: [], ledger: nil)
        kept.startedAt = startedAt
        kept.endedAt = endedAt
        var keptFailure: [Int: Int] = [:]
        // Cursors into the digest's value arrays, which hold the runs in order.
        var tokens = 0
        var warm = 0
        var coldTTFTs = 0
        var coldLoads = 0
        var failed = 0
        for (fingerprint, flag) in zip(ledger.fingerprints, ledger.flags) {
            let duplicate: Bool
            if let left = seen[fingerprint], left > 0 {
                seen[fingerprint] = left - 1
                duplicate = true
                kept.duplicates += 1
            } else {
                recorded[fingerprint, default: 0] += 1
                duplicate = false
            }
            if flag & RunLedger.failedBit != 0 {
                let index = ledger.failureIndices[failed]
                failed += 1
                guard !duplicate else { continue }
                if let at = keptFailure[index] {
                    kept.failures[at].count += 1
                } else {
                    keptFailure[index] = kept.failures.count
                    kept.failures.append(Failure(message: failures[index].message, count: 1))
                }
            } else {
                if !duplicate { kept.runsOK += 1 }
                if flag & RunLedger.tokensBit != 0 {
                    if !duplicate { kept.tokensPerSecond.append(tokensPerSecond[tokens]) }
                    tokens += 1
                }
                let hasTTFT = flag & RunLedger.ttftBit != 0
                if flag & RunLedger.coldBit != 0 {
                    if hasTTFT {
                        if !duplicate { kept.coldTTFT.append(coldTTFT[coldTTFTs]) }
                        coldTTFTs += 1
                    }
                    // Every cold start has a load time; only some have a TTFT.
                    if !duplicate { kept.coldLoad.append(coldLoad[coldLoads]) }
                    coldLoads += 1
                } else if hasTTFT {
                    if !duplicate { kept.warmTTFT.append(warmTTFT[warm]) }
                    warm += 1
                }
            }
        }
        // Prefill is kept as totals, not per run: the runs kept take their
        // share of them, which keeps the set's prefill rate.
        if runsOK > 0 {
            let share = Double(kept.runsOK) / Double(runsOK)
            kept.prefillTokens = prefillTokens * share
            kept.prefillSeconds = prefillSeconds * share
        }
        return kept
    }

    /// Whether the ledger agrees with the values it indexes (checked when a
    /// digest is read back from the store, so deduplication never reads out
    /// of bounds).
    var ledgerIsConsistent: Bool {
        guard let ledger else { return true }
        var tokens = 0
        var warm = 0
        var coldTTFTs = 0
        var colds = 0
        var failedRuns = 0
        for flag in ledger.flags {
            if flag & RunLedger.failedBit != 0 {
                failedRuns += 1
                continue
            }
            if flag & RunLedger.tokensBit != 0 { tokens += 1 }
            let hasTTFT = flag & RunLedger.ttftBit != 0
            if flag & RunLedger.coldBit != 0 {
                colds += 1
                if hasTTFT { coldTTFTs += 1 }
            } else if hasTTFT {
                warm += 1
            }
        }
        guard tokens == tokensPerSecond.count, warm == warmTTFT.count, colds == coldLoad.count, coldTTFTs == coldTTFT.count,
            failedRuns == ledger.failureIndices.count, runsOK == ledger.count - failedRuns
        else { return false }
        var failed = Array(repeating: 0, count: failures.count)
        for index in ledger.failureIndices {
            guard index >= 0, index < failures.count else { return false }
            failed[index] += 1
        }
        return failed == failures.map(\.count)
    }
}
