import Foundation
import Testing

@testable import Analysis

@Suite struct SampleTests {
    @Test func aSmallGroupKeepsEveryValueSorted() {
        let sample = Sample(drawingFrom: [3, 1, 2, .nan, 5])
        #expect(sample.values == [1, 2, 3, 5])
        #expect(sample.population == 5)
    }

    @Test func aLargeGroupGivesOneValuePerStratum() {
        let n = 12_345
        let values = (0..<n).map(Double.init)  // a value is its position
        let sample = Sample(drawingFrom: values)
        #expect(sample.count == Sample.capacity && sample.population == n)
        for (stratum, value) in sample.values.enumerated() {
            let low = stratum * n / Sample.capacity
            let high = (stratum + 1) * n / Sample.capacity
            #expect(Int(value) >= low && Int(value) < high, "stratum \(stratum) gave \(value)")
        }
        #expect(Sample(drawingFrom: values) == sample, "the same runs give the same sample")
    }

    /// Prompts repeating every 10 rows with a stride of 10: a fixed-offset
    /// systematic sample would see one prompt only.
    @Test func aPeriodInTheDataDoesNotBiasTheSample() {
        let values = (0..<5_000).map { Double($0 % 10) }
        let sample = Sample(drawingFrom: values)
        #expect(Set(sample.values).count == 10)
        let mean = sample.values.reduce(0, +) / Double(sample.count)
        #expect(abs(mean - 4.5) < 0.5)
    }

    /// A new file of 250 runs at the end of 100,000 keeps its share: 1.25 of 500.
    @Test func eachFileIsRepresentedInProportion() {
        let values = [Double](repeating: 100, count: 99_750) + [Double](repeating: 50, count: 250)
        let sample = Sample(drawingFrom: values)
        let fromNewFile = sample.values.filter { $0 == 50 }.count
        #expect(fromNewFile >= 1 && fromNewFile <= 2)
    }

    /// Kept to about 7 digits: order is kept, and values equal to that many
    /// digits tie (on both sides of a test alike).
    @Test func valuesAreKeptAtSinglePrecision() {
        let sample = Sample(drawingFrom: [0.1 + 1e-12, 0.1, 179.5131845841785, 2])
        #expect(sample.values == [Double(Float(0.1)), Double(Float(0.1)), 2, Double(Float(179.5131845841785))])
        #expect(abs(sample.values[3] - 179.5131845841785) < 1e-5)
    }

    @Test func itRoundTripsExactlyThroughJSON() throws {
        let sample = Sample(drawingFrom: (0..<800).map { 0.1 * Double($0) + 1e-13 })
        let decoded = try JSONDecoder().decode(Sample.self, from: try JSONEncoder().encode(sample))
        #expect(decoded == sample)
    }

    @Test func aForeignUnsortedSampleIsSortedAndADamagedOneRefused() throws {
        var bytes: [UInt8] = []
        for value in [3.0, 1.0, 2.0] as [Float] { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        let unsorted = #"{"n": 3, "values": "\#(Data(bytes).base64EncodedString())"}"#
        #expect(try JSONDecoder().decode(Sample.self, from: Data(unsorted.utf8)).values == [1, 2, 3])
        let truncated = #"{"n": 3, "values": "\#(Data(bytes.prefix(6)).base64EncodedString())"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Sample.self, from: Data(truncated.utf8)) }
        let tooMany = #"{"n": 1, "values": "\#(Data(bytes).base64EncodedString())"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Sample.self, from: Data(tooMany.utf8)) }
    }
}
