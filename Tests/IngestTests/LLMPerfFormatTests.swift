import Foundation
import Records
import Testing

@testable import Ingest

/// llmperf's `_summary.json` is a dated benchmark of the model under its
/// load; its `_individual_responses.json` is skipped with a reason. Both
/// were numbers by path, a failed request's zeros averaged in as times
/// (campaign s36b).
@Suite struct LLMPerfFormatTests {
    /// A summary's statistics of one metric, as `token_benchmark_ray.py` flattens them.
    private func metric(_ key: String, mean: Double, p50: Double) -> String {
        ["p25": 0.9, "p50": 1, "p75": 1.1, "p90": 1.2, "p95": 1.25, "p99": 1.3].map { quantile, scale in
            "\"results_\(key)_quantiles_\(quantile)\": \(quantile == "p50" ? p50 : mean * scale)"
        }.joined(separator: ", ")
            + ", \"results_\(key)_mean\": \(mean), \"results_\(key)_min\": \(mean * 0.5), \"results_\(key)_max\": \(mean * 1.4), \"results_\(key)_stddev\": \(mean * 0.2)"
    }

    private func summary(errors: Int = 0, completed: Int = 12, codes: String = "{}") -> String {
        """
        {"version": "2023-08-31", "name": "meta-llama-Llama-3-1-8B-Instruct_512_256_summary", "model": "meta-llama/Llama-3.1-8B-Instruct",
         "mean_input_tokens": 512, "stddev_input_tokens": 0, "mean_output_tokens": 256, "stddev_output_tokens": 0, "num_concurrent_requests": 4,
         \(metric("inter_token_latency_s", mean: 0.0127, p50: 0.0127)), \(metric("ttft_s", mean: 0.0947, p50: 0.1037)),
         \(metric("end_to_end_latency_s", mean: 3.18, p50: 3.17)), \(metric("request_output_throughput_token_per_s", mean: 79.1, p50: 78.5)),
         "results_num_requests_started": \(completed + errors), "results_error_rate": \(Double(errors) / Double(max(completed + errors, 1))),
         "results_number_errors": \(errors), "results_error_code_frequency": "\(codes)", "results_mean_output_throughput_token_per_s": 316.4,
         "results_num_completed_requests": \(completed), "results_num_completed_requests_per_min": 72.3, "timestamp": 1733700123}
        """
    }

    @Test func theSummaryIsADatedBenchmarkOfTheModelUnderItsLoad() throws {
        let e = try ParsedText.extract(summary(), "meta-llama-Llama-3-1-8B-Instruct_512_256_summary.json")
        #expect(e.shape == .llmperfSummary && e.modelHint == "meta-llama/Llama-3.1-8B-Instruct" && e.measuredAt == 1_733_700_123)
        #expect(e.measurements.allSatisfy { $0.measuredAt == 1_733_700_123 && $0.tool == "llmperf" })
        #expect(
            e.measurements.first?.parameters.map { "\($0.name)=\($0.value)" } == ["concurrency=4", "input_tokens=512", "output_tokens=256"])
        let rate = try #require(e.measurements.first { $0.name == "meta-llama/Llama-3.1-8B-Instruct output_throughput per request" })
        #expect(rate.median == 78.5 && rate.mean == 79.1 && rate.higherIsBetter && rate.isRegressionTested && rate.count == 12)
        let ttft = try #require(e.measurements.first { $0.name == "meta-llama/Llama-3.1-8B-Instruct TTFT" })
        #expect(ttft.unit == "s" && ttft.median == 0.1037 && !ttft.higherIsBetter && ttft.isRegressionTested)
        let tested = e.measurements.filter(\.isRegressionTested).map(\.name).sorted()
        #expect(
            tested == [
                "meta-llama/Llama-3.1-8B-Instruct ITL", "meta-llama/Llama-3.1-8B-Instruct TTFT",
                "meta-llama/Llama-3.1-8B-Instruct output_throughput per request",
            ])
        #expect(e.measurements.contains { $0.name.hasSuffix(" output_throughput") && $0.mean == 316.4 && !$0.isRegressionTested })
    }

    @Test func failedRequestsAreTheBenchmarksFailures() throws {
        let e = try ParsedText.extract(summary(errors: 3, completed: 9, codes: "{429: 3}"), "m_512_256_summary.json")
        #expect(e.measurements.first?.failure == "3 request(s) failed (error codes {429: 3})" && e.measurements.first?.failedRuns == 3)
        // None completed: NaN figures, and the failure alone.
        let none = summary(errors: 12, completed: 0).replacingOccurrences(
            of: #"(_s|_per_s)_(mean|min|max|stddev|quantiles_p\d+)": [0-9.e-]+"#, with: "$1_$2\": NaN", options: .regularExpression)
        let failed = try ParsedText.extract(none, "m_512_256_summary.json")
        #expect(failed.measurements.count == 1 && failed.measurements[0].isWhollyFailed && failed.measurements[0].failedRuns == 12)
        // None completed and no error counted (a run stopped early): still a failure, never nothing (review s37d).
        let silent = try ParsedText.extract(summary(errors: 0, completed: 0), "m_512_256_summary.json")
        #expect(silent.measurements.map(\.failure) == ["no request completed"])
        // A figure below zero is no time or rate: left out, and said.
        let negative = try ParsedText.extract(
            summary().replacingOccurrences(of: "\"results_ttft_s_mean\": 0.0947", with: "\"results_ttft_s_mean\": -1"), "m_summary.json")
        #expect(negative.measurements.first { $0.name.hasSuffix(" TTFT") }?.mean == nil)
        #expect(negative.notes.contains("1 figure(s) below zero left out (the first: results_ttft_s_mean)"), "\(negative.notes)")
    }

    @Test func theIndividualResponsesAreSkippedForTheSummary() {
        let requests = """
            [{"error_code": null, "error_msg": "", "inter_token_latency_s": 0.0119, "ttft_s": 0.084, "end_to_end_latency_s": 2.97,
              "request_output_throughput_token_per_s": 84.1, "number_total_tokens": 765, "number_output_tokens": 250, "number_input_tokens": 515},
             {"error_code": 429, "error_msg": "Too Many Requests", "inter_token_latency_s": 0, "ttft_s": 0, "end_to_end_latency_s": 0,
              "request_output_throughput_token_per_s": 0, "number_total_tokens": 515, "number_output_tokens": 0, "number_input_tokens": 515}]
            """
        #expect(
            ParsedText.skipReason(requests, "m_512_256_individual_responses.json") == "no benchmark data (\(LLMPerfFormat.individualResponsesReason))"
        )
    }
}
