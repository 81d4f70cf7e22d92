import Records
import Testing

@testable import Ingest

/// vLLM's offline benchmarks' `--output-json`, as `vllm bench latency` and
/// `vllm bench throughput` (`benchmark_latency.py`, `benchmark_throughput.py`)
/// write it: read as numbers, each night was series of one value, and a
/// night 20% slower opened nothing.
@Suite struct VLLMOfflineTests {
    private func extract(_ text: String, path: String) throws -> Extraction {
        guard case .extracted(let e) = ContentParser.parse(Array(text.utf8), fileName: String(path.split(separator: "/").last ?? ""), path: path)
        else { throw ParsedText.Skipped(reason: "skipped") }
        return e
    }

    @Test func latencyIsATimeItsIterationsTheSamples() throws {
        let json = """
            {
                "avg_latency": 1.8,
                "latencies": [1.7, 1.8, 1.9, 1.8],
                "percentiles": {"10": 1.73, "25": 1.775, "50": 1.8, "75": 1.825, "90": 1.87, "99": 1.897}
            }
            """
        let e = try extract(json, path: "latency/llama8b-2026-11-01.json")
        #expect(e.shape == .vllmOffline && e.series.isEmpty, "\(e.series.map(\.name))")
        let latency = try #require(e.measurements.first)
        #expect(e.measurements.count == 1 && latency.tool == "vllm" && latency.unit == "s" && !latency.higherIsBetter)
        // Named after its path, digits as `*`: one file a night is one benchmark.
        #expect(latency.name == "latency/llama8b-*-*-*.json latency", "\(latency.name)")
        #expect(latency.mean == 1.8 && latency.median == 1.8 && latency.samples.count == 4 && latency.min == 1.7 && latency.isRegressionTested)
        // A latency that is none is left out, and the mean is then the kept ones'.
        let odd = try extract(#"{"avg_latency": 1.0, "latencies": [1.5, -1, 2.5]}"#, path: "lat.json")
        #expect(odd.measurements.first?.mean == 2 && odd.notes == ["1 latency not above zero left out"], "\(odd.notes)")
    }

    @Test func throughputTestsItsTokenRate() throws {
        let json = """
            {"elapsed_time": 52.1, "num_requests": 1000, "total_num_tokens": 512000,
             "requests_per_second": 19.19, "tokens_per_second": 9827.2}
            """
        let e = try extract(json, path: "throughput.json")
        #expect(e.measurements.map(\.name) == ["throughput.json tokens_per_second", "throughput.json requests_per_second"])
        #expect(e.measurements.map(\.isRegressionTested) == [true, false] && e.measurements.allSatisfy(\.higherIsBetter))
        #expect(e.measurements.first?.parameters == [Parameter("num_requests", "1000")] && e.measurements.first?.unit == "tok/s")
        let stalled = try extract(
            #"{"elapsed_time": 1, "num_requests": 1, "requests_per_second": 0, "tokens_per_second": 5}"#, path: "t.json")
        #expect(stalled.notes == ["requests_per_second is 0, no rate: left out"] && stalled.measurements.count == 1)
    }
}
