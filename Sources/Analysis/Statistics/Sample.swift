import Foundation

/// A bounded sample of one metric's values in a run group, kept with each
/// report so that the next one can test whether the metric moved (see
/// `MannWhitney`) without keeping every run.
///
/// When a group has at most `capacity` values the sample is all of them, and
/// the test runs on the full data. Above that, the values (in the order the
/// files and their rows were read) are cut into `capacity` equal strata and
/// one value is taken from each, at a pseudo-random but fixed offset:
///
/// - every stratum is at most one stride wide, so each file, and each stretch
///   of a long file, is represented in proportion to its runs (a new file of
///   250 runs in a 100,000-run group keeps its 0.25% share, no more, no less);
/// - the offset varies from stratum to stratum, so a sample cannot lock onto
///   a period in the data (the same prompts repeating every few rows), which a
///   fixed-stride systematic sample would;
/// - stratified sampling with proportional allocation is at least as precise
///   as a simple random sample of the same size for a distribution's shape;
/// - it reads `capacity` values and sorts only those: no sort and no pass over
///   the group's runs, which the median's selection reorders right after.
///
/// The offsets depend only on the stratum, so the same runs give the same
/// sample in every process: a report over unchanged files tests as p = 1.
///
/// Values are kept at single precision (about 7 significant digits, far finer
/// than any benchmark's run-to-run spread): rounding is monotonic, so the
/// ranks the test uses are unchanged except for values equal to 7 digits, and
/// the stored digest is half the size and half the time to write and read.
/// Both sides of a test are rounded alike, so a run compared with itself ties.
package struct Sample: Sendable, Equatable {
    /// Most values kept per group and metric. 500 against 500 detects a shift
    /// of about a fifth of a standard deviation (normal data, α = 0.05, 80%
    /// power); a group's two samples take about 5.3 kB of the stored digest.
    package static let capacity = 500

    /// The sampled values, ascending (the test merges two sorted samples),
    /// each exactly representable as a `Float`.
    package private(set) var values: [Double]
    /// How many values the sample was drawn from: the metric's run count.
    package private(set) var population: Int

    package static let empty = Sample(sorted: [], population: 0)

    package var count: Int { values.count }

    /// A sample from already sorted values (decoding; tests).
    init(sorted values: [Double], population: Int) {
        self.values = values
        self.population = population
    }

    /// Draws the sample of `values` (any order; not reordered).
    package init(drawingFrom values: [Double], capacity: Int = Sample.capacity) {
        let n = values.count
        var picked: [Double] = []
        if n <= capacity {
            picked = values.compactMap { $0.isNaN ? nil : Sample.rounded($0) }
        } else {
            picked.reserveCapacity(capacity)
            values.withUnsafeBufferPointer { v in
                for stratum in 0..<capacity {
                    // Integer bounds of the stratum: widths differ by at most one.
                    let low = stratum * n / capacity
                    let high = (stratum + 1) * n / capacity
                    let offset = Int(Sample.scramble(UInt64(stratum)) % UInt64(high - low))
                    let value = v[low + offset]
                    if !value.isNaN { picked.append(Sample.rounded(value)) }
                }
            }
        }
        picked.sort()
        self.init(sorted: picked, population: n)
    }

    /// A value at the precision samples keep.
    static func rounded(_ value: Double) -> Double {
        Double(Float(value))
    }

    /// SplitMix64's finaliser: a fixed, well-spread offset per stratum.
    static func scramble(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Sample: Codable {
    private enum CodingKeys: String, CodingKey {
        case population = "n"
        case values
    }

    // The values travel as base64 of their little-endian IEEE 754 single
    // precision bits: exact for a sample's values, under 6 characters a value,
    // and a tenth of the time a JSON number array takes to encode and parse
    // (the digest is written and read on every report).
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(population, forKey: .population)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        try container.encode(Data(bytes).base64EncodedString(), forKey: .values)
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let population = try container.decode(Int.self, forKey: .population)
        let text = try container.decode(String.self, forKey: .values)
        guard let data = Data(base64Encoded: text), data.count % 4 == 0 else {
            throw DecodingError.dataCorruptedError(forKey: .values, in: container, debugDescription: "not base64 of 4-byte values")
        }
        var values: [Double] = []
        values.reserveCapacity(data.count / 4)
        data.withUnsafeBytes { raw in
            for offset in stride(from: 0, to: raw.count, by: 4) {
                let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                let value = Float(bitPattern: bits)
                if !value.isNaN { values.append(Double(value)) }
            }
        }
        guard population >= values.count else {
            throw DecodingError.dataCorruptedError(forKey: .population, in: container, debugDescription: "fewer runs than sampled values")
        }
        // Written sorted; a hand-edited or foreign digest is sorted here rather than trusted.
        if !Sample.isAscending(values) { values.sort() }
        self.init(sorted: values, population: population)
    }

    static func isAscending(_ values: [Double]) -> Bool {
        guard values.count > 1 else { return true }
        for index in 1..<values.count where values[index] < values[index - 1] { return false }
        return true
    }
}
