import Records

/// LLM inference runs in a table: Ollama run CSVs, baseline CSVs and their JSON
/// twins' `results`, parameter sweeps, quantisation benches.
///
/// Columns are sorted into roles. Measurements and run identity (timestamp,
/// prompt) are read per run; `model` and `error` have their own meaning; the
/// code, machine and platform a file's runs share are its environment
/// (`RunTableFormat+Environment`); every other column is a parameter of the
/// run's configuration, so an unknown column splits groups instead of being
/// averaged over.
enum RunTableFormat {
    static func matches(_ table: some Tabular) -> Bool {
        let hasThroughput =
            throughputColumn(in: table) != nil
            || (table.index(of: "eval_count") != nil
                && table.index(ofAny: ["eval_s", nanosecondColumns.eval] + millisecondColumns.eval) != nil)
        let hasTTFT = table.index(ofAny: anyTTFTColumns) != nil
        if hasThroughput && (hasTTFT || table.index(of: "eval_count") != nil) { return true }
        // Runs of named models with one of the two figures (a latency script
        // that times only the first token, or only throughput) are runs too,
        // never a generic table pooling every model and its failed runs' zeros,
        // when the table says it holds inference: a TTFT, a prompt, an error
        // per run. A training log's `model,epoch,loss,tokens_per_second` does
        // not, nor does a tool's own summary (`mean_tokens_s`).
        let summarises = table.header.contains { AggregateTableFormat.namesSummary($0.lowercased()) }
        guard table.index(of: "model") != nil, !summarises else { return false }
        return hasTTFT || (hasThroughput && table.index(ofAny: inferenceColumns) != nil)
    }

    /// Columns only a table of inference runs has: what a run was asked, what
    /// it answered (its tokens) or how it failed.
    static let inferenceColumns =
        [
            "prompt", "prompt_text", "prompt_index", "prompt_id", "prompt_eval_count", "options", "response", "done_reason",
            "output_tokens", "completion_tokens", "generated_tokens", "prompt_tokens", "input_tokens",
        ] + errorColumns

    /// - Parameter model: the model a JSON twin names at top level, if any.
    static func extract<Table: Tabular>(
        _ table: Table, model documentModel: String? = nil, jsonTwin: Bool = false
    ) throws(Table.Failure) -> Extraction {
        var model = documentModel
        var first = try extract(table, model: model, jsonTwin: jsonTwin, perRun: [])
        // Runs whose model cell is blank, in a file whose other rows name one
        // model, are that model's (a harness that writes the name only when a
        // run succeeds): named after the file instead, they were a model of
        // their own, said to be named nowhere in the file. Read again with it
        // for the blank cells, so each run keeps its place among the others.
        // With none named, they are the file's (named after it); with two or
        // more, no one's: left out, where they were pooled under the file's
        // name, a model of both models' runs ranked among them.
        var blankNote: String? = nil
        let blank = first.runSets.filter { $0.model == nil }.reduce(0) { $0 + $1.columns.count }
        if model == nil, let only = onlyModel(of: first.runSets) {
            model = only
            first = try extract(table, model: only, jsonTwin: jsonTwin, perRun: [])
            blankNote = "\(blank) run(s) with a blank model cell counted as \(only), the one model the file names"
        } else if model == nil, blank > 0, case let named = Set(first.runSets.compactMap(\.model)), named.count >= 2 {
            // How many failed is said: a harness that names the model only on success leaves its failures blank.
            let failed = first.runSets.filter { $0.model == nil }.reduce(0) { $0 + $1.runs.count { $0.failureReason != nil } }
            first.runSets.removeAll { $0.model == nil }
            blankNote =
                "\(blank) run(s) with a blank model cell left out\(failed > 0 ? " (\(failed) of them failed)" : ""): the file names \(named.count) models, and does not say which one ran them"
        }
        let perRun = perRunColumns(of: first.runSets, header: table.header)
        let perRunNames = Set(perRun.map(ColumnName.canonical))
        let environment = environmentColumns(of: first.runSets, header: table.header, perRun: perRunNames)
        let environmentNames = Set(environment.map(ColumnName.canonical))
        let successive = successiveVersionColumns(
            of: first.runSets, header: table.header, perRun: perRunNames, environment: environmentNames)
        guard !perRun.isEmpty || !environment.isEmpty || !successive.isEmpty else {
            if let blankNote { first.notes.append(blankNote) }
            return first
        }
        // Read again with those columns as the runs' identity, the file's
        // environment or each night's version, not settings: rare, and the
        // table is in memory.
        var again = try extract(
            table, model: model, jsonTwin: jsonTwin, perRun: perRunNames.union(successive.map { ColumnName.canonical($0.name) }),
            environment: environmentNames)
        if model == nil, blankNote != nil { again.runSets.removeAll { $0.model == nil } }
        if !perRun.isEmpty { again.notes.append(perRunNote(perRun)) }
        again.notes += successive.map(successiveVersionNote)
        if let blankNote { again.notes.append(blankNote) }
        return again
    }

    /// How a TTFT column named without a unit (`ttft`) is read: in seconds,
    /// as `ttft_s` is, unless its values are plainly milliseconds (a median
    /// of 20 or more: 250 is a usual 0.25 s, where no run waits minutes for
    /// its first token as a rule).
    ///
    /// Beside a tokens/s column, the runs' own pace overturns that where it
    /// makes the reading implausible: in seconds, a first token that takes
    /// as long as generating `plainlyMillisecondsWait` tokens (a GPU's
    /// 17.5 ms at 100 tokens/s would be 1,750 tokens' time); in milliseconds,
    /// one sooner than `plainlySecondsWait` of one token's time (a CPU's
    /// 55 s at 8 tokens/s would be 0.44 of it, where a first token takes one
    /// forward pass at least). No rule of one file can read every file of a
    /// benchmark alike (values straddle any line), so the unit assumed is
    /// also the file's environment (`AssumedTTFTUnit`): a night read in
    /// another unit than the nights before it is not tested against them on
    /// TTFT, and the test says why, where a 1,000-fold "regression" followed.
    ///
    /// Every row is passed over (the first pass counts the table's rows for
    /// its notes); the first 100 values decide, a growing file's first nights,
    /// so nights appended later do not turn its history a thousandfold (a
    /// file of nights at 22 ms read all in seconds once nights at 15 ms
    /// outnumbered them). The reason is nil when no
    /// cell is a bare number: every value carries its own unit (`120 ms`), so
    /// the column's unit decides nothing.
    static func unitlessTTFTScale<Table: Tabular>(
        _ table: Table, column: Int, throughput: Int?
    ) throws(Table.Failure) -> (dimension: QuantityText.Dimension, perSecond: Double, reason: String?) {
        var values: [Double] = []
        // Each value times its run's tokens/s: the tokens generated in that
        // wait, were the value in seconds.
        var waits: [Double] = []
        try table.forEachRow { row in
            if values.count < 100, !row.isBlank(column), let value = row.double(column), value.isFinite, value > 0 {
                values.append(value)
                if let throughput, let rate = row.double(throughput), rate.isFinite, rate > 0 { waits.append(value * rate) }
            }
            return true
        }
        guard !values.isEmpty else { return (.seconds, 1, nil) }
        values.sort()
        waits.sort()
        let median = values[values.count / 2]
        let tokens = waits.isEmpty ? nil : waits[waits.count / 2]
        if median < 20 {
            guard let tokens, tokens >= plainlyMillisecondsWait else { return (.seconds, 1, "seconds") }
            return (
                .milliseconds, 1e3,
                "milliseconds (in seconds, a first token would take as long as \(Int(tokens.rounded())) tokens at the runs' own tokens/s)"
            )
        }
        guard let tokens, tokens / 1000 < plainlySecondsWait else {
            return (.milliseconds, 1e3, "milliseconds (its values' median is \(Int(median.rounded())))")
        }
        // Hundredths of one token's time, below 50.
        let hundredths = Int((tokens / 10).rounded())
        let share = hundredths < 10 ? "0.0\(hundredths)" : "0.\(hundredths)"
        return (
            .seconds, 1,
            "seconds (its values' median is \(Int(median.rounded())), but in milliseconds a first token would come in \(share) of one token's time at the runs' own tokens/s)"
        )
    }

    /// In tokens generated at the run's own pace: a wait read in seconds this
    /// long or longer is milliseconds.
    static let plainlyMillisecondsWait = 1_000.0
    /// In tokens generated at the run's own pace: a wait read in milliseconds
    /// this short is seconds.
    static let plainlySecondsWait = 0.5

    /// Most columns of settings a run table's configuration is keyed on.
    static let maximumSettingColumns = 64

    /// The one model the sets name, when some set names none.
    private static func onlyModel(of sets: [RunSet]) -> String? {
        let named = Set(sets.compactMap(\.model))
        guard named.count == 1, sets.contains(where: { $0.model == nil }) else { return nil }
        return named.first
    }

    /// - Parameters:
    ///   - perRun: lower-cased names of columns read as each run's identity
    ///     although their names do not say so (`perRunColumns`), or as the
    ///     version each night ran (`successiveVersionColumns`): not settings.
    ///   - environment: lower-cased names of columns read as the file's
    ///     environment (`environmentColumns(of:header:perRun:)`), each
    ///     taken as its first cell's text (`0.10`, not the setting's `0.1`).
    private static func extract<Table: Tabular>(
        _ table: Table, model documentModel: String?, jsonTwin: Bool, perRun: Set<String>, environment: Set<String> = []
    )
        throws(Table.Failure) -> Extraction
    {
        let lower = table.columnNames
        let modelColumn = table.index(of: "model")
        let errorColumn = table.index(ofAny: errorColumns)
        let outcome = try outcomeColumn(in: table)
        let outcomeColumn = outcome?.index
        let optionsColumn = table.index(of: "options")
        let labelColumn = table.index(of: "config_name")
        let promptColumn = table.index(ofAny: ["prompt_text", "prompt"])
        var parameterColumns: [Int] = []
        let environmentColumnIndices = lower.indices.filter { environment.contains(lower[$0]) }
        var environmentText: [Int: String] = [:]
        var columnNames: Set<String> = []
        for (index, name) in lower.enumerated() {
            // A column named twice is read once, the first (the file's note says so): the second `model` was a setting.
            guard columnNames.insert(name).inserted else { continue }
            guard index != modelColumn, index != errorColumn, index != outcomeColumn, index != optionsColumn, index != labelColumn,
                !isMeasurement(name), !identityColumns.contains(name), !perRun.contains(name), !environment.contains(name)
            else { continue }
            parameterColumns.append(index)
        }
        // A configuration is read in a line: 10,000 columns of settings made one of 100,000 characters in every table and title.
        let settingColumnsLeftOut = max(0, parameterColumns.count - RunTableFormat.maximumSettingColumns)
        parameterColumns = Array(parameterColumns.prefix(RunTableFormat.maximumSettingColumns))
        let tps = throughputColumn(in: table)
        let ttft = table.index(ofAny: ttftColumns)
        let ttftMilliseconds = ttft == nil ? table.index(ofAny: ttftMillisecondColumns) : nil
        let ttftMicroseconds = ttft == nil && ttftMilliseconds == nil ? table.index(ofAny: ttftMicrosecondColumns) : nil
        let ttftNanoseconds =
            ttft == nil && ttftMilliseconds == nil && ttftMicroseconds == nil ? table.index(ofAny: ttftNanosecondColumns) : nil
        let unitlessTTFT =
            [ttft, ttftMilliseconds, ttftMicroseconds, ttftNanoseconds].allSatisfy { $0 == nil } ? table.index(ofAny: unitlessTTFTColumns) : nil
        let unitlessScale = try unitlessTTFT.map { column throws(Table.Failure) in try unitlessTTFTScale(table, column: column, throughput: tps) }
        let load = table.index(of: "load_s")
        let promptEval = table.index(of: "prompt_eval_s")
        let eval = table.index(of: "eval_s")
        // Seconds where the table has them, else Ollama's nanoseconds.
        let loadNanoseconds = load == nil ? table.index(of: nanosecondColumns.load) : nil
        let promptEvalNanoseconds = promptEval == nil ? table.index(of: nanosecondColumns.promptEval) : nil
        let evalNanoseconds = eval == nil ? table.index(of: nanosecondColumns.eval) : nil
        // Or milliseconds, as a script that converts them writes (`eval_duration_ms`).
        let loadMilliseconds = load == nil && loadNanoseconds == nil ? table.index(ofAny: millisecondColumns.load) : nil
        let promptEvalMilliseconds =
            promptEval == nil && promptEvalNanoseconds == nil ? table.index(ofAny: millisecondColumns.promptEval) : nil
        let evalMilliseconds = eval == nil && evalNanoseconds == nil ? table.index(ofAny: millisecondColumns.eval) : nil
        let promptEvalCount = table.index(of: "prompt_eval_count")
        let evalCount = table.index(of: "eval_count")
        let timeColumn = table.index(ofAny: timeColumns)
        // A spreadsheet's split `date` and `time` (`2026-11-23`, `09:00:00`): read together.
        let dateColumn = timeColumn.flatMap { lower[$0] == "time" ? table.index(of: "date") : nil }
        // Runs of one session often share their second: parsed once per distinct text.
        var lastTime: Double? = nil
        var firstUnreadTime: String? = nil
        // Ollama's streamed reply (`"done": false` chunks with a `response`
        // piece, or `/api/chat`'s `message`, and no counts, then the reply):
        // one run. A harness's own `done` column beside measured or failed
        // runs is left alone.
        let isOllamaReply = table.index(ofAny: ["response", "message"]) != nil
        let doneColumn = isOllamaReply ? table.index(of: "done") : nil
        var chunks = 0
        // Ollama's answer to a request with no prompt, which only loads the
        // model (`"done_reason": "load"`, nothing generated): a preload, not a run.
        let doneReasonColumn = isOllamaReply ? table.index(of: "done_reason") : nil
        var preloads = 0

        var notes: [String] = []
        if settingColumnsLeftOut > 0 {
            notes.append(
                "\(settingColumnsLeftOut) more columns of settings left out of the configuration (the first \(RunTableFormat.maximumSettingColumns) key it)"
            )
        }
        var unreadable = 0
        // The first such cell, for the note: its column, its text and where it is.
        var firstUnreadable: String? = nil
        // Cells read with their unit or grouped thousands (`40.5 tok/s`), and the first, for the note.
        var withUnits = 0
        var firstWithUnit: String? = nil
        // Times before zero (a clock read backwards, a sign lost in an export): no time at all.
        var negativeTimes = 0
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
            func number(_ column: Int?, _ dimension: QuantityText.Dimension) -> Double? {
                guard let column, !row.isBlank(column) else { return nil }
                if let value = row.double(column) { return value }
                // `40.5 tok/s`, `200 ms`, `1,050.5`: read in the column's unit when it has it.
                if row.byteCount(column) <= QuantityText.maximumBytes,
                    let value = QuantityText.value(row.string(column), in: dimension, decimalComma: row.writesDecimalComma)
                {
                    withUnits += 1
                    if firstWithUnit == nil { firstWithUnit = "\(table.header[column]) '\(TextCuts.text(row.string(column)))' at \(row.place)" }
                    return value
                }
                unreadable += 1
                if firstUnreadable == nil {
                    firstUnreadable = "\(table.header[column]) '\(TextCuts.text(row.string(column)))' at \(row.place)"
                }
                return nil
            }
            func time(_ seconds: Double?) -> Double? {
                guard let seconds, seconds < 0 else { return seconds }
                negativeTimes += 1
                return nil
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
            // No message, but an outcome that says it failed (`success` False, `status_code` 500).
            if error == nil, let (outcomeColumn, kind) = outcome, !row.isBlank(outcomeColumn),
                row.byteCount(outcomeColumn) <= RunTableFormat.outcomeBytes,
                let reason = RunTableFormat.failure(outcome: row.string(outcomeColumn), kind: kind, column: table.header[outcomeColumn])
            {
                if let known = errorTexts[reason] {
                    error = known
                } else {
                    errorTexts[reason] = reason
                    budget.spend(text: reason)
                    error = reason
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
                tokensPerSecond: number(tps, .throughput),
                ttftSeconds: time(
                    number(ttft, .seconds) ?? number(ttftMilliseconds, .milliseconds).map { $0 / 1e3 }
                        ?? number(ttftMicroseconds, .microseconds).map { $0 / 1e6 } ?? number(ttftNanoseconds, .nanoseconds).map { $0 / 1e9 }
                        ?? unitlessScale.flatMap { scale in number(unitlessTTFT, scale.dimension).map { $0 / scale.perSecond } }),
                loadSeconds: number(load, .seconds) ?? number(loadNanoseconds, .nanoseconds).map { $0 / 1e9 }
                    ?? number(loadMilliseconds, .milliseconds).map { $0 / 1e3 },
                promptEvalSeconds: number(promptEval, .seconds) ?? number(promptEvalNanoseconds, .nanoseconds).map { $0 / 1e9 }
                    ?? number(promptEvalMilliseconds, .milliseconds).map { $0 / 1e3 },
                evalSeconds: number(eval, .seconds) ?? number(evalNanoseconds, .nanoseconds).map { $0 / 1e9 }
                    ?? number(evalMilliseconds, .milliseconds).map { $0 / 1e3 },
                promptEvalCount: number(promptEvalCount, .tokens),
                evalCount: number(evalCount, .tokens),
                error: error,
                timestamp: timeColumn == nil ? nil : lastTime
            )
            // Only without a throughput column: a cell there that is blank or no
            // number ("12.3 ms", NaN) is the tool's own word, never replaced.
            if tps == nil, let count = run.evalCount, let seconds = run.evalSeconds, seconds > 0 {
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
            if let doneReasonColumn, row.byteCount(doneReasonColumn) <= 6, evalCount.map({ row.isBlank($0) }) ?? true,
                row.string(doneReasonColumn).trimmingBlanks() == "load"
            {
                preloads += 1
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
                for column in environmentColumnIndices where environmentText[column] == nil && !row.isBlank(column) {
                    environmentText[column] = row.string(column).trimmingBlanks()
                }
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
                // A failed request with no model of its own may name the one
                // the server lacks (Ollama's `model "x" not found`).
                let model =
                    modelColumn.flatMap { row.isBlank($0) ? nil : row.string($0).trimmingBlanks() }
                    ?? errorColumn.flatMap { row.isBlank($0) ? nil : ErrorReplyFormat.missingModel(row.string($0)) } ?? documentModel
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
        if unreadable > 0, let first = firstUnreadable {
            notes.append("\(unreadable) measurement value(s) were not numbers and were left out (the first: \(first))")
        }
        if withUnits > 0, let first = firstWithUnit {
            notes.append(
                "\(withUnits) measurement value(s) written with a unit or grouped thousands were read in the column's unit (the first: \(first))")
        }
        if negativeTimes > 0 { notes.append("\(negativeTimes) TTFT value(s) below zero were left out") }
        // A throughput or TTFT not read, named so that its unit or what it
        // counts is unknown (a bare `throughput` may count requests): said, never silently dropped.
        let recognised = Set((throughputColumns + anyTTFTColumns).map(ColumnName.canonical))
        let unread = lower.indices.filter { column in
            column != tps && !recognised.contains(lower[column]) && ["throughput", "ttft", "first_token"].contains { lower[column].contains($0) }
                && isMeasurement(lower[column])
        }
        if !unread.isEmpty {
            let names = unread.prefix(3).map { "'\(table.header[$0])'" }.joined(separator: ", ")
            notes.append(
                "\(names) not read: a run's throughput is read from a column named as tokens per second (tokens_s, tok/s, ...) and its TTFT from one named with its unit (ttft_s, ttft_ms, ...)"
            )
        }
        // A TTFT read from a column whose name gives no unit: in which one, and why.
        if let unitlessTTFT, let reason = unitlessScale?.reason {
            notes.append("'\(table.header[unitlessTTFT])' read in \(reason): its name gives no unit")
        }
        if chunks > 0 {
            notes.append("\(chunks) streamed chunk\(chunks == 1 ? "" : "s") (done: false) left out: parts of a reply, not runs")
        }
        if preloads > 0 {
            notes.append(
                "\(preloads) model load repl\(preloads == 1 ? "y" : "ies") (done_reason: load, nothing generated) left out: a preload, not a run")
        }
        // Told from the runs kept: no counter in the loop over millions of rows.
        if let timeColumn, let first = firstUnreadTime, !sets.contains(where: { $0.columns.timestamps.contains { !$0.isNaN } }) {
            notes.append(
                "the \(table.header[timeColumn]) column holds no time chimerad reads (ISO 8601 or epoch, from 1990 to 2100: a clock never set reads 1970; the first is '\(first)'): "
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
        var recorded = environmentText.sorted { $0.key < $1.key }.map { Parameter(table.header[$0.key], $0.value) }
        if unitlessTTFT != nil, let scale = unitlessScale, scale.reason != nil {
            recorded.append(
                Parameter(AssumedTTFTUnit.key, scale.dimension == .milliseconds ? AssumedTTFTUnit.milliseconds : AssumedTTFTUnit.seconds))
        }
        return Extraction(shape: shape, modelHint: hint, environment: recorded, runSets: runSets, notes: notes)
    }

    /// `"999"` and `"999.0"` are one setting; numbers are written the way a user would.
    private static func normalized(_ row: some TabularRow, _ column: Int) -> String {
        if let value = row.double(column) { return ValueText.render(value) }
        return row.string(column).trimmingBlanks()
    }

    /// Ollama's `options` column holds JSON; each option becomes a parameter.
    static func options(_ text: String) -> [Parameter] {
        // JSON, or a Python dict as `str(options)` writes it (`{'temperature': 0.3}`).
        let parsed =
            (try? JSONParser.parse(Array(text.utf8)))
            ?? PythonLiteral.json(text).flatMap { try? JSONParser.parse(Array($0.utf8)) }
        guard let value = parsed, let members = value.members else {
            return [Parameter("options", text)]
        }
        return members.compactMap { key, value in
            (value.scalarText ?? (value.isNull ? nil : JSONWriter.compact(value))).map { Parameter(key, $0) }
        }
    }
}
