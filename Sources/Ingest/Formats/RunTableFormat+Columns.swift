/// What a run table's columns are, by name: measurements read per run, the
/// run's identity, and settings (everything else) that split groups.
extension RunTableFormat {
    /// Decode throughput in tokens per second, in order of preference: the
    /// names harnesses give it (`tok/s`, llama.cpp's `t/s`, `gen_tps`, Ollama's
    /// `eval rate`). Never a bare `throughput`, which may count requests or
    /// images: a run table's figure must be tokens.
    static let throughputColumns = [
        "tokens_s", "tokens_per_second", "tok_s", "eval_rate", "tps", "tok/s", "t/s", "tokens/s", "tokens/sec", "tok/sec",
        "tokens_per_sec", "tokens_sec", "tokens_per_s", "tok_per_s", "tok_per_sec", "toks_s", "toks/s",
        "throughput_tok_s", "throughput_tokens_s", "output_tokens_per_second", "output_tok_s", "output_throughput", "token_throughput",
        "gen_tps", "decode_tps", "generation_tps", "eval rate (tokens/s)", "eval_rate_tokens_s", "eval_rate_tok_s",
        "output_tokens_per_s", "output_tokens_per_sec", "output_tok_per_s", "output_tok_per_sec", "completion_tokens_per_second",
        "generation_tokens_per_second", "decode_tokens_per_second",
    ]
    /// TTFT in seconds. A name without a unit (`ttft`) comes last, after
    /// every name with one: it is read in seconds, or in milliseconds when
    /// its values are (`RunTableFormat.unitlessTTFTScale`), and the file's
    /// note says which.
    static let ttftColumns = ["ttft_s", "time_to_first_token_s", "ttft_sec", "ttft_secs", "ttft_seconds", "ttft (s)"]
    static let unitlessTTFTColumns = ["ttft", "time_to_first_token"]
    /// TTFT in milliseconds, microseconds and nanoseconds, read as seconds
    /// when no column gives seconds.
    static let ttftMillisecondColumns = ["ttft_ms", "time_to_first_token_ms", "first_token_ms", "ttft (ms)", "ttft_millis"]
    static let ttftMicrosecondColumns = ["ttft_us", "time_to_first_token_us", "ttft (us)", "ttft (µs)"]
    static let ttftNanosecondColumns = ["ttft_ns", "time_to_first_token_ns"]
    static var anyTTFTColumns: [String] {
        ttftColumns + ttftMillisecondColumns + ttftMicrosecondColumns + ttftNanosecondColumns + unitlessTTFTColumns
    }

    /// When each run was measured, in order of preference (`created_at` is
    /// Ollama's own field).
    /// When each run ran; `created` (an OpenAI-compatible reply's Unix
    /// time) last, as the other names say a time more surely.
    static let timeColumns = ["timestamp", "started_at", "start_time", "created_at", "datetime", "time", "date", "created"]

    /// Ollama's API fields, in nanoseconds: what its `/api/generate` reply
    /// holds and what a script that saves it writes.
    static let nanosecondColumns = (load: "load_duration", promptEval: "prompt_eval_duration", eval: "eval_duration")
    /// The same durations in milliseconds, as a script that converts them names them.
    static let millisecondColumns = (
        load: ["load_duration_ms", "load_ms"], promptEval: ["prompt_eval_duration_ms", "prompt_eval_ms"],
        eval: ["eval_duration_ms", "eval_ms"]
    )

    static let measurementColumns: Set<String> = [
        "ttft_s", "time_to_first_token_s", "ttft_ms", "time_to_first_token_ms", "tokens_s", "tokens_per_second", "tok_s",
        "eval_rate", "tps", "load_s", "prompt_eval_s", "eval_s", "prompt_eval_count", "eval_count", "total_tokens",
        "response_chars", "total_s", "total_duration_s", "wall_s", "latency_s", "duration_s", "total_duration",
        "load_duration", "prompt_eval_duration", "eval_duration",
        // Readings named without a unit, as scripts name them.
        "latency", "duration", "elapsed", "total_time", "wall_time", "wall_clock", "response_time", "time_to_first_token",
        "ttft", "tpot", "itl", "throughput", "prompt_eval_rate", "tokens", "memory", "rss", "max_rss", "peak_rss", "power",
        "energy",
    ]
    /// Compared with `ColumnName.canonical` names: `Unnamed: 0` is `unnamed:_0`.
    static let identityColumns: Set<String> = Set(identityColumnNames.map(ColumnName.canonical))
    private static let identityColumnNames: [String] = [
        "timestamp", "time", "datetime", "date", "created_at", "started_at", "start_time", "prompt", "prompt_text",
        "prompt_index", "prompt_id", "run", "run_index", "run_id", "iteration", "repeat", "id", "response",
        "response_text", "done", "done_reason",
        // What each run was asked or answered, and run counters, by their usual names.
        "question", "query", "answer", "completion", "generated_text", "reply", "output_text", "repetition", "trial", "attempt",
        "rep", "run_number", "request_id", "uuid",
        // Ollama's /api/chat reply: its message object.
        "message",
        // An OpenAI-compatible reply saved whole: its kind, the answers, the
        // backend's build fingerprint and its creation time (each request's).
        "object", "choices", "system_fingerprint", "created",
        // Row numbers: pandas' index (written with no name, read back as
        // `Unnamed: 0`) and a spreadsheet's `#`.
        "", "unnamed: 0", "index", "#", "idx", "row",
        // A row's, a record's or a request's number in the file (`row_id`):
        // each run's place, never a setting; read as one, every run was a
        // group of its own and no night was tested.
        "row_id", "rowid", "row_index", "row_idx", "row_num", "row_number", "row_no", "record_id", "record_index", "record_no",
        "request_index", "request_idx", "request_no",
    ]
    /// Name endings of a per-run measurement (a duration, a size): such a
    /// column is read per run, never a setting that splits groups, or every
    /// run would be a group of its own.
    static let measurementSuffixes = [
        "_duration", "_ms", "_ns", "_us", "_s", "_sec", "_secs", "_seconds", "_chars", "_bytes", "_per_second",
        // Memory, power, energy, load and heat read during the run.
        "_kb", "_mb", "_gb", "_kib", "_mib", "_gib", "_w", "_watts", "_j", "_joules", "_pct", "_percent", "_temp_c", "_celsius",
        // Utilisation a monitor samples beside each run (`gpu_util`, `vram_used`);
        // not any `_used` (`device_used: cuda` is a setting).
        "_util", "_utilization", "_utilisation", "_usage", "mem_used", "memory_used", "vram_used",
        // The same without a unit (`e2e_latency`, `wall_time`, `gpu_temp`, `peak_memory`).
        "_time", "_latency", "_throughput", "_temp", "_power", "_energy", "_rss", "_memory",
        // Rates and minutes, as `ColumnName` spells a unit in brackets (`Requests (req/s)`, `Build (min)`).
        "/s", "/sec", "_min",
        // Other token rates and times per token (`prompt_tps`, `ms/tok`, `TPOT (ms/tok)`, `s_per_token`).
        "_tps", "/tok", "/token", "_per_token", "_per_tok", "tpot", "_itl",
    ]
    /// Token counts of each run (a request's limit, `max_tokens`, is a setting).
    static let perRunTokenCounts: Set<String> = [
        "prompt_tokens", "completion_tokens", "output_tokens", "input_tokens", "generated_tokens", "num_tokens",
    ]

    /// Words that make a column with a unit a setting (`power_limit_w`, `timeout_s`, `max_memory_mb`).
    static let settingWords = [
        "limit", "max_", "min_", "timeout", "target", "keep_alive", "warmup", "budget", "interval", "cap_", "request_rate", "arrival_rate", "qps",
    ]

    /// Whether a column named `name` (`ColumnName.canonical`) is read per
    /// run: a figure's usual name, a token rate (`decode tok/s`), or a unit's ending.
    static func isMeasurement(_ name: String) -> Bool {
        if canonicalMeasurementNames.contains(name) || ColumnName.endsAsTokenRate(name) { return true }
        return measurementSuffixes.contains { name.hasSuffix($0) } && !settingWords.contains { name.contains($0) }
    }

    private static let canonicalMeasurementNames = Set(
        (Array(measurementColumns) + Array(perRunTokenCounts) + throughputColumns + anyTTFTColumns).map(ColumnName.canonical))

    /// The run's decode throughput: a column under one of its usual names,
    /// else one named as a rate of tokens (`decode tok/s`, `TPS (tok/s)`):
    /// one named as output or decode first, never a prompt's (`prompt eval
    /// rate (tok/s)` is prefill), a total's (prompt and output together) or
    /// a tool's summary (`avg_tok/s`, `p50 tok/s`).
    static func throughputColumn(in table: some Tabular) -> Int? {
        if let named = table.index(ofAny: throughputColumns) { return named }
        let rates = table.columnNames.enumerated().compactMap { column, name -> (column: Int, words: Set<String>)? in
            guard ColumnName.endsAsTokenRate(name), !AggregateTableFormat.namesSummary(name), !name.hasPrefix("p5"), !name.hasPrefix("p9")
            else { return nil }
            let words = Set(name.split { !$0.isLetter }.map(String.init))
            return words.isDisjoint(with: notDecodeRateWords) ? (column, words) : nil
        }
        let preferred = rates.first { !$0.words.isDisjoint(with: ["output", "decode", "gen", "generation", "eval", "completion"]) }
        return (preferred ?? rates.first)?.column
    }

    /// Words of a token rate that is not the decode rate.
    private static let notDecodeRateWords: Set<String> = [
        "prompt", "prefill", "pp", "input", "total", "avg", "mean", "median", "min", "max", "std", "stddev", "peak",
    ]
    /// Parameters that make a table a sweep when they vary.
    static let sweepParameters: Set<String> = [
        "num_gpu", "num_ctx", "temperature", "top_p", "top_k", "repeat_penalty", "num_batch", "num_thread",
        "num_predict", "seed", "tag", "quant", "quantization",
    ]
}
