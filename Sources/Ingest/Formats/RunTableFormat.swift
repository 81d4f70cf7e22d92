import Records

/// LLM inference runs in a table: Ollama run CSVs, baseline CSVs and their JSON
/// twins' `results`, parameter sweeps, quantisation benches.
///
/// Columns are sorted into roles. Measurements and run identity (timestamp,
/// prompt) are read per run; `model` and `error` have their own meaning; every
/// other column is a parameter of the run's configuration, so an unknown column
/// splits groups instead of being averaged over.
enum RunTableFormat {
    static let throughputColumns = ["tokens_s", "tokens_per_second", "tok_s", "eval_rate", "tps"]
    static let ttftColumns = ["ttft_s", "time_to_first_token_s"]
    /// TTFT in milliseconds, read as seconds when no column gives seconds.
    static let ttftMillisecondColumns = ["ttft_ms", "time_to_first_token_ms"]

    /// When each run was measured, in order of preference (`created_at` is
    /// Ollama's own field).
    static let timeColumns = ["timestamp", "started_at", "start_time", "created_at", "datetime", "time", "date"]

    /// Ollama's API fields, in nanoseconds: what its `/api/generate` reply
    /// holds and what a script that saves it writes.
    static let nanosecondColumns = (load: "load_duration", promptEval: "prompt_eval_duration", eval: "eval_duration")

    static let measurementColumns: Set<String> = [
        "ttft_s", "time_to_first_token_s", "ttft_ms", "time_to_first_token_ms", "tokens_s", "tokens_per_second", "tok_s",
        "eval_rate", "tps", "load_s", "prompt_eval_s", "eval_s", "prompt_eval_count", "eval_count", "total_tokens",
        "response_chars", "total_s", "total_duration_s", "wall_s", "latency_s", "duration_s", "total_duration",
        "load_duration", "prompt_eval_duration", "eval_duration",
    ]
    static let identityColumns: Set<String> = [
        "timestamp", "time", "datetime", "date", "created_at", "started_at", "start_time", "prompt", "prompt_text",
        "prompt_index", "prompt_id", "run", "run_index", "run_id", "iteration", "repeat", "id", "response",
        "response_text", "done", "done_reason",
        // Ollama's /api/chat reply: its message object.
        "message",
        // Row numbers: pandas' index (written with no name, read back as
        // `Unnamed: 0`) and a spreadsheet's `#`.
        "", "unnamed: 0", "index", "#", "idx", "row",
    ]
    /// Name endings of a per-run measurement (a duration, a size): such a
    /// column is read per run, never a setting that splits groups, or every
    /// run would be a group of its own.
    static let measurementSuffixes = [
        "_duration", "_ms", "_ns", "_us", "_s", "_sec", "_secs", "_seconds", "_chars", "_bytes", "_per_second",
        // Memory, power, energy, load and heat read during the run.
        "_kb", "_mb", "_gb", "_kib", "_mib", "_gib", "_w", "_watts", "_j", "_joules", "_pct", "_percent", "_temp_c", "_celsius",
    ]
    /// Token counts of each run (a request's limit, `max_tokens`, is a setting).
    static let perRunTokenCounts: Set<String> = [
        "prompt_tokens", "completion_tokens", "output_tokens", "input_tokens", "generated_tokens", "num_tokens",
    ]

    /// Words that make a column with a unit a setting (`power_limit_w`, `timeout_s`, `max_memory_mb`).
    static let settingWords = ["limit", "max_", "min_", "timeout", "target", "keep_alive", "warmup", "budget", "interval", "cap_"]

    static func isMeasurement(_ name: String) -> Bool {
        if measurementColumns.contains(name) || perRunTokenCounts.contains(name) { return true }
        return measurementSuffixes.contains { name.hasSuffix($0) } && !settingWords.contains { name.contains($0) }
    }
    /// Parameters that make a table a sweep when they vary.
    static let sweepParameters: Set<String> = [
        "num_gpu", "num_ctx", "temperature", "top_p", "top_k", "repeat_penalty", "num_batch", "num_thread",
        "num_predict", "seed", "tag", "quant", "quantization",
    ]

    static func matches(_ table: some Tabular) -> Bool {
        let hasThroughput =
            table.index(ofAny: throughputColumns) != nil
            || (table.index(of: "eval_count") != nil && table.index(ofAny: ["eval_s", nanosecondColumns.eval]) != nil)
        let hasTTFT = table.index(ofAny: ttftColumns) != nil || table.index(ofAny: ttftMillisecondColumns) != nil
        return hasThroughput && (hasTTFT || table.index(of: "eval_count") != nil)
    }

    /// - Parameter model: the model a JSON twin names at top level, if any.
    static func extract<Table: Tabular>(
        _ table: Table, model documentModel: String? = nil, jsonTwin: Bool = false
    )
        throws(Table.Failure) -> Extraction
    {
        let lower = table.header.map { $0.lowercased() }
        let modelColumn = table.index(of: "model")
        let errorColumn = table.index(ofAny: ["error", "error_message", "err"])
        let optionsColumn = table.index(of: "options")
        let labelColumn = table.index(of: "config_name")
        let promptColumn = table.index(ofAny: ["prompt_text", "prompt"])
        var parameterColumns: [Int] = []
        for (index, name) in lower.enumerated() {
            guard index != modelColumn, index != errorColumn, index != optionsColumn, index != labelColumn,
                !isMeasurement(name), !identityColumns.contains(name)
            else { continue }
            parameterColumns.append(index)
        }
        let tps = table.index(ofAny: throughputColumns)
        let ttft = table.index(ofAny: ttftColumns)
        let ttftMilliseconds = ttft == nil ? table.index(ofAny: ttftMillisecondColumns) : nil
        let load = table.index(of: "load_s")
        let promptEval = table.index(of: "prompt_eval_s")
        let eval = table.index(of: "eval_s")
        // Seconds where the table has them, else Ollama's nanoseconds.
        let loadNanoseconds = load == nil ? table.index(of: nanosecondColumns.load) : nil
        let promptEvalNanoseconds = promptEval == nil ? table.index(of: nanosecondColumns.promptEval) : nil
        let evalNanoseconds = eval == nil ? table.index(of: nanosecondColumns.eval) : nil
        let promptEvalCount = table.index(of: "prompt_eval_count")
        let evalCount = table.index(of: "eval_count")
        let timeColumn = table.index(ofAny: timeColumns)
        // A spreadsheet's split `date` and `time` (`2026-11-23`, `09:00:00`): read together.
        let dateColumn = timeColumn.flatMap { lower[$0] == "time" ? table.index(of: "date") : nil }
        // Runs of one session often share their second: parsed once per distinct text.
        var lastTime: Double? = nil
        var firstUnreadTime: String? = nil
        // Ollama's streamed reply (`"done": false` chunks with a `response`
        // piece and no counts, then the reply): one run. A harness's own
        // `done` column beside measured or failed runs is left alone.
        let doneColumn = table.index(of: "response") == nil ? nil : table.index(of: "done")
        var chunks = 0

        var notes: [String] = []
        var unreadable = 0
        var sets: [RunSet] = []
        var budget = RecordBudget()
        // One String per distinct error text, shared by the runs it failed.
        var errorTexts: [String: String] = [:]
        // Rows are matched to their set by a hash of the cells that decide it
        // (model, parameters, options), so strings are built once per set, not per row.
        var setBySignature: [UInt64: Int] = [:]
        let signatureColumns = ([modelColumn, optionsColumn, labelColumn].compactMap { $0 } + parameterColumns)
        var previousSet = -1
        // A row of totals under the runs (`,MEAN,,0.042,34.9`, `Total:,,,...`)
        // is no run: its label is in the model column, or in a time column
        // that comes first while the model cell is blank. A first column of
        // settings or prompt ids (`summary`, `max`) holds runs. The label is
        // looked for when a label cell changes (runs repeat their model on
        // every row); only the first label and the count are kept.
        let summaryColumns = [modelColumn, timeColumn == 0 && modelColumn != 0 ? 0 : nil].compactMap { $0 }
        var summaryRows = 0
        var firstSummary: String? = nil
        var labels = [String?](repeating: nil, count: summaryColumns.count)

        func appendRun(_ row: Table.Row, to setIndex: Int) {
            func number(_ column: Int?) -> Double? {
                guard let column, !row.isBlank(column) else { return nil }
                guard let value = row.double(column) else {
                    unreadable += 1
                    return nil
                }
                return value
            }
            var error: String? = nil
            if let errorColumn, !row.isBlank(errorColumn) {
                let text = row.string(errorColumn).trimmingBlanks()
                if text.isEmpty || (text.utf8.count <= 5 && RunTableFormat.noErrorSpellings.contains(text.lowercased())) {
                    error = nil
                } else if let known = errorTexts[text] {
                    error = known
                } else {
                    // A traceback in a cell is known by its exception line.
                    let cause = ErrorText.cause(text)
                    errorTexts[text] = cause
                    budget.spend(text: cause)
                    error = cause
                }
            }
            if let timeColumn, !row.sameAsPrevious(timeColumn) || dateColumn.map({ !row.sameAsPrevious($0) }) == true {
                lastTime = row.timestamp(timeColumn)
                if lastTime == nil, let dateColumn, let day = row.timestamp(dateColumn),
                    let clock = TimestampParsing.timeOfDay(row.string(timeColumn))
                {
                    lastTime = day + clock
                }
                if lastTime == nil, firstUnreadTime == nil, !row.isBlank(timeColumn) { firstUnreadTime = TextCuts.text(row.string(timeColumn)) }
            }
            var run = LLMRun(
                ordinal: row.ordinal,
                promptKey: promptColumn.map { row.fingerprint($0) } ?? 0,
                tokensPerSecond: number(tps),
                ttftSeconds: number(ttft) ?? number(ttftMilliseconds).map { $0 / 1e3 },
                loadSeconds: number(load) ?? number(loadNanoseconds).map { $0 / 1e9 },
                promptEvalSeconds: number(promptEval) ?? number(promptEvalNanoseconds).map { $0 / 1e9 },
                evalSeconds: number(eval) ?? number(evalNanoseconds).map { $0 / 1e9 },
                promptEvalCount: number(promptEvalCount),
                evalCount: number(evalCount),
                error: error,
                timestamp: timeColumn == nil ? nil : lastTime
            )
            if run.tokensPerSecond == nil, let count = run.evalCount, let seconds = run.evalSeconds, seconds > 0 {
                run.tokensPerSecond = count / seconds
            }
            // Nine numbers a run (`RunColumns`), and its error's place in the map.
            budget.spend(numbers: run.error == nil ? 9 : 10)
            sets[setIndex].columns.append(run)
        }

        try table.forEachRow { row in
            guard budget.admits(row.place) else { return false }
            if let doneColumn, row.byteCount(doneColumn) <= 5, !row.isBlank(doneColumn), evalCount.map({ row.isBlank($0) }) ?? true,
                row.string(doneColumn).trimmingBlanks().lowercased() == "false"
            {
                chunks += 1
                return true
            }
            for (index, column) in summaryColumns.enumerated() {
                // A long cell (a time) is no label: known without comparing it with the row before.
                if row.byteCount(column) > summaryLabelBytes {
                    labels[index] = nil
                } else if !row.sameAsPrevious(column) {
                    labels[index] = summaryLabel(row, column)
                }
            }
            // A timed row is a run, whatever its model is called; a label in the
            // time column counts only beside a blank model.
            let modelLabel = modelColumn == nil ? nil : labels[0]
            let timeLabel = summaryColumns.count > 1 || modelColumn == nil ? labels.last ?? nil : nil
            let label = modelLabel ?? (modelColumn.map { row.isBlank($0) } ?? true ? timeLabel : nil)
            if let label, !(timeColumn.map { !row.isBlank($0) && row.timestamp($0) != nil } ?? false) {
                summaryRows += 1
                firstSummary = firstSummary ?? label
                return true
            }
            // Runs of one configuration usually follow each other: compare with the
            // row before, and hash only when the configuration changes.
            if previousSet >= 0, signatureColumns.allSatisfy({ row.sameAsPrevious($0) }) {
                appendRun(row, to: previousSet)
                return true
            }
            var signature: UInt64 = 0xcbf2_9ce4_8422_2325
            for column in signatureColumns {
                signature = (signature ^ row.fingerprint(column)) &* 0x0000_0100_0000_01B3
            }
            let setIndex: Int
            if let known = setBySignature[signature] {
                setIndex = known
            } else {
                var configuration: [Parameter] = []
                // A list or an object in a cell (Ollama's token `context`) is what a run
                // returned, not a setting.
                for column in parameterColumns where !row.isBlank(column) && !RunTableFormat.isStructured(row, column) {
                    configuration.append(Parameter(table.header[column], normalized(row, column)))
                }
                if let optionsColumn, !row.isBlank(optionsColumn) {
                    configuration += options(row.string(optionsColumn))
                }
                if configuration.isEmpty, let labelColumn, !row.isBlank(labelColumn) {
                    configuration.append(Parameter("config_name", row.string(labelColumn)))
                }
                // `llama3:8b ` and `llama3:8b` are one model: blanks around a name are no part of it.
                let model = modelColumn.flatMap { row.isBlank($0) ? nil : row.string($0).trimmingBlanks() } ?? documentModel
                let candidate = RunSet(model: model, configuration: configuration)
                // Cells that differ only in spelling ("999" and "999.0") join one set.
                if let same = sets.firstIndex(where: { $0.model == candidate.model && $0.configuration == candidate.configuration }) {
                    setIndex = same
                } else {
                    setIndex = sets.count
                    sets.append(candidate)
                    budget.spend(entries: 1)
                    budget.spend(text: model)
                    budget.spend(configuration)
                }
                setBySignature[signature] = setIndex
            }
            appendRun(row, to: setIndex)
            previousSet = setIndex
            return true
        }
        if unreadable > 0 { notes.append("\(unreadable) measurement value(s) were not numbers and were left out") }
        if chunks > 0 {
            notes.append("\(chunks) streamed chunk\(chunks == 1 ? "" : "s") (done: false) left out: parts of a reply, not runs")
        }
        // Told from the runs kept: no counter in the loop over millions of rows.
        if let timeColumn, let first = firstUnreadTime, !sets.contains(where: { $0.columns.timestamps.contains { !$0.isNaN } }) {
            notes.append(
                "the \(table.header[timeColumn]) column holds no time chimerad reads (ISO 8601 or epoch; the first is '\(first)'): "
                    + "its runs are one session, dated by the file's modification time")
        }
        if let first = firstSummary {
            let count = summaryRows
            notes.append("\(count) summary row\(count == 1 ? "" : "s") (\(first)\(count > 1 ? ", ..." : "")) left out: totals, not runs")
        }
        if let note = budget.note { notes.append(note) }
        let runSets = sets
        // Swept parameters are columns, or keys of Ollama's `options` cell that
        // take two values or more for one model.
        let hasSweep =
            (Set(lower).intersection(sweepParameters).subtracting(["tag"]).isEmpty == false && runSets.count > 1)
            || sweepsAnOption(runSets)
        let shape: Shape
        if jsonTwin {
            shape = .baselineJSON
        } else if hasSweep {
            shape = .parameterSweep
        } else if modelColumn == nil && promptColumn != nil {
            shape = .baselineCSV
        } else {
            shape = .ollamaRuns
        }
        // A file whose rows name one model lends that name to siblings that do not
        // (a sweep's summary CSV beside the sweep).
        let named = Set(runSets.compactMap(\.model))
        let hint = documentModel ?? (named.count == 1 ? named.first : nil)
        return Extraction(shape: shape, modelHint: hint, runSets: runSets, notes: notes)
    }

    /// Whether one model's run sets differ in a swept setting (`num_gpu` 0
    /// and 99 in the `options` cell): a sweep, whose points are not pooled.
    private static func sweepsAnOption(_ sets: [RunSet]) -> Bool {
        var values: [String: Set<String>] = [:]
        for set in sets {
            for parameter in set.configuration where sweepParameters.contains(parameter.name.lowercased()) && parameter.name != "tag" {
                values[(set.model ?? "") + "\u{0}" + parameter.name, default: []].insert(parameter.value)
            }
        }
        return values.values.contains { $0.count > 1 }
    }

    /// Whether a cell holds a list or an object (`[1, 2, 3]`, `{...}`).
    private static func isStructured(_ row: some TabularRow, _ column: Int) -> Bool {
        guard row.byteCount(column) >= 2, row.double(column) == nil else { return false }
        let text = row.string(column).trimmingBlanks()
        return (text.hasPrefix("[") && text.hasSuffix("]")) || (text.hasPrefix("{") && text.hasSuffix("}"))
    }

    /// What an error cell holds when there was none: Python's `str(None)`,
    /// pandas' `nan` and `<NA>`, a JSON `null` or `false` written as text, `0`, a dash, Excel's `#N/A`.
    static let noErrorSpellings: Set<String> = ["none", "null", "nil", "nan", "na", "n/a", "false", "0", "0.0", "-", "—", "<na>", "#n/a", "\"\""]

    /// The longest cell read as a summary label (`Durchschnitt:` and blanks).
    static let summaryLabelBytes = 16

    /// Labels of a row of totals or averages under a table's runs.
    static let summaryLabels: Set<String> = [
        "mean", "average", "avg", "median", "total", "totals", "sum", "std", "stddev", "min", "max", "overall", "summary",
        "aggregate", "all runs",
        // As German and French spreadsheets label them.
        "mittelwert", "durchschnitt", "summe", "gesamt", "moyenne", "somme",
    ]

    /// The label of a summary row (`MEAN`, `Average:`) in the model or the
    /// first column. A prompt named "summary" is a run: the prompt column is
    /// not looked at. Long cells (times) and numbers are passed over unread.
    private static func summaryLabel(_ row: some TabularRow, _ column: Int) -> String? {
        guard row.byteCount(column) <= summaryLabelBytes, !row.isBlank(column), row.double(column) == nil else { return nil }
        let text = row.string(column).trimmingBlanks()
        let label = text.hasSuffix(":") ? String(text.dropLast()) : text
        return summaryLabels.contains(label.lowercased()) ? label : nil
    }

    /// `"999"` and `"999.0"` are one setting; numbers are written the way a user would.
    private static func normalized(_ row: some TabularRow, _ column: Int) -> String {
        if let value = row.double(column) { return ValueText.render(value) }
        return row.string(column).trimmingBlanks()
    }

    /// Ollama's `options` column holds JSON; each option becomes a parameter.
    static func options(_ text: String) -> [Parameter] {
        guard let value = try? JSONParser.parse(Array(text.utf8)), let members = value.members else {
            return [Parameter("options", text)]
        }
        return members.compactMap { key, value in
            (value.scalarText ?? (value.isNull ? nil : JSONWriter.compact(value))).map { Parameter(key, $0) }
        }
    }
}
