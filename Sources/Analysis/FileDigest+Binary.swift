import Records

extension FileDigest {
    /// Bumped whenever the layout below changes; older digests are recomputed.
    /// (Version 6 added each set's figures at its end: a digest of version 5,
    /// such as a rewritten file's kept earlier version, which cannot be
    /// digested again, is read as it is, its figures computed.)
    package static let binaryVersion = 6
    static let readableVersions = 5...6

    package func encoded() -> [UInt8] {
        var w = BinaryWriter(
            capacity: 256 + runSets.reduce(0) { $0 + 74 + 8 * ($1.tokensPerSecond.count + $1.warmTTFT.count) + 9 * ($1.ledger?.count ?? 0) })
        w.writeVarint(FileDigest.binaryVersion)
        let others = self.others.encoded()
        w.writeVarint(others.count)
        w.writeBytes(others)
        w.writeVarint(runSets.count)
        for set in runSets {
            w.write(set.model)
            w.write(set.configuration)
            w.writeVarint(set.runsOK)
            w.writeVarint(set.duplicates)
            w.writeVarint(set.failures.count)
            for failure in set.failures {
                w.write(failure.message)
                w.writeVarint(failure.count)
            }
            w.writeRaw(set.tokensPerSecond)
            w.writeRaw(set.warmTTFT)
            w.writeRaw(set.coldTTFT)
            w.writeRaw(set.coldLoad)
            w.write(set.startedAt)
            w.write(set.endedAt)
            w.write(set.prefillTokens)
            w.write(set.prefillSeconds)
            w.write(set.ledger != nil)
            if let ledger = set.ledger { ledger.encode(into: &w) }
            w.write(set.figures != nil)
            if let figures = set.figures {
                for metric in [figures.tokensPerSecond, figures.ttft] {
                    w.write(metric.lowerQuartile)
                    w.write(metric.median)
                    w.write(metric.upperQuartile)
                }
            }
        }
        return w.bytes
    }

    /// Reads a digest back. Without `ledgers` the run ledgers are skipped:
    /// only files with a twin need theirs. With `othersSkippedAs`, the file's
    /// other results are skipped too (a report that takes only some of its run
    /// groups), and the digest says the file has that shape.
    package init(decoding bytes: [UInt8], ledgers: Bool = true, othersSkippedAs shape: Shape? = nil) throws {
        var r = BinaryReader(bytes)
        let version = try r.readVarint()
        guard FileDigest.readableVersions.contains(version) else {
            throw BinaryReader.Failure.invalid("digest format \(version), expected \(FileDigest.binaryVersion)")
        }
        let othersCount = try r.readCount()
        let others: Extraction
        if let shape {
            try r.skip(othersCount)
            others = Extraction(shape: shape)
        } else {
            others = try Extraction(decoding: try r.readBytes(othersCount))
        }
        var runSets: [RunSetDigest] = []
        for _ in 0..<(try r.readCount()) {
            let model = try r.readOptionalString()
            let configuration = try r.readParameters()
            let runsOK = try r.readVarint()
            let duplicates = try r.readVarint()
            var failures: [RunSetDigest.Failure] = []
            for _ in 0..<(try r.readCount()) {
                let message = try r.readString()
                failures.append(RunSetDigest.Failure(message: message, count: try r.readVarint()))
            }
            var set = RunSetDigest(
                model: model, configuration: configuration, runsOK: runsOK, failures: failures,
                duplicates: duplicates, tokensPerSecond: try r.readRawDoubles(), warmTTFT: try r.readRawDoubles(),
                coldTTFT: try r.readRawDoubles(), coldLoad: try r.readRawDoubles())
            set.startedAt = try r.readOptionalDouble()
            set.endedAt = try r.readOptionalDouble()
            // Digests written before a session was its earliest and latest runs
            // took its first and last rows: in a file newest first, its end
            // first. Kept earlier versions keep such digests until they go.
            if let start = set.startedAt, let end = set.endedAt, start > end { (set.startedAt, set.endedAt) = (end, start) }
            set.prefillTokens = try r.readDouble()
            set.prefillSeconds = try r.readDouble()
            guard set.prefillTokens >= 0, set.prefillSeconds >= 0, set.prefillTokens.isFinite, set.prefillSeconds.isFinite else {
                throw BinaryReader.Failure.invalid("prefill totals")
            }
            if try r.readBool() {
                if ledgers { set.ledger = try RunLedger(decoding: &r) } else { try RunLedger.skip(&r) }
            }
            if version >= 6, try r.readBool() {
                func figures(count: Int) throws -> SessionFigures {
                    let lower = try r.readOptionalDouble()
                    let median = try r.readOptionalDouble()
                    return SessionFigures(n: count, median: median, lowerQuartile: lower, upperQuartile: try r.readOptionalDouble())
                }
                set.figures = RunSetDigest.Figures(
                    tokensPerSecond: try figures(count: set.tokensPerSecond.count), ttft: try figures(count: set.warmTTFT.count))
            }
            guard set.ledgerIsConsistent else { throw BinaryReader.Failure.invalid("run ledger does not match the digest") }
            runSets.append(set)
        }
        guard r.isAtEnd else { throw BinaryReader.Failure.invalid("trailing bytes at \(r.offset)") }
        self.init(shape: others.shape, runSets: runSets, others: others)
    }
}

extension RunLedger {
    /// Fingerprints in 6 bytes each (little-endian), the flags, then the
    /// failed runs' message indices.
    func encode(into w: inout BinaryWriter) {
        w.writeVarint(fingerprints.count)
        var packed: [UInt8] = []
        packed.reserveCapacity(6 * fingerprints.count)
        for fingerprint in fingerprints {
            for shift in stride(from: 0, to: 48, by: 8) { packed.append(UInt8(truncatingIfNeeded: fingerprint >> UInt64(shift))) }
        }
        w.writeBytes(packed)
        w.writeVarint(flags.count)
        w.writeBytes(flags)
        w.writeVarint(failureIndices.count)
        for index in failureIndices { w.writeVarint(index) }
    }

    init(decoding r: inout BinaryReader) throws {
        let packed = try r.readBytes(try r.readCount(elementSize: 6) * 6)
        var fingerprints: [UInt64] = []
        fingerprints.reserveCapacity(packed.count / 6)
        var index = packed.startIndex
        while index < packed.endIndex {
            var fingerprint: UInt64 = 0
            for byte in 0..<6 { fingerprint |= UInt64(packed[index + byte]) << UInt64(8 * byte) }
            fingerprints.append(fingerprint)
            index += 6
        }
        let flags = try r.readBytes(try r.readCount())
        let failed = try r.readCount()
        var failureIndices: [Int] = []
        failureIndices.reserveCapacity(failed)
        for _ in 0..<failed { failureIndices.append(try r.readVarint()) }
        guard flags.count == fingerprints.count else { throw BinaryReader.Failure.invalid("run ledger counts disagree") }
        self.init(fingerprints: fingerprints, flags: flags, failureIndices: failureIndices)
    }

    /// Moves past a ledger without building it.
    static func skip(_ r: inout BinaryReader) throws {
        try r.skip(try r.readCount(elementSize: 6) * 6)
        try r.skip(try r.readCount())
        for _ in 0..<(try r.readCount()) { _ = try r.readVarint() }
    }
}
