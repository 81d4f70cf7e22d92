import Narration
import Analysis
import Foundation
import Records
import Testing

@testable import Reporting

// MARK: - Fixtures shared by the reporting tests

/// Facts made the way the daemon makes them: small extractions through the real `Analyzer`.
enum ReportFixtures {
    static let date = Date(timeIntervalSince1970: 1_763_840_701)  // 2025-11-22 19:45:01 UTC

    static func context(
        reportSeconds: Double? = nil, narrative: NarrativeOutcome = .unavailable("model.backend is none")
    ) -> ReportContext {
        ReportContext(
            generatedAt: date, trigger: .manual, agent: "chimerad 0.1.0", modelLine: "none",
            configurationLine: "inputs=/in, model=none", persona: NarrativePrompt.defaultPersona,
            narrative: narrative,
            timings: ReportContext.Timings(
                ingestSeconds: 1.25, analysisSeconds: 0.5, narrativeSeconds: narrative.calls.isEmpty ? 0 : 4.5,
                reportSeconds: reportSeconds))
    }

    /// Successful runs, one per throughput value, with the matching TTFT.
    static func runs(_ tokensPerSecond: [Double], ttft: [Double]? = nil, load: [Double]? = nil) -> [LLMRun] {
        tokensPerSecond.indices.map { index in
            LLMRun(
                ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: tokensPerSecond[index],
                ttftSeconds: ttft?[index], loadSeconds: load?[index], evalCount: 100)
        }
    }

    static func failedRuns(_ count: Int, error: String, from ordinal: Int = 0) -> [LLMRun] {
        (0..<count).map { LLMRun(ordinal: ordinal + $0, promptKey: UInt64(1000 + ordinal + $0), error: error) }
    }

    static func inputs(
        files: Int, skipped: [InputFacts.Skipped] = [], changed: [String] = [], deleted: [String] = [],
        added: [String] = []
    ) -> InputFacts {
        InputFacts(
            roots: ["/in"], filesSeen: files + skipped.count, filesAnalyzed: files, skipped: skipped,
            changed: changed, deleted: deleted, added: added)
    }

    static func facts(
        _ files: [(String, Extraction)], inputs: InputFacts? = nil, previous: ReportDigest? = nil, previousAt: String? = nil
    ) -> Facts {
        var analyzer = Analyzer(
            catalog: files.map { Analyzer.CatalogEntry(path: $0.0, shape: $0.1.shape, modelHint: $0.1.modelHint) })
        for (path, extraction) in files { analyzer.add(path: path, extraction: extraction) }
        return analyzer.finish(inputs: inputs ?? self.inputs(files: files.count), previous: previous, previousAt: previousAt)
    }

    static let skipped = [
        InputFacts.Skipped(path: "/in/odd|name.csv", reason: "no known shape | header: a|b"),
        InputFacts.Skipped(path: "/in/huge.bin", reason: "larger than ingest.max_file_bytes (268435456 bytes)"),
        InputFacts.Skipped(path: "/in/plain.txt", reason: "not a benchmark file"),
    ]

    /// alpha: 4 clean runs (tok/s 10, 20, 30, 40; TTFT 0.1 ... 0.4), no configuration;
    /// beta: 2 runs under num_ctx=2048, both failed.
    static func basic() -> Facts {
        facts(
            [
                (
                    "/in/alpha.csv",
                    Extraction(
                        shape: .ollamaRuns,
                        runSets: [RunSet(model: "alpha", configuration: [], runs: runs([10, 20, 30, 40], ttft: [0.1, 0.2, 0.3, 0.4]))])
                ),
                (
                    "/in/beta.csv",
                    Extraction(
                        shape: .ollamaRuns,
                        runSets: [
                            RunSet(
                                model: "beta", configuration: [Parameter("num_ctx", "2048")],
                                runs: failedRuns(2, error: "connection refused"))
                        ])
                ),
            ], inputs: inputs(files: 2, skipped: skipped, changed: ["/in/alpha.csv", "/in/beta.csv"], added: ["/in/alpha.csv", "/in/beta.csv"]))
    }

    /// The files of `rich()`, so a test can add to them.
    /// zeta: 8 runs a report, all slower now than any before (a significant regression).
    static func richFiles(alpha: [Double] = [10, 20, 30, 40], zeta: [Double] = (0..<8).map { 80 + Double($0) }) -> [(String, Extraction)] {
        [
            (
                "/in/zeta.csv",
                Extraction(
                    shape: .ollamaRuns,
                    runSets: [RunSet(model: "zeta", configuration: [], runs: runs(zeta, ttft: zeta.map { _ in 0.2 }))])
            ),
            (
                "/in/alpha.csv",
                Extraction(
                    shape: .ollamaRuns, environment: [Parameter("gpu", "RTX 4090")],
                    runSets: [RunSet(model: "alpha", configuration: [], runs: runs(alpha, ttft: [0.1, 0.2, 0.3, 0.4]))],
                    notes: ["2 rows without a model name"])
            ),
            (
                "/in/beta.csv",
                Extraction(
                    shape: .ollamaRuns,
                    runSets: [
                        RunSet(model: "beta", configuration: [Parameter("num_ctx", "2048")], runs: failedRuns(2, error: "connection refused"))
                    ])
            ),
            (
                "/in/epsilon.csv",
                Extraction(
                    shape: .ollamaRuns,
                    runSets: [
                        RunSet(
                            model: "epsilon", configuration: [Parameter("num_gpu", "99")],
                            runs: runs([70, 72, 74], ttft: [0.05, 0.06, 0.07]) + failedRuns(1, error: "HTTP 500 from server", from: 3))
                    ])
            ),
            (
                "/in/delta.csv",
                Extraction(
                    shape: .ollamaRuns,
                    runSets: [
                        RunSet(
                            model: "delta", configuration: [],
                            runs: runs([30, 31, 32, 33, 34, 35], ttft: [2.5, 0.2, 0.21, 0.22, 0.23, 0.24], load: [6, 0.1, 0.1, 0.1, 0.1, 0.1]))
                    ])
            ),
            (
                "/in/gamma_param_tuning.csv",
                Extraction(
                    shape: .parameterSweep,
                    runSets: [1024, 2048, 4096].enumerated().map { index, context in
                        RunSet(
                            model: "gamma", configuration: [Parameter("num_ctx", String(context)), Parameter("temperature", "0.7")],
                            runs: runs([50 + 5 * Double(index)], ttft: [0.3 - 0.05 * Double(index)]))
                    })
            ),
            (
                "/in/compile.json",
                Extraction(
                    shape: .compilationBench,
                    compilation: [
                        CompilationResult(
                            model: "resnet18", backend: "eager", succeeded: true, error: nil, compileSeconds: nil,
                            meanMilliseconds: 10, stddevMilliseconds: 0.5, minMilliseconds: 9, maxMilliseconds: 11,
                            parameters: [Parameter("device", "cuda")]),
                        CompilationResult(
                            model: "resnet18", backend: "inductor", succeeded: true, error: nil, compileSeconds: 31.5,
                            meanMilliseconds: 4, stddevMilliseconds: 0.25, minMilliseconds: 3.5, maxMilliseconds: 5,
                            parameters: [Parameter("device", "cuda")]),
                        CompilationResult(
                            model: "resnet18", backend: "tensorrt", succeeded: false, error: "missing libnvinfer.so.8 | abort",
                            compileSeconds: nil, meanMilliseconds: nil, stddevMilliseconds: nil, minMilliseconds: nil,
                            maxMilliseconds: nil, parameters: [Parameter("device", "cuda")]),
                    ])
            ),
            (
                "/in/llama-bench.json",
                Extraction(
                    shape: .llamaBenchJSON,
                    llamaBench: [
                        LlamaBenchResult(
                            model: "llama 7B Q4_0", test: "pp512", parameters: [Parameter("n_gpu_layers", "99")],
                            tokensPerSecond: 1000.5, stddevTokensPerSecond: 5, samples: [995, 1000, 1006]),
                        LlamaBenchResult(
                            model: "llama 7B Q4_0", test: "tg128", parameters: [Parameter("n_gpu_layers", "99")],
                            tokensPerSecond: 50.25, stddevTokensPerSecond: 0.5, samples: [50, 50.5]),
                    ])
            ),
            (
                "/in/hyperfine.json",
                Extraction(
                    shape: .hyperfine,
                    measurements: [
                        Measurement(tool: "hyperfine", name: "sort 1k", unit: "s", mean: 0.5, median: 0.5, stddev: 0.01, count: 10),
                        Measurement(tool: "hyperfine", name: "sort 10k", unit: "s", mean: 2, median: 2, stddev: 0.1, count: 10),
                    ])
            ),
            (
                "/in/latency.csv",
                Extraction(shape: .genericCSV, series: [Series(name: "latency_ms", values: [1, 2, 3, 4])])
            ),
        ]
    }

    /// Every section has content: runs, failures, a sweep, a cold start,
    /// compilation, llama-bench, other benchmarks, series, skipped files, and a
    /// previous report to compare with (zeta got significantly slower since;
    /// alpha got slower over too few runs to tell).
    static func rich() -> Facts {
        let before = facts(richFiles(alpha: [20, 30, 40, 50], zeta: (0..<8).map { 100 + Double($0) }))
        let files = richFiles()
        var rich = facts(
            files,
            inputs: inputs(
                files: files.count, skipped: skipped, changed: ["/in/alpha.csv", "/in/latency.csv", "/in/zeta.csv"],
                added: ["/in/latency.csv"]),
            previous: ReportDigest(before.runGroups), previousAt: "2025-11-21 08:00:00 UTC")
        rich.apply(RegressionState(open: [zetaRegression], opened: [zetaRegression]))
        return rich
    }

    /// What the store would hold after zeta's slower session landed: one
    /// open regression, opened by this report.
    static let zetaRegression = Regression(
        id: 7, model: "zeta", configuration: [], metric: .tokensPerSecond, baseline: .init(median: 103.5, n: 8),
        baselineSessions: 1, current: .init(median: 83.5, n: 8), currentSources: ["/in/zeta.csv"], changePercent: -19.3,
        intervalPercent: -21.2 ... -17.4, pValue: 0.000155, qValue: 0.00031, openedAt: "2025-11-21T09:00:00Z")

    /// No files analysed at all.
    static func empty() -> Facts {
        facts([], inputs: inputs(files: 0))
    }
}

/// Parses JSON text with Foundation, so the tests do not trust the renderer's own idea of JSON.
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

extension Dictionary where Key == String, Value == Any {
    func object(_ key: String) throws -> [String: Any] { try #require(self[key] as? [String: Any], "\(key) is not an object") }
    func list(_ key: String) throws -> [Any] { try #require(self[key] as? [Any], "\(key) is not an array") }
    func text(_ key: String) throws -> String { try #require(self[key] as? String, "\(key) is not a string") }
    func integer(_ key: String) throws -> Int { try #require(self[key] as? Int, "\(key) is not an integer") }
    func number(_ key: String) throws -> Double { try #require(self[key] as? Double, "\(key) is not a number") }
    func isNull(_ key: String) -> Bool { self[key] is NSNull }
}

// MARK: - JSONValue writing

@Suite("JSONValue writing")
struct JSONValueWritingTests {
    @Test("strings escape quotes, backslashes and control characters")
    func escaping() throws {
        let text = "say \"hi\" \\ path\\to\nnext\tcol\rret\u{01}\u{1F}\u{08}\u{0C} é 😀 </script>"
        let rendered = JSONValue.string(text).rendered()
        #expect(rendered == #""say \"hi\" \\ path\\to\nnext\tcol\rret\u0001\u001f\u0008\u000c é 😀 </script>""#)
        #expect(try parseJSON(rendered) as? String == text)
        // Plain text takes the fast path unchanged.
        #expect(JSONValue.string("plain ünïcode").rendered() == "\"plain ünïcode\"")
        // Keys are escaped the same way.
        let object = JSONValue.object([("a\"b\nc", .int(1))]).rendered(pretty: false)
        #expect(object == #"{"a\"b\nc":1}"#)
        #expect(try (parseJSON(object) as? [String: Any])?["a\"b\nc"] as? Int == 1)
    }

    @Test("every control character round-trips through Foundation")
    func allControlCharacters() throws {
        let text = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init))) + "\u{7F}"
        let rendered = JSONValue.string(text).rendered()
        #expect(!rendered.unicodeScalars.dropFirst().dropLast().contains { $0.value < 0x20 })
        #expect(try parseJSON(rendered) as? String == text)
    }

    @Test("DEL, C1 controls and the Unicode line separators are escaped too, and round-trip")
    func terminalAndLineControls() throws {
        let text = "esc\u{1B}[31m del\u{7F} csi\u{9B}1m nel\u{85} c1\u{80}\u{9F} ls\u{2028} ps\u{2029} keep\u{A0}é→—"
        let rendered = JSONValue.string(text).rendered()
        #expect(rendered == #""esc\u001b[31m del\u007f csi\u009b1m nel\u0085 c1\u0080\u009f ls\u2028 ps\u2029 keep\#u{A0}é→—""#)
        #expect(try parseJSON(rendered) as? String == text)
        // Each alone, so the fast scan is what finds it.
        for scalar in ["\u{7F}", "\u{80}", "\u{9B}", "\u{2028}", "\u{2029}"] {
            #expect(!JSONValue.string("a" + scalar + "b").rendered().contains(scalar))
        }
    }

    @Test("every scalar up to U+2FFF, and astral ones, survives quoting, keys included, and no raw control is written")
    func everyScalarRoundTrips() throws {
        var text = ""
        for value in UInt32(0)...0x2FFF where !(0xD800...0xDFFF).contains(value) {
            text.unicodeScalars.append(Unicode.Scalar(value) ?? "?")
        }
        text += "\u{1F600}\u{10FFFF}e\u{301}"
        let rendered = JSONValue.object([(key: text, value: .array([.string(text), .string("")]))]).rendered(pretty: false)
        let object = try #require(try parseJSON(rendered) as? [String: Any])
        #expect(object.keys.first == text)
        #expect((object[text] as? [String]) == [text, ""])
        let raw = rendered.unicodeScalars.filter {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029
        }
        #expect(raw.isEmpty)
        // At the ends of the text too, where an escape's bytes could be cut short.
        for edge in ["\u{85}", "\u{2029}", "\u{1B}", "\u{C0}", "\u{2030}"] {
            #expect(try parseJSON(JSONString.quoted(edge)) as? String == edge)
            #expect(try parseJSON(JSONString.quoted("x" + edge)) as? String == "x" + edge)
        }
    }

    @Test(
        "whole numbers are written without a fraction, others as shortest decimals",
        arguments: [
            (25.0, "25"), (-3.0, "-3"), (0.0, "0"), (38.5, "38.5"), (0.1, "0.1"), (12.909944487358056, "12.909944487358056"),
            (123_456_789_012.0, "123456789012"),
        ])
    func numbers(value: Double, expected: String) throws {
        let rendered = JSONValue.number(value).rendered()
        #expect(rendered == expected)
        // The text is the exact value; Foundation on Linux reads long decimals
        // through NSDecimalNumber, which can be off in the last bits.
        #expect(Double(rendered) == value)
        let parsed = try #require(try parseJSON(rendered) as? Double)
        #expect(abs(parsed - value) <= abs(value) * 1e-14)
    }

    @Test(
        "very large and very small numbers stay valid JSON",
        arguments: [1e15, 1e300, -2.5e20, 1e-7, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude])
    func extremeNumbers(value: Double) throws {
        let rendered = JSONValue.number(value).rendered()
        #expect(Double(rendered) == value)
        #expect(try parseJSON(rendered) as? Double == value)
    }

    @Test("absent, NaN and infinite numbers become null", arguments: [nil, Double.nan, Double.infinity, -Double.infinity])
    func nonFiniteNumbers(value: Double?) throws {
        #expect(JSONValue.number(value) == .null)
        #expect(JSONValue.number(value).rendered() == "null")
        #expect(try parseJSON(JSONValue.object([("x", .number(value))]).rendered()) as? [String: Any] != nil)
    }

    /// `.number(x)` with a non-optional `Double` is the enum case itself, not the
    /// finite-checking factory; JSONReport uses it for timings, sweep results and
    /// llama-bench rows.
    @Test("a non-finite number never makes invalid JSON", arguments: [Double.nan, Double.infinity])
    func nonFiniteCase(value: Double) throws {
        let text = JSONValue.object([("x", JSONValue.number(value))]).rendered()
        #expect(text == "{\n  \"x\": null\n}")
        #expect((try? parseJSON(text)) != nil)
    }

    @Test("integers, booleans, null and optional strings")
    func scalars() {
        #expect(JSONValue.int(42).rendered() == "42")
        #expect(JSONValue.int(-7).rendered() == "-7")
        #expect(JSONValue.bool(true).rendered() == "true")
        #expect(JSONValue.bool(false).rendered() == "false")
        #expect(JSONValue.null.rendered() == "null")
        #expect(JSONValue.string(nil as String?).rendered() == "null")
        #expect(JSONValue.string("x" as String?).rendered() == "\"x\"")
        #expect(JSONValue.strings([]).rendered() == "[]")
        #expect(JSONValue.object([]).rendered() == "{}")
    }

    @Test("object keys keep the order given")
    func keyOrder() throws {
        let node = JSONValue.object([("zeta", .int(1)), ("alpha", .int(2)), ("mid", .object([("b", .null), ("a", .bool(true))]))])
        #expect(node.rendered(pretty: false) == #"{"zeta":1,"alpha":2,"mid":{"b":null,"a":true}}"#)
        let pretty = node.rendered()
        let zeta = try #require(pretty.range(of: "\"zeta\""))
        let alpha = try #require(pretty.range(of: "\"alpha\""))
        let b = try #require(pretty.range(of: "\"b\""))
        let a = try #require(pretty.range(of: "\"a\""))
        #expect(zeta.lowerBound < alpha.lowerBound)
        #expect(b.lowerBound < a.lowerBound)
    }

    @Test("lists of scalars stay on one line; lists of objects are indented")
    func layout() throws {
        let node = JSONValue.object([
            ("list", .strings(["a", "b"])),
            ("mixed", .array([.int(1), .null, .number(2.5), .bool(false)])),
            ("nested", .array([.object([("k", .int(1))])])),
            ("empty", .array([])),
        ])
        let expected = """
            {
              "list": ["a", "b"],
              "mixed": [1, null, 2.5, false],
              "nested": [
                {
                  "k": 1
                }
              ],
              "empty": []
            }
            """
        #expect(node.rendered() == expected)
        #expect(node.rendered(pretty: false) == #"{"list":["a","b"],"mixed":[1,null,2.5,false],"nested":[{"k":1}],"empty":[]}"#)
        for text in [node.rendered(), node.rendered(pretty: false)] {
            let parsed = try #require(try parseJSON(text) as? [String: Any])
            #expect(try parsed.list("list") as? [String] == ["a", "b"])
            #expect(try parsed.list("nested").count == 1)
        }
    }

    @Test("a document reads the same written alone as inside a list, one level deeper; integers are written digit by digit")
    func nestedLayout() {
        func tree(_ seed: Int, depth: Int) -> JSONValue {
            let numbers: [JSONValue] = [
                .int(seed), .int(-seed * 7), .number(0), .number(-0.0), .number(2.5), .number(.nan), .number(999_999_999_999_999),
                .number(-999_999_999_999_999), .number(1e15), .number(-1.25e-7), .int(Int.max),
            ]
            guard depth > 0 else { return numbers[seed % numbers.count] }
            return .object([
                ("n", numbers[seed % numbers.count]),
                ("s", .string("x\(seed)\n\u{1b}")),
                ("list", .strings(["a", "b\(seed)"])),
                ("mixed", .array([.int(seed), tree(seed + 1, depth: depth - 1), .null])),
                ("lists", .array([.array([]), .array([.object([]), tree(seed + 2, depth: depth - 1)])])),
                ("empty", .object([])),
            ])
        }
        let document = JSONValue.object([
            ("header", .string("h")),
            ("groups", .array((0..<9).map { tree($0, depth: 3) })),
            ("single", .array([tree(20, depth: 2)])),
            ("scalars", .array([.int(1), .int(2)])),
            ("mixed", .array([.int(1), tree(30, depth: 1)])),
            ("empty", .array([])),
            ("failures", .array((0..<3).map { index in .object([("sources", .strings((0..<50).map { "s\(index)-\($0)" }))]) })),
        ])
        // Inside a list the document is indented one level deeper, and otherwise the same.
        let wrapped = JSONValue.array([document])
        let compact = wrapped.rendered(pretty: false)
        #expect(document.rendered(pretty: false) == String(compact.dropFirst().dropLast()))
        let lines = wrapped.rendered().split(separator: "\n", omittingEmptySubsequences: false)
        let unwrapped = lines.dropFirst().dropLast().map { $0.dropFirst(2) }.joined(separator: "\n")
        #expect(document.rendered() == unwrapped)
        #expect(document.rendered(endingLine: true) == unwrapped + "\n")
        #expect(JSONValue.int(-999_999_999_999_999).rendered() == "-999999999999999")
        #expect(JSONValue.number(-0.0).rendered() == "0")
        #expect(JSONValue.number(1e15).rendered() == "1000000000000000.0")
    }

    @Test("equality compares the rendered text")
    func equality() {
        #expect(JSONValue.object([("a", .int(1))]) == JSONValue.object([("a", .int(1))]))
        #expect(JSONValue.object([("a", .int(1)), ("b", .int(2))]) != JSONValue.object([("b", .int(2)), ("a", .int(1))]))
        #expect(JSONValue.number(3.0) == JSONValue.int(3))
    }
}

// MARK: - JSONReport

@Suite("JSONReport")
struct JSONReportTests {
    private func document(_ facts: Facts, _ context: ReportContext = ReportFixtures.context()) throws -> [String: Any] {
        let text = JSONReport.render(facts, context)
        #expect(text.hasSuffix("}\n"))
        return try #require(try parseJSON(text) as? [String: Any])
    }

    private func group(_ document: [String: Any], model: String) throws -> [String: Any] {
        let groups = try document.list("llm_runs").compactMap { $0 as? [String: Any] }
        return try #require(groups.first { $0["model"] as? String == model }, "no llm_runs entry for \(model)")
    }

    @Test("the header keys: schema, generated_at in UTC, trigger")
    func header() throws {
        let json = try document(ReportFixtures.basic())
        #expect(try json.text("schema") == "chimerad.report/1")
        #expect(JSONReport.schema == "chimerad.report/1")
        let generated = try json.text("generated_at")
        #expect(generated == "2025-11-22T19:45:01Z")
        #expect(generated.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/#) != nil)
        #expect(try json.text("trigger") == "manual")
        #expect(try json.text("agent") == "chimerad 0.1.0")
        // The contract's keys come first and in this order.
        let text = JSONReport.render(ReportFixtures.basic(), ReportFixtures.context())
        let order = ["\"schema\"", "\"generated_at\"", "\"trigger\"", "\"inputs\"", "\"llm_runs\"", "\"failures\""]
        let positions = try order.map { try #require(text.range(of: $0)).lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test("every trigger is written by its name", arguments: [ReportContext.Trigger.startup, .change, .manual, .reload])
    func triggers(trigger: ReportContext.Trigger) throws {
        var context = ReportFixtures.context()
        context.trigger = trigger
        #expect(try document(ReportFixtures.empty(), context).text("trigger") == trigger.rawValue)
    }

    @Test("inputs: counts, skipped files with reasons, changed files")
    func inputs() throws {
        let inputs = try document(ReportFixtures.basic()).object("inputs")
        #expect(try inputs.list("roots") as? [String] == ["/in"])
        #expect(try inputs.integer("files_seen") == 5)
        #expect(try inputs.integer("files_analyzed") == 2)
        let skipped = try inputs.list("files_skipped").map { try #require($0 as? [String: Any]) }
        #expect(skipped.count == 3)
        for (entry, expected) in zip(skipped, ReportFixtures.skipped) {
            #expect(Set(entry.keys) == ["path", "reason"])
            #expect(try entry.text("path") == expected.path)
            #expect(try entry.text("reason") == expected.reason)
        }
        #expect(try inputs.list("files_changed") as? [String] == ["/in/alpha.csv", "/in/beta.csv"])
        #expect(try inputs.list("files_deleted").isEmpty)
    }

    @Test("llm_runs: a clean group has its statistics, computed as documented")
    func runGroupStatistics() throws {
        let alpha = try group(try document(ReportFixtures.basic()), model: "alpha")
        #expect(alpha.isNull("config"))
        #expect(try alpha.list("sources") as? [String] == ["/in/alpha.csv"])
        #expect(try alpha.integer("runs_ok") == 4)
        #expect(try alpha.integer("runs_failed") == 0)

        let tps = try alpha.object("tokens_per_second")
        #expect(Set(tps.keys) == ["n", "mean", "median", "p95", "min", "max", "stddev"])
        #expect(try tps.integer("n") == 4)
        #expect(try tps.number("mean") == 25)
        #expect(try tps.number("median") == 25)
        // Linear interpolation: position 0.95 * 3 = 2.85, so 30 + 0.85 * (40 - 30).
        #expect(abs(try tps.number("p95") - 38.5) < 1e-9)
        #expect(try tps.number("min") == 10)
        #expect(try tps.number("max") == 40)
        // Sample standard deviation: sqrt(((-15)² + (-5)² + 5² + 15²) / 3).
        #expect(abs(try tps.number("stddev") - (500.0 / 3).squareRoot()) < 1e-9)

        let ttft = try alpha.object("ttft_seconds")
        #expect(Set(ttft.keys) == ["n", "mean", "median", "p95", "min", "max", "stddev"])
        #expect(try ttft.integer("n") == 4)
        #expect(abs(try ttft.number("median") - 0.25) < 1e-9)
        #expect(abs(try ttft.number("p95") - 0.385) < 1e-9)
        #expect(abs(try ttft.number("min") - 0.1) < 1e-12)
        #expect(abs(try ttft.number("max") - 0.4) < 1e-12)
        #expect(alpha.isNull("cold_start"))
    }

    @Test("llm_runs: a group whose runs all failed keeps every key, null where there is no value")
    func failedGroup() throws {
        let beta = try group(try document(ReportFixtures.basic()), model: "beta")
        let config = try beta.object("config")
        #expect(config.count == 1)
        #expect(try config.text("num_ctx") == "2048")
        #expect(try beta.integer("runs_ok") == 0)
        #expect(try beta.integer("runs_failed") == 2)
        for key in ["tokens_per_second", "ttft_seconds"] {
            let stats = try beta.object(key)
            #expect(Set(stats.keys) == ["n", "mean", "median", "p95", "min", "max", "stddev"])
            #expect(try stats.integer("n") == 0)
            for statistic in ["mean", "median", "p95", "min", "max", "stddev"] {
                #expect(stats.isNull(statistic), "\(key).\(statistic) should be null")
            }
        }
    }

    @Test("a single run has no standard deviation")
    func singleRun() throws {
        let facts = ReportFixtures.facts([
            (
                "/in/one.csv",
                Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "solo", configuration: [], runs: ReportFixtures.runs([42.5], ttft: [0.5]))])
            )
        ])
        let stats = try group(try document(facts), model: "solo").object("tokens_per_second")
        #expect(try stats.integer("n") == 1)
        #expect(try stats.number("median") == 42.5)
        #expect(try stats.number("p95") == 42.5)
        #expect(stats.isNull("stddev"))
    }

    @Test("failures: message, count and sources")
    func failures() throws {
        let failures = try document(ReportFixtures.basic()).list("failures").map { try #require($0 as? [String: Any]) }
        #expect(failures.count == 1)
        let failure = try #require(failures.first)
        #expect(try failure.text("message") == "connection refused")
        #expect(try failure.integer("count") == 2)
        #expect(try failure.list("sources") as? [String] == ["/in/beta.csv"])
        #expect(try failure.list("models") as? [String] == ["beta"])
    }

    @Test("model_call is null and the narrative says why it is absent")
    func narrative() throws {
        let json = try document(ReportFixtures.basic())
        #expect(json.keys.contains("model_call"))
        #expect(json.isNull("model_call"))
        let narrative = try json.object("narrative")
        #expect(
            Set(narrative.keys) == [
                "text", "items", "facts_cited", "items_asked", "items_kept", "items_dropped", "notes_dropped", "sentences_kept", "pending",
                "completed_at",
                "sentences_dropped", "dropped_by_reason", "notes_dropped_by_reason", "unavailable_reason",
            ])
        #expect(try narrative.text("text") == "")
        #expect(try narrative.list("items").isEmpty)
        #expect(try narrative.object("facts_cited").isEmpty)
        for count in ["items_asked", "items_kept", "items_dropped", "notes_dropped", "sentences_kept", "sentences_dropped"] {
            #expect(try narrative.integer(count) == 0, "\(count)")
        }
        #expect(try narrative.text("unavailable_reason") == "model.backend is none")
    }

    @Test("timings: measured seconds, or the placeholder while the report is rendered")
    func timings() throws {
        let pending = try document(ReportFixtures.basic()).object("timings")
        #expect(try pending.number("ingest_seconds") == 1.25)
        #expect(try pending.number("analysis_seconds") == 0.5)
        #expect(try pending.text("report_seconds") == ReportContext.Timings.pending)

        let done = try document(ReportFixtures.basic(), ReportFixtures.context(reportSeconds: 0.75)).object("timings")
        #expect(try done.number("report_seconds") == 0.75)
    }

    @Test("a report with every section is valid JSON with every section present")
    func richReport() throws {
        let facts = ReportFixtures.rich()
        let json = try document(facts)
        for key in [
            "schema", "generated_at", "trigger", "agent", "inputs", "llm_runs", "failures", "sweeps", "compilation",
            "llama_bench", "benchmarks", "series", "changes", "findings", "recommendations", "environment", "notes",
            "model_call", "narrative", "timings",
        ] {
            #expect(json.keys.contains(key), "missing \(key)")
        }
        #expect(try json.list("llm_runs").count == facts.runGroups.count)
        #expect(try json.list("sweeps").count == 1)
        #expect(try json.list("compilation").count == 1)
        #expect(try json.list("llama_bench").count == 2)
        #expect(try json.list("llama_bench").map { ($0 as? [String: Any])?["samples"] as? Int } == [3, 2])
        // A count the file does not give (`-o csv`, `sql`, `md`) is unknown, not zero (campaign s32, F6).
        var unknownCount = facts
        unknownCount.llamaBench[1].samples = 0
        let rows = try document(unknownCount).list("llama_bench").compactMap { $0 as? [String: Any] }
        #expect(rows.count == 2 && rows[0]["samples"] as? Int == 3 && rows[1]["samples"] is NSNull, "\(rows)")
        #expect(try json.list("benchmarks").count == 2)
        #expect(try json.list("series").count == 1)

        let delta = try group(json, model: "delta")
        let cold = try delta.object("cold_start")
        #expect(try cold.integer("runs") == 1)
        #expect(try cold.object("load_seconds").number("median") == 6)
        #expect(try delta.object("ttft_seconds").integer("n") == 5)

        let changes = try json.object("changes")
        #expect(try changes.text("previous_report_at") == "2025-11-21 08:00:00 UTC")
        let moves = try changes.list("moves").map { try #require($0 as? [String: Any]) }
        let move = try #require(moves.first { $0["model"] as? String == "alpha" && $0["metric"] as? String == "tokens_per_second" })
        #expect(try move.number("previous_median") == 35)
        #expect(try move.number("current_median") == 25)
        #expect(abs(try move.number("change_percent") - (25.0 - 35) / 35 * 100) < 1e-9)
        #expect(move["worse"] as? Bool == true)
        #expect(move["regression"] as? Bool == false)
        #expect(try move.text("verdict") == "too few runs")
        #expect(try move.text("verdict_text") == "too few runs (4 before, 4 after)")
        for key in ["test", "significant", "u", "z", "p_value", "method", "rank_biserial", "tested_before", "tested_after"] {
            #expect(move.isNull(key), "\(key) is null when the test could not run")
        }
        #expect(try move.integer("runs_before") == 4 && move.integer("runs_after") == 4)

        // Regressions lead the moves, with the test behind them.
        let regression = try #require(moves.first)
        #expect(regression["model"] as? String == "zeta")
        #expect(regression["regression"] as? Bool == true && regression["significant"] as? Bool == true)
        #expect(try regression.text("test") == "mann-whitney-u")
        #expect(try regression.text("verdict") == "significant")
        #expect(try regression.text("method") == "exact")
        #expect(try regression.number("u") == 0)
        #expect(abs(try regression.number("p_value") - 2.0 / 12870) < 1e-15)
        #expect(try regression.number("rank_biserial") == -1)
        #expect(regression.isNull("z"))
        #expect(try regression.integer("runs_before") == 8 && regression.integer("runs_after") == 8)
        #expect(try regression.integer("tested_before") == 8 && regression.integer("tested_after") == 8)
        #expect(try changes.integer("regressions") == 1)
        #expect(try changes.text("headline") == MarkdownReport.regressionLead(facts))
        #expect(try changes.text("headline").hasPrefix("Regression #7 zeta: tok/s 103.50 → 83.50 (Hodges-Lehmann -19.3%"))
        let test = try changes.object("test")
        #expect(try test.text("name") == "mann-whitney-u" && test.number("alpha") == 0.05 && test.integer("min_runs") == 5)
        let files = try changes.object("files")
        #expect(files["new"] as? [String] == ["/in/latency.csv"])
        #expect(files["modified"] as? [String] == ["/in/alpha.csv", "/in/zeta.csv"])
        #expect(files["deleted"] as? [String] == [])
        #expect((files["renamed"] as? [Any])?.isEmpty == true)

        let findings = try json.list("findings").map { try #require($0 as? [String: Any]) }
        #expect(findings.count == facts.findings.count)
        for (entry, finding) in zip(findings, facts.findings) {
            #expect(try entry.text("id") == finding.id)
            #expect(try entry.text("text") == finding.text)
            #expect(try entry.list("figures") as? [String] == finding.figures)
        }
    }

    @Test("change_points: a benchmark's names its tool and unit, as its regressions do")
    func benchmarkChangePoints() throws {
        var facts = ReportFixtures.empty()
        facts.benchmarkChangePoints = [
            BenchmarkChangePoint(
                tool: "hyperfine", name: "make -j8", parameters: [], unit: nil,
                point: GroupChangePoint(metric: .time, session: 6, before: 1.0, after: 1.15, pValue: 0.005),
                source: "day7/bench.json", startedAt: nil, measuredAt: 1_800_518_400)
        ]
        let points = try document(facts).list("change_points").map { try #require($0 as? [String: Any]) }
        let point = try #require(points.first)
        #expect(points.count == 1)
        #expect(try point.text("tool") == "hyperfine" && point.text("model") == "make -j8" && point.text("metric") == "time")
        #expect(try point.text("unit") == "s" && point.text("direction") == "lower_is_better")
        #expect(try point.integer("session_index") == 6 && point.object("session").list("sources") as? [String] == ["day7/bench.json"])
        #expect(try abs(point.number("change_percent") - 15) < 1e-9 && point.number("p_value") == 0.005)
    }

    @Test("an empty report is valid JSON with empty lists")
    func emptyReport() throws {
        let json = try document(ReportFixtures.empty())
        for key in ["llm_runs", "failures", "sweeps", "compilation", "llama_bench", "benchmarks", "series", "findings", "recommendations"] {
            #expect(try json.list(key).isEmpty, "\(key) should be empty")
        }
        #expect(try json.object("changes").isNull("previous_report_at"))
        #expect(try json.object("changes").isNull("headline"))
        #expect(try json.object("changes").integer("regressions") == 0)
        #expect(try json.object("inputs").integer("files_seen") == 0)
    }
}
