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
    private static let settings = [
        "n_kv_max", "n_batch", "n_ubatch", "flash_attn", "flash_attn_type", "is_pp_shared", "n_gpu_layers", "n_threads",
        "n_threads_batch",
    ]

    /// Every element an object with both speeds (a `-nan` one read as none)
    /// and the lengths they were measured at.
    static func matches(lines document: JSONValue) -> Bool {
        guard let lines = document.elements, !lines.isEmpty else { return false }
        return lines.allSatisfy { line in
            ["pp", "tg", "n_kv"].allSatisfy { line[$0]?.double != nil } && line["speed_pp"] != nil && line["speed_tg"] != nil
        }
    }

    static func extract(lines document: JSONValue) -> Extraction {
        let lines = document.elements ?? []
        let sweep = lines.allSatisfy { $0["pl"] == nil }
        var measurements: [Measurement] = []
        var notes: [String] = []
        var budget = RecordBudget()
        for (index, line) in lines.enumerated() {
            guard budget.admits("line \(index + 1)") else { break }
            var parameters = [Parameter("pp", text(line["pp"])), Parameter("tg", text(line["tg"]))]
            parameters.append(sweep ? Parameter("n_kv", text(line["n_kv"])) : Parameter("pl", text(line["pl"])))
            for key in settings { if let value = line[key]?.scalarText { parameters.append(Parameter(key, TextCuts.text(value))) } }
            measurements += figures(
                prefill: line["speed_pp"]?.double, decode: line["speed_tg"]?.double, total: line["speed"]?.double,
                parameters: parameters, sweep: sweep, notes: &notes)
            budget.spend(entries: 1)
            budget.spend(numbers: 3)
            budget.spend(parameters)
        }
        if let note = budget.note { notes.append(note) }
        return Extraction(shape: .llamaBatchedBench, measurements: measurements, notes: notes)
    }

    /// batched-bench's table (`PP`, `TG`, `B`, `S_PP t/s`, `S_TG t/s`), and
    /// sweep-bench's (`PP`, `TG`, `N_KV`, no `B`).
    static func matches(_ table: MarkdownDocument.Table) -> Bool {
        let header = table.header.map { $0.uppercased() }
        return ["PP", "TG", "N_KV", "S_PP T/S", "S_TG T/S"].allSatisfy(header.contains)
    }

    static func extract(_ table: MarkdownDocument.Table, notes: inout [String]) -> [Measurement] {
        let header = table.header.map { $0.uppercased() }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let pp = column("PP"), let tg = column("TG"), let kv = column("N_KV"), let prefill = column("S_PP T/S"),
            let decode = column("S_TG T/S")
        else { return [] }
        let parallel = column("B")
        let total = column("S T/S")
        var measurements: [Measurement] = []
        for row in table.rows {
            func number(_ index: Int?) -> Double? { index.flatMap { NumberParsing.double(row[$0]) } }
            guard number(pp) != nil, number(tg) != nil else { continue }
            var parameters = [Parameter("pp", row[pp]), Parameter("tg", row[tg])]
            parameters.append(parallel.map { Parameter("pl", row[$0]) } ?? Parameter("n_kv", row[kv]))
            measurements += figures(
                prefill: number(prefill), decode: number(decode), total: number(total), parameters: parameters, sweep: parallel == nil,
                notes: &notes)
        }
        return measurements
    }

    /// A case's prefill, decode and total speeds; the total is listed but
    /// not tested (it moves with the other two). A speed that is no number
    /// above zero (`inf` of a case too short to time, `-nan`) is left out and said.
    private static func figures(
        prefill: Double?, decode: Double?, total: Double?, parameters: [Parameter], sweep: Bool, notes: inout [String]
    ) -> [Measurement] {
        let tool = sweep ? "llama-sweep-bench" : "llama-batched-bench"
        var measurements: [Measurement] = []
        for (name, value, tested) in [("prefill", prefill, true), ("decode", decode, true), ("total", total, false)] {
            guard let value else { continue }
            guard value.isFinite, value > 0 else {
                let at = parameters.prefix(3).map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
                notes.append("\(name) speed at \(at) is \(ValueText.render(value)), no speed: left out")
                continue
            }
            measurements.append(
                Measurement(
                    tool: tool, name: name, parameters: parameters, unit: "t/s", higherIsBetter: true, mean: value,
                    isRegressionTested: tested))
        }
        return measurements
    }

    /// A length or a count as written (`128`), whole numbers without a fraction.
    private static func text(_ value: JSONValue?) -> String {
        value?.scalarText ?? "?"
    }
}
