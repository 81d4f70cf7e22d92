import Records
import Testing

@testable import Ingest

/// `vllm bench serve ... | tee serve.log`: the console output was "no
/// benchmark data", and a serving benchmark's figures were lost unless it
/// was run with `--save-result`.
@Suite struct VLLMConsoleTests {
    private let arguments =
        "Namespace(subparser='bench', bench_type='serve', backend='vllm', base_url=None, host='127.0.0.1', port=8000, "
        + "endpoint='/v1/completions', dataset_name='random', dataset_path=None, max_concurrency=None, "
        + "model='Qwen/Qwen2.5-0.5B-Instruct', tokenizer=None, num_prompts=100, request_rate=inf, burstiness=1.0, "
        + "seed=0, metadata=None, label=None, percentile_metrics='ttft,tpot,itl', metric_percentiles='99', "
        + "goodput=None, extra_body={'top_k': 1, 'stop': [',', ')']}, disable_tqdm=False)"

    private func block(completed: Int = 98, failed: Int = 2, output: String = "512.00", concurrency: String? = nil) -> String {
        """
        Starting initial single prompt test run...
        Initial test run completed. Starting main benchmark run...
        Traffic request rate: inf
        Burstiness factor: 1.0 (Poisson process)
        Maximum request concurrency: \(concurrency ?? "None")
        100%|██████████| 100/100 [00:23<00:00,  4.20it/s]
        ============ Serving Benchmark Result ============
        Successful requests:                     \(completed)
        Failed requests:                         \(failed)
        Benchmark duration (s):                  23.33
        Total input tokens:                      102400
        Total generated tokens:                  11944
        Request throughput (req/s):              4.20
        Output token throughput (tok/s):         \(output)
        Peak output token throughput (tok/s):    1024.00
        Peak concurrent requests:                100.00
        Total Token throughput (tok/s):          4900.00
        ---------------Time to First Token----------------
        Mean TTFT (ms):                          40.00
        Median TTFT (ms):                        35.00
        P99 TTFT (ms):                           90.00
        -----Time per Output Token (excl. 1st token)------
        Mean TPOT (ms):                          9.00
        Median TPOT (ms):                        8.50
        P99 TPOT (ms):                           14.00
        ---------------Inter-token Latency----------------
        Mean ITL (ms):                           9.10
        Median ITL (ms):                         8.40
        P99 ITL (ms):                            30.00
        ==================================================

        """
    }

    /// What `--save-result` writes for the same run.
    private let saved = """
        {"date": "20261116-020000", "endpoint_type": "vllm", "backend": "vllm", "label": null,
         "model_id": "Qwen/Qwen2.5-0.5B-Instruct", "tokenizer_id": "Qwen/Qwen2.5-0.5B-Instruct", "num_prompts": 100,
         "request_rate": "inf", "burstiness": 1.0, "max_concurrency": null, "duration": 23.33, "completed": 98, "failed": 2,
         "total_input_tokens": 102400, "total_output_tokens": 11944, "request_throughput": 4.2,
         "output_throughput": 512.0, "max_output_tokens_per_s": 1024.0, "max_concurrent_requests": 100.0,
         "total_token_throughput": 4900.0, "mean_ttft_ms": 40.0, "median_ttft_ms": 35.0, "p99_ttft_ms": 90.0,
         "mean_tpot_ms": 9.0, "median_tpot_ms": 8.5, "p99_tpot_ms": 14.0, "mean_itl_ms": 9.1, "median_itl_ms": 8.4,
         "p99_itl_ms": 30.0, "errors": ["", "Server disconnected"]}
        """

    /// The printed block is read as the saved result: the same benchmarks,
    /// settings, figures and failures, so the two keep one history.
    @Test func theConsoleBlockGivesTheSavedResultsBenchmarks() throws {
        let console = try ParsedText.extract(
            "INFO 11-16 02:00:00 [__init__.py:239] Automatically detected platform cuda.\n" + arguments + "\n" + block(), "serve.log")
        let json = try ParsedText.extract(saved, "serve.json")
        #expect(console.shape == .vllmServeText && json.shape == .vllmServe)
        func described(_ e: Extraction) -> [String] {
            e.measurements.map {
                "\($0.name) \($0.parameters.map { "\($0.name)=\($0.value)" }) \($0.unit) \($0.mean ?? .nan) \($0.median ?? .nan) "
                    + "\($0.count ?? -1) \($0.isRegressionTested) \($0.failedRuns)"
            }
        }
        #expect(described(console) == described(json))
        #expect(console.measurements.map(\.name).contains("Qwen/Qwen2.5-0.5B-Instruct TTFT p99"))
        #expect(console.measurements.first?.parameters.map(\.name) == ["backend", "num_prompts", "request_rate", "tokenizer_id"])
        #expect(console.measurements.first?.failure == "request did not complete", "the console lists no request's error")
        #expect(console.notes == ["2 of 100 requests did not complete"])
        #expect(console.measuredAt == nil, "the output has no date: the file's time dates it")
    }

    /// A sweep in one log (`for c in 1 8; do vllm bench serve --max-concurrency $c; done`):
    /// each block a result, keyed by the concurrency printed before it.
    @Test func eachBlockIsAResultOfItsOwnSettings() throws {
        let text = arguments + "\n" + block(output: "100.00", concurrency: "1") + arguments + "\n" + block(output: "700.00", concurrency: "8")
        let e = try ParsedText.extract(text, "sweep.log")
        let output = e.measurements.filter { $0.name.hasSuffix("output_throughput") }
        #expect(output.map(\.mean) == [100, 700])
        #expect(output.map { $0.parameters.first { $0.name == "max_concurrency" }?.value } == ["1", "8"])
        #expect(e.notes == ["result 1: 2 of 100 requests did not complete", "result 2: 2 of 100 requests did not complete"])
    }

    /// Without the printed arguments the model is the file's name; a block
    /// cut off by the end of the file keeps what it printed; a colour code
    /// and a redrawn progress bar are read past.
    @Test func aBareBlockIsNamedAfterItsFile() throws {
        let bare = block().replacingOccurrences(of: "==================================================\n", with: "")
        let e = try ParsedText.extract("\u{1B}[1m" + bare, "qwen-night.txt")
        #expect(e.measurements.first?.name == "qwen-night request_throughput")
        #expect(e.measurements.contains { $0.name == "qwen-night ITL" && $0.median == 8.4 })
    }

    /// `docker compose logs bench > bench.log`: each line behind its
    /// service's name (`vllm-1  | `, compose v1's `bench_vllm_1 | `, a
    /// timestamp with `-t`) reads as the console did; a table's first cell
    /// (`Model | Size`) is no service.
    @Test func aComposeLogIsReadPastItsServicePrefix() throws {
        let plain = try ParsedText.extract(arguments + "\n" + block(), "serve.log")
        func prefixed(_ text: String, _ prefix: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : prefix + $0 }.joined(separator: "\n")
        }
        // Compose run in a GitHub Actions step: the CI's time before the name.
        for prefix in [
            "vllm-1  | ", "bench_vllm_1 | ", "vllm-1  | 2026-11-16T02:00:00.123456789Z ", "2026-12-04T02:00:01.1234567Z vllm-1  | ",
            "2026-12-04T02:00:01.1234567Z vllm-1  | 2026-11-16T02:00:00.123456789Z ",
        ] {
            let logged = try ParsedText.extract(prefixed(arguments + "\n" + block(), prefix), "bench.log")
            #expect(logged.measurements == plain.measurements, "\(prefix)")
        }
        // The server's lines before the benchmark's: read past as well.
        let server = (0..<4).map { "vllm-1   | INFO 11-16 02:00:0\($0) [api_server.py] 200 OK" }
        let lines = server + (arguments + "\n" + block()).split(separator: "\n").map { "bench-1  | " + $0 }
        #expect(try ParsedText.extract(lines.joined(separator: "\n") + "\n", "bench.log").measurements == plain.measurements)
        #expect(ComposeLogPrefix.stripped(Array("Model | Size\nqwen | 0.5B\nllama | 8B\n".utf8)[...]) == nil)
        #expect(
            ComposeLogPrefix.prefix(of: Array("vllm-1 |".utf8)[...])?.end == 8 && ComposeLogPrefix.prefix(of: Array("vllm- | x".utf8)[...]) == nil)
        // Docker's times are in UTC: one without its zone, or with an offset, is the line's own text.
        for text in ["2026-11-16T02:00:00 text", "2026-11-16T02:00:00+00:00", "2026-11-16T02:00:00-05:00 text"] {
            #expect(ComposeLogPrefix.prefix(of: Array(("vllm-1  | " + text).utf8)[...])?.end == 10, "\(text)")
        }
        #expect(ConsoleLines.timestampEnd(Array("2026-11-16T02:00:00.5Z".utf8)[...], from: 0) == 22)
        // A board's clock before NTP: still `-t`'s time.
        #expect(ConsoleLines.timestampEnd(Array("1970-01-01T00:00:12.123456789Z x".utf8)[...], from: 0) == 31)
        #expect(ConsoleLines.timestampEnd(Array("2026-11-16T02:00:00Zx".utf8)[...], from: 0) == nil)
        #expect(ConsoleLines.timestampEnd(Array("2026-11-16 02:00:00Z text".utf8)[...], from: 0) == nil)
        #expect(
            ConsoleLines.escapeEnd(Array("\u{1B}[1;36mx".utf8)[...], at: 0) == 7 && ConsoleLines.escapeEnd(Array("\u{1B}[".utf8)[...], at: 0) == 2)
        // Compose's colours around the name (`--ansi always`, a `script` capture).
        let coloured = try ParsedText.extract(prefixed(arguments + "\n" + block(), "\u{1B}[36mvllm-1  | \u{1B}[0m"), "bench.log")
        #expect(coloured.measurements == plain.measurements)
    }

    /// `docker compose up ... | tee bench.log`: compose's own lines around
    /// the containers' (its progress, `Attaching to`, `exited with code`)
    /// are neither a container's text nor counted against the prefixes.
    @Test func composeUpsOwnLinesAreLeftOut() throws {
        let plain = try ParsedText.extract(arguments + "\n" + block(), "serve.log")
        let containers = (arguments + "\n" + block()).split(separator: "\n").map { "bench-1  | " + $0 }
        let status = [
            "[+] Running 3/3", " \u{2714} Network bench_default      Created                0.1s",
            " \u{2714} Container bench-vllm-1     Created                0.1s", " \u{2714} Container bench-bench-1    Created                0.1s",
            " \u{283F} Container bench-bench-1    Started                0.4s", "Attaching to bench-1, vllm-1",
        ]
        let end = [
            "bench-1 exited with code 0", "Aborting on container exit...", "[+] Stopping 1/1",
            " \u{2714} Container bench-vllm-1  Stopped               10.2s", "Gracefully stopping... (press Ctrl+C again to force)",
            "Stopping bench_vllm_1 ... done", "Removing bench_bench_1 ... ",
        ]
        let logged = (status + ["vllm-1   | INFO 11-16 02:00:00 [api_server.py] ready"] + containers + end).joined(separator: "\n") + "\n"
        #expect(Double(containers.count + 1) / Double(containers.count + 1 + status.count + end.count) < 0.8)
        #expect(try ParsedText.extract(logged, "bench.log").measurements == plain.measurements)
        let unmarked = status.map { $0.replacingOccurrences(of: "\u{2714} ", with: "").replacingOccurrences(of: "\u{283F} ", with: "") }
        let piped = (unmarked + containers + ["\r\u{1B}[Kbench-1 exited with code 0"] + end.dropFirst()).joined(separator: "\n") + "\n"
        #expect(try ParsedText.extract(piped, "bench.log").measurements == plain.measurements)
        // Lines that only look like compose's stay the text's.
        for line in ["Creating index ... done", "Starting benchmark ...", "bench exited with code 0", "[+]", "\u{2714} all tests passed"] {
            #expect(!ComposeLogPrefix.isComposeOwnLine(Array(line.utf8)[...]), "\(line)")
        }
        #expect(ComposeLogPrefix.isComposeOwnLine(Array("\u{1B}[32mvllm-1 exited with code 137\r".utf8)[...]))
        // Compose's output to no terminal: no marks, and the exit line rewritten in place.
        for line in [" Container bench-vllm-1  Started", " Network bench_default  Created", "\r\u{1B}[Kbench-1 exited with code 0"] {
            #expect(ComposeLogPrefix.isComposeOwnLine(Array(line.utf8)[...]), "\(line)")
        }
        #expect(!ComposeLogPrefix.isComposeOwnLine(Array(" Container images pulled: 3".utf8)[...]))
    }

    /// llama-bench's table logged by compose with `-t`: each line's time is
    /// the prefix's, not the table's (the table reader saw a time before every row).
    @Test func aComposeLogsTableWithTimesIsReadAsTheTable() throws {
        let table = """
            | model                          |       size |     params | backend    | ngl |          test |                  t/s |
            | ------------------------------ | ---------: | ---------: | ---------- | --: | ------------: | -------------------: |
            | llama 7B Q4_0                  |   3.56 GiB |     6.74 B | CUDA       |  99 |         pp512 |      4120.35 ± 21.08 |
            | llama 7B Q4_0                  |   3.56 GiB |     6.74 B | CUDA       |  99 |         tg128 |        143.25 ± 0.39 |

            build: 8e672efe (3061)

            """
        let logged = table.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { "bench-1  | 2026-11-16T02:00:0\($0.offset % 10).123456789Z " + $0.element }.joined(separator: "\n")
        let plain = try ParsedText.extract(table, "bench.txt")
        let read = try ParsedText.extract(logged, "bench.log")
        #expect(read.shape == .llamaBenchMarkdown && read.llamaBench == plain.llamaBench && read.llamaBench.count == 2)
    }

    /// Services interleaved line by line are read apart: two clients' results
    /// each under their own model and figures, and a server's arguments
    /// between a client's and its results never name the client's model.
    @Test func aComposeLogKeepsEachServicesLinesTogether() throws {
        let llama = (arguments + "\n" + block()).split(separator: "\n").map { "bench-1  | " + $0 }
        let qwen =
            (arguments.replacingOccurrences(of: "Qwen/Qwen2.5-0.5B-Instruct", with: "meta-llama/Llama-3.1-8B")
            + "\n" + block(output: "1024.00")).split(separator: "\n").map { "bench-2  | " + $0 }
        let alternating = zip(llama, qwen).flatMap { [$0, $1] }.joined(separator: "\n") + "\n"
        let both = try ParsedText.extract(alternating, "bench.log")
        let output = both.measurements.filter { $0.name.hasSuffix("output_throughput") }
        #expect(output.map(\.name) == ["Qwen/Qwen2.5-0.5B-Instruct output_throughput", "meta-llama/Llama-3.1-8B output_throughput"])
        #expect(output.map(\.mean) == [512, 1024])

        let server = "vllm-1    | INFO args: Namespace(host=None, port=8000, model='/models/served', max_model_len=4096)"
        let between = [llama[0], server] + llama.dropFirst()
        let named = try ParsedText.extract(between.joined(separator: "\n") + "\n", "bench.log")
        #expect(named.measurements.allSatisfy { $0.name.hasPrefix("Qwen/Qwen2.5-0.5B-Instruct ") } && !named.measurements.isEmpty)
    }

    /// No request completed: one failed benchmark, never zeros as figures.
    @Test func aRunWithNoCompletedRequestFails() throws {
        let e = try ParsedText.extract(arguments + "\n" + block(completed: 0, failed: 100, output: "0.00"), "down.log")
        #expect(e.measurements.count == 1)
        #expect(e.measurements.first?.failure == "request did not complete")
        #expect(e.measurements.first?.failedRuns == 100)
    }

    /// A heading alone (a run that died before its figures), or a log that
    /// only mentions it, is no benchmark, with the usual reason.
    @Test func aHeadingWithoutFiguresIsNoBenchmark() {
        let reason = ParsedText.skipReason("Traffic request rate: inf\n============ Serving Benchmark Result ============\nKilled\n", "x.log")
        #expect(reason?.hasPrefix("no benchmark data (text without") == true, "\(reason ?? "read")")
    }

    /// Python's quoting in the printed arguments: a comma or quote inside a
    /// string, a list, a dict, `None`, `inf`, `True`.
    @Test func printedArgumentsAreSplitAsPythonWroteThem() throws {
        let fields = PythonArguments.fields(#"a='x, y', b=None, c=[1, (2, 3)], d={'k': 'v,w'}, e="it's", f=inf, g=True"#[...])
        #expect(fields.map(String.init) == [#"a='x, y'"#, "b=None", "c=[1, (2, 3)]", #"d={'k': 'v,w'}"#, #"e="it's""#, "f=inf", "g=True"])
        #expect(PythonArguments.value(#"'a\'b'"#[...]) == .string("a'b"))
        #expect(PythonArguments.value("None"[...]) == .null && PythonArguments.value("inf"[...]) == .string("inf"))
        let saved = try #require(VLLMServeFormat.printedArguments(arguments))
        #expect(saved.map(\.key) == ["backend", "label", "model_id", "tokenizer_id", "num_prompts", "request_rate", "burstiness", "max_concurrency"])
    }

    /// A log appended to run after run (`tee -a`) dates none of its results:
    /// a benchmark's last one is read (the earlier ones are the file's earlier
    /// versions', each dated when it was read), and said; re-dated to the
    /// file's time each night, an old slow run opened a regression every night.
    @Test func anAppendedLogReadsEachBenchmarksLastResult() throws {
        let text = (["1213.60", "970.90", "1214.00"].map { arguments + "\n" + block(output: $0) }).joined()
        let e = try ParsedText.extract(text, "serve.log")
        #expect(e.measurements.filter { $0.name.hasSuffix(" output_throughput") }.map(\.mean) == [1214])
        #expect(e.notes.first?.hasPrefix("2 earlier results of the same benchmark in this log left out") == true, "\(e.notes)")
    }

    /// `model=None` (the server's first model): the model the next line names;
    /// and a run's own arguments, never an earlier run's. `--metadata` pairs
    /// are settings, as in the saved result.
    @Test func aFetchedModelAndMetadataAreTheRunsOwn() throws {
        let fetched = """
            Namespace(backend='openai-chat', model=None, tokenizer=None, num_prompts=200, request_rate=inf, metadata=['tp=2', 'version=0.11.0'])
            Model not specified, fetching first model from server...
            Using model: Qwen/Qwen2.5-72B-Instruct

            """
        let text = arguments + "\n" + block() + fetched + block(completed: 200, failed: 0)
        let e = try ParsedText.extract(text, "serve.log")
        let second = try #require(e.measurements.last { $0.name.hasSuffix(" output_throughput") })
        #expect(second.name == "Qwen/Qwen2.5-72B-Instruct output_throughput", "\(second.name)")
        let settings = Dictionary(uniqueKeysWithValues: second.parameters.map { ($0.name, $0.value) })
        #expect(settings["num_prompts"] == "200" && settings["backend"] == "openai-chat" && settings["tp"] == "2", "\(settings)")
        #expect(settings["version"] == "0.11.0" && settings["tokenizer_id"] == "Qwen/Qwen2.5-72B-Instruct")
        #expect(!e.notes.contains { $0.contains("did not complete") && $0.hasPrefix("result 2") }, "\(e.notes)")
        #expect(VLLMServeFormat.fetchedModel("First model name: qwen, first model id: Qwen/Qwen3-8B") == "Qwen/Qwen3-8B")
        #expect(PythonArguments.strings("['a=1', \"b=2\"]"[...]) == ["a=1", "b=2"] && PythonArguments.strings("None"[...]) == nil)
    }

    /// SGLang's `bench_serving` prints the same block, its backend, rate and
    /// concurrency inside it and its end-to-end latency by another name.
    @Test func sglangsBlockKeepsItsSettingsAndLatency() throws {
        func run(_ rate: String, _ output: String) -> String {
            """
            ============ Serving Benchmark Result ============
            Backend:                                 sglang
            Traffic request rate:                    \(rate)
            Max request concurrency:                 not set
            Successful requests:                     100
            Benchmark duration (s):                  20.00
            Request throughput (req/s):              5.00
            Output token throughput (tok/s):         \(output)
            ----------------End-to-End Latency----------------
            Mean E2E Latency (ms):                   900.00
            Median E2E Latency (ms):                 850.00
            ---------------Time to First Token----------------
            Mean TTFT (ms):                          40.00
            Median TTFT (ms):                        35.00
            ==================================================

            """
        }
        let e = try ParsedText.extract(run("4.0", "120.5") + run("16.0", "480.5"), "sglang_sweep.log")
        let output = e.measurements.filter { $0.name.hasSuffix(" output_throughput") }
        #expect(output.map(\.mean) == [120.5, 480.5] && output.allSatisfy { $0.tool == "sglang" })
        #expect(output.map { $0.parameters.first { $0.name == "request_rate" }?.value } == ["4", "16"])
        #expect(e.measurements.contains { $0.name == "sglang_sweep E2EL" && $0.median == 850 }, "\(e.measurements.map(\.name))")
    }

    /// A run kept with `journalctl -u vllm-bench > bench.log`: the journal's
    /// month, day, time, host and identifier before each line are read past.
    @Test func aJournalCaptureReadsAsTheOutput() throws {
        let plain = arguments + "\n" + block()
        let captured = plain.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            (index % 2 == 0 ? "Nov 16 02:00:01 gpu01 vllm-bench[41234]: " : "Nov  6 12:30:59 gpu01 python3[7]: ") + line
        }.joined(separator: "\n")
        let journal = try ParsedText.extract(captured, "bench.log")
        let direct = try ParsedText.extract(plain, "bench.log")
        #expect(
            journal.measurements.map(\.name) == direct.measurements.map(\.name) && journal.measurements.map(\.mean) == direct.measurements.map(\.mean)
        )
        #expect(ConsoleLines.withoutJournalPrefix("May 12 10:00:00 was when we met") == "May 12 10:00:00 was when we met")
        #expect(ConsoleLines.withoutJournalPrefix("Dec 24 23:59:59 host kernel: Out of memory") == "Out of memory")
    }

    /// A figure printed as no finite number (`1e309`, `nan`) is left out and said, never silently.
    @Test func aFigureThatIsNoNumberIsSaid() throws {
        let text =
            arguments + "\n"
            + block(output: "1e309").replacingOccurrences(
                of: "P99 ITL (ms):                            30.00", with: "P99 ITL (ms):                            nan")
        let e = try ParsedText.extract(text, "serve.log")
        #expect(!e.measurements.contains { $0.name.hasSuffix(" output_throughput") })
        #expect(
            e.notes.contains("2 figures without a finite number left out (the first: 'Output token throughput (tok/s):         1e309')"), "\(e.notes)"
        )
    }

    /// Saved results as Python's json writes them: a mean of NaN (vLLM
    /// writes no number where it has none) lost the whole TTFT benchmark,
    /// median and all; a negative latency was charted and tested as measured.
    @Test func aSavedFigureBelowZeroIsLeftOutAndANaNMeanLeavesTheMedian() throws {
        let json = """
            {"date": "20261201-010203", "backend": "vllm", "model_id": "m", "num_prompts": 100, "completed": 100,
             "request_throughput": 3.3, "output_throughput": -512.0, "mean_ttft_ms": NaN, "median_ttft_ms": 40.0,
             "std_ttft_ms": 3.0, "p99_ttft_ms": 80.0, "mean_tpot_ms": -12.5, "median_tpot_ms": 12.0, "p99_tpot_ms": -1.0,
             "mean_itl_ms": -0.0, "median_itl_ms": 11.0, "p99_itl_ms": -0.0}
            """
        let e = try ParsedText.extract(json, "serve.json")
        let names = e.measurements.map(\.name)
        let ttft = try #require(e.measurements.first { $0.name == "m TTFT" })
        #expect(ttft.mean == nil && ttft.median == 40 && ttft.isRegressionTested)
        #expect(!names.contains("m output_throughput") && names.contains("m request_throughput"))
        let tpot = try #require(e.measurements.first { $0.name == "m TPOT" })
        #expect(tpot.mean == nil && tpot.median == 12)
        #expect(!names.contains("m TPOT p99") && names.contains("m TTFT p99"))
        // A -0 is a zero, not a figure below zero.
        let itl = try #require(e.measurements.first { $0.name == "m ITL" })
        #expect(itl.mean == 0 && itl.mean?.sign == .plus && itl.median == 11)
        #expect(e.measurements.first { $0.name == "m ITL p99" }?.mean?.sign == .plus)
        #expect(e.notes.contains { $0.contains("NaN or Infinity was read as no value") }, "\(e.notes)")
        for key in ["output_throughput is -512", "mean_tpot_ms is -12.5", "p99_tpot_ms is -1"] {
            #expect(e.notes.contains { $0.hasPrefix(key) && $0.hasSuffix("below zero as no count, time or rate can be: left out") }, "\(e.notes)")
        }
    }

    /// A figure written as text that is no finite number (`"NaN"`, `"inf"`,
    /// `"n/a"`) is left out and said, as a bare NaN is; one that reads as a
    /// number (`"12.5"`) counts.
    @Test func aFigureWrittenAsTextThatIsNoNumberIsSaid() throws {
        let json = """
            {"date": "20261201-010203", "backend": "vllm", "model_id": "m", "num_prompts": 100, "completed": 100,
             "request_throughput": "3.5", "output_throughput": "NaN", "mean_ttft_ms": "inf", "median_ttft_ms": 40.0,
             "mean_tpot_ms": "n/a", "median_tpot_ms": 12.0}
            """
        let e = try ParsedText.extract(json, "serve.json")
        #expect(e.measurements.first { $0.name == "m request_throughput" }?.mean == 3.5)
        #expect(!e.measurements.contains { $0.name == "m output_throughput" })
        #expect(e.measurements.first { $0.name == "m TTFT" }?.median == 40)
        for key in ["output_throughput is left out: 'NaN'", "mean_ttft_ms is left out: 'inf'", "mean_tpot_ms is left out: 'n/a'"] {
            #expect(e.notes.contains { $0.hasPrefix(key) && $0.hasSuffix("is no finite number") }, "\(e.notes)")
        }
    }

    /// From a hostile-input campaign: a latency whose mean and median were
    /// both left out took its p99 and spread with it silently, and a
    /// negative count of requests was shown as each figure's count.
    @Test func aTailWithoutItsLatencyIsSaidAndANegativeCountIsLeftOut() throws {
        let json = """
            {"date": "20261201-010203", "backend": "vllm", "model_id": "m", "num_prompts": 100, "completed": -1, "failed": -5,
             "output_throughput": 512.0, "mean_ttft_ms": -40.0, "median_ttft_ms": -39.0, "p99_ttft_ms": 80.0, "std_ttft_ms": 4.0,
             "mean_tpot_ms": 12.0, "median_tpot_ms": 11.0, "p99_tpot_ms": -20.0}
            """
        let e = try ParsedText.extract(json, "serve.json")
        let names = e.measurements.map(\.name)
        #expect(names == ["m output_throughput", "m TPOT"], "\(names)")
        #expect(e.measurements.allSatisfy { $0.count == nil && $0.failedRuns == 0 }, "\(e.measurements)")
        for said in [
            "completed is -1", "failed is -5", "mean_ttft_ms is -40", "median_ttft_ms is -39", "p99_tpot_ms is -20",
            "std_ttft_ms is left out: no mean or median of the latency beside it",
            "p99_ttft_ms is left out: no mean or median of the latency beside it",
        ] {
            #expect(e.notes.contains { $0.hasPrefix(said) }, "\(said): \(e.notes)")
        }
        #expect(!e.notes.contains { $0.contains("requests did not complete") }, "\(e.notes)")
    }
}
