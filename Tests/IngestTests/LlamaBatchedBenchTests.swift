import Records
import Testing

@testable import Ingest

/// llama.cpp's `llama-batched-bench` and `llama-sweep-bench`, in the shapes
/// their source writes (`tools/batched-bench/batched-bench.cpp`): each case
/// (prompt and generated lengths, parallel sequences) a benchmark of its
/// own. Read as a table of numbers, the decode speeds at 1 and at 16
/// sequences were one median (74.44 of 41.57 to 242.23), and the settings
/// were listed as measurements.
@Suite struct LlamaBatchedBenchTests {
    private static let table = """
        |    PP |     TG |    B |   N_KV |   T_PP s | S_PP t/s |   T_TG s | S_TG t/s |      T s |    S t/s |
        |-------|--------|------|--------|----------|----------|----------|----------|----------|----------|
        |   128 |    128 |    1 |    256 |    0.108 |  1186.64 |    3.079 |    41.57 |    3.187 |    80.32 |
        |   128 |    128 |    2 |    512 |    0.198 |  1295.19 |    5.029 |    50.90 |    5.227 |    97.95 |
        |   128 |    128 |   16 |   4096 |    1.570 |  1304.68 |    8.455 |   242.23 |   10.024 |   408.60 |

        """

    private func line(pl: Int, tg speed: String, pp: Int = 128) -> String {
        #"{"n_kv_max": 16384, "n_batch": 2048, "n_ubatch": 512, "flash_attn": 0, "is_pp_shared": 0, "n_gpu_layers": 99, "#
            + #""n_threads": 8, "n_threads_batch": 8, "pp": \#(pp), "tg": 128, "pl": \#(pl), "n_kv": \#(pl * (pp + 128)), "#
            + #""t_pp": 0.108000, "speed_pp": 1186.640000, "t_tg": 3.079000, "speed_tg": \#(speed), "t": 3.187000, "speed": 80.320000}"#
    }

    @Test func jsonLinesAreOneBenchmarkACase() throws {
        let text = [line(pl: 1, tg: "41.570000"), line(pl: 4, tg: "74.440000"), line(pl: 4, tg: "-nan", pp: 512)].joined(separator: "\n") + "\n"
        let e = try ParsedText.extract(text, "batched.jsonl")
        #expect(e.shape == .llamaBatchedBench && e.series.isEmpty, "no setting read as a series: \(e.series.map(\.name))")
        let decode = e.measurements.filter { $0.name.hasSuffix(" decode") }
        #expect(decode.map(\.mean) == [41.57, 74.44], "\(decode)")
        #expect(decode.allSatisfy { $0.tool == "llama-batched-bench" && $0.unit == "t/s" && $0.higherIsBetter && $0.isRegressionTested })
        let first = try #require(decode.first)
        #expect(first.parameters.contains(Parameter("pl", "1")) && first.parameters.contains(Parameter("n_batch", "2048")), "\(first.parameters)")
        #expect(Set(decode.map(\.parameters)).count == 2, "each case apart")
        // The total moves with the two speeds: listed, not tested.
        #expect(e.measurements.filter { $0.name.hasSuffix(" total") }.allSatisfy { !$0.isRegressionTested })
        // A speed that came out `-nan` is none, said; a zero one measured nothing.
        #expect(e.notes == ["1 NaN or Infinity was read as no value (at line 3, column 267)"], "\(e.notes)")
        let zero = try ParsedText.extract(line(pl: 2, tg: "0.000000"), "zero.jsonl")
        #expect(zero.measurements.filter { $0.name.hasSuffix(" decode") }.isEmpty)
        #expect(zero.notes == ["decode speed at pp=128, tg=128, pl=2 is 0, no speed: left out"], "\(zero.notes)")
        // A line without a speed is said; the file's other cases stay cases, never pooled numbers.
        let partial = try ParsedText.extract(
            line(pl: 1, tg: "41.5") + "\n" + line(pl: 4, tg: "74.4").replacingOccurrences(of: #", "speed_tg": 74.4"#, with: ""), "p.jsonl")
        #expect(partial.shape == .llamaBatchedBench && partial.series.isEmpty, "\(partial.series.map(\.name))")
        #expect(partial.notes.contains("line 2 has no speed_tg: its other figures read"), "\(partial.notes)")
        #expect(partial.measurements.filter { $0.name.hasSuffix(" decode") }.count == 1)
        // A thousand zero speeds are five notes and a count, not a thousand.
        let zeros = (1...1000).map { line(pl: $0, tg: "0.0") }.joined(separator: "\n")
        let many = try ParsedText.extract(zeros + "\n" + line(pl: 2000, tg: "9.5"), "zeros.jsonl")
        #expect(many.notes.count == 6 && many.notes.last == "995 more like these", "\(many.notes.suffix(2))")
    }

    /// Its lines name no model: two models' files under one input are two
    /// benchmarks, named after their paths (digits as `*`, so one file a
    /// night is one). Named `decode` alone, the second model's first night
    /// was a regression of the first's.
    @Test func namedAfterItsPath() throws {
        func decode(_ path: String) throws -> [String] {
            guard case .extracted(let e) = ContentParser.parse(Array(line(pl: 1, tg: "41.5").utf8), fileName: "b.jsonl", path: path) else {
                return []
            }
            return e.measurements.filter { $0.name.hasSuffix(" decode") }.map(\.name)
        }
        #expect(try decode("llama-8b/batched-night3.jsonl") == ["llama-8b/batched-night*.jsonl decode"])
        #expect(try decode("llama-8b/batched-night4.jsonl") == decode("llama-8b/batched-night3.jsonl"))
        #expect(try decode("qwen-32b/batched.jsonl") == ["qwen-32b/batched.jsonl decode"])
        // Sizes tell models apart; a family's version, a date and a run's number are nights.
        #expect(try decode("llama-3-70b/run-42/b.jsonl") == ["llama-*-70b/run-*/b.jsonl decode"])
        #expect(try decode("qwen2-72b-20261101.jsonl") == ["qwen*-72b-*.jsonl decode"])
    }

    @Test func itsTableInMarkdownOrItsConsoleLog() throws {
        for (name, text) in [("batched.md", Self.table), ("batched-bench.log", "main: n_kv_max = 16384, n_batch = 2048\n\n" + Self.table)] {
            let e = try ParsedText.extract(text, name)
            #expect(e.shape == .llamaBatchedBench && e.series.isEmpty, "\(name): \(e.series.map(\.name))")
            let decode = e.measurements.filter { $0.name.hasSuffix(" decode") }
            #expect(decode.map(\.mean) == [41.57, 50.90, 242.23], "\(name)")
            #expect(decode.map { $0.parameters.first { $0.name == "pl" }?.value } == ["1", "2", "16"])
            #expect(e.measurements.first { $0.name.hasSuffix(" prefill") }?.mean == 1186.64)
        }
    }

    /// A log of two runs, flash attention off then on: the `main:` line
    /// above each table keys its cases, where the second run's replaced the
    /// first's unsaid. A case written twice keeps its first, said; a speed
    /// cell of `-nan` is said, and lengths that are no numbers are left out.
    @Test func aLogsSettingsLineKeysItsTable() throws {
        let rows = Self.table.split(separator: "\n").map(String.init)
        let fast = rows.map { $0.replacingOccurrences(of: "41.57", with: "61.20") }.joined(separator: "\n")
        let log =
            "main: n_kv_max = 16384, n_batch = 2048, n_ubatch = 512, flash_attn = 0, is_pp_shared = 0, n_gpu_layers = 99\n\n" + Self.table
            + "\nmain: n_kv_max = 16384, n_batch = 2048, n_ubatch = 512, flash_attn = 1, is_pp_shared = 0, n_gpu_layers = 99\n\n" + fast + "\n"
        let e = try ParsedText.extract(log, "two-runs.log")
        let first = e.measurements.filter { $0.name.hasSuffix(" decode") && $0.parameters.contains(Parameter("pl", "1")) }
        #expect(first.count == 2, "\(first)")
        #expect(first.first { $0.parameters.contains(Parameter("flash_attn", "1")) }?.mean == 61.20)
        #expect(first.first { $0.parameters.contains(Parameter("flash_attn", "0")) }?.mean == 41.57)
        // The same table twice under the same settings (`tee -a` night after
        // night): both kept, the later a later night's (`AppendedNights`).
        let twice = try ParsedText.extract(Self.table + "\n" + fast + "\n", "twice.md")
        #expect(twice.measurements.filter { $0.name.hasSuffix(" decode") }.map(\.mean).prefix(4) == [41.57, 50.90, 242.23, 61.20])
        let odd = Self.table.replacingOccurrences(of: "41.57", with: " -nan").replacingOccurrences(of: "|   16 |", with: "|  all |")
        let read = try ParsedText.extract(odd, "odd.md")
        #expect(read.notes.contains("decode speed at pp=128, tg=128, pl=1 is no number, no speed: left out"), "\(read.notes)")
        #expect(read.notes.contains { $0.hasSuffix("row 3: its lengths are no numbers, left out") }, "\(read.notes)")
        #expect(!read.measurements.contains { $0.parameters.contains(Parameter("pl", "all")) })
    }

    /// sweep-bench's cases are depths of the KV cache, one batch at a time: no `pl`.
    @Test func sweepBenchIsKeyedOnItsDepth() throws {
        let lines = [0, 512].map { depth in
            #"{"n_kv_max": 8192, "n_batch": 2048, "n_ubatch": 512, "flash_attn": 1, "n_gpu_layers": 99, "n_threads": 8, "#
                + #""n_threads_batch": 8, "pp": 512, "tg": 128, "n_kv": \#(depth), "t_pp": 0.2, "speed_pp": 2560.0, "t_tg": 2.0, "speed_tg": \#(64 - depth / 64) }"#
        }
        let e = try ParsedText.extract(lines.joined(separator: "\n"), "sweep.jsonl")
        let decode = e.measurements.filter { $0.name.hasSuffix(" decode") }
        #expect(decode.map(\.tool) == ["llama-sweep-bench", "llama-sweep-bench"] && decode.map(\.mean) == [64, 56])
        #expect(decode.map { $0.parameters.first { $0.name == "n_kv" }?.value } == ["0", "512"])
    }
}
