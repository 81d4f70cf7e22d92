import Records

extension FileDigest {
    /// Bumped whenever the layout below changes; older digests are recomputed.
    public static let binaryVersion = 1

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
            runSets.append(
                RunSetDigest(
                    model: model, configuration: configuration, runsOK: runsOK, failures: failures,
                    duplicates: duplicates, tokensPerSecond: try r.readRawDoubles(), warmTTFT: try r.readRawDoubles(),
                    coldTTFT: try r.readRawDoubles(), coldLoad: try r.readRawDoubles()))
        }
        guard r.isAtEnd else { throw BinaryReader.Failure.invalid("trailing bytes at \(r.offset)") }
        self.init(shape: others.shape, runSets: runSets, others: others)
    }
}
