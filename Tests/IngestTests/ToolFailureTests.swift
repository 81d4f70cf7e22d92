import Records
import Testing

@testable import Ingest

/// Benchmarks their own tools say failed (a non-zero exit under
/// `hyperfine -i`, Google Benchmark's `SkipWithError`, vLLM's failed
/// requests) carry the failure: the report lists it under Failures instead
/// of saying "No failed runs".
@Suite struct ToolFailureTests {
    private func measurements(_ text: String, _ name: String) throws -> [Measurement] {
        try ParsedText.extract(text, name).measurements
    }

    @Test func hyperfineRunsThatExitedNonZeroAreFailedRuns() throws {
        let json = """
            {"results": [
              {"command": "exit 1", "mean": 5.5e-06, "stddev": 4.8e-06, "median": 7.9e-06, "min": 0.0, "max": 8.7e-06,
               "times": [0.0, 8.7e-06, 7.9e-06], "exit_codes": [1, 2, 1]},
              {"command": "true", "mean": 1e-06, "median": 1e-06, "min": 1e-06, "max": 1e-06, "times": [1e-06], "exit_codes": [0]}
            ]}
            """
        let found = try measurements(json, "hyperfine_fail.json")
        #expect(found.count == 2)
        #expect(found[0].failure == "command exited non-zero (exit code 1)" && found[0].failedRuns == 3)
        // Its times are still what hyperfine measured: shown, with the failure beside them.
        #expect(!found[0].isWhollyFailed && found[0].mean == 5.5e-06)
        #expect(found[1].failure == nil && found[1].failedRuns == 0)
    }

    /// hyperfine writes a run killed by a signal (no exit code) as null:
    /// it is a failed run, not a good one (campaign s32, F4).
    @Test func hyperfineRunsKilledByASignalAreFailedRuns() throws {
        let json = """
            {"results": [
              {"command": "./fuzz corpus/", "mean": 2.4, "median": 2.35, "min": 2.1, "max": 2.9,
               "times": [2.1, 2.35, 2.9, 2.25], "exit_codes": [0, null, 0, 139]},
              {"command": "./oom", "mean": 1.0, "median": 1.0, "min": 1.0, "max": 1.0,
               "times": [1.0, 1.0, 1.0], "exit_codes": [null, null, 0]}
            ]}
            """
        let found = try measurements(json, "results.json")
        #expect(found.map(\.failedRuns) == [2, 2])
        #expect(found[0].failure == "command exited non-zero (exit code 139) or was killed by a signal (no exit code)")
        #expect(found[1].failure == "command was killed by a signal (no exit code)")
    }

    @Test func googleBenchmarkErrorsAreFailedRunsOfTheirBenchmark() throws {
        let json = """
            {"context": {"host_name": "vm"}, "benchmarks": [
              {"name": "BM_Plain", "run_name": "BM_Plain", "run_type": "iteration", "real_time": 372.0, "cpu_time": 371.0, "time_unit": "ns"},
              {"name": "BM_Err", "run_name": "BM_Err", "run_type": "iteration", "error_occurred": true, "error_message": "boom",
               "real_time": 0, "cpu_time": 0, "time_unit": "ns"}
            ]}
            """
        let found = try measurements(json, "gbench.json")
        #expect(found.map(\.name) == ["BM_Plain", "BM_Err"])
        #expect(found[0].failure == nil && found[0].mean == 372)
        #expect(found[1].failure == "boom" && found[1].failedRuns == 1 && found[1].isWhollyFailed)
    }

    @Test func googleBenchmarkSkippedBenchmarksAreNotedNotMeasured() throws {
        let json = """
            {"context": {}, "benchmarks": [
              {"name": "BM_Avx512", "run_name": "BM_Avx512", "run_type": "iteration", "skipped": true,
               "skip_message": "AVX-512 not supported on this CPU", "real_time": 0, "cpu_time": 0, "time_unit": "ns"},
              {"name": "BM_Plain", "run_name": "BM_Plain", "run_type": "iteration", "real_time": 372.0, "cpu_time": 371.0, "time_unit": "ns"}
            ]}
            """
        let e = try ParsedText.extract(json, "gb.json")
        #expect(e.measurements.map(\.name) == ["BM_Plain"])
        #expect(e.notes == ["BM_Avx512 skipped: AVX-512 not supported on this CPU"])
    }

    @Test func vllmWithEveryRequestFailedHasNoFiguresButItsCause() throws {
        let json = """
            {"date": "20261203-053000", "backend": "vllm", "model_id": "meta-llama/Llama-3.1-8B-Instruct", "num_prompts": 20,
             "request_rate": "inf", "burstiness": 1.0, "completed": 0, "request_throughput": 0.0, "output_throughput": 0.0,
             "mean_ttft_ms": 0.0, "median_ttft_ms": 0.0, "p99_ttft_ms": 0.0,
             "errors": ["", "Traceback (most recent call last):\\n  File \\"bench.py\\", line 9, in send\\n    await s.post(url)\\naiohttp.client_exceptions.ClientConnectorError: Cannot connect to host localhost:8000"]}
            """
        let found = try measurements(json, "vllm-allfail.json")
        #expect(found.count == 1)
        let requests = try #require(found.first)
        #expect(requests.isWhollyFailed && requests.failedRuns == 20)
        #expect(requests.failure == "aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host localhost:8000")
    }

    @Test func vllmResultsAreKeyedOnEverySetting() throws {
        func result(burstiness: String, extra: String = "") -> String {
            """
            {"date": "20261203-053000", "backend": "vllm", "label": "nightly", "endpoint_type": "openai", "model_id": "m",
             "tokenizer_id": "m", "num_prompts": 20, "request_rate": "inf", "burstiness": \(burstiness), "max_concurrency": null,
             "duration": 12.3, "completed": 19, "failed": 1, "total_input_tokens": 100, "total_output_tokens": 200,
             "request_throughput": 1.6, "output_throughput": 208.1, "total_token_throughput": 1873.2,
             "max_output_tokens_per_s": 300.0, "mean_ttft_ms": 161.4, "median_ttft_ms": 150.0, "std_ttft_ms": 20.0,
             "p99_ttft_ms": 290.0, "p99.9_itl_ms": 80.0, "errors": ["", "HTTP 500: Internal Server Error"]\(extra)}
            """
        }
        let half = try measurements(result(burstiness: "0.5"), "a.json")
        let whole = try measurements(result(burstiness: "1.0"), "b.json")
        let settings = try #require(half.first).parameters.map(\.name)
        #expect(
            settings == ["backend", "burstiness", "label", "num_prompts", "request_rate", "tokenizer_id"],
            "results, dates and percentiles are no settings; a null is none; endpoint_type beside backend names it twice")
        #expect(half.first?.parameters != whole.first?.parameters)
        // One failed request of twenty, counted once, with its cause.
        #expect(half.filter { $0.failure != nil }.count == 1)
        #expect(half.first?.failure == "HTTP 500: Internal Server Error" && half.first?.failedRuns == 1)
        #expect(half.allSatisfy { !$0.isWhollyFailed })
    }

    /// Forty failed requests, one reset and 39 prompts over the context:
    /// the first error stood for all forty, and the real cause was nowhere.
    @Test func vllmFailedRequestsAreCountedByCause() throws {
        let errors =
            ["\"\""] + ["\"Connection reset by peer\""]
            + Array(repeating: "\"Bad Request: This model's maximum context length is 4096 tokens\"", count: 39)
        let json = """
            {"date": "20261203-053000", "backend": "vllm", "model_id": "m", "num_prompts": 42, "request_rate": "inf",
             "completed": 2, "failed": 41, "request_throughput": 0.1, "output_throughput": 20.0,
             "mean_ttft_ms": 161.4, "median_ttft_ms": 150.0, "errors": [\(errors.joined(separator: ", "))]}
            """
        let found = try measurements(json, "vllm-context.json")
        let failed = try #require(found.first { $0.failure != nil })
        #expect(found.filter { $0.failure != nil }.count == 1, "counted once")
        #expect(failed.failedRuns == 41)
        #expect(failed.failure == "Bad Request: This model's maximum context length is 4096 tokens", "the commonest cause")
        #expect(
            failed.failuresByMessage == [
                FailureCount(message: "Bad Request: This model's maximum context length is 4096 tokens", count: 39),
                FailureCount(message: "Connection reset by peer", count: 1),
                FailureCount(message: "request did not complete", count: 1),
            ])
        // One cause is the failure alone.
        let one = try measurements(
            json.replacingOccurrences(of: "\"Connection reset by peer\", ", with: "").replacingOccurrences(
                of: "\"failed\": 41", with: "\"failed\": 39"),
            "one.json")
        #expect(one.first { $0.failure != nil }?.failuresByMessage == [])
        // More errors listed than requests failed: the counts are the failed requests'.
        let fewer = try measurements(json.replacingOccurrences(of: "\"failed\": 41", with: "\"failed\": 10"), "fewer.json")
        let counted = try #require(fewer.first { $0.failure != nil })
        let byCause = counted.failuresByMessage.reduce(0) { $0 + $1.count }
        #expect(counted.failedRuns == 10 && (counted.failuresByMessage.isEmpty || byCause == 10), "\(counted.failuresByMessage)")
        #expect(counted.failure == "Bad Request: This model's maximum context length is 4096 tokens")
    }

    @Test func aTracebackIsKnownByItsExceptionLine() {
        let whole = "Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>\n    f()\nRuntimeError: CUDA out of memory\n\nHint: try"
        #expect(ErrorText.cause(whole) == "RuntimeError: CUDA out of memory")
        // Cut to its last lines, without a frame: its last line.
        #expect(ErrorText.cause("Traceback (most recent call last):\n  ClientConnectorError: refused\n") == "ClientConnectorError: refused")
        #expect(ErrorText.cause("Connection refused\nretrying") == "Connection refused")
    }
}

/// Google Benchmark as `--benchmark_report_aggregates_only` and user counters
/// write it: n is the repetitions the aggregates summarise, and every counter
/// is a benchmark of its own (a rate higher-is-better).
@Suite struct GoogleBenchmarkCountersTests {
    @Test func aggregatesOnlyKeepTheirRepetitionsAndCountersAreRead() throws {
        func aggregate(_ kind: String, _ time: Double, _ items: Double) -> String {
            #"{"name": "BM_Sort/1024_\#(kind)", "run_name": "BM_Sort/1024", "run_type": "aggregate", "repetitions": 3, "#
                + #""aggregate_name": "\#(kind)", "real_time": \#(time), "cpu_time": \#(time), "time_unit": "us", "#
                + #""items_per_second": \#(items), "swaps": 512}"#
        }
        let json =
            #"{"context": {}, "benchmarks": ["#
            + [aggregate("mean", 12.5, 8.0e7), aggregate("median", 12.4, 8.1e7), aggregate("stddev", 0.2, 1e6)]
            .joined(separator: ",") + "]}"
        let e = try ParsedText.extract(json, "gb.json")
        #expect(e.measurements.map(\.name) == ["BM_Sort/1024", "BM_Sort/1024 items_per_second", "BM_Sort/1024 swaps"])
        let time = e.measurements[0]
        #expect(time.mean == 12.5 && time.median == 12.4 && time.stddev == 0.2 && time.count == 3 && time.unit == "us")
        let items = e.measurements[1]
        #expect(items.mean == 8.0e7 && items.median == 8.1e7 && items.unit == "/s" && items.higherIsBetter && items.count == 3)
        #expect(e.measurements[2].mean == 512 && !e.measurements[2].higherIsBetter)
    }
}
