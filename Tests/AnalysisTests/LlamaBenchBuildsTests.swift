import Foundation
import Records
import Testing

@testable import Analysis
@testable import Ingest

/// llama-bench output in the shape llama.cpp's own `llama-bench -o json` and
/// `-o csv` write it (every column, in its order; the values of a real run on
/// this machine, the builds and repetitions set per test).
enum LlamaBenchFixture {
    struct Row {
        var commit: String
        var number: Int
        var time: String
        var threads = 1
        var prompt = 0
        var generated = 0
        var samples: [Double]
        var cpu = "AMD EPYC"
        /// Whether the row has the columns newer llama-bench builds write (`n_cpu_moe`, `fit_target`, `fit_min_ctx`).
        var newColumns = true
        var cpuMoe = 0

        var average: Double { samples.reduce(0, +) / Double(samples.count) }
        var stddev: Double {
            let mean = average
            return (samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count - 1)).squareRoot()
        }
        var tokens: Int { prompt + generated }

        /// Name and JSON text of every column, as llama-bench orders them.
        var columns: [(String, String)] {
            func q(_ text: String) -> String { "\"" + text + "\"" }
            let ns = samples.map { Int((Double(tokens) * 1e9 / $0).rounded()) }
            let averageNs = ns.reduce(0, +) / ns.count
            var columns: [(String, String)] = [
                ("build_commit", q(commit)), ("build_number", String(number)), ("cpu_info", q(cpu)), ("gpu_info", q("")),
                ("backends", q("CPU")), ("model_filename", q("/models/SmolLM2-135M-Instruct.Q4_1.gguf")),
                ("model_type", q("llama 256M Q4_1")), ("model_size", "96576768"), ("model_n_params", "134515008"),
                ("n_batch", "2048"), ("n_ubatch", "512"), ("n_threads", String(threads)), ("cpu_mask", q("0x0")),
                ("cpu_strict", "false"), ("poll", "50"), ("type_k", q("f16")), ("type_v", q("f16")), ("n_gpu_layers", "-1"),
            ]
            if newColumns { columns.append(("n_cpu_moe", String(cpuMoe))) }
            columns += [
                ("split_mode", q("layer")), ("main_gpu", "0"), ("no_kv_offload", "false"), ("flash_attn", "-1"),
                ("devices", q("auto")), ("tensor_split", q("0.00")), ("tensor_buft_overrides", q("none")),
                ("load_mode", q("auto")), ("lazy_mode", q("auto")), ("embeddings", "false"), ("no_op_offload", "0"),
                ("no_host", "false"), ("repack", "true"),
            ]
            if newColumns { columns += [("fit_target", "0"), ("fit_min_ctx", "0")] }
            columns += [
                ("n_prompt", String(prompt)), ("n_gen", String(generated)), ("n_depth", "0"), ("test_time", q(time)),
                ("avg_ns", String(averageNs)), ("stddev_ns", "1791531"), ("avg_ts", "\(average)"), ("stddev_ts", "\(stddev)"),
                ("samples_ns", "[ " + ns.map(String.init).joined(separator: ", ") + " ]"),
                ("samples_ts", "[ " + samples.map { "\($0)" }.joined(separator: ", ") + " ]"),
            ]
            return columns
        }
    }

    /// `llama-bench -o json`.
    static func json(_ rows: [Row]) -> String {
        let objects = rows.map { row in
            "  {\n" + row.columns.map { "    \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n  }"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// `llama-bench -o csv`: every value quoted, booleans as 0/1, no samples.
    static func csv(_ rows: [Row]) -> String {
        guard let first = rows.first else { return "" }
        let kept = { (columns: [(String, String)]) in columns.filter { !$0.0.hasPrefix("samples_") } }
        var text = kept(first.columns).map(\.0).joined(separator: ",") + "\n"
        for row in rows {
            text +=
                kept(row.columns).map { _, value in
                    let bare = value.hasPrefix("\"") ? String(value.dropFirst().dropLast()) : value
                    return "\"" + (bare == "true" ? "1" : bare == "false" ? "0" : bare) + "\""
                }.joined(separator: ",") + "\n"
        }
        return text
    }
}

@Suite struct LlamaBenchBuildsTests {
    static let model = "llama 256M Q4_1"
    static let old = (commit: "1a2b3c4d", number: 5090)
    static let new = (commit: "9f8e7d6c", number: 5102)

    static func extraction(_ text: String, _ name: String) throws -> Extraction {
        guard case .extracted(let extraction) = ContentParser.parse(Array(text.utf8), fileName: name) else {
            Issue.record("\(name) did not parse")
            throw CancellationError()
        }
        return extraction
    }

    static func facts(_ files: [(String, String)]) throws -> Facts {
        let parsed = try files.map { ($0.0, try extraction($0.1, $0.0)) }
        var analyzer = Analyzer(catalog: parsed.map { Analyzer.CatalogEntry(path: $0.0, shape: $0.1.shape, modelHint: $0.1.modelHint) })
        for (path, extraction) in parsed { analyzer.add(path: path, extraction: extraction) }
        return analyzer.finish(
            inputs: InputFacts(roots: [], filesSeen: files.count, filesAnalyzed: files.count, skipped: [], changed: [], deleted: [], added: []),
            previous: nil, previousAt: nil)
    }

    typealias Row = LlamaBenchFixture.Row

    /// Two builds, pp16 and tg8 at 1 and 2 threads, 5 repetitions each: the
    /// new build decodes 10% slower, prefills the same.
    static func twoBuilds() -> (old: [Row], new: [Row]) {
        var old: [Row] = []
        var new: [Row] = []
        for threads in [1, 2] {
            let scale = Double(threads)
            old.append(
                Row(
                    commit: Self.old.commit, number: Self.old.number, time: "2026-11-20T10:00:0\(threads)Z", threads: threads, prompt: 16,
                    samples: [119, 126, 121, 124, 120.5].map { $0 * scale }))
            old.append(
                Row(
                    commit: Self.old.commit, number: Self.old.number, time: "2026-11-20T10:00:1\(threads)Z", threads: threads, generated: 8,
                    samples: [76, 77, 75.5, 76.5, 76.2].map { $0 * scale }))
            new.append(
                Row(
                    commit: Self.new.commit, number: Self.new.number, time: "2026-11-21T10:00:0\(threads)Z", threads: threads, prompt: 16,
                    samples: [122, 118, 125, 121.5, 123].map { $0 * scale }))
            new.append(
                Row(
                    commit: Self.new.commit, number: Self.new.number, time: "2026-11-21T10:00:1\(threads)Z", threads: threads, generated: 8,
                    samples: [68.5, 69, 68, 68.8, 69.2].map { $0 * scale }))
        }
        return (old, new)
    }

    @Test("JSON of two builds: the lower build number is the baseline, the speedup is current over baseline, the repetitions are tested")
    func jsonBuildsCompared() throws {
        let (old, new) = Self.twoBuilds()
        // The newer build's file sorts first: the order comes from the build numbers, not the paths.
        let facts = try Self.facts([("bench/a-new.json", LlamaBenchFixture.json(new)), ("bench/b-old.json", LlamaBenchFixture.json(old))])
        let comparisons = facts.llamaBenchBuilds
        #expect(comparisons.count == 4)
        for comparison in comparisons {
            #expect(comparison.model == Self.model)
            #expect(comparison.baseline.build == .init(commit: Self.old.commit, number: String(Self.old.number)))
            #expect(comparison.current.build == .init(commit: Self.new.commit, number: String(Self.new.number)))
            #expect(comparison.baseline.sources == ["bench/b-old.json"] && comparison.current.sources == ["bench/a-new.json"])
            #expect(comparison.builds == 2 && comparison.unmatchedColumns.isEmpty)
            // Only what tells the model's tests apart is shown, not the thirty other columns.
            #expect(comparison.parameters.map(\.name) == ["n_threads"])
            let threads = try #require(comparison.parameters[name: "n_threads"].flatMap { Int($0) })
            let before = try #require(old.first { $0.threads == threads && (($0.prompt > 0) == comparison.test.hasPrefix("pp")) })
            let after = try #require(new.first { $0.threads == threads && (($0.prompt > 0) == comparison.test.hasPrefix("pp")) })
            #expect(comparison.baseline.tokensPerSecond == before.average && comparison.current.tokensPerSecond == after.average)
            #expect(abs(comparison.speedup - after.average / before.average) < 1e-12)
            #expect(comparison.baseline.samples == before.samples.sorted() && comparison.current.samples == after.samples.sorted())
            let test = try #require(comparison.mannWhitney)
            #expect(test.before == 5 && test.after == 5)
        }
        let decode = comparisons.filter { $0.test == "tg8" }
        let prefill = comparisons.filter { $0.test == "pp16" }
        #expect(decode.count == 2 && prefill.count == 2)
        // Every repetition of the new build decodes below every one of the old: the exact test's smallest p, 2/252.
        #expect(decode.allSatisfy { $0.verdict == .significant && abs(($0.mannWhitney?.pValue ?? 1) - 2.0 / 252) < 1e-12 })
        #expect(decode.allSatisfy { $0.changePercent < -9 && $0.changePercent > -11 })
        #expect(prefill.allSatisfy { $0.verdict == .notSignificant })
        // Tests in the order llama-bench ran them.
        #expect(comparisons.map(\.test) == ["pp16", "tg8", "pp16", "tg8"])

        let findings = facts.findings.filter { $0.id == "llama-bench-slower" }
        #expect(findings.count == 1)
        // The per-model best figures say which build measured them.
        let best = try #require(facts.findings.first { $0.id == "llama-bench" })
        #expect(best.text.contains("build \(Self.old.commit) (\(Self.old.number))"), "\(best.text)")
        let finding = try #require(findings.first)
        let worst = try #require(decode.min { $0.speedup < $1.speedup })
        #expect(finding.text.hasPrefix("llama-bench, \(Self.model): tg8 (n_threads="))
        #expect(finding.text.contains("slower in build 9f8e7d6c (5102) than in build 1a2b3c4d (5090)"))
        #expect(finding.text.contains("bench/a-new.json against bench/b-old.json"))
        #expect(finding.figures.contains(Figures.ratio(worst.speedup)))
        #expect(finding.figures.contains(Figures.tokensPerSecond(worst.baseline.tokensPerSecond)))
        #expect(finding.figures.contains(Figures.tokensPerSecond(worst.current.tokensPerSecond)))
        // The other test that slowed down as clearly is named, with its change.
        let other = try #require(decode.first { $0.parameters != worst.parameters })
        #expect(finding.text.hasSuffix("; also slower: tg8 (\(other.parameters.rendered)) \(Figures.signedPercent(other.changePercent))."))
        for figure in finding.figures { #expect(finding.text.contains(figure), "\(figure) not in \(finding.text)") }
        // The slowdown ranks with what got worse, ahead of the per-model llama-bench summary.
        let ids = facts.findings.map(\.id)
        #expect((ids.firstIndex(of: "llama-bench-slower") ?? .max) < (ids.firstIndex(of: "llama-bench") ?? -1))
        // The llama-bench table says which build each row is.
        #expect(Set(facts.llamaBench.compactMap(\.build)) == ["1a2b3c4d (5090)", "9f8e7d6c (5102)"])
    }

    @Test("a CSV holding two builds: compared, ordered by test time when no build numbers are known, and not tested (no repetitions)")
    func csvBuildsUntested() throws {
        // compare-llama-bench.py reads files like this: the runs of several builds in one table.
        // build_number 0 is llama-bench's "unknown"; the later build's rows come first in the file.
        let later = Row(commit: "c0ffee12", number: 0, time: "2026-11-21T09:00:00Z", generated: 8, samples: [60, 61, 59, 60.5, 59.5])
        let earlier = Row(commit: "deadbeef", number: 0, time: "2026-11-20T09:00:00Z", generated: 8, samples: [76, 77, 75, 76.5, 75.5])
        let facts = try Self.facts([("runs.csv", LlamaBenchFixture.csv([later, earlier]))])
        let comparison = try #require(facts.llamaBenchBuilds.first)
        #expect(facts.llamaBenchBuilds.count == 1)
        #expect(comparison.baseline.build.commit == "deadbeef" && comparison.current.build.commit == "c0ffee12")
        #expect(comparison.baseline.tokensPerSecond == earlier.average && comparison.current.tokensPerSecond == later.average)
        #expect(abs(comparison.speedup - later.average / earlier.average) < 1e-12)
        #expect(comparison.baseline.stddev.map { abs($0 - earlier.stddev) < 1e-9 } == true)
        #expect(comparison.verdict == .notTested && comparison.mannWhitney == nil)
        #expect(comparison.baseline.samples.isEmpty && comparison.current.samples.isEmpty)
        #expect(comparison.parameters.isEmpty)
        // 21% slower, but nothing to tell it from noise: the table shows it, no finding claims it.
        #expect(!facts.findings.contains { $0.id == "llama-bench-slower" })
    }

    @Test("one build only, or a machine of its own: nothing is compared")
    func nothingToCompare() throws {
        let (old, new) = Self.twoBuilds()
        // The bundled examples: one build, "unknown (0)", in three formats.
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/results/llama-bench")
        let examples = try ["csv", "json", "md"].map { format -> (String, String) in
            let name = "gemma3-270m-q4_k_m." + format
            return ("llama-bench/" + name, try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
        }
        #expect(try Self.facts(examples).llamaBenchBuilds.isEmpty)
        #expect(try Self.facts([("old.json", LlamaBenchFixture.json(old))]).llamaBenchBuilds.isEmpty)
        // The new build measured on another machine: not comparable with the old one.
        let elsewhere = new.map { row -> Row in
            var row = row
            row.cpu = "Intel Xeon"
            return row
        }
        let facts = try Self.facts([("old.json", LlamaBenchFixture.json(old)), ("new.json", LlamaBenchFixture.json(elsewhere))])
        #expect(facts.llamaBenchBuilds.isEmpty)
        #expect(facts.llamaBench.count == 8)
    }

    @Test("one commit is one build, whether a file gives its number or 0 for it")
    func oneCommitIsOneBuild() throws {
        let (old, _) = Self.twoBuilds()
        let unnumbered = old.map { row -> Row in
            var row = row
            row.number = 0
            return row
        }
        let facts = try Self.facts([("a.json", LlamaBenchFixture.json(old)), ("b.json", LlamaBenchFixture.json(unnumbered))])
        #expect(facts.llamaBenchBuilds.isEmpty, "\(facts.llamaBenchBuilds)")
    }

    @Test("columns a newer llama-bench added do not keep the builds apart, unless they vary")
    func newColumns() throws {
        var (old, new) = Self.twoBuilds()
        old = old.map { row -> Row in
            var row = row
            row.newColumns = false
            return row
        }
        // The new build also ran each test with 4 experts' weights on the CPU: a setting the old build never had.
        new += new.map { row -> Row in
            var row = row
            row.cpuMoe = 4
            return row
        }
        let facts = try Self.facts([("old.json", LlamaBenchFixture.json(old)), ("new.json", LlamaBenchFixture.json(new))])
        // n_cpu_moe varies: it is a setting, and the old build has no result at 0 to compare with.
        #expect(facts.llamaBenchBuilds.isEmpty)

        let matched = try Self.facts([
            ("old.json", LlamaBenchFixture.json(old)), ("new.json", LlamaBenchFixture.json(Array(new.prefix(4)))),
        ])
        #expect(matched.llamaBenchBuilds.count == 4)
        #expect(matched.llamaBenchBuilds.allSatisfy { $0.unmatchedColumns == ["fit_min_ctx", "fit_target", "n_cpu_moe"] })
    }

    @Test("three builds: the oldest against the newest, results of one build averaged; a small significant slowdown is no finding")
    func threeBuilds() throws {
        func decode(_ commit: String, _ number: Int, _ samples: [Double], day: Int) -> Row {
            Row(commit: commit, number: number, time: "2026-11-\(day)T10:00:00Z", generated: 8, samples: samples)
        }
        let oldest = decode("aaaa1111", 4000, [100, 101, 102, 103, 104], day: 10)
        let middle = decode("bbbb2222", 4100, [90, 91, 92, 93, 94], day: 11)
        // The newest build ran twice (a JSON and a CSV of two runs): averaged, and tested on the JSON's repetitions.
        let newest = decode("cccc3333", 4200, [97, 97.5, 98, 98.5, 99], day: 12)
        var rerun = newest
        rerun.samples = [97.5, 98, 98.5, 99, 99.5]
        rerun.time = "2026-11-12T11:00:00Z"
        let facts = try Self.facts([
            ("1.json", LlamaBenchFixture.json([middle])), ("2.json", LlamaBenchFixture.json([newest])),
            ("3.json", LlamaBenchFixture.json([oldest])), ("4.csv", LlamaBenchFixture.csv([rerun])),
        ])
        let comparison = try #require(facts.llamaBenchBuilds.first)
        #expect(facts.llamaBenchBuilds.count == 1)
        #expect(comparison.builds == 3)
        #expect(comparison.baseline.build.number == "4000" && comparison.current.build.number == "4200")
        #expect(comparison.current.results == 2 && comparison.current.sources == ["2.json", "4.csv"])
        #expect(comparison.current.tokensPerSecond == (newest.average + rerun.average) / 2)
        #expect(comparison.current.stddev == nil)
        #expect(comparison.current.samples == newest.samples.sorted())
        #expect(comparison.verdict == .significant)
        // About 2% slower: significant, but under the 5% a finding needs.
        #expect(comparison.changePercent > -5 && comparison.changePercent < 0)
        #expect(!facts.findings.contains { $0.id == "llama-bench-slower" })
    }

    @Test("fewer than five repetitions a side: too few to test")
    func tooFewRepetitions() throws {
        let old = Row(commit: "1a2b3c4d", number: 5090, time: "2026-11-20T10:00:00Z", generated: 8, samples: [76, 77, 75])
        let new = Row(commit: "9f8e7d6c", number: 5102, time: "2026-11-21T10:00:00Z", generated: 8, samples: [60, 61, 59])
        let facts = try Self.facts([("old.json", LlamaBenchFixture.json([old])), ("new.json", LlamaBenchFixture.json([new]))])
        let comparison = try #require(facts.llamaBenchBuilds.first)
        #expect(comparison.verdict == .tooFewRepetitions && comparison.mannWhitney == nil)
        #expect(comparison.verdictText == "too few repetitions to test (3 and 3 repetitions; 5 a side needed)")
        #expect(!facts.findings.contains { $0.id == "llama-bench-slower" })
    }
}
