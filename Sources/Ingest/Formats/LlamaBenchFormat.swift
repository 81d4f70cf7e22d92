import Records

/// llama.cpp's `llama-bench` results, from `-o json`, `-o csv` or `-o md`.
///
/// Every column that is not a measurement is part of the result's key:
/// llama-bench added columns over the years (n_ubatch, n_depth, flash_attn, ...)
/// and averaging across them is how comparison scripts went wrong.
enum LlamaBenchFormat {
    static let measurementKeys: Set<String> = [
        "avg_ns", "stddev_ns", "avg_ts", "stddev_ts", "samples_ns", "samples_ts", "test_time",
    ]
    /// Describe the machine or build, not the test: kept as environment.
    static let environmentKeys: Set<String> = [
        "build_commit", "build_number", "cpu_info", "gpu_info", "backends",
    ]
    static let testKeys: Set<String> = ["n_prompt", "n_gen", "n_depth"]

    static func matches(_ table: some Tabular) -> Bool {
        table.index(of: "avg_ts") != nil && (table.index(of: "n_prompt") != nil || table.index(of: "n_gen") != nil)
    }

    static func extract<Table: Tabular>(_ table: Table, shape: Shape) throws(Table.Failure) -> Extraction {
        var results: [LlamaBenchResult] = []
        var environment: [String: String] = [:]
        var budget = RecordBudget()
        let lower = table.header.map { $0.lowercased() }
        let column = { (name: String) in table.index(of: name) }
        let avgColumn = column("avg_ts")
        try table.forEachRow { row in
            guard let avg = avgColumn.flatMap({ row.double($0) }) else { return true }
            guard budget.admits(row.place) else { return false }
            func integer(_ name: String) -> Int {
                // Out-of-range or fractional counts read as absent, never as a trap.
                column(name).flatMap { row.double($0) }.flatMap { Int(exactly: $0) } ?? 0
            }
            var parameters: [Parameter] = []
            var rowEnvironment: [Parameter] = []
            for (index, name) in lower.enumerated() {
                if measurementKeys.contains(name) || testKeys.contains(name) || name == "model_type" { continue }
                if environmentKeys.contains(name) {
                    let value = row.string(index)
                    environment[name] = value
                    if !value.isEmpty { rowEnvironment.append(Parameter(name, value)) }
                    continue
                }
                parameters.append(Parameter(name, normalized(row.string(index))))
            }
            let testTime = column("test_time").map { row.string($0) }.flatMap { $0.isEmpty ? nil : $0 }
            let model =
                column("model_type").map { row.string($0) } ?? column("model_filename").map {
                    row.string($0)
                } ?? "unknown model"
            var samples = column("samples_ts").map { row.numbers($0, limit: budget.numbersLeft) } ?? []
            // Releases of 2023 list each repetition's time only: its rate is
            // the test's tokens over it, as llama-bench computes t/s.
            let tokens = Double(integer("n_prompt") + integer("n_gen"))
            if samples.isEmpty, tokens > 0, let times = column("samples_ns").map({ row.numbers($0, limit: budget.numbersLeft) }) {
                samples = times.compactMap { $0 > 0 ? tokens * 1e9 / $0 : nil }
            }
            // One repetition (`-r 1`) has no spread; llama-bench writes 0.
            let stddev = column("stddev_ts").flatMap { row.double($0) }.flatMap { sd in
                samples.count == 1 || (samples.isEmpty && sd == 0) ? nil : sd
            }
            budget.spend(entries: 1)
            budget.spend(numbers: samples.count + 2)
            budget.spend(text: model)
            budget.spend(parameters)
            budget.spend(rowEnvironment)
            results.append(
                LlamaBenchResult(
                    model: model,
                    test: testName(prompt: integer("n_prompt"), generated: integer("n_gen"), depth: integer("n_depth")),
                    parameters: parameters, tokensPerSecond: avg,
                    stddevTokensPerSecond: stddev, samples: samples,
                    environment: rowEnvironment, testTime: testTime))
            return true
        }
        return Extraction(
            shape: shape, environment: environment.map { Parameter($0.key, $0.value) }, llamaBench: results,
            notes: budget.note.map { [$0] } ?? [])
    }

    /// A setting as one text whatever the output format, so the same
    /// setting from both files is the same key: `-o json` writes booleans
    /// as true/false where `-o csv` writes 1/0, and `-o csv` a float as
    /// `-1.000000` where `-o json` writes `-1` (a build saved in one was
    /// never compared with one saved in the other).
    private static func normalized(_ value: String) -> String {
        switch value {
        case "true": return "1"
        case "false": return "0"
        default:
            // A plain decimal only: `0x0` and other texts stay as written.
            guard value.contains("."), value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
                let number = Double(value), number.isFinite
            else { return value }
            return ValueText.render(number)
        }
    }

    static func testName(prompt: Int, generated: Int, depth: Int) -> String {
        var name: String
        if prompt > 0 && generated > 0 {
            name = "pp\(prompt)+tg\(generated)"
        } else if generated > 0 {
            name = "tg\(generated)"
        } else {
            name = "pp\(prompt)"
        }
        if depth > 0 { name += " @ d\(depth)" }
        return name
    }

    /// `-o md`: `| model | size | params | backend | threads | test | t/s |`, t/s as `123.45 ± 1.23`.
    static func matches(_ table: MarkdownDocument.Table) -> Bool {
        let lower = table.header.map { $0.lowercased() }
        return lower.contains("test") && lower.contains("t/s")
    }

    static func extract(_ table: MarkdownDocument.Table) -> [LlamaBenchResult] {
        let lower = table.header.map { $0.lowercased() }
        guard let testIndex = lower.firstIndex(of: "test"), let rateIndex = lower.firstIndex(of: "t/s") else { return [] }
        let modelIndex = lower.firstIndex(of: "model")
        let build = table.trailer.map(build(trailer:)) ?? []
        return table.rows.compactMap { row in
            let parts = row[rateIndex].split(separator: "±").map { $0.trimmingCharacters() }
            guard let first = parts.first, let rate = NumberParsing.double(first) else { return nil }
            var parameters: [Parameter] = []
            for (index, name) in lower.enumerated() where index != testIndex && index != rateIndex && index != modelIndex {
                parameters.append(Parameter(name, row[index]))
            }
            return LlamaBenchResult(
                model: modelIndex.map { row[$0] } ?? "unknown model", test: row[testIndex], parameters: parameters,
                tokensPerSecond: rate, stddevTokensPerSecond: parts.count > 1 ? NumberParsing.double(parts[1]) : nil,
                samples: [], environment: build)
        }
    }

    /// The build `-o md` names under its table: `build: 3f5c7a1e (6543)`, as
    /// `build_commit` and `build_number`; nothing for any other line.
    static func build(trailer: String) -> [Parameter] {
        let text = trailer.trimmingBlanks()
        guard text.hasPrefix("build:") else { return [] }
        let rest = text.dropFirst("build:".count).trimmingCharacters()
        guard let open = rest.lastIndex(of: "("), rest.hasSuffix(")") else {
            return rest.isEmpty || rest.contains(" ") ? [] : [Parameter("build_commit", String(rest))]
        }
        let commit = rest[..<open].trimmingCharacters()
        let number = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)].trimmingCharacters()
        guard !commit.isEmpty, !commit.contains(" "), Int(number) != nil else { return [] }
        return [Parameter("build_commit", String(commit)), Parameter("build_number", String(number))]
    }
}
