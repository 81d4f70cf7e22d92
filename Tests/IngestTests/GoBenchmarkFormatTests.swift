import Foundation
import Records
import Testing

@testable import Ingest

/// `go test -bench` output kept as text: it was "no benchmark data", and
/// no Go benchmark was ever tested night to night (campaign s36c #7).
@Suite struct GoBenchmarkFormatTests {
    private let output = """
        goos: linux
        goarch: amd64
        pkg: example.com/parser
        cpu: AMD Ryzen 9 7950X 16-Core Processor
        BenchmarkParse/small-32         \t 2345678\t       512.3 ns/op\t 234.56 MB/s\t      64 B/op\t       2 allocs/op
        BenchmarkParse/small-32         \t 2345678\t       520.1 ns/op\t 231.00 MB/s\t      64 B/op\t       2 allocs/op
        BenchmarkParse/large-32         \t    1234\t    987654 ns/op
        --- FAIL: BenchmarkBroken-32
            parser_test.go:42: unexpected EOF
        PASS
        ok  \texample.com/parser\t3.456s

        """

    @Test func eachBenchmarkAndUnitIsABenchmarkItsLinesTheSamples() throws {
        let e = try ParsedText.extract(output, "bench.txt")
        #expect(e.shape == .goBenchmarkText)
        let small = try #require(e.measurements.first { $0.name == "BenchmarkParse/small" })
        #expect(small.samples == [512.3, 520.1] && small.unit == "ns/op" && !small.higherIsBetter && small.isRegressionTested)
        #expect(small.parameters.map { "\($0.name)=\($0.value)" } == ["pkg=example.com/parser", "procs=32"])
        let rate = try #require(e.measurements.first { $0.name == "BenchmarkParse/small MB/s" })
        #expect(rate.higherIsBetter && !rate.isRegressionTested && rate.samples == [234.56, 231])
        #expect(e.measurements.first { $0.name == "BenchmarkParse/small allocs/op" }?.median == 2)
        #expect(e.measurements.first { $0.name == "BenchmarkParse/large" }?.samples == [987654])
        let broken = try #require(e.measurements.first { $0.name == "BenchmarkBroken" })
        #expect(broken.isWhollyFailed && broken.failedRuns == 1)
    }

    /// A line that only starts like a result is none: a log's `Benchmarks run: 5`, a name with no figures.
    @Test func otherLinesAreNoResults() {
        #expect(GoBenchmarkFormat.row("Benchmarks ran 5 times") == nil)
        #expect(GoBenchmarkFormat.row("BenchmarkX-8 100 fast ns/op") == nil)
        #expect(GoBenchmarkFormat.row("BenchmarkX 100 12.5 ns/op")?.procs == nil)
    }
}
