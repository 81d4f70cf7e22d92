import Records

/// SGLang's `bench_one_batch --result-filename`: a result a line, appended
/// run after run (`{"run_name", "batch_size", "input_len", "output_len",
/// "prefill_latency", "prefill_throughput", "median_decode_latency",
/// "median_decode_throughput", "total_latency", "overall_throughput"}`;
/// one with `output_len` 1 has no decode).
///
/// Each case (run name, batch size, input and output lengths) is a
/// benchmark: its prefill and decode rates tested, higher is better; the
/// overall rate and the latencies, which move with them, listed. A case
/// written again further down is a later night's (`AppendedNights`). Its
/// lines name no model: results are named after the file's path
/// (`Extraction.nameAfterPath`). Read as numbers, a batch size's nights
/// were one series, and a slower night opened nothing.
enum SGLangOneBatchFormat {
    static let tool = "sglang-one-batch"

    /// Each element a result: its case and its prefill and overall rates.
    static func matches(lines document: JSONValue) -> Bool {
        guard let lines = document.elements, !lines.isEmpty else { return false }
        return lines.allSatisfy { line in
            ["batch_size", "input_len", "output_len"].allSatisfy { line[$0]?.double != nil }
                && line["prefill_throughput"] != nil && line["overall_throughput"] != nil
        }
    }

    static func extract(lines document: JSONValue) -> Extraction {
        var measurements: [Measurement] = []
        var leftOut = CappedNotes { "\($0) more figures not above zero left out" }
        var budget = RecordBudget()
        for (index, line) in (document.elements ?? []).enumerated() {
            guard budget.admits("line \(index + 1)") else { break }
            var parameters: [Parameter] = []
            for key in ["run_name", "batch_size", "input_len", "output_len"] {
                if let value = line[key]?.scalarText { parameters.append(Parameter(key, TextCuts.text(value))) }
            }
            let figures: [(key: String, unit: String, higherIsBetter: Bool, tested: Bool)] = [
                ("prefill_throughput", "tok/s", true, true), ("median_decode_throughput", "tok/s", true, true),
                ("overall_throughput", "tok/s", true, false), ("prefill_latency", "s", false, false),
                ("median_decode_latency", "s", false, false), ("total_latency", "s", false, false),
            ]
            for figure in figures {
                guard let value = line[figure.key]?.double else { continue }
                guard value.isFinite, value > 0 else {
                    leftOut.add("line \(index + 1): \(figure.key) is \(ValueText.render(value)), none measured: left out")
                    continue
                }
                measurements.append(
                    Measurement(
                        tool: tool, name: figure.key, parameters: parameters, unit: figure.unit, higherIsBetter: figure.higherIsBetter,
                        mean: value, isRegressionTested: figure.tested))
            }
            budget.spend(entries: 1)
            budget.spend(numbers: figures.count)
            budget.spend(parameters)
        }
        return Extraction(shape: .sglangOneBatch, measurements: measurements, notes: leftOut.all + (budget.note.map { [$0] } ?? []))
    }
}
