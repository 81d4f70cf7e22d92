import Records

/// llama.cpp's `llama-batched-bench` and `llama-sweep-bench`: per case, the
/// prompt's and the generation's speed in tokens a second.
///
/// A case is a prompt length (`pp`), a generated length (`tg`) and a number
/// of parallel sequences (`pl`, the table's `B`); sweep-bench's cases are
/// KV depths (`n_kv`) instead. `-jsonl` writes a line a case:
///
///     {"n_kv_max": 16384, "n_batch": 2048, "n_ubatch": 512, "flash_attn": 0, "is_pp_shared": 0,
///      "n_gpu_layers": 99, "n_threads": 8, "n_threads_batch": 8, "pp": 128, "tg": 128, "pl": 4,
///      "n_kv": 1024, "t_pp": 0.373, "speed_pp": 1373.96, "t_tg": 6.878, "speed_tg": 74.44, "t": 7.251, "speed": 141.23}
///
/// and by default a table, `| PP | TG | B | N_KV | T_PP s | S_PP t/s | T_TG s
/// | S_TG t/s | T s | S t/s |`. Each case is a benchmark of its own (prefill
/// and decode, higher is better): read as a table of numbers, the decode
/// speeds at 1 and at 16 sequences were one median, and a night 20% slower
/// opened nothing.
enum LlamaBatchedBenchFormat {
    /// What a case is keyed on besides its lengths: the settings the JSON
    /// lines carry (speeds under another batch size or offload are not comparable).
    private static let settingKeys = [
        "n_kv_max", "n_batch", "n_ubatch", "flash_attn", "flash_attn_type", "is_pp_shared", "n_gpu_layers", "n_threads",
        "n_threads_batch",
    ]

    /// Every element an object with the lengths a case was measured at, and
    /// one at least with its speeds: a line missing one is said, not taken
    /// for another shape (its file was read as numbers pooled over the cases).
    static func matches(lines document: JSONValue) -> Bool {
        guard let lines = document.elements, !lines.isEmpty else { return false }
        return lines.allSatisfy { line in ["pp", "tg", "n_kv"].allSatisfy { line[$0]?.double != nil } }
            && lines.contains { $0["speed_pp"] != nil && $0["speed_tg"] != nil }
    }

    static func extract(lines document: JSONValue) -> Extraction {
        let lines = document.elements ?? []
        let sweep = lines.allSatisfy { $0["pl"] == nil }
        var cases = Cases()
        var budget = RecordBudget()
        for (index, line) in lines.enumerated() {
            guard budget.admits("line \(index + 1)") else { break }
            guard let pp = line["pp"]?.scalarText, let tg = line["tg"]?.scalarText, let count = line[sweep ? "n_kv" : "pl"]?.scalarText else {
                cases.note("line \(index + 1) names no \(sweep ? "n_kv" : "pl"): left out")
                continue
            }
            let missing = ["speed_pp", "speed_tg"].filter { line[$0] == nil }
            if !missing.isEmpty { cases.note("line \(index + 1) has no \(missing.joined(separator: " or ")): its other figures read") }
            var parameters = [Parameter("pp", pp), Parameter("tg", tg), Parameter(sweep ? "n_kv" : "pl", count)]
            for key in settingKeys { if let value = line[key]?.scalarText { parameters.append(Parameter(key, TextCuts.text(value))) } }
            cases.add(
                prefill: line["speed_pp"]?.double, decode: line["speed_tg"]?.double, total: line["speed"]?.double,
                parameters: parameters, sweep: sweep)
            budget.spend(entries: 1)
            budget.spend(numbers: 3)
            budget.spend(parameters)
        }
        return Extraction(shape: .llamaBatchedBench, measurements: cases.measurements, notes: cases.allNotes + (budget.note.map { [$0] } ?? []))
    }

    /// batched-bench's table (`PP`, `TG`, `B`, `S_PP t/s`, `S_TG t/s`), and
    /// sweep-bench's (`PP`, `TG`, `N_KV`, no `B`).
    static func matches(_ table: MarkdownDocument.Table) -> Bool {
        let header = table.header.map { $0.uppercased() }
        return ["PP", "TG", "N_KV", "S_PP T/S", "S_TG T/S"].allSatisfy(header.contains)
    }

    /// Adds a table's cases to the file's.
    /// - Parameter settings: those the `main:` line above the table gives (`settings(in:)`), in a kept log.
    static func extract(_ table: MarkdownDocument.Table, settings: [Parameter], into cases: inout Cases) {
        let header = table.header.map { $0.uppercased() }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let pp = column("PP"), let tg = column("TG"), let kv = column("N_KV"), let prefill = column("S_PP T/S"),
            let decode = column("S_TG T/S")
        else { return }
        let parallel = column("B")
        let total = column("S T/S")
        for (index, row) in table.rows.enumerated() {
            let count = parallel ?? kv
            guard [pp, tg, count].allSatisfy({ NumberParsing.double(row[$0]) != nil }) else {
                cases.note("table at line \(table.line), row \(index + 1): its lengths are no numbers, left out")
                continue
            }
            // A cell that holds no number (`-nan`, `inf`) is said, as a speed of none is.
            func speed(_ column: Int?) -> Double? {
                guard let column else { return nil }
                return NumberParsing.double(row[column]) ?? .nan
            }
            let parameters = [Parameter("pp", row[pp]), Parameter("tg", row[tg]), Parameter(parallel == nil ? "n_kv" : "pl", row[count])]
            cases.add(
                prefill: speed(prefill), decode: speed(decode), total: speed(total), parameters: parameters + settings,
                sweep: parallel == nil)
        }
    }

    /// The settings the tools print above their table (`main: n_kv_max =
    /// 16384, n_batch = 2048, ..., flash_attn = 0, ...`), each with its line:
    /// two tables of one log, with flash attention off and on, are two
    /// benchmarks.
    static func settings(in text: ArraySlice<UInt8>) -> [(line: Int, parameters: [Parameter])] {
        let marker = Array("main: n_kv_max".utf8)
        guard text.firstRange(of: marker) != nil else { return [] }
        var found: [(line: Int, parameters: [Parameter])] = []
        for (index, line) in text.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where line.starts(with: marker) {
            let pairs = String(decoding: line.dropFirst("main: ".utf8.count), as: UTF8.self).split(separator: ",")
            var parameters: [Parameter] = []
            for pair in pairs {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0.trimmingCharacters()) }
                guard parts.count == 2, settingKeys.contains(parts[0]) else { continue }
                parameters.append(Parameter(parts[0], TextCuts.text(parts[1])))
            }
            found.append((index + 1, parameters))
        }
        return found
    }

    /// The cases of one file. A case written again further down is a later
    /// night's (`-jsonl >> all.jsonl`, `tee -a`): both are kept, and the
    /// analysis reads the last as the file's, the earlier as its history
    /// (`AppendedNights`).
    struct Cases {
        var measurements: [Measurement] = []
        /// What was left out.
        private var notes = CappedNotes { "\($0) more like these" }

        mutating func note(_ text: String) { notes.add(text) }

        var allNotes: [String] { notes.all }

        /// A case's prefill, decode and total speeds; the total is listed but
        /// not tested (it moves with the other two). A speed that is no
        /// number above zero (`inf` of a case too short to time, `-nan`) is
        /// left out and said.
        mutating func add(prefill: Double?, decode: Double?, total: Double?, parameters: [Parameter], sweep: Bool) {
            let tool = sweep ? "llama-sweep-bench" : "llama-batched-bench"
            for (name, value, tested) in [("prefill", prefill, true), ("decode", decode, true), ("total", total, false)] {
                guard let value else { continue }
                guard value.isFinite, value > 0 else {
                    let at = parameters.prefix(3).map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
                    note("\(name) speed at \(at) is \(value.isNaN ? "no number" : ValueText.render(value)), no speed: left out")
                    continue
                }
                measurements.append(
                    Measurement(
                        tool: tool, name: name, parameters: parameters, unit: "t/s", higherIsBetter: true, mean: value,
                        isRegressionTested: tested))
            }
        }
    }
}
