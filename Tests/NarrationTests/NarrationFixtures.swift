import Analysis
import Records

@testable import Narration

/// Facts made the way the daemon makes them: small extractions through the real `Analyzer`.
enum NarrationFixtures {
    static func runs(_ tokensPerSecond: [Double], ttft: [Double]) -> [LLMRun] {
        tokensPerSecond.indices.map { index in
            LLMRun(
                ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: tokensPerSecond[index],
                ttftSeconds: ttft[index], loadSeconds: 0.1, evalCount: 100)
        }
    }

    static func failed(_ count: Int, error: String) -> [LLMRun] {
        (0..<count).map { LLMRun(ordinal: 10 + $0, promptKey: UInt64(100 + $0), error: error) }
    }

    static func facts(_ files: [(String, Extraction)]) -> Facts {
        var analyzer = Analyzer(
            catalog: files.map { Analyzer.CatalogEntry(path: $0.0, shape: $0.1.shape, modelHint: $0.1.modelHint) })
        for (path, extraction) in files { analyzer.add(path: path, extraction: extraction) }
        let paths = files.map(\.0)
        let inputs = InputFacts(
            roots: ["/in"], filesSeen: files.count, filesAnalyzed: files.count, skipped: [], changed: paths, deleted: [],
            added: paths)
        return analyzer.finish(inputs: inputs, previous: nil, previousAt: nil)
    }

    static let gemmaFile = (
        "gemma3/gemma3_270m_runs.csv",
        Extraction(
            shape: .ollamaRuns,
            runSets: [
                RunSet(
                    model: "gemma3:270m", configuration: [],
                    runs: runs([66.1, 67.2, 68.43, 69.5, 70.2], ttft: [0.05, 0.06, 0.063, 0.07, 0.08]))
            ])
    )

    static let llamaFile = (
        "llama3/llama_quant_runs.csv",
        Extraction(
            shape: .ollamaRuns,
            runSets: [
                RunSet(
                    model: "llama3.1:8b-instruct-q4_0", configuration: [Parameter("num_ctx", "2048")],
                    runs: runs([30.1, 31.0, 32.58, 33.0, 34.2], ttft: [0.09, 0.092, 0.094, 0.1, 0.12])
                        + failed(2, error: "[WinError 10049] The requested address is not valid in its context"))
            ])
    )

    /// gemma3:270m: 5 runs, median 68.43 tok/s (p95 70.06), TTFT median 0.063 s.
    /// llama3.1:8b-instruct-q4_0 (num_ctx=2048): 5 ok and 2 failed runs, median
    /// 32.58 tok/s, TTFT median 0.094 s. 68.43 / 32.58 = 2.10; (68.43 − 32.58) /
    /// 32.58 = 110.0%; (68.43 − 32.58) / 68.43 = 52.4%.
    static func twoModels() -> Facts {
        facts([gemmaFile, llamaFile])
    }

    static func prompt() -> NarrativePrompt {
        NarrativePrompt(facts: twoModels())
    }

    static func grounding() -> Grounding {
        Grounding(prompt: prompt())
    }
}

/// Fact tables written by hand, for choices and checks the analysed fixtures
/// cannot reach (ties, one group, moves between sessions, a single session).
enum HandSheet {
    /// A row whose facts are `(key, shown, value, unit)`; a nil value is a text fact.
    static func row(_ id: String, _ subject: String, _ facts: [(String, String, Double?, String)]) -> FactSheet.Row {
        FactSheet.Row(
            id: id, subject: subject,
            facts: facts.map { Fact(id: id + "." + $0.0, key: $0.0, shown: $0.1, value: $0.2, unit: $0.3, priority: 0) })
    }

    /// A run group: `ok` runs at a median `tps` tok/s, with TTFT and a cold first run when given.
    static func group(_ id: String, _ subject: String, tps: String, ok: Int = 30, ttft: String? = nil, cold: String? = nil) -> FactSheet.Row {
        var facts: [(String, String, Double?, String)] = [("ok", String(ok), Double(ok), "runs"), ("failed", "0", 0, "runs")]
        facts.append(("tps.median", tps, Double(tps), "tok/s"))
        if let ttft { facts.append(("ttft.median", ttft, Double(ttft), "s")) }
        if let cold { facts.append(("cold.ttft", cold, Double(cold), "s")) }
        return row(id, subject, facts)
    }

    /// A move between two sessions (What Changed) with the verdict the table shows.
    static func move(
        _ id: String, _ subject: String, was: String, now: String, change: String, verdict: String, p: String? = nil
    )
        -> FactSheet.Row
    {
        var facts: [(String, String, Double?, String)] = [
            ("was", was, Double(was), "tok/s"), ("now", now, Double(now), "tok/s"),
            ("change", change, Double(change.replacingOccurrences(of: "%", with: "")), "%"), ("verdict", verdict, nil, ""),
        ]
        if let p { facts.append(("p", p, Double(p), "")) }
        return row(id, subject + " tps.median change", facts)
    }

    static func sheet(_ rows: [FactSheet.Row], models: [String] = []) -> FactSheet {
        FactSheet(rows: rows, models: models, files: [], configurationValues: [], vocabulary: [])
    }

    /// Three groups, a tie at the top: gemma3:1b and qwen3:4b at 90.5 tok/s, llama3.2:3b at 40.25.
    static func tiedAtTheTop() -> FactSheet {
        sheet(
            [group("Gaaa1", "gemma3:1b", tps: "90.5"), group("Gbbb2", "llama3.2:3b", tps: "40.25"), group("Gccc3", "qwen3:4b", tps: "90.5")],
            models: ["gemma3:1b", "llama3.2:3b", "qwen3:4b"])
    }

    /// Every kind of row at once: four groups (one cold, one with few runs),
    /// moves of each verdict, a failure, harness failures of one session, a sweep.
    static func everything() -> FactSheet {
        sheet(
            [
                move("Mreg1", "gemma3:1b", was: "95.10", now: "80.02", change: "-15.9%", verdict: "regression", p: "0.002"),
                move("Mimp2", "llama3.2:3b", was: "38.00", now: "44.10", change: "+16.1%", verdict: "better, significant", p: "0.010"),
                move("Minc3", "qwen3:4b [num_ctx=1024]", was: "51.00", now: "49.90", change: "-2.2%", verdict: "worse, not significant"),
                row("Fer14", "failure", [("runs", "1", 1, "runs"), ("error", "HTTP 500 from /api/generate", nil, "")]),
                row("Hall5", "harness failures", [("sessions", "1", 1, "sessions"), ("runs", "1", 1, "runs")]),
                row(
                    "Hcon6", "harness failure",
                    [("cause", "connection refused", nil, ""), ("sessions", "1", 1, "sessions"), ("runs", "3", 3, "runs")]),
                group("Gaaa1", "gemma3:1b", tps: "80.02", ttft: "0.051", cold: "1.204"),
                group("Gbbb2", "llama3.2:3b", tps: "44.1", ok: 1, ttft: "0.09"),
                group("Gccc3", "qwen3:4b [num_ctx=1024]", tps: "49.9", ok: 12),
                group("Gddd4", "phi4-mini:3.8b", tps: "12.75", ttft: "0.4"),
                row(
                    "Sswp7", "gemma3:1b sweep",
                    [
                        ("configs", "6", 6, ""), ("runs", "18", 18, "runs"), ("best.tps", "83.40", 83.4, "tok/s"),
                        ("best.tps.config", "num_ctx=2048 temperature=0.2", nil, ""), ("best.margin", "4.1%", 4.1, "%"),
                        ("noise.sd", "2.5%", 2.5, "%"), ("best.beats_noise", "yes", nil, ""), ("runs_needed", "9", 9, "runs"),
                        ("runs_needed.effect", "3.0%", 3, "%"),
                    ]),
            ],
            models: ["gemma3:1b", "llama3.2:3b", "qwen3:4b", "phi4-mini:3.8b"])
    }
}

extension HandSheet {
    /// Every table the property tests run over: the analysed fixtures, the
    /// hand-made tables and, where the checkout has it, the shared corpus
    /// (whole, and trimmed as the prompt shows it).
    static func all() throws -> [(name: String, sheet: FactSheet)] {
        var sheets: [(name: String, sheet: FactSheet)] = [
            ("two models", FactSheet(NarrationFixtures.twoModels())),
            ("one model", FactSheet(NarrationFixtures.facts([NarrationFixtures.gemmaFile]))),
            ("tied at the top", tiedAtTheTop()), ("everything", everything()),
        ]
        if let facts = try CorpusFacts.facts() {
            sheets.append(("corpus", FactSheet(facts)))
            sheets.append(("corpus prompt", NarrativePrompt(facts: facts).factSheet))
        }
        return sheets
    }

    /// A group row's median tok/s, read from the row itself.
    static func throughput(_ sheet: FactSheet, _ id: String) -> Double? {
        guard id.hasPrefix("G") else { return nil }
        return sheet.rows.first { $0.id == id }?.facts.first { $0.key == "tps.median" }?.value
    }

    /// The group rows with a median tok/s.
    static func groups(_ sheet: FactSheet) -> [String] {
        sheet.rows.map(\.id).filter { throughput(sheet, $0) != nil }
    }
}
