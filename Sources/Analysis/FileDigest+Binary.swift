import Records

extension FileDigest {
    /// Bumped whenever the layout below changes; older digests are recomputed.
    public static let binaryVersion = 2

    public func encoded() -> [UInt8] {
        var w = BinaryWriter(capacity: 256 + runSets.reduce(0) { $0 + 8 * ($1.tokensPerSecond.count + $1.warmTTFT.count) })
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
            w.write(set.ledger != nil)
            if let ledger = set.ledger { ledger.encode(into: &w) }
        }
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws {
        var r = BinaryReader(bytes)
        let version = try r.readVarint()
        guard version == FileDigest.binaryVersion else {
            throw BinaryReader.Failure.invalid("digest format \(version), expected \(FileDigest.binaryVersion)")
        }
        let othersCount = try r.readCount()
        let others = try Extraction(decoding: try r.readBytes(othersCount))
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
            if try r.readBool() { set.ledger = try RunLedger(decoding: &r) }
            guard set.ledgerIsConsistent else { throw BinaryReader.Failure.invalid("run ledger does not match the digest") }
            runSets.append(set)
        }
        guard r.isAtEnd else { throw BinaryReader.Failure.invalid("trailing bytes at \(r.offset)") }
        self.init(shape: others.shape, runSets: runSets, others: others)
    }
}

extension RunLedger {
    private static let failedBit: UInt8 = 1
    private static let tokensBit: UInt8 = 2
    private static let ttftBit: UInt8 = 4
    private static let coldBit: UInt8 = 8

    /// Fingerprints raw, a byte of flags per run, then the failure indices of
    /// the failed runs in order.
    func encode(into w: inout BinaryWriter) {
        w.writeRaw(fingerprints)
        var failureIndices: [Int] = []
        w.writeVarint(marks.count)
        for mark in marks {
            switch mark {
            case .failed(let index):
                w.writeBytes([RunLedger.failedBit])
                failureIndices.append(index)
            case .succeeded(let hasTokens, let hasTTFT, let cold):
                w.writeBytes([
                    (hasTokens ? RunLedger.tokensBit : 0) | (hasTTFT ? RunLedger.ttftBit : 0) | (cold ? RunLedger.coldBit : 0)
                ])
            }
        }
        w.writeVarint(failureIndices.count)
        for index in failureIndices { w.writeVarint(index) }
    }

    init(decoding r: inout BinaryReader) throws {
        let fingerprints = try r.readRawUInt64()
        let flags = try r.readBytes(try r.readCount())
        let failedCount = try r.readCount()
        guard flags.count == fingerprints.count, failedCount == flags.count(where: { $0 & RunLedger.failedBit != 0 }) else {
            throw BinaryReader.Failure.invalid("run ledger counts disagree")
        }
        self.init(capacity: fingerprints.count)
        for (fingerprint, flag) in zip(fingerprints, flags) {
            if flag & RunLedger.failedBit != 0 {
                append(fingerprint, .failed(try r.readVarint()))
            } else {
                append(
                    fingerprint,
                    .succeeded(
                        hasTokens: flag & RunLedger.tokensBit != 0, hasTTFT: flag & RunLedger.ttftBit != 0,
                        cold: flag & RunLedger.coldBit != 0))
            }
        }
    }
}
