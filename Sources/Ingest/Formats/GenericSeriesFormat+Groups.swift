import Records

/// A table of no known shape whose rows are measured under settings
/// (`date,kernel,compiler,jobs,seconds`: build times per compiler and job
/// count): its numbers are summarised per setting, never over them. A
/// parameter is never averaged over; `seconds` of gcc at 8 jobs and of
/// clang at 16 pooled is no figure of anything.
///
/// A setting is a column of text named as one (`compiler`, `backend`,
/// `mode`, ...) with a few values that repeat (not times, not a label of
/// every row), or a column of whole numbers with a few values named as a
/// setting is (`jobs`, `threads`, `batch_size`, `n_gpu_layers`), or of
/// numbers named as a model's sampling setting (`temperature`, `top_p`); and a
/// column of text naming the benchmark (`name`, `benchmark`, `test`, ...),
/// whatever its count of values. Each measured column becomes a series per combination of the settings
/// that vary: `seconds (compiler=gcc-12, jobs=8)`.
extension GenericSeriesFormat {
    /// What the first pass learns of a column to tell settings apart; it
    /// stops looking once the column has too many values to be one.
    struct ColumnProfile {
        var texts: Set<String> = []
        /// Cells that hold no number (`N/A`, `-`): a value of a column of
        /// text (`allocator` = `none`), none of a column of numbers (`jobs`
        /// = 8, `N/A` is one value, where counted it made two).
        var markers: Set<String> = []
        var numbers: Set<Double> = []
        var cells = 0
        var allWhole = true
        var allTimes = true
        /// Of the cells profiled as text, how many were times: a column of
        /// times with a `N/A` or a `NaT` among them still dates its rows.
        var textCells = 0
        var timeCells = 0
        /// The first text cell that is no time, for a note when a column of
        /// dates is not read as one (`11/01/2026`).
        var firstNonTime: String?

        var distinct: Int { texts.count + numbers.count + (numbers.isEmpty ? markers.count : 0) }
        var isSettled: Bool { distinct > GenericSeriesFormat.maximumSettingValues }

        mutating func add(number: Double) {
            cells += 1
            allTimes = false
            if number != number.rounded() { allWhole = false }
            if !isSettled { numbers.insert(number) }
        }

        /// `isTime`: the cell is a timestamp or a clock's reading (`12:30`).
        mutating func add(text: String, isTime: Bool) {
            cells += 1
            let isMarker = MissingValue.isMarker(text)
            // A `NaN` among whole numbers leaves them whole (`jobs` 1, 2, `N/A`).
            if !isMarker { allWhole = false }
            countText(isTime: isTime, text: { text })
            // A date the timestamp reader does not take (`12/01/2026`) is a time too.
            if !isTime && !GenericSeriesFormat.looksLikeDate(text) { allTimes = false }
            if isSettled {
                return
            } else if isMarker {
                markers.insert(text)
            } else {
                texts.insert(text)
            }
        }

        /// A cell of text counted for whether the column dates its rows.
        mutating func countText(isTime: Bool, text: () -> String) {
            textCells += 1
            if isTime { timeCells += 1 } else if firstNonTime == nil { firstNonTime = text() }
        }
    }

    /// `12/01/2026`, `01.12.2026`, `2026/12/01`: a date in a local style.
    static func looksLikeDate(_ text: String) -> Bool {
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" })
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return false
        }
        return parts.contains { $0.count == 4 } || parts.last?.count == 2
    }

    /// The most values a setting takes: more, and the column labels rows.
    static let maximumSettingValues = 20

    /// Whole-number columns whose name makes them a setting (lower-cased,
    /// `-` read as `_`). Names only: a count such as `n_errors` or
    /// `workers_busy` is measured, so no prefix or word makes one.
    private static let settingNames: Set<String> = [
        "jobs", "j", "threads", "nthreads", "n_threads", "num_threads", "num_thread", "threads_batch", "n_threads_batch",
        "batch", "batch_size", "bs", "n_batch", "ubatch", "n_ubatch", "concurrency", "max_concurrency", "parallel", "n_parallel",
        "workers", "num_workers", "cores", "cpus", "nproc", "procs", "level", "compression_level", "opt_level", "depth", "n_depth",
        "ngl", "n_gpu_layers", "num_gpu", "ctx", "n_ctx", "num_ctx", "ctx_size", "context_size", "n_prompt", "n_gen", "pp", "tg",
        "clients", "connections", "replicas", "request_rate", "iodepth", "numjobs", "block_size", "bs_kb",
        "top_k", "num_predict", "n_predict", "max_tokens", "max_new_tokens", "gpu_layers", "num_gpu_layers", "context",
        "context_length", "ctx_len",
    ]

    /// Numeric columns whose name makes them a setting when their values
    /// are a sampler's (0 to 2): a model's sampling settings, fractions as a
    /// rule (`temp` 0.2 and 0.7 are two configurations, and latency pooled
    /// over them is a figure of neither). A GPU's `temp` of 64 to 67 degrees
    /// is measured.
    private static let fractionalSettingNames: Set<String> = [
        "temp", "temperature", "top_p", "min_p", "typical_p", "tfs_z", "repeat_penalty", "repetition_penalty", "presence_penalty",
        "frequency_penalty",
    ]

    /// Names compared as `ColumnName` spells them (`GPU Layers` is `gpu_layers`).
    static func namesSetting(_ header: String) -> Bool {
        settingNames.contains(ColumnName.canonical(header))
    }

    static func namesFractionalSetting(_ header: String) -> Bool {
        fractionalSettingNames.contains(ColumnName.canonical(header))
    }

    /// Whether a column named as a sampling setting holds a sampler's values.
    static func isSamplingSetting(_ header: String, _ profile: ColumnProfile) -> Bool {
        namesFractionalSetting(header) && !profile.numbers.isEmpty && profile.numbers.allSatisfy { $0 >= -2 && $0 <= 2 }
    }

    /// Text columns whose name makes them a setting, by word: what a run
    /// was built or run with. A status, a weekday or a commit labels runs
    /// and splits nothing (a commit is the code under test, not a setting).
    private static let textSettingWords: Set<String> = [
        "compiler", "cc", "cxx", "toolchain", "backend", "model", "config", "configuration", "variant", "mode", "flags", "opt",
        "optimization", "precision", "dtype", "quant", "quantization", "device", "gpu", "arch", "target", "build", "profile",
        "engine", "runtime", "library", "lib", "impl", "implementation", "algorithm", "method", "scenario", "workload", "dataset",
        "host", "hostname", "machine", "node", "kernel", "version", "allocator", "scheduler", "governor", "filesystem", "fs",
        // What a load test's row measured, when its values repeat (JMeter's `label`).
        "label", "api", "sampler",
    ]

    static func namesTextSetting(_ header: String) -> Bool {
        header.lowercased().split { !$0.isLetter }.contains { textSettingWords.contains(String($0)) }
    }

    /// Text columns that name what a row measured, by their whole name
    /// (`name`, `benchmark`, `test_name`, ...; `-` and blanks read as `_`):
    /// `fast_path` at 1 ms and `slow_path` at 100 ms are two benchmarks, and
    /// one median of both is no figure of either. Such a column splits
    /// however many values it has, one each too. Whole names only: a
    /// `test_status`, a `task_id` or a `run_name` labels runs, and splits nothing.
    private static let benchmarkNameColumns: Set<String> = [
        "name", "benchmark", "bench", "test", "case", "task", "op", "operation", "function", "query", "benchmark_name", "bench_name",
        "test_name", "testname", "test_case", "testcase", "case_name", "task_name", "op_name", "operation_name", "function_name",
        "query_name", "kernel_name",
        // What a load test's row requested: an endpoint's latency pooled with
        // another's is no figure of either, however many endpoints there are.
        "endpoint", "url", "route", "request", "transaction", "endpoint_name", "request_name", "transaction_name",
        // A tool's summary in long form, one row per figure (genai-perf's
        // `Metric,avg,min,max,...`): a millisecond pooled with a token count is neither.
        "metric", "metric_name",
        // A summary naming each model once (`| Model | Tokens/s |`): one
        // median of two models' speeds is neither's.
        "model", "model_name", "model_id",
    ]

    static func namesBenchmark(_ header: String) -> Bool {
        let name = String(header.lowercased().map { $0 == "-" || $0 == " " ? "_" : $0 })
        return benchmarkNameColumns.contains(name)
    }

    /// The columns that are settings, given each column's profile and
    /// whether it read as numbers: each takes two or more values.
    static func settingColumns(_ profiles: [ColumnProfile], numeric: [Bool], header: [String], rows: Int) -> [Int] {
        profiles.indices.filter { column in
            let profile = profiles[column]
            let values = profile.distinct
            // A column naming the benchmark: two or more names, none a time.
            if !numeric[column], values >= 2, profile.cells == rows, !profile.allTimes, namesBenchmark(header[column]) { return true }
            guard values >= 2, values <= maximumSettingValues, profile.cells == rows else { return false }
            if numeric[column] { return (profile.allWhole && namesSetting(header[column])) || isSamplingSetting(header[column], profile) }
            // Text: named as a setting, not times (a date splits nothing), and values that repeat.
            return namesTextSetting(header[column]) && !profile.allTimes && values < rows
        }
    }

    /// The measured columns' values per combination of `settings`, in the
    /// order combinations first appear, named `column (setting=value, ...)`:
    /// over the first `rows` rows, those the first pass read. Values below
    /// zero in an `elapsed` column are left out (`namesElapsedTime`).
    static func grouped<Table: Tabular>(
        _ table: Table, rows: Int, settings: [(column: Int, name: String)], measured: [(column: Int, name: String)],
        elapsed: Set<Int> = [], notes: inout [String]
    ) throws(Table.Failure) -> [Series] {
        var order: [String] = []
        var values: [String: [[Double]]] = [:]
        var read = 0
        var leftOut = 0
        var negative = [Int](repeating: 0, count: measured.count)
        try table.forEachRow { row in
            guard read < rows else { return false }
            read += 1
            let key = settingsOf(row, settings).rendered
            if values[key] == nil {
                guard order.count * measured.count < maximumSeries else {
                    leftOut += 1
                    return true
                }
                order.append(key)
                values[key] = Array(repeating: [], count: measured.count)
            }
            for (index, column) in measured.enumerated() where !row.isBlank(column.column) {
                let cell = measuredValue(row, column.column)
                if let cell, cell < 0, elapsed.contains(column.column) {
                    negative[index] += 1
                } else if let cell {
                    values[key]?[index].append(cell)
                }
            }
            return true
        }
        notes += splitNotes(negative: negative, columns: measured.map(\.column), header: table.header, leftOut: leftOut, kept: order.count)
        var series: [Series] = []
        for key in order {
            for (index, column) in measured.enumerated() {
                if let kept = values[key]?[index], !kept.isEmpty { series.append(Series(name: "\(column.name) (\(key))", values: kept)) }
            }
        }
        return series
    }

    /// The settings a row was measured under, as its series are named (`compiler=gcc, jobs=8`).
    static func settingsOf(_ row: some TabularRow, _ settings: [(column: Int, name: String)]) -> [Parameter] {
        settings.map { Parameter($0.name, TextCuts.text(row.string($0.column).trimmingBlanks())) }
    }

    /// A measured cell's number, a clock's reading (`1:02.50`) in seconds; nil when it holds neither.
    static func measuredValue(_ row: some TabularRow, _ column: Int) -> Double? {
        row.double(column) ?? ClockDuration(row.string(column))?.seconds
    }

    /// What a reading split by settings left out, said: values below zero in
    /// the elapsed-time `columns` (`negative`, per column), and rows of
    /// settings past the `kept` combinations.
    static func splitNotes(negative: [Int], columns: [Int], header: [String], leftOut: Int, kept: Int) -> [String] {
        var notes = zip(negative, columns).filter { $0.0 > 0 }.map { negativeTimesNote($0.0, column: header[$0.1]) }
        if leftOut > 0 {
            notes.append("\(leftOut) row(s) of settings past the first \(kept) combinations left out (at most \(maximumSeries) series)")
        }
        return notes
    }
}
