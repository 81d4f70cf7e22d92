import Foundation
import Records
import Testing

@testable import Analysis

/// What a benchmark's sessions are tested on, by its unit: a time per
/// operation (`go test -bench`'s `ns/op`) is a time. It was no unit the
/// sessions knew, so a Go benchmark 50% slower opened nothing (review s36d).
@Suite struct TestedUnitsTests {
    @Test(arguments: [("ns/op", 1e-9), ("µs", 1e-6), ("ms", 1e-3), ("s", 1.0)])
    func aTimeIsTestedInSeconds(unit: String, scale: Double) throws {
        let measurement = Measurement(tool: "go", name: "BenchmarkX", unit: unit, samples: [100, 101])
        let tested = try #require(BenchmarkSessions.tested(measurement))
        #expect(tested.metric == .time && tested.scale == scale)
    }

    @Test func aRateIsTestedInItsUnitAndAnUnknownUnitNotAtAll() {
        let rate = Measurement(tool: "fio", name: "randread read IOPS", unit: "IOPS", higherIsBetter: true, samples: [1000])
        #expect(BenchmarkSessions.tested(rate)?.metric == .throughput)
        #expect(BenchmarkSessions.tested(Measurement(tool: "go", name: "BenchmarkX allocs", unit: "allocs", samples: [2])) == nil)
    }
}
