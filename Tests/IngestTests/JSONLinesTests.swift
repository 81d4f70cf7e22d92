import Records
import Testing

@testable import Ingest

/// JSON Lines as tools write them: llama-bench `-o jsonl` (a result a line),
/// `vllm bench serve --append-result` (a `.json` a run longer each time).
@Suite struct JSONLinesTests {
    private func parsed(_ text: String, _ name: String) -> Extraction? { try? ParsedText.extract(text, name) }

    private func skipReason(_ text: String, _ name: String) -> String? { ParsedText.skipReason(text, name) }

    private func llamaBenchResult(_ prompt: Int, _ generated: Int, _ speed: Double) -> String {
        #"{"build_commit": "abc1234", "build_number": 5102, "model_type": "llama 8B Q4_K - Medium", "n_threads": 8, "#
            + #""n_prompt": \#(prompt), "n_gen": \#(generated), "test_time": "2026-11-30T10:00:00Z", "avg_ts": \#(speed), "#
            + #""stddev_ts": 1.5, "samples_ts": [\#(speed - 1), \#(speed + 1)]}"#
    }

    /// `llama-bench -o json >> all.json` run twice: two lists, read as one.
    @Test func jsonListsOneAfterAnotherAreOneList() throws {
        let first = "[\n  " + llamaBenchResult(512, 0, 9000) + ",\n  " + llamaBenchResult(0, 128, 127) + "\n]\n"
        let second = "[\n  " + llamaBenchResult(512, 0, 8000) + ",\n  " + llamaBenchResult(0, 128, 110) + "\n]\n"
        let e = try #require(parsed(first + second, "all.json"))
        #expect(e.shape == .llamaBenchJSON && e.llamaBench.map(\.tokensPerSecond) == [9000, 127, 8000, 110])
        #expect(e.notes.first == "2 JSON documents one after another (output appended to the file with >>?): read as one list")
    }

    /// `llama-bench -o json > bench.json 2>&1`: the backend's log lines
    /// above the list were "malformed JSON at line 1"; they are passed over,
    /// said. A text that starts as no JSON and holds none stays malformed.
    @Test func aToolsLogAboveItsJSONIsPassedOver() throws {
        let log = "ggml_cuda_init: GGML_CUDA_FORCE_MMQ:    no\nggml_cuda_init: found 1 CUDA devices:\n  Device 0: NVIDIA GeForce RTX 4090, VMM: yes\n"
        let list = "[\n  " + llamaBenchResult(512, 0, 9000) + ",\n  " + llamaBenchResult(0, 128, 127) + "\n]\n"
        let e = try #require(parsed(log + list, "bench.json"))
        #expect(e.shape == .llamaBenchJSON && e.llamaBench.map(\.tokensPerSecond) == [9000, 127])
        #expect(e.notes.contains("3 line(s) of a tool's log before the JSON passed over (the first: 'ggml_cuda_init: GGML_CUDA_FORCE_MMQ:    no')"))
        #expect(skipReason("not json at all\nnor here\n", "x.json")?.hasPrefix("malformed JSON at line 1") == true)
        #expect(parsed("true", "t.json") == nil)
    }

    /// The same lists written compact, one a line; and documents each one
    /// tool's result (hyperfine run twice into one file), read as results.
    @Test func listsOneALineAndResultsOneAfterAnother() throws {
        let lines = "[" + llamaBenchResult(512, 0, 9000) + "]\n[" + llamaBenchResult(512, 0, 8000) + "]\n"
        let e = try #require(parsed(lines, "all.json"))
        #expect(e.shape == .llamaBenchJSON && e.llamaBench.map(\.tokensPerSecond) == [9000, 8000])
        #expect(e.notes.first == "2 lists, one a line: read as one list")
        let run = #"{"results": [{"command": "make", "mean": 1.5, "stddev": 0.1, "median": 1.5, "min": 1.4, "max": 1.6, "times": [1.4, 1.5, 1.6]}]}"#
        let twice = try #require(parsed(run.replacingOccurrences(of: ", ", with: ",\n  ") + "\n" + run + "\n", "bench.json"))
        #expect(twice.shape == .hyperfine && twice.measurements.count == 2, "\(twice.notes)")
    }

    /// A run killed while writing its list: the whole results before the cut are read.
    @Test func aListCutOffKeepsItsWholeElements() throws {
        let text = "[\n  " + llamaBenchResult(512, 0, 9000) + ",\n  " + llamaBenchResult(0, 128, 127) + ",\n  {\"build_commit\": \"abc"
        let e = try #require(parsed(text, "bench.json"))
        #expect(e.llamaBench.map(\.test) == ["pp512", "tg128"])
        #expect(e.notes.first?.hasPrefix("the file ends inside its list, at line 4") == true, "\(e.notes)")
        // Cut inside its first element, or not a list: nothing to read, and the reason says so.
        if case .extracted = ContentParser.parse(Array(("[\n  " + llamaBenchResult(512, 0, 9000).dropLast(20)).utf8), fileName: "b.json") {
            Issue.record("a first element cut off is no result")
        }
        if case .extracted = ContentParser.parse(Array(#"{"a": [1, 2"#.utf8), fileName: "c.json") {
            Issue.record("an object cut off is not salvaged")
        }
    }

    /// llama-bench of 2023 lists each repetition's nanoseconds only: its
    /// rates are the test's tokens over them; `-r 1` has no spread to state.
    @Test func llamaBenchRepetitionsFromTheirTimesAndOneRepetitionWithoutSpread() throws {
        let old =
            #"[{"build_commit": "8e672ef", "model_type": "llama 7B mostly Q4_0", "n_prompt": 512, "n_gen": 0, "#
            + #""test_time": "2023-09-01T10:00:00Z", "avg_ns": 256000000, "stddev_ns": 1000000, "avg_ts": 2000.0, "stddev_ts": 7.8, "#
            + #""samples_ns": [256000000, 255000000, 257000000]}]"#
        let e = try #require(parsed(old, "bench.json"))
        let samples = try #require(e.llamaBench.first?.samples)
        #expect(samples.count == 3 && abs(samples[0] - 2000) < 1e-9 && samples[1] > samples[0] && samples[2] < samples[0])
        let once = try #require(
            parsed("[" + llamaBenchResult(512, 0, 9000).replacingOccurrences(of: "[8999.0, 9001.0]", with: "[9000.0]") + "]", "r1.json"))
        #expect(once.llamaBench.first?.samples == [9000] && once.llamaBench.first?.stddevTokensPerSecond == nil)
    }

    @Test func llamaBenchJSONLinesAreItsResults() throws {
        let text = [llamaBenchResult(512, 0, 9099.71), "", llamaBenchResult(0, 128, 127.5)].joined(separator: "\n") + "\n"
        let e = try #require(parsed(text, "llama-bench.jsonl"))
        #expect(e.shape == .llamaBenchJSON)
        #expect(e.llamaBench.map(\.test) == ["pp512", "tg128"])
        #expect(parsed(text, "bench.ndjson")?.llamaBench.count == 2)
    }

    @Test func vllmAppendedResultsInAJSONFileAreEachRead() throws {
        func result(_ rate: String, _ throughput: Double) -> String {
            #"{"backend": "vllm", "model_id": "m", "num_prompts": 20, "request_rate": \#(rate), "completed": 20, "#
                + #""request_throughput": 1.6, "output_throughput": \#(throughput), "mean_ttft_ms": 161.4, "median_ttft_ms": 150.0}"#
        }
        // What --append-result leaves: the first run's object, then "\n" and one more per run.
        let text = result("1", 100) + "\n" + result("4", 350) + "\n" + result("\"inf\"", 500)
        let e = try #require(parsed(text, "sweep-append.json"))
        #expect(e.shape == .vllmServe)
        let rates = Set(e.measurements.compactMap { $0.parameters.first { $0.name == "request_rate" }?.value })
        #expect(rates == ["1", "4", "inf"])
        #expect(e.measurements.filter { $0.name == "m output_throughput" }.compactMap(\.mean) == [100, 350, 500])
        // The same results collected in one list by a sweep script (`json.dump(results, f)`):
        // each its own result, where they were numbers pooled over the rates (campaign s36b #9).
        let list = try #require(
            parsed("[" + [result("1", 100), result("4", 350), result("\"inf\"", 500)].joined(separator: ",") + "]", "sweep.json"))
        #expect(list.shape == .vllmServe && list.series.isEmpty)
        #expect(list.measurements.filter { $0.name == "m output_throughput" }.compactMap(\.mean) == [100, 350, 500])
    }

    /// SGLang's `bench_serving --output-file` appends its result a line a
    /// night: the concurrency achieved and the re-tokenised output count are
    /// results, so one benchmark has one key night after night (keyed on
    /// them, every night was a benchmark of its own and none was tested).
    @Test func sglangResultsAppendedANightALineAreOneBenchmark() throws {
        func night(_ concurrency: Double, _ retokenized: Int, _ throughput: Double) -> String {
            #"{"backend": "sglang", "dataset_name": "random", "request_rate": Infinity, "max_concurrency": 1, "#
                + #""random_input_len": 1024, "random_output_len": 256, "duration": 40.2, "completed": 200, "#
                + #""total_input_tokens": 204800, "total_output_tokens": 51200, "total_output_tokens_retokenized": \#(retokenized), "#
                + #""request_throughput": 0.62, "input_throughput": 5000.0, "output_throughput": \#(throughput), "#
                + #""mean_ttft_ms": 45.1, "median_ttft_ms": 43.2, "p99_ttft_ms": 80.2, "concurrency": \#(concurrency), "accept_length": null}"#
        }
        let text = night(0.97, 51189, 1261.5) + "\n" + night(0.96, 51179, 1248.3) + "\n" + night(0.95, 51201, 980.1) + "\n"
        let e = try #require(parsed(text, "sglang_1207_200_1024_256.jsonl"))
        #expect(e.shape == .vllmServe)
        let throughput = e.measurements.filter { $0.name == "output_throughput" }
        #expect(throughput.compactMap(\.mean) == [1261.5, 1248.3, 980.1])
        #expect(Set(throughput.map(\.parameters)).count == 1, "\(throughput.map(\.parameters))")
        #expect(
            throughput.first?.parameters.contains { ["concurrency", "total_output_tokens_retokenized", "accept_length"].contains($0.name) } == false)
        #expect(Set(e.measurements.map(\.tool)) == ["sglang"])
        // SGLang saves no model: its figures are named alone (its default file name dates each day's file).
        #expect(throughput.first?.name == "output_throughput")
        // After its first night, a file of one line: the same benchmark, not a table of numbers.
        let first = try #require(parsed(night(0.97, 51189, 1261.5) + "\n", "sglang_1207_200_1024_256.jsonl"))
        #expect(first.shape == .vllmServe)
        #expect(first.measurements.filter { $0.name == "output_throughput" }.map(\.parameters) == [throughput.first?.parameters])
        // A time in milliseconds a fork of the script writes is a result, not a setting.
        let fork = try #require(
            parsed(
                night(0.97, 51189, 1261.5).replacingOccurrences(of: "\"accept_length\"", with: "\"max_itl_ms\": 41.5, \"accept_length\""), "f.jsonl"))
        #expect(fork.measurements.allSatisfy { !$0.parameters.contains { $0.name == "max_itl_ms" } })
    }

    @Test func aBrokenLineIsNamedAndTwoPrettyDocumentsAreStillMalformed() {
        #expect(skipReason("{\"a\": 1}\n{\"a\" 1}\n", "x.jsonl")?.hasPrefix("malformed JSON Lines at line 2, column 6") == true)
        // A pretty-printed document followed by another is no JSON Lines: the first error stands.
        let reason = skipReason("{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n", "x.json")
        #expect(reason?.hasPrefix("malformed JSON at line 4, column 1") == true, "\(reason ?? "read")")
        #expect(skipReason("\n\n", "x.jsonl") == "empty file (only whitespace)")
    }

    @Test("a last line cut off mid-value with no newline (a run being appended) is left out with a note, the lines before it read")
    func aLastLineBeingWrittenIsLeftOut() throws {
        let whole = (0..<3).map { #"{"model": "m", "created_at": "2026-11-27T10:00:0\#($0)Z", "eval_count": 94, "eval_duration": 2380853028}"# }
        let text = whole.joined(separator: "\n") + "\n" + #"{"model": "m", "created_at": "2026-11-27T10:00:06Z", "eval_co"#
        let e = try #require(parsed(text, "runs.jsonl"))
        #expect(e.runSets.first?.runs.count == 3)
        #expect(
            e.notes == [
                "the last line (4) ends mid-value with no newline after it and was left out: the file was being written, or was cut off"
            ], "\(e.notes)")
        // Cut off with a newline after it, or before other lines (a run killed as it wrote, the
        // next night appended after it): passed over with a note, the whole lines read (campaign
        // s38h #4: the file, every night of it, was skipped as malformed).
        let ended = try #require(parsed(text + "\n", "runs.jsonl"))
        #expect(ended.runSets.first?.runs.count == 3)
        let killed = try #require(parsed(#"{"model": "m", "eval_co"# + "\n" + whole[0] + "\n" + whole[1], "runs.jsonl"))
        #expect(killed.runSets.first?.runs.count == 2)
        #expect(killed.notes.contains { $0.hasPrefix("1 line(s) cut off mid-value, with lines after them, passed over (the first, line 1)") })
        #expect(
            skipReason(#"{"model": "m", "eval_co"# + "\n" + #"{"a": "# + "\n", "runs.jsonl")?.hasPrefix("JSON Lines whose lines are all cut off")
                == true)
        // A line that is wrong, not cut, stays malformed even at the end.
        #expect(skipReason(whole[0] + "\n" + #"{"model": "m",, "eval_count": 1}"#, "runs.jsonl")?.hasPrefix("malformed JSON Lines at line 2") == true)
    }

    @Test("the limits on what a document may hold apply to all lines together")
    func limitsApplyToTheLinesTogether() {
        // 300 lines of 20,000 numbers: each line far under the limit, all of them over it.
        let line = "[" + Array(repeating: "1", count: 20_000).joined(separator: ",") + "]"
        let text = Array(repeating: line, count: 300).joined(separator: "\n")
        let reason = skipReason(text, "big.jsonl")
        #expect(reason?.contains("more than 4000000 values") == true, "\(reason ?? "read")")
    }

    @Test func numbersTooLargeOnManyLinesMakeOneNoteWithTheFilesLine() throws {
        let text = (1...50).map { #"{"model": "m", "tokens_s": \#($0), "huge": 1e400}"# }.joined(separator: "\n")
        let e = try #require(parsed(text, "big.jsonl"))
        #expect(e.notes.count == 1, "\(e.notes)")
        #expect(e.notes.first?.contains("at line 1, column") == true && e.notes.first?.hasSuffix("; 49 more lines hold such numbers") == true)
        let later = "{\"a\": 1}\n\n{\"a\": 1e400}"
        #expect(parsed(later, "x.jsonl")?.notes.first?.contains("at line 3, column") == true)
    }
}
