import Records

/// Bytes of one file -> an `Extraction`, or the specific reason it holds nothing usable.
///
/// The container (CSV, JSON, Markdown) is chosen by extension, or by content for
/// files without one; the shape inside it is recognised by columns and keys.
package enum ContentParser {
    package enum Parsed: Sendable, Equatable {
        case extracted(Extraction)
        case skipped(SkipReason)

        /// The same, with `note` first among an extraction's notes.
        func noting(_ note: String?) -> Parsed {
            guard let note, case .extracted(var extraction) = self else { return self }
            extraction.notes.insert(note, at: 0)
            return .extracted(extraction)
        }
    }

    enum Container {
        case csv(delimiter: UInt8?)
        case json
        /// One JSON value a line (`.jsonl`, `.ndjson`; llama-bench `-o jsonl`).
        case jsonLines
        case markdown
        /// A SQL dump's INSERTs (llama-bench `-o sql`, `sqlite3 .dump`).
        case sql
        /// A tool's console output saved as text (`.txt`, `.log`, `.out`):
        /// perf stat's report, hyperfine's output, llama-bench's table.
        case consoleText

        /// A server-sent events stream is saved as text or JSON (`curl -N > stream.json`).
        var mayHoldEventStream: Bool {
            switch self {
            case .json, .jsonLines, .consoleText: true
            case .csv, .markdown, .sql: false
            }
        }
    }

    /// Bumped when parsing changes what a file yields: the store re-parses files
    /// recorded by an older revision. 4: a throughput that is not a positive
    /// number fails its run. 5: a compilation error that is a Python
    /// traceback is given by its last line (the exception), not its first;
    /// numeric series past the limit are noted; UTF-32 is named as such.
    /// 6: tools' failures kept with their benchmarks, vLLM keyed on every
    /// setting, JSON Lines read, decimal commas, null-spelled errors, summary
    /// rows and Ollama's reply fields in run tables. 7: SQL dumps read
    /// (llama-bench `-o sql`), no longer skipped as an unsupported type.
    /// 8: a run table's column with a value of its own for every run names
    /// the run, no setting; an unreadable throughput cell is never replaced
    /// by eval_count over eval_s; compilation times of zero or below are left
    /// out; Markdown tables in HTML comments and code fences are no data.
    /// 9: readings named without a unit (`latency`, `total_time`, `gpu_temp`)
    /// are measurements, no settings; measurement cells written with their
    /// unit (`40.5 tok/s`, `200 ms`) or grouped thousands are read; one run
    /// as a JSON object (Ollama's reply saved alone) is a run table's row;
    /// a JSON Lines file's last line cut off mid-value is left out, not the
    /// file; vLLM results keep one key across releases; Google Benchmark's
    /// untyped aggregates and complexity fits are no benchmarks; figures a
    /// tool did not write come from its runs; JSON NaN and Infinity are
    /// noted; a JSON file of no benchmark gives the machine it names (and,
    /// for the digests made of them, a file's sessions split where all its
    /// runs pause, not one model's).
    /// 10: a generic CSV's columns named twice or not at all are told apart
    /// by their place; elapsed times written as a clock (`1:02.50`) are read
    /// in seconds; vLLM's latency percentiles are benchmarks; a server's
    /// error reply is a failed run; a CSV whose first line is numbers has no
    /// header row; a pytest-benchmark save of no benchmarks says so;
    /// llama-server replies are runs; a
    /// generic CSV is summarised per setting; JSON documents appended to one
    /// another, or a llama-bench list cut off, keep what they hold whole;
    /// llama-bench of 2023 gives its repetitions from their times, `-r 1` no
    /// spread; perf stat's output is its events.
    /// 11: a tool's console output saved as `.txt`, `.log` or `.out` is read:
    /// perf stat's report (with `-r`'s spread, in its locale, `-I`'s too),
    /// hyperfine's output, llama-bench's table, a JSON reply; perf stat's
    /// `-x';'` is read as `-x,` is.
    /// 12: perf stat's runs appended to one file, each after its `# started
    /// on` line, are measurements of their own, dated by it.
    /// 13: a generic table's column naming the benchmark (`name`, `test`,
    /// ...) splits its numbers; a CSV's last row cut inside quotes is left
    /// out alone; a JSON key written twice is read once, its last value; run
    /// tables read tokens/s and TTFT under more names (`tok/s`, `ttft`),
    /// row counters as the runs', and blank model cells as the file's one model.
    /// 14: Markdown tables are read as CSV tables are; JSON rows are split by
    /// their settings, and lists of runs under members are runs.
    /// 15: a generic table's run counters (`run`, `iteration`) are no series,
    /// and values below zero in its elapsed times are left out, said.
    /// 16: `vllm bench serve`'s and Google Benchmark's console output are read
    /// (they were no benchmark data).
    /// 17: a vLLM result's figure below zero is left out, said, and a
    /// latency whose mean is NaN keeps its median.
    /// 18: a tool's console output saved by `docker compose logs` is read
    /// past each line's service prefix (`vllm-1  | `).
    /// 19: `docker compose up`'s own lines (`Attaching to`, `exited with
    /// code`, its progress) are left out, a CI log's time before compose's
    /// prefix is read past, and a date line with an offset after the prefix
    /// stays the tool's (it was taken for `-t`'s time);
    /// a vLLM figure written as text that is no number (`"NaN"`) is said.
    /// 20: a run table's column naming the code under test or the machine
    /// (`ollama_version`, `commit`, `hostname`) with one value on every run
    /// is the file's environment, not a setting that splits groups; a CSV's
    /// last row with no line end whose last number has fewer decimals than
    /// its column's others is left out as cut; a JSON file's trailing comma
    /// is named as one.
    /// 21: a bare `ttft` beside tokens/s is read in the unit the runs' own
    /// pace makes plain, not by its values' size; a code-under-test column
    /// whose values follow one another by an hour or more is each night's
    /// version, not a setting.
    /// 22: a generic CSV whose rows are dated holds benchmarks' sessions:
    /// its time and rate columns are tested night against night.
    /// 23: a `NaN` or `N/A` in a generic table's column of numbers is a value
    /// missing, not text; a CSV's cells with units (`12.3 ms`, `"3,503"`)
    /// are numbers, as a Markdown table's are.
    /// 24: a CSV with no numbers but numbers written short (`1.2k`) says so
    /// in its skip reason.
    /// 25: a Google Benchmark counter of no known direction is listed, not
    /// tested; `perf stat -x -r N`'s figures are means of N unknown, not 1.
    /// 26: a statistics table's benchmark of several rows (`pytest-benchmark
    /// compare` of two saves) has them numbered `run=1`, `run=2`.
    /// 27: numbered `row=1`, `row=2` as hyperfine's Markdown does, and
    /// pytest-benchmark's listed, not tested; `perf stat -x';' -r`'s
    /// variance read with its decimal comma.
    /// 28: a Google Benchmark console counter printed per second is a rate;
    /// a run session starts at its earliest run and ends at its latest,
    /// whatever order the file lists them in; chimerad's own reports are
    /// skipped.
    /// 29: a llama-bench setting at zero however written (`0x0`, `0.00`)
    /// keys no session, as a plain `0` did not.
    /// 30: a file a daemon saw renamed to a name of another kind
    /// (`runs.csv.1`, `hf.json.old`) kept its runs; it is read again as
    /// that name says, as a scan of the tree reads it.
    /// 31: `perf stat -x,` metrics on lines of their own are left out (the
    /// file was read as a table of numbers); hyperfine's null exit codes
    /// (runs killed by a signal) are failed runs; SGLang's saved results
    /// are keyed without its own result figures, and named `sglang`;
    /// OpenAI-style replies without times and vLLM's `.pytorch.json` copy
    /// of a result are skipped with their reasons.
    /// 32: a JSON Lines file of one line is read as that line's result (an
    /// SGLang file after its first night was a table of numbers); a saved
    /// serving result without a model names its figures alone, and its `*_ms`
    /// figures are no settings; vLLM's failed requests are counted by cause;
    /// llama-bench's decimal settings are written alike from CSV and JSON;
    /// `ollama run --verbose` logs name models after `set -x`'s `+ ` and
    /// count an `Error:` right after a run's command.
    /// 33: hyperfine times below zero are left out with a note, and figures
    /// that disagree with each other are taken from the times.
    /// 34: a CSV whose first line is a time among numbers has no header row
    /// (a line appended a night); seconds since 1970 dating a table's rows
    /// are no series.
    /// 35: JSON's C `nan`, `-nan` and `inf` (llama-bench's) are no values, not malformed.
    /// 36: llama-batched-bench's and llama-sweep-bench's JSON lines and table
    /// are a benchmark a case, where they were numbers pooled over the cases.
    /// 37: vLLM's offline latency and throughput JSON are benchmarks named
    /// after their file's path, where they were series of one value.
    /// 38: a reply streamed as server-sent events (`data:` lines) is read as
    /// its last chunk's, which carries llama-server's timings.
    /// 39: a Google Benchmark JSON cut off keeps its whole runs.
    /// 40: SGLang's `bench_one_batch` results are a benchmark a case.
    /// 41: results named after their path keep a model's size; batched-bench
    /// cases written again are later nights; a stream ending in an error is a
    /// failed run.
    /// 42: a JSON file cut inside a string whose line was then ended is cut
    /// off, not malformed (a Google Benchmark run's whole runs are read).
    /// 43: a row's, line's, record's or request's number (`row_id`, `line`)
    /// is each run's, not a setting that made each run a group.
    /// 44: a tool's console output, a llama-bench Markdown table and perf
    /// stat's `-x` lines leave out a last line cut as it was written.
    /// 45: runs with a blank model cell in a file naming two models or more
    /// are left out, not pooled under the file's name.
    /// 46: a hyperfine result with a time that is no number, or a mean more
    /// than 2% from its times', takes every figure from its times.
    /// 47: a hyperfine command is named without terminal colour codes.
    /// 48: a run table saved under a text name is read as the CSV it is.
    /// 49: a last line a tool ends with kept whole (a table row, hyperfine's
    /// one-run time and its warning, `time -p`'s `sys`); JSON a container
    /// printed read again; colour codes `tput sgr0` writes taken off names.
    /// 50: a run above 10^9 tokens/s failed (a harness's overflow), not a speed.
    /// 51: a cut `sys` or `build:` line, or a Markdown row closed after fewer
    /// cells than the row above, waits for its line end; `perf stat -x` saved
    /// as text keeps a whole last line that has no line end.
    /// 52: a Google Benchmark `_mean` or `_median` row beside its benchmark's
    /// runs is their aggregate, whatever other aggregates came yet.
    /// 53: a `time -v` report the text ends before its `Exit status:` line is
    /// left out until it is whole.
    /// 54: Ollama's `/api/chat` stream is one run and a model load reply no
    /// run; a run's outcome column (`success`, `ok`, `status`, `status_code`)
    /// and `exception` or `error_msg` fail their runs and are no settings;
    /// per-token times and other token rates (`prompt_tps`, `ms/tok`) are
    /// measurements, not settings; throughput beside token counts is runs;
    /// an OpenAI-compatible reply's `created` dates its run, and its `object`
    /// and `system_fingerprint` are no settings; a `metric` column names
    /// what a numeric table's row measured (genai-perf's long summary); a
    /// JSON list of one tool's results (a sweep script's) is each a result;
    /// a `model` column splits a numeric table however many models it names;
    /// GNU time's signal line above a `-v` report, and make's or ninja's
    /// failure before a shell's `time`, fail the run; bash's `+ make` trace
    /// names the timing after it; hyperfine's console `Error:` under a
    /// command it stopped at is that command's failure; fio's JSON is read
    /// (a job and direction a benchmark), not numbers by path; so are
    /// `go test -bench`'s and sysbench's outputs kept as text; the runs
    /// `time`, `go test -bench` and sysbench append to one log are marked
    /// as such (a night is the runs one version of the file added); `go
    /// test -bench -json`'s events are read as its output, dated; so is
    /// genai-perf's JSON (a metric a benchmark), not numbers by path, and
    /// llmperf's summary (its individual responses skipped), and
    /// criterion's `new/estimates.json` (its other files skipped); and
    /// `cargo bench`'s output kept as text (criterion's and libtest's lines);
    /// a go test2json stream without a benchmark line, in a file named for
    /// benchmarks, is its package's failure, and one naming no package
    /// (`go tool test2json`) is read; genai-perf's raw export is skipped; a
    /// criterion estimate below zero is no figure; a JSON line cut off
    /// mid-value with lines after it is passed over, not the whole file.
    package static let version = 57

    /// Parses a file's bytes. They are taken (`consuming`): a UTF-16 file's
    /// bytes are let go once transcoded, so the two are not both held while
    /// the text is parsed.
    /// `path`: the file's path under its input, which names a dated CSV's
    /// benchmarks (`fileName` when not given).
    package static func parse(_ bytes: consuming [UInt8], fileName: String, path: String? = nil) -> Parsed {
        guard !bytes.isEmpty else { return .skipped(.emptyFile(onlyWhitespace: false)) }
        if isChimeradReport(fileName) { return .skipped(.chimeradReport) }
        let ext = fileExtension(fileName)
        let container: Container
        switch ext {
        case "csv": container = .csv(delimiter: nil)
        case "tsv": container = .csv(delimiter: 0x09)
        case "json": container = .json
        case "jsonl", "ndjson": container = .jsonLines
        case "md", "markdown": container = .markdown
        case "sql": container = .sql
        case "txt", "log", "out": container = .consoleText
        case "":
            guard let sniffed = sniff(bytes) else { return .skipped(.unsupportedType(extension: "")) }
            container = sniffed
        default:
            return .skipped(.unsupportedType(extension: ext))
        }
        let text: ArraySlice<UInt8>
        switch TextDecoding.decode(bytes) {
        case .text(let decoded): text = decoded
        case .notText(let message): return .skipped(.notText(message))
        }
        bytes = []
        if text.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return .skipped(.emptyFile(onlyWhitespace: true))
        }
        if isChimeradReport(text, in: container) { return .skipped(.chimeradReport) }
        let stem = fileStem(fileName)
        let parsed: Parsed
        if container.mayHoldEventStream, EventStream.isStream(text) { return parseEventStream(text, stem: stem) }
        switch container {
        case .csv(let delimiter): return parseCSV(text, delimiter: delimiter, path: path ?? fileName)
        case .json: parsed = parseJSON(consume text, stem: stem, path: path ?? fileName)
        case .jsonLines: parsed = parseJSONLines(text, stem: stem)
        case .markdown:
            let (whole, cutLine) = MarkdownDocument.withoutCutRow(text)
            parsed = parseMarkdown(whole).noting(cutLine.map(ConsoleLines.cutNote(line:)))
        case .sql: return parseSQL(text, stem: stem)
        case .consoleText: parsed = parseConsoleText(text, stem: stem, path: path ?? fileName)
        }
        guard case .extracted(var extraction) = parsed else { return parsed }
        extraction.nameAfterPath(GenericSeriesFormat.benchmarkName(path ?? fileName, keepingSizes: true))
        return .extracted(extraction)
    }

    /// The most memory parsing a file of `size` bytes named `fileName` may
    /// take, for admitting files to be parsed at once (`IngestPass`): its
    /// bytes, a UTF-16 transcoding, and what the parse builds. CSV and
    /// Markdown build little beyond their records; a JSON document's values
    /// take up to about forty times its text (at most `maximumTreeBytes`).
    package static func memoryCost(ofFileSize size: Int64, fileName: String) -> Int64 {
        let records: Int64 = 64 << 20
        let text = size + size / 2 * 3
        switch fileExtension(fileName) {
        case "csv", "tsv", "md", "markdown": return text + min(size * 8, records)
        // Text is tried as JSON (a saved reply) before its lines are read.
        case "json", "jsonl", "ndjson", "sql", "", "txt", "log", "out": return text + min(size * 40, records + Int64(JSONParser.maximumTreeBytes))
        default: return size  // read and hashed, not parsed
        }
    }

    /// `path` (under its input) names a dated table's benchmarks.
    static func parseCSV(_ text: ArraySlice<UInt8>, delimiter: UInt8?, path: String) -> Parsed {
        // `perf stat -x,` writes no header: its lines are known by their fields.
        if delimiter == nil, let perf = PerfStatFormat.extract(csv: text) { return .extracted(perf) }
        if GenAIPerfFormat.isCSVExport(text) { return .skipped(.noBenchmarkData(GenAIPerfFormat.csvExportReason)) }
        // Google Benchmark's own output file: its context above the header.
        let context = GoogleBenchmarkFormat.csvContext(text)
        let text = context.map { text[$0.header...] } ?? text
        var table: CSVTable
        do {
            table = try CSVTable(text: text, delimiter: delimiter)
        } catch {
            return .skipped(.unparsable("malformed CSV at line \(error.line): \(error.message)"))
        }
        var extraction: Extraction
        var generic = false
        do {
            if LlamaBenchFormat.matches(table) {
                extraction = try LlamaBenchFormat.extract(table, shape: .llamaBenchCSV)
            } else if RunTableFormat.matches(table) {
                extraction = try RunTableFormat.extract(table)
            } else if GoogleBenchmarkFormat.matches(table) {
                // Its failed runs are rows that end at `error_message`, before the counters.
                table.paddedRowWidth = table.index(of: "error_message").map { $0 + 1 }
                extraction = try GoogleBenchmarkFormat.extract(table)
                extraction.measuredAt = context?.date
            } else if HyperfineFormat.matches(table) {
                extraction = try HyperfineFormat.extract(table)
            } else if PytestBenchmarkFormat.matches(table) {
                extraction = try PytestBenchmarkFormat.extract(table)
            } else if AggregateTableFormat.matches(table) {
                extraction = try AggregateTableFormat.extract(table)
            } else {
                var notes: [String] = []
                let found = try GenericSeriesFormat.extract(table, path: path, notes: &notes)
                extraction = Extraction(shape: .genericCSV, series: found.series, notes: notes)
                extraction.datedSeries = found.dated
                generic = true
            }
        } catch {
            return .skipped(.unparsable("malformed CSV at line \(error.line): \(error.message)"))
        }
        let log = table.log
        if log.rows == 0 {
            if let line = log.cutLastRow, let cut = log.lastRowCut, log.ragged.isEmpty {
                return .skipped(.unparsable("no data rows yet: the only row (line \(line)) \(ContentParser.describe(cut))"))
            }
            if let first = log.ragged.first {
                return .skipped(
                    .unparsable("malformed CSV at line \(first.line): \(first.fields) fields where the header has \(table.header.count)"))
            }
            return .skipped(.unparsable("no data rows (header only)"))
        }
        if generic && extraction.series.isEmpty && extraction.datedSeries.isEmpty {
            // What left a column out (units of different quantities) is the reason, as for a Markdown table.
            let why = extraction.notes.prefix(3).joined(separator: "; ")
            return .skipped(.noBenchmarkData("CSV without numeric columns" + (why.isEmpty ? "" : "; \(why)")))
        }
        if let line = log.firstRepeatedHeader {
            let count = log.repeatedHeaders
            let times = count == 1 ? "once" : "\(count) times"
            let repeats = count == 1 ? "the repeat is" : "the repeats are"
            extraction.notes.append("the header row repeats \(times) (first at line \(line): files joined?); \(repeats) no run and left out")
        }
        if log.raggedCount > 0 {
            let lines = log.ragged.map { String($0.line) }.joined(separator: ", ")
            let more = log.raggedCount > log.ragged.count ? ", ..." : ""
            extraction.notes.append(
                "\(log.raggedCount) row(s) with a wrong field count were left out (line\(log.raggedCount > 1 ? "s" : "") \(lines)\(more))")
        }
        if let line = log.cutLastRow, let cut = log.lastRowCut {
            extraction.notes.append("the last row (line \(line)) \(ContentParser.describe(cut)): left out, and read once the file is complete")
        }
        if let note = log.cuts.note { extraction.notes.append(note) }
        if table.isHeaderless {
            extraction.notes.append(
                table.isDatedWithoutHeader
                    // Columns named by their place say nothing of which way is better: nothing to test a night against.
                    ? "no header row: the first line holds a time and numbers, so it is read as data and the columns are named by their place; "
                        + "name them in a first line (`date,build_s`, `date,tokens_per_second`) to have a column tested night against night"
                    : "no header row: the first line holds numbers, so it is read as data and the columns are named by their place")
        }
        // Generic series keep every column, each named by its place (`GenericSeriesFormat.columnNames`).
        if !generic, let note = duplicateColumnsNote(table.header) { extraction.notes.append(note) }
        return .extracted(extraction)
    }

    /// How a CSV's last row was cut, for its note.
    static func describe(_ cut: CSVTable.LastRowCut) -> String {
        switch cut {
        case .insideQuotedField: "ends inside a quoted field with no line end (cut off as it was being written)"
        case .inNumber: "ends in a number with no line end (a file still being written may have cut it: 45.05 written up to 4)"
        }
    }

    /// Columns named twice (`model,tokens_s,model,tokens_s`): a format reads
    /// the first of each, and the file's notes say so.
    static func duplicateColumnsNote(_ header: [String]) -> String? {
        var seen: Set<String> = []
        var repeated: [String] = []
        for name in header where !name.isEmpty {
            if !seen.insert(name.lowercased()).inserted && !repeated.contains(name) { repeated.append(name) }
        }
        guard !repeated.isEmpty else { return nil }
        let names = repeated.prefix(5).map { "'\(TextCuts.text($0))'" }.joined(separator: ", ") + (repeated.count > 5 ? ", ..." : "")
        return "column\(repeated.count == 1 ? "" : "s") \(names) named twice: the first of each is read"
    }

    static func parseJSON(_ text: consuming ArraySlice<UInt8>, stem: String, path: String? = nil) -> Parsed {
        let document: JSONValue
        var parseNotes: [String] = []
        // `perf stat -j -o FILE` writes `# started on ...` above its JSON:
        // leading comment lines are blanked, so lines keep their numbers.
        ContentParser.blankLeadingComments(&text)
        // `llama-bench -o json > bench.json 2>&1`: the tool's log lines
        // (`ggml_cuda_init: found 1 CUDA devices:`) above its JSON are
        // blanked too, when the text does not start as JSON does.
        if let logLines = ContentParser.blankLeadingLogLines(&text) {
            parseNotes.append("\(logLines.count) line(s) of a tool's log before the JSON passed over (the first: '\(logLines.first)')")
        }
        do {
            document = try text.withUnsafeBufferPointer { (buffer) throws(JSONParser.Failure) in
                try JSONParser.parse(buffer, notes: &parseNotes)
            }
        } catch {
            if error.isLimit { return .skipped(.tooLargeToRead("\(error.message), at line \(error.line)")) }
            // `vllm bench serve --append-result` adds a line to its `.json`
            // per run: a second value starting a line is JSON Lines.
            if error.isTrailingContent, error.column == 1, case .extracted(let lines) = parseJSONLines(text, stem: stem) {
                return .extracted(lines)
            }
            // Not JSON from its first line (`go test -json ./... 2>&1 > bench.json`: `go: downloading ...`), JSON lines after it.
            if error.line == 1, error.column == 1, case .extracted(let lines) = parseJSONLines(text, stem: stem) {
                return .extracted(lines)
            }
            if let salvaged = salvage(text, after: error, stem: stem) { return .extracted(salvaged) }
            return .skipped(.unparsable("malformed JSON at line \(error.line), column \(error.column): \(error.message)"))
        }
        // The tree is all the formats read: the text goes before they build records.
        text = [][...]
        if VLLMServeFormat.isPyTorchBenchmarkCopy(document) { return .skipped(.noBenchmarkData(VLLMServeFormat.pyTorchCopyReason)) }
        if LLMPerfFormat.isIndividualResponses(document) { return .skipped(.noBenchmarkData(LLMPerfFormat.individualResponsesReason)) }
        if GenAIPerfFormat.isRawExport(document) { return .skipped(.noBenchmarkData(GenAIPerfFormat.rawExportReason)) }
        let path = path ?? stem + ".json"
        if let reason = CriterionFormat.skipReason(document, path: path) { return .skipped(.noBenchmarkData(reason)) }
        let offline = VLLMOfflineFormat.matches(document) ? VLLMOfflineFormat.extract(document) : nil
        let criterion = CriterionFormat.matches(estimates: document) ? CriterionFormat.extract(estimates: document, path: path) : nil
        var found = offline ?? criterion ?? extract(document, stem: stem)
        if found.map({ $0.shape == .genericJSON }) ?? true, let elements = document.elements,
            let each = eachAResult(elements, stem: stem)
        {
            found = each
        }
        guard var extraction = found else {
            return .skipped(.noBenchmarkData("JSON without numbers"))
        }
        if extraction.shape == .genericJSON, LlamaServerReplyFormat.isUntimedReply(document, series: extraction.series) {
            return .skipped(.noBenchmarkData(LlamaServerReplyFormat.untimedReason))
        }
        extraction.notes += parseNotes
        extraction.noteCutTexts()
        return .extracted(extraction)
    }

    /// Overwrites with spaces the lines before the first line that starts
    /// with `{` or `[`, when the text's first character starts no JSON value
    /// (a letter, as a log line's): their count and the first, for the
    /// note; nil when there are none, or no such line follows.
    static func blankLeadingLogLines(_ text: inout ArraySlice<UInt8>) -> (count: Int, first: String)? {
        guard let first = text.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }),
            (0x41...0x5A).contains(text[first]) || (0x61...0x7A).contains(text[first]),
            !(text[first...].starts(with: "true".utf8) || text[first...].starts(with: "false".utf8)
                || text[first...].starts(with: "null".utf8))
        else { return nil }
        var lineStart = first
        var count = 0
        while lineStart < text.endIndex {
            let byte = text[lineStart]
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { break }
            count += 1
            lineStart = (text[lineStart...].firstIndex(of: 0x0A).map { $0 + 1 }) ?? text.endIndex
        }
        guard lineStart < text.endIndex, count > 0 else { return nil }
        let firstLineEnd = text[first...].firstIndex(of: 0x0A) ?? text.endIndex
        let shown = TextCuts.text(String(decoding: text[first..<firstLineEnd], as: UTF8.self).trimmingBlanks())
        for index in first..<lineStart where text[index] != 0x0A { text[index] = 0x20 }
        return (count, shown)
    }

    /// Overwrites with spaces the lines before the first value that start
    /// with `#` (no JSON starts so).
    static func blankLeadingComments(_ text: inout ArraySlice<UInt8>) {
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
                index += 1
                continue
            }
            guard byte == UInt8(ascii: "#") else { return }
            while index < text.endIndex, text[index] != 0x0A {
                text[index] = 0x20
                index += 1
            }
        }
    }

    /// What a JSON file that failed to parse still holds whole, read as a
    /// list: documents one after another (`llama-bench -o json >> all.json`
    /// run twice: their lists joined), or the whole results of a llama-bench
    /// list the file ends inside (llama-bench writes its list a result at a
    /// time, so a run killed half-way leaves the results it finished; a tool
    /// that writes its file at the end leaves a damaged file, which stays
    /// skipped with its parse error). Nil when neither gives a known shape.
    private static func salvage(_ text: ArraySlice<UInt8>, after error: JSONParser.Failure, stem: String) -> Extraction? {
        let note: String
        let elements: [JSONValue]
        if error.isTrailingContent {
            guard let documents = try? text.withUnsafeBufferPointer({ (buffer) throws(JSONParser.Failure) in try JSONParser.parseSequence(buffer) }),
                documents.count > 1
            else { return nil }
            let appended = "\(documents.count) JSON documents one after another (output appended to the file with >>?)"
            // Documents each one tool's result (hyperfine run twice into one file): merged as JSON Lines' are.
            guard let lists = joinedLists(documents) else {
                guard var merged = extractLines(documents, stem: stem), merged.shape != .genericJSON else { return nil }
                merged.notes.insert(appended + ": each read as a result", at: 0)
                return merged
            }
            elements = lists
            note = appended + ": read as one list"
        } else if error.isTruncated {
            guard let whole = text.withUnsafeBufferPointer({ JSONParser.wholeElements($0) }) else {
                return salvageCutMembers(text, after: error, stem: stem)
            }
            elements = whole
            note =
                "the file ends inside its list, at line \(error.line) (a run cut off, or still being written): the \(whole.count) whole element\(whole.count == 1 ? "" : "s") before it are read"
        } else {
            return nil
        }
        guard var extraction = extract(.array(elements), stem: stem), extraction.shape != .genericJSON,
            !error.isTruncated || extraction.shape == .llamaBenchJSON
        else { return nil }
        extraction.notes.insert(note, at: 0)
        extraction.noteCutTexts()
        return extraction
    }

    /// A Google Benchmark file cut off as it was being written (a CI job's
    /// timeout): it writes each run as the run ends, so the runs before the
    /// cut are whole, and read; the file was skipped as malformed.
    private static func salvageCutMembers(_ text: ArraySlice<UInt8>, after error: JSONParser.Failure, stem: String) -> Extraction? {
        guard let cut = text.withUnsafeBufferPointer({ JSONParser.wholeMembers($0) }), GoogleBenchmarkFormat.matches(cut.document),
            var extraction = extract(cut.document, stem: stem), extraction.shape == .googleBenchmark
        else { return nil }
        let whole = cut.document[cut.list]?.elements?.count ?? 0
        extraction.notes.insert(
            "the file ends inside its '\(TextCuts.text(cut.list))' list, at line \(error.line) (a run cut off, or still being written): the \(whole) whole entr\(whole == 1 ? "y" : "ies") before it are read",
            at: 0)
        extraction.noteCutTexts()
        return extraction
    }

    /// One JSON value a line, blank lines skipped: read as an array of them
    /// (llama-bench `-o jsonl`, runs a line each), or when each line is a
    /// result of one tool (`vllm bench serve --append-result`), each line as a
    /// file of its own, merged.
    static func parseJSONLines(_ text: ArraySlice<UInt8>, stem: String) -> Parsed {
        var values: [JSONValue] = []
        var spent = JSONParser.Spent()
        // Lines that are no JSON, passed over: how many, and the first.
        var notJSON: (count: Int, first: (line: Int, text: String)?) = (0, nil)
        // Lines with numbers too large to read: the first one's note, and how many more.
        var firstNote: String? = nil
        var linesNoted = 0
        var line = 0
        // A last line cut off mid-value with no newline after it: a run being
        // appended as the file was read. The lines before it are whole.
        var cutLine: Int? = nil
        // Lines cut off mid-value with more lines after them: how many, and the first with its error.
        var cutInside: (count: Int, first: (line: Int, error: String)?) = (0, nil)
        var start = text.startIndex
        while start < text.endIndex {
            let end = text[start...].firstIndex(of: 0x0A) ?? text.endIndex
            line += 1
            let content = text[start..<end]
            start = end < text.endIndex ? text.index(after: end) : end
            if content.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            do {
                var lineNotes: [String] = []
                values.append(
                    try content.withUnsafeBufferPointer { (buffer) throws(JSONParser.Failure) in
                        try JSONParser.parse(buffer, notes: &lineNotes, spent: &spent)
                    })
                if let note = lineNotes.first {
                    linesNoted += 1
                    // The parser placed it in its line: the file's line is this one.
                    if firstNote == nil {
                        var placed = note
                        if let range = placed.range(of: "at line 1, column") { placed.replaceSubrange(range, with: "at line \(line), column") }
                        firstNote = placed
                    }
                }
            } catch {
                if error.isLimit { return .skipped(.tooLargeToRead("\(error.message), at line \(line)")) }
                if error.isTruncated, end == text.endIndex, !values.isEmpty {
                    cutLine = line
                    break
                }
                // A line cut off mid-value with lines after it: a run killed while it wrote,
                // the next night's appended after it (campaign s38h #4). Passed over, said.
                if error.isTruncated, end < text.endIndex {
                    if cutInside.first == nil { cutInside.first = (line, "column \(error.column): \(error.message)") }
                    cutInside.count += 1
                    continue
                }
                // Values run together on one line (`}{`: SGLang's results appended with no line end): each read.
                if error.isTrailingContent, let together = ContentParser.valuesRunTogether(content) {
                    values += together
                    continue
                }
                // A line that does not start as JSON does, among JSON lines: a tool's own line
                // (`go test -json ./... 2>&1`: `go: downloading ...`, a compiler's error), passed over.
                if let first = content.first(where: { $0 != 0x20 && $0 != 0x09 }), first != UInt8(ascii: "{"), first != UInt8(ascii: "[") {
                    if notJSON.first == nil { notJSON.first = (line, String(decoding: content.prefix(80), as: UTF8.self)) }
                    notJSON.count += 1
                    continue
                }
                return .skipped(.unparsable("malformed JSON Lines at line \(line), column \(error.column): \(error.message)"))
            }
        }
        // Lines that do not start as JSON beside a cut one: a document printed over
        // several lines (`{` alone on the first), no JSON Lines; read as documents.
        if let first = cutInside.first, notJSON.count > 0 {
            return .skipped(.unparsable("malformed JSON Lines at line \(first.line), \(first.error)"))
        }
        if values.isEmpty, let first = cutInside.first {
            return .skipped(.unparsable("JSON Lines whose lines are all cut off mid-value (the first, line \(first.line))"))
        }
        if values.isEmpty, let first = notJSON.first {
            return .skipped(.unparsable("JSON Lines whose lines are none of them JSON (line \(first.line): '\(TextCuts.text(first.text))')"))
        }
        guard var extraction = extractLines(values, stem: stem) else {
            // Ollama's stream read before its last line (`"done": true`, with the counts) came.
            if !values.isEmpty, values.allSatisfy({ $0["done"]?.bool == false }) {
                return .skipped(
                    .noBenchmarkData(
                        "a streamed reply without its final line (done: true, with the counts): still being written, or cut off"))
            }
            return .skipped(.noBenchmarkData("JSON Lines without numbers"))
        }
        if extraction.shape == .genericJSON, LlamaServerReplyFormat.isUntimedReply(.array(values), series: extraction.series) {
            return .skipped(.noBenchmarkData(LlamaServerReplyFormat.untimedReason))
        }
        if let cutLine {
            extraction.notes.append(
                "the last line (\(cutLine)) ends mid-value with no newline after it and was left out: the file was being written, or was cut off")
        }
        if let first = cutInside.first {
            extraction.notes.append(
                "\(cutInside.count) line(s) cut off mid-value, with lines after them, passed over (the first, line \(first.line)): a run killed while it wrote, the next appended after it"
            )
        }
        if let first = notJSON.first {
            extraction.notes.append(
                "\(notJSON.count) line(s) that are not JSON passed over (the first, line \(first.line): '\(TextCuts.text(first.text))')")
        }
        if let firstNote {
            let more = linesNoted - 1
            extraction.notes.append(
                firstNote + (more > 0 ? "; \(more) more line\(more == 1 ? "" : "s") \(more == 1 ? "holds" : "hold") such numbers" : ""))
        }
        extraction.noteCutTexts()
        return .extracted(extraction)
    }

    /// A SQL dump's rows, read as a JSON array of them: llama-bench's
    /// results, or a results table's runs or numbers.
    static func parseSQL(_ text: ArraySlice<UInt8>, stem: String) -> Parsed {
        let dump: SQLInserts
        do {
            guard let read = try SQLInserts.read(text) else { return .skipped(.noBenchmarkData("SQL without INSERT statements")) }
            dump = read
        } catch {
            return .skipped(.tooLargeToRead("\(error.message), at line \(error.line)"))
        }
        guard !dump.rows.isEmpty else {
            return .skipped(.unparsable("SQL whose INSERT statements yield no row" + (dump.notes.first.map { ": " + $0 } ?? "")))
        }
        guard var extraction = extract(.array(dump.rows), stem: stem) else {
            return .skipped(.noBenchmarkData("SQL rows without numbers"))
        }
        if extraction.shape == .llamaBenchJSON { extraction.shape = .llamaBenchSQL }
        extraction.notes += dump.notes
        extraction.noteCutTexts()
        return .extracted(extraction)
    }

    /// The elements of documents that are all lists, in order: one list.
    private static func joinedLists(_ documents: [JSONValue]) -> [JSONValue]? {
        guard documents.count > 1, documents.allSatisfy({ $0.elements != nil }) else { return nil }
        return documents.flatMap { $0.elements ?? [] }
    }

    private static func extractLines(_ values: [JSONValue], stem: String) -> Extraction? {
        if let events = GoBenchmarkFormat.extract(events: values, stem: stem) { return events }
        // A list a line (`llama-bench -o json` compact, appended nightly): one list.
        if let lists = joinedLists(values), var joined = extract(.array(lists), stem: stem), joined.shape != .genericJSON {
            joined.notes.insert("\(values.count) lists, one a line: read as one list", at: 0)
            return joined
        }
        let whole = extract(.array(values), stem: stem)
        if let whole, whole.shape != .genericJSON { return whole }
        if let failed = ErrorReplyFormat.extract(stream: values) { return failed }
        // One line so far (SGLang's `--output-file` after its first night): the result it holds.
        if values.count == 1, let only = values.first, let one = extract(only, stem: stem), one.shape != .genericJSON { return one }
        return eachAResult(values, stem: stem) ?? whole
    }

    /// Each value a result of one tool (measurements, compilation benches),
    /// merged: a line each (`--append-result`), or a list a sweep script
    /// collected (`json.dump([result for rate in rates], f)`), which was
    /// read as numbers pooling every rate's figures. Nil unless there are
    /// two or more and each is such a result, of one shape.
    private static func eachAResult(_ values: [JSONValue], stem: String) -> Extraction? {
        // The first tells, before every value of a long list is tried.
        guard values.count > 1, let first = values.first.flatMap({ extract($0, stem: stem) }), first.shape != .genericJSON,
            first.runSets.isEmpty, first.llamaBench.isEmpty, first.aggregates.isEmpty
        else { return nil }
        var each = [first]
        for value in values.dropFirst() {
            // One that is not such a result ends the look.
            guard let next = extract(value, stem: stem), next.shape == first.shape, next.runSets.isEmpty, next.llamaBench.isEmpty,
                next.aggregates.isEmpty
            else { return nil }
            each.append(next)
        }
        var merged = first
        merged.notes = first.notes.map { "result 1: \($0)" }
        for (index, next) in each.enumerated().dropFirst() {
            merged.measurements += next.measurements
            merged.compilation += next.compilation
            merged.series += next.series
            for parameter in next.environment where !merged.environment.contains(parameter) { merged.environment.append(parameter) }
            merged.notes += next.notes.map { "result \(index + 1): \($0)" }
        }
        return merged
    }

    /// The known shape a JSON document has, or its numbers; nil when it holds none.
    private static func extract(_ document: JSONValue, stem: String) -> Extraction? {
        if LlamaBatchedBenchFormat.matches(lines: document) { return LlamaBatchedBenchFormat.extract(lines: document) }
        if SGLangOneBatchFormat.matches(lines: document) { return SGLangOneBatchFormat.extract(lines: document) }
        // One result alone (a first night's file).
        if document.members != nil, SGLangOneBatchFormat.matches(lines: .array([document])) {
            return SGLangOneBatchFormat.extract(lines: .array([document]))
        }
        if LLMPerfFormat.matches(summary: document) { return LLMPerfFormat.extract(summary: document) }
        if let rows = JSONRows(document), LlamaBenchFormat.matches(rows) {
            return LlamaBenchFormat.extract(rows, shape: .llamaBenchJSON)
        }
        if let results = document["results"], let rows = JSONRows(results), RunTableFormat.matches(rows) {
            let model = document["model"]?.string.flatMap { $0.trimmingBlanks().isEmpty ? nil : $0 }
            return RunTableFormat.extract(rows, model: model, jsonTwin: true)
        }
        if let rows = JSONRows(document), RunTableFormat.matches(rows) {
            return RunTableFormat.extract(rows)
        }
        if LlamaServerReplyFormat.matches(document) { return LlamaServerReplyFormat.extract(document) }
        if let rows = JSONRows(document), PerfStatFormat.matches(rows) { return PerfStatFormat.extract(rows) }
        if HyperfineFormat.matches(document) { return HyperfineFormat.extract(document) }
        if PytestBenchmarkFormat.matches(document) { return PytestBenchmarkFormat.extract(document) }
        if GoogleBenchmarkFormat.matches(document) { return GoogleBenchmarkFormat.extract(document) }
        if CompilationBenchFormat.matches(document) { return CompilationBenchFormat.extract(document, fileStem: stem) }
        if VLLMServeFormat.matches(document) { return VLLMServeFormat.extract(document) }
        if GenAIPerfFormat.matches(document) { return GenAIPerfFormat.extract(document) }
        if FioFormat.matches(document) { return FioFormat.extract(document) }
        if RunSummaryFormat.matches(document) { return RunSummaryFormat.extract(document) }
        if let runs = nestedRuns(document) { return runs }
        // One run as an object: Ollama's `/api/generate` reply saved as it
        // came (`curl ... > run.json`), read as its JSON Lines line would be.
        if document.members != nil, let rows = JSONRows(.array([document])), RunTableFormat.matches(rows) {
            return RunTableFormat.extract(rows)
        }
        // The server's error saved in the reply's place: a failed run.
        if let failed = ErrorReplyFormat.extract(document) { return failed }
        var notes: [String] = []
        let series = splitSeries(document, notes: &notes)
        // A harness's `env.json` may hold only names: its machine is what it gives.
        let machine = MachineDescription.environment(of: document)
        if series.isEmpty && machine.isEmpty { return nil }
        return Extraction(shape: .genericJSON, modelHint: document["model"]?.string, environment: machine, series: series, notes: notes)
    }

    /// Runs of models in a list one level down, or with their figures one
    /// level down (`{"runs": [{"model": "m", "results": {"tokens_s": 50,
    /// "ttft_s": 0.1}}]}`): read as a run table's rows (`JSONRows.flattened`).
    private static func nestedRuns(_ document: JSONValue) -> Extraction? {
        let model = document["model"]?.string.flatMap { $0.trimmingBlanks().isEmpty ? nil : $0 }
        // The document's own objects were tried as they are; a member's list is tried both ways.
        let candidates: [JSONValue] =
            document.elements != nil
            ? [JSONRows.flattened(document)].compactMap { $0 }
            : (document.members ?? []).filter { $0.value.elements != nil }.flatMap { [JSONRows.flattened($0.value), $0.value].compactMap { $0 } }
        for candidate in candidates {
            if let rows = JSONRows(candidate), RunTableFormat.matches(rows) { return RunTableFormat.extract(rows, model: model) }
        }
        return nil
    }

    /// A document's numbers as series: a list of objects labelled by
    /// settings or benchmark names (the document, or a list in it, its
    /// objects' own objects flattened) split by them, as a CSV's are
    /// (`seconds (backend=cuda)`, named after its key when in a member:
    /// `results › seconds (backend=cuda)`); every other number by its path.
    private static func splitSeries(_ document: JSONValue, notes: inout [String]) -> [Series] {
        // Only a list whose objects hold no lists (nor objects past the one
        // level flattened): read as a table, their numbers were lost (a
        // benchmark's `samples` left one figure of each).
        func split(_ list: JSONValue) -> [Series]? {
            let flat = JSONRows.flattened(list) ?? list
            guard flat.elements?.allSatisfy({ $0.members?.allSatisfy { $1.members == nil && $1.elements == nil } ?? false }) ?? false else {
                return nil
            }
            return JSONRows(flat).flatMap { GenericSeriesFormat.extractSplit($0, notes: &notes) }
        }
        if document.elements != nil { return split(document) ?? GenericSeriesFormat.extract(document, notes: &notes) }
        guard case .object(let members) = document else { return GenericSeriesFormat.extract(document, notes: &notes) }
        var series: [Series] = []
        var rest: [(key: String, value: JSONValue)] = []
        for member in members {
            if member.value.elements != nil, let found = split(member.value) {
                series += found.map { Series(name: TextCuts.text("\(member.key) › \($0.name)"), values: $0.values) }
            } else {
                rest.append(member)
            }
        }
        return series + GenericSeriesFormat.extract(.object(rest), notes: &notes)
    }

    static func parseMarkdown(_ text: ArraySlice<UInt8>) -> Parsed {
        let document = MarkdownDocument(text: text)
        guard !document.tables.isEmpty else { return .skipped(.noBenchmarkData("Markdown without tables")) }
        var llamaBench: [LlamaBenchResult] = []
        var measurements: [Measurement] = []
        var batched = LlamaBatchedBenchFormat.Cases()
        let batchedSettings = LlamaBatchedBenchFormat.settings(in: text)
        var runs: Extraction? = nil
        var runsPlace = ""
        var series: [Series] = []
        var notes = document.notes
        // A command a row: held to a file's entries like any other format's.
        var budget = RecordBudget()
        for table in document.tables {
            if LlamaBatchedBenchFormat.matches(table) {
                let settings = batchedSettings.last { $0.line < table.line }?.parameters ?? []
                LlamaBatchedBenchFormat.extract(table, settings: settings, into: &batched)
            } else if LlamaBenchFormat.matches(table) {
                llamaBench += LlamaBenchFormat.extract(table)
            } else if HyperfineFormat.matches(table) {
                for measurement in HyperfineFormat.extract(table) {
                    guard budget.admits("command \(measurements.count + 1)") else { break }
                    budget.spend(entries: 1)
                    budget.spend(numbers: 4)
                    budget.spend(text: measurement.name)
                    measurements.append(measurement)
                }
            } else {
                let place = table.heading.isEmpty ? "table at line \(table.line)" : "table \"\(table.heading)\""
                // A note's table of models' runs is read as a run CSV is; one
                // naming each model once is a summary of a report's runs (its
                // means are no runs), and one naming no model is too.
                let runRows = MarkdownRows(table, reading: .runs)
                if runRows.namesAModelTwice, RunTableFormat.matches(runRows) {
                    let more = RunTableFormat.extract(runRows)
                    if var earlier = runs {
                        earlier.runSets += more.runSets
                        earlier.notes += more.notes.map { "\(place): \($0)" }
                        runs = earlier
                    } else {
                        runs = more
                        runsPlace = place
                    }
                    continue
                }
                let rows = MarkdownRows(table, reading: .numbers)
                notes += rows.notes.map { "\(place): \($0)" }
                var found: [String] = []
                let extracted = GenericSeriesFormat.extract(rows, notes: &found)
                notes += found.map { "\(place): \($0)" }
                series += extracted.map {
                    Series(name: TextCuts.text(table.heading.isEmpty ? $0.name : "\(table.heading) › \($0.name)"), values: $0.values)
                }
            }
        }
        notes += batched.allNotes
        if !batched.measurements.isEmpty && llamaBench.isEmpty && runs == nil {
            return .extracted(
                Extraction(
                    shape: .llamaBatchedBench, measurements: batched.measurements + measurements, series: series,
                    notes: notes + (budget.note.map { [$0] } ?? [])))
        }
        if !batched.measurements.isEmpty {
            notes.append(
                "llama-batched-bench's cases beside \(runs == nil ? "llama-bench's results" : "models' runs"), left out (a file of their own reads them)"
            )
        }
        if !measurements.isEmpty && llamaBench.isEmpty && runs == nil {
            return .extracted(
                Extraction(shape: .hyperfine, measurements: measurements, series: series, notes: notes + (budget.note.map { [$0] } ?? [])))
        }
        if !llamaBench.isEmpty {
            // One kind of result a file: llama-bench's results are what it holds.
            if runs != nil { notes.append("\(runsPlace): models' runs beside llama-bench's results, left out (a file of their own reads them)") }
            return .extracted(Extraction(shape: .llamaBenchMarkdown, llamaBench: llamaBench, series: series, notes: notes))
        }
        if var runs {
            runs.series += series
            runs.measurements += measurements
            runs.notes = notes + runs.notes
            return .extracted(runs)
        }
        guard !series.isEmpty else {
            // What left a column out (units of different quantities) is the reason.
            let why = notes.prefix(3).joined(separator: "; ")
            return .skipped(.noBenchmarkData("Markdown tables without numbers" + (why.isEmpty ? "" : "; \(why)")))
        }
        return .extracted(Extraction(shape: .markdownTables, series: series, notes: notes))
    }

    /// The values of one line that run together (`}{`), nil when they do not parse so.
    private static func valuesRunTogether(_ line: ArraySlice<UInt8>) -> [JSONValue]? {
        try? line.withUnsafeBufferPointer { (buffer) throws(JSONParser.Failure) in try JSONParser.parseSequence(buffer) }
    }

    /// A server-sent events stream (`EventStream`): llama-server's final
    /// chunk carries the request's `timings`, read as its reply is; the
    /// chunks before it hold a token each, and are left out, said. A stream
    /// with no such chunk is read as its events' JSON lines.
    static func parseEventStream(_ text: ArraySlice<UInt8>, stem: String) -> Parsed {
        // Only the chunks with timings are parsed (the rest hold a token
        // each), their values held to one document's ceilings together.
        let timings = Array("\"timings\"".utf8)
        var replies: [JSONValue] = []
        var chunks = 0
        var last: ArraySlice<UInt8>? = nil
        var spent = JSONParser.Spent()
        var limit: String? = nil
        EventStream.forEachPayload(text) { payload in
            chunks += 1
            last = payload
            guard limit == nil, payload.firstRange(of: timings) != nil else { return }
            var notes: [String] = []
            do {
                replies.append(
                    try payload.withUnsafeBufferPointer { (buffer) throws(JSONParser.Failure) in
                        try JSONParser.parse(buffer, notes: &notes, spent: &spent)
                    })
            } catch let failure as JSONParser.Failure {
                if failure.isLimit { limit = "\(failure.message), at event \(chunks)" }
            } catch {}
        }
        if let limit { return .skipped(.tooLargeToRead(limit)) }
        guard !replies.isEmpty, LlamaServerReplyFormat.matches(.array(replies)) else {
            if let last, let failed = failedStream(text, events: chunks, last: last) { return .extracted(failed) }
            // No chunk with timings: the events are read as JSON Lines are.
            var lines: [UInt8] = []
            lines.reserveCapacity(text.count)
            EventStream.forEachPayload(text) { payload in
                lines += payload
                lines.append(0x0A)
            }
            return parseJSONLines(lines[...], stem: stem)
        }
        var extraction = LlamaServerReplyFormat.extract(.array(replies))
        let before = chunks - replies.count
        extraction.notes.insert(
            "a stream of server-sent events: \(replies.count) final chunk\(replies.count == 1 ? "" : "s") with timings read, the \(before) chunk\(before == 1 ? "" : "s") before left out",
            at: 0)
        return .extracted(extraction)
    }

    /// A stream of `count` events that ended in an error, `last`
    /// (`ErrorReplyFormat.extract(eventStream:)`): most streams end in none,
    /// and their token events are not parsed here.
    private static func failedStream(_ text: ArraySlice<UInt8>, events count: Int, last: ArraySlice<UInt8>) -> Extraction? {
        guard let value = try? JSONParser.parse(Array(last)), ErrorReplyFormat.message(of: value) != nil else { return nil }
        // The events before it only name the model, at most: the first few are enough.
        var before: [JSONValue] = []
        var index = 0
        EventStream.forEachPayload(text) { payload in
            defer { index += 1 }
            if index < count - 1, before.count < 8, let value = try? JSONParser.parse(Array(payload)) { before.append(value) }
        }
        var extraction = ErrorReplyFormat.extract(eventStream: before + [value])
        if count - 1 > before.count, var found = extraction {
            found.notes = ["\(count - 1) streamed event\(count == 2 ? "" : "s") before the error: parts of a reply, not runs"]
            extraction = found
        }
        return extraction
    }

    /// A tool's console output kept as text: perf stat's report, hyperfine's
    /// output, else the tables in it (llama-bench's Markdown table, what it
    /// prints by default; hyperfine's `--export-markdown` table pasted into a
    /// log). Anything else is no benchmark, with a reason that says what was
    /// looked for.
    /// `docker compose logs`' service prefix before each line (`vllm-1  | `)
    /// is read past.
    ///
    /// A last line with no line end is left out, with a note: a tool prints
    /// whole lines, and its output piped to a file (`./bench | tee
    /// bench.txt`) lands in the pipe's 4 KiB blocks, cut anywhere, minutes
    /// apart. Read, `items_per_second=21.8815` of `21.8815M/s` was a rate a
    /// million times too small, and `| pp16 | 2` of `234.62 ± 4.10` a
    /// throughput of 2.
    static func parseConsoleText(_ text: ArraySlice<UInt8>, stem: String, path: String) -> Parsed {
        // Before anything is looked for: a table's rows behind the prefix
        // (llama-bench's) would be read as a table of its own.
        let composed = ComposeLogPrefix.stripped(text)
        // A tool's reply saved with `curl > reply.txt` (which ends no line),
        // or a tool's JSON a container printed. An application's JSON log is
        // no benchmark (its numbers are no series), and a log line starting
        // `[` that is no JSON is read as text.
        let whole = composed.map { $0[...] } ?? text
        if case .json? = sniff(whole), case .extracted(let json) = parseJSON(whole, stem: stem), json.shape != .genericJSON {
            return .extracted(json)
        }
        // `perf stat -x, -o perf.txt`: its own output under a text name,
        // which tells a cut line from a whole one by its fields.
        if let perf = PerfStatFormat.extract(csv: whole) { return .extracted(perf) }
        // The cut is found in the text as written (its line numbers are the file's).
        let (ended, cutLine) = ConsoleLines.ended(text, keeping: ConsoleLines.endsOutput)
        let plain = cutLine == nil ? whole : ComposeLogPrefix.stripped(ended).map { $0[...] } ?? ended
        let parsed = parseConsoleLines(plain, stem: stem)
        // A run table saved under a text name (`df.to_csv("runs.txt")`): the
        // CSV it is, when it makes a known shape (a log's commas make none).
        // (perf's `-x` lines are read above: not again here.)
        if case .skipped = parsed, case .extracted(var table) = parseCSV(text, delimiter: nil, path: path), table.shape != .genericCSV,
            table.shape != .perfStat
        {
            table.notes.insert("read as CSV: a table of comma-separated values under a text name", at: 0)
            return .extracted(table)
        }
        guard let cutLine else { return parsed }
        // Nothing before the cut: the reason says what was left out.
        if case .skipped(.noBenchmarkData(let looked)) = parsed {
            return .skipped(.noBenchmarkData(looked + "; its last line (\(cutLine)) has no line end and is left out until it is ended"))
        }
        return parsed.noting(ConsoleLines.cutNote(line: cutLine))
    }

    /// The tools' outputs found in whole lines of console text.
    private static func parseConsoleLines(_ text: ArraySlice<UInt8>, stem: String) -> Parsed {
        // One script may print several tools' output (`perf stat` of
        // `llama-bench`, then `hyperfine` of a binary): each is kept.
        var found = [
            PerfStatFormat.extract(report: text), HyperfineFormat.extract(console: text), OllamaVerboseFormat.extract(console: text),
            TimeFormat.extract(console: text, stem: stem), VLLMServeFormat.extract(console: text, stem: stem),
            GoogleBenchmarkFormat.extract(console: text), GoBenchmarkFormat.extract(console: text), SysbenchFormat.extract(console: text),
            CargoBenchFormat.extract(console: text),
        ].compactMap { $0 }
        // Text without a table's delimiter row (most logs) is not read as Markdown.
        // A tool's figures beside a table of the same results are that table
        // again; a build's time or a chat's timings beside it are not.
        let tablesStand = found.allSatisfy { $0.shape == .timeReport || $0.shape == .ollamaVerbose }
        var tablesLeftOut: String? = nil
        if MarkdownDocument.mayHoldTable(text), case .extracted(let tables) = parseMarkdown(text) {
            if tablesStand || tables.shape != .markdownTables {
                found.append(tables)
            } else if let tool = found.first?.shape.title {
                // Said, so a table of other figures is not lost without a word.
                tablesLeftOut =
                    "\(tables.series.count) numeric column(s) of Markdown tables beside \(tool) left out, taken for its results again"
            }
        }
        guard var kept = found.first else {
            // `perf stat -o perf.txt` wrote its first line, then no report: the command did not run.
            if ByteSearch.contains(text, "# started on "), !ByteSearch.contains(text, "Performance counter stats") {
                return .skipped(
                    .noBenchmarkData(
                        "perf stat's output without a report: the command it measured did not start or perf counted nothing (perf says why on its standard error: 'Workload failed')"
                    ))
            }
            return .skipped(
                .noBenchmarkData(
                    "text without perf stat's report, hyperfine's output, ollama run --verbose timings, time's report, vllm bench serve's results, Google Benchmark's table, go test -bench's or sysbench's results or a table of results"
                ))
        }
        for other in found.dropFirst() {
            kept.measurements += other.measurements
            kept.runSets += other.runSets
            kept.series += other.series
            kept.llamaBench += other.llamaBench
            kept.notes += other.notes
        }
        if let tablesLeftOut { kept.notes.append(tablesLeftOut) }
        return .extracted(kept)
    }

    private static func sniff(_ bytes: some Collection<UInt8>) -> Container? {
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? .json : nil
    }

    /// The type a file's name gives, lowercased: its last suffix (`runs.csv.1`
    /// is a `1`, of no known type, however it came by the name).
    package static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    package static func fileStem(_ name: String) -> String {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }
}

extension ContentParser {
    /// Whether `text` is a chimerad report under another name: `latest.json`
    /// and `latest.md` copied as files (`cp -rL`, an archive, a CI
    /// artifact), known by the JSON's `schema` near its start or the
    /// Markdown's title.
    static func isChimeradReport(_ text: ArraySlice<UInt8>, in container: Container) -> Bool {
        let head = text.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }.prefix(256)
        switch container {
        case .json:
            return head.first == UInt8(ascii: "{") && ByteSearch.contains(head, #""schema": "chimerad."#)
        case .markdown:
            // The title line whole, ended by LF or CRLF.
            return ["# chimerad Benchmark Report", "# chimerad Fleet Report"].contains { title in
                head.starts(with: title.utf8) && [UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(head.dropFirst(title.utf8.count).first)
            }
        default:
            return false
        }
    }

    /// Whether `fileName` is one chimerad gives its reports,
    /// `chimera-report-20261206T101500Z.json` (`-2` after the time for a
    /// second report in the same second; `.md`, `.json`, `.html`): an
    /// output folder moved out of a watched one left them there, and its
    /// JSON was read as a run group of invented settings with a failure to
    /// fix, its Markdown's tables as figures.
    static func isChimeradReport(_ fileName: String) -> Bool {
        ReportNaming.isFileName(fileName.split(separator: "/").last ?? "")
    }
}
