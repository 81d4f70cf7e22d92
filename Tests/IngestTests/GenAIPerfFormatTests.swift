import Foundation
import Records
import Testing

@testable import Ingest

/// genai-perf's `profile_export_genai_perf.json`: each metric a benchmark
/// of the model under its load and lengths. It was numbers by path, never
/// tested night to night (campaign s36b).
@Suite struct GenAIPerfFormatTests {
    /// A metric's statistics as genai-perf writes a request metric's.
    private func stats(_ unit: String, _ avg: Double, p50: Double, p99: Double) -> String {
        #"{"unit": "\#(unit)", "avg": \#(avg), "p1": \#(avg * 0.5), "p25": \#(avg * 0.8), "p50": \#(p50), "p75": \#(avg * 1.2), "p90": \#(avg * 1.4), "p95": \#(avg * 1.5), "p99": \#(p99), "min": \#(avg * 0.45), "max": \#(avg * 2.5), "std": \#(avg * 0.37)}"#
    }

    /// A streaming chat run at concurrency 16, in the layout of genai-perf 0.0.13 and later.
    private var current: String {
        """
        {
          "request_throughput": {"unit": "requests/sec", "avg": 4.70},
          "request_latency": \(stats("ms", 3398.5, p50: 3391.5, p99: 3642.0)),
          "request_count": {"unit": "count", "avg": 240.0},
          "time_to_first_token": \(stats("ms", 52.7, p50: 47.9, p99: 118.6)),
          "time_to_second_token": \(stats("ms", 13.2, p50: 12.9, p99: 18.3)),
          "inter_token_latency": \(stats("ms", 13.1, p50: 13.07, p99: 14.2)),
          "output_token_throughput": {"unit": "tokens/sec", "avg": 1201.45},
          "output_token_throughput_per_user": \(stats("tokens/sec/user", 76.3, p50: 76.5, p99: 81.0)),
          "output_sequence_length": \(stats("tokens", 256, p50: 256, p99: 256)),
          "input_sequence_length": \(stats("tokens", 512, p50: 512, p99: 512)),
          "input_config": {
            "model_names": ["meta-llama/Llama-3.1-8B-Instruct"],
            "subcommand": "profile",
            "endpoint": {"backend": "tensorrtllm", "type": "chat", "streaming": true, "url": "localhost:8000", "service_kind": "openai"},
            "perf_analyzer": {"path": "perf_analyzer", "stimulus": {"concurrency": 16}, "measurement": {"mode": "request_count", "num": 240}},
            "input": {"batch_size": 1, "output_tokens": {"mean": 256, "deterministic": false, "stddev": 0}, "synthetic_tokens": {"mean": 512, "stddev": 0}, "goodput": ""}
          }
        }
        """
    }

    @Test func eachMetricIsABenchmarkOfTheModelUnderItsLoad() throws {
        let e = try ParsedText.extract(current, "profile_export_genai_perf.json")
        #expect(e.shape == .genaiPerf && e.modelHint == "meta-llama/Llama-3.1-8B-Instruct")
        let settings = ["concurrency=16", "endpoint_type=chat", "input_tokens=512", "output_tokens=256", "streaming=true"]
        #expect(e.measurements.allSatisfy { $0.tool == "genai-perf" && $0.parameters.map { "\($0.name)=\($0.value)" } == settings })
        let rate = try #require(e.measurements.first { $0.name == "meta-llama/Llama-3.1-8B-Instruct output_token_throughput" })
        #expect(rate.mean == 1201.45 && rate.unit == "tok/s" && rate.higherIsBetter && rate.isRegressionTested && rate.count == 240)
        let ttft = try #require(e.measurements.first { $0.name == "meta-llama/Llama-3.1-8B-Instruct TTFT" })
        #expect(ttft.median == 47.9 && ttft.mean == 52.7 && ttft.unit == "ms" && !ttft.higherIsBetter && ttft.isRegressionTested)
        #expect(e.measurements.first { $0.name.hasSuffix(" ITL") }?.isRegressionTested == true)
        #expect(e.measurements.first { $0.name.hasSuffix(" TTFT p99") }.map { $0.mean == 118.6 && !$0.isRegressionTested } == true)
        let tested = e.measurements.filter(\.isRegressionTested).map(\.name).map { $0.split(separator: " ").last ?? "" }
        #expect(tested.sorted() == ["ITL", "TTFT", "output_token_throughput"], "the others move with these: listed")
    }

    /// Releases up to about 0.0.12 wrote `input_config` flat, the model as
    /// a list, and -1 for an output length not asked for: the same settings.
    @Test func theEarlierFlatLayoutKeysTheSameSettings() throws {
        let flat = """
            {"time_to_first_token": \(stats("ms", 40, p50: 38, p99: 90)),
             "output_token_throughput": {"unit": "tokens/sec", "avg": 900},
             "output_token_throughput_per_request": \(stats("tokens/sec", 60, p50: 61, p99: 70)),
             "input_config": {"model": ["gpt2"], "concurrency": 4, "request_rate": null, "endpoint_type": "completions",
                              "streaming": true, "synthetic_input_tokens_mean": 550, "output_tokens_mean": -1}}
            """
        let e = try ParsedText.extract(flat, "profile_export_genai_perf.json")
        #expect(e.shape == .genaiPerf)
        #expect(
            e.measurements.first?.parameters.map { "\($0.name)=\($0.value)" } == [
                "concurrency=4", "endpoint_type=completions", "input_tokens=550", "streaming=true",
            ])
        #expect(e.measurements.contains { $0.name == "gpt2 output_token_throughput_per_user" && $0.unit == "tok/s" })
        // Not genai-perf's without its `input_config`.
        #expect(!GenAIPerfFormat.matches(.object([("time_to_first_token", .object([("avg", .number(1))]))])))
    }

    /// A multi-turn run's load is its session concurrency; an embeddings
    /// run's request latency is tested; Triton's endpoint is `kserve` in
    /// both layouts, so an upgrade keeps one history (review s37c).
    @Test func sessionLoadsEmbeddingsAndTritonKeepTheirHistories() throws {
        func run(_ config: String, metrics: String) throws -> Extraction {
            try ParsedText.extract("{\(metrics), \"input_config\": \(config)}", "profile_export_genai_perf.json")
        }
        let chat = #""time_to_first_token": \#(stats("ms", 40, p50: 38, p99: 90)), "output_token_throughput": {"unit": "tokens/sec", "avg": 900}"#
        let sessions = try run(#"{"model_names": ["m"], "perf_analyzer": {"stimulus": {"session_concurrency": 32}}}"#, metrics: chat)
        #expect(sessions.measurements.first?.parameters == [Parameter("session_concurrency", "32")])
        let embeddings = try run(
            #"{"model_names": ["e5"], "endpoint": {"type": "embeddings"}, "perf_analyzer": {"stimulus": {"concurrency": 8}}}"#,
            metrics: #""request_latency": \#(stats("ms", 20, p50: 19, p99: 40)), "request_throughput": {"unit": "requests/sec", "avg": 380}"#)
        #expect(embeddings.measurements.filter(\.isRegressionTested).map(\.name) == ["e5 request latency"])
        let old = try run(#"{"model": ["llama"], "service_kind": "triton", "endpoint_type": null, "concurrency": 1}"#, metrics: chat)
        let new = try run(
            #"{"model_names": ["llama"], "endpoint": {"service_kind": "triton", "type": "kserve"}, "perf_analyzer": {"stimulus": {"concurrency": 1}}}"#,
            metrics: chat)
        #expect(old.measurements.first?.parameters == new.measurements.first?.parameters)
        #expect(new.measurements.first?.parameters.contains(Parameter("endpoint_type", "kserve")) == true)
        // A figure below zero is no time: left out, and said.
        let negative = try run(
            #"{"model_names": ["m"]}"#, metrics: #""time_to_first_token": \#(stats("ms", 40, p50: 38, p99: -1e308))"#)
        #expect(negative.measurements.allSatisfy { !$0.name.hasSuffix("p99") })
        #expect(negative.notes.contains("time_to_first_token p99 below zero (-1e+308) left out"), "\(negative.notes)")
    }

    /// Its CSV export, beside the JSON, is skipped with that reason: it was
    /// 180 numbers a second time, and its second table "rows with a wrong
    /// field count" (review s37c).
    @Test func theCSVExportIsSkippedForTheJSON() {
        let csv = """
            Metric,avg,min,max,p99,p95,p90,p75,p50,p25,p10,p5,p1\r
            Time To First Token (ms),52.75,23.80,131.52,118.65,94.61,82.17,63.24,47.95,36.22,29.90,27.55,24.32\r
            Request Latency (ms),"3,398.52","3,176.55","3,655.88","3,642.05","3,571.88","3,538.20","3,467.70","3,391.50","3,322.19","3,265.93","3,241.07","3,187.40"\r
            \r
            Metric,Value\r
            Output Token Throughput (tokens/sec),"1,201.45"\r
            Request Throughput (per sec),4.70\r

            """
        #expect(ParsedText.skipReason(csv, "profile_export_genai_perf.csv") == "no benchmark data (\(GenAIPerfFormat.csvExportReason))")
        // Another tool's table with a `Metric` column is still read.
        #expect(ParsedText.skipReason("Metric,avg,min\nlatency,1,2\n", "summary.csv") == nil)
    }

    /// The raw export genai-perf writes beside its figures: each request's
    /// clock readings, which by path were series such as a mean of
    /// nanosecond timestamps (campaign s38h #7).
    @Test func theRawExportIsSkippedForTheFigures() {
        let raw = #"""
            {"service_kind": "openai", "endpoint": "v1/chat/completions", "experiments": [{"experiment": {"mode": "concurrency", "value": 16},
             "requests": [{"timestamp": 1733700123000000000, "request_inputs": {"payload": "{}"},
              "response_timestamps": [1733700123000000000, 1733700123020000000], "response_outputs": [{"response": "data: {}\n\n"}]}],
             "window_boundaries": [1733700123000000000, 1733700124000000000]}], "version": "0.0.9"}
            """#
        #expect(ParsedText.skipReason(Array(raw.utf8), "profile_export.json") == "no benchmark data (\(GenAIPerfFormat.rawExportReason))")
    }
}
