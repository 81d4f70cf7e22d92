import Foundation
import ModelBackends
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built binary with a real model: llama.cpp's `llama-server` and the
/// default GGUF from the venv `scripts/setup-model` fills (the README's test
/// command runs it). Skipped, saying so, when the venv is missing.
@Suite(
    "Reports with a real local model", .serialized, .modelServerTurn,
    .enabled(if: RealModel.installation != nil, "needs llama-server and the GGUFs in .venv: run scripts/setup-model"))
struct RealModelTests {

    /// The narrative's budget on a loaded machine: a 135M model evaluating a
    /// 1,400-token prompt on two cores shared with a compiler took over 60 s.
    /// The test asserts what the reply must be, not how fast it comes.
    static let modelBudgetSeconds = 300

    /// A fixed seed and a low temperature, so a failure can be replayed; no
    /// assertion depends on what that seed draws. The model at normal
    /// priority: these tests run beside other CPU-bound tests, which an idle
    /// model would wait for. Trace logging puts the prompt in the log, for
    /// the sections it asked items of.
    static func config(in folder: String) throws -> String {
        let path = folder + "/model.yaml"
        try Data(
            """
            model:
              timeout_seconds: \(modelBudgetSeconds)
              priority: normal
              options:
                seed: 8
                temperature: 0.2
            log:
              level: trace

            """.utf8
        )
        .write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The sections the last prompt in `log` asked items of: its choices'
    /// lines (`findings item 2: ...`), escaped onto the `model prompt` line.
    static func sectionsAsked(in log: String) -> Set<String> {
        guard let prompt = log.split(separator: "\n").last(where: { $0.contains("model prompt") }) else { return [] }
        return Set(prompt.matches(of: /(summary|findings|recommendations|risks) item \d+:/).map { String($0.output.1) })
    }

    /// What every report with a model call must hold: the call's figures, and
    /// a narrative of items that went through the checks. When the server
    /// constrained decoding to the schema (it did not reject it), every item
    /// is one the prompt offered: each section asked for an item keeps one,
    /// and none is dropped for facts the table does not hold or a kind
    /// chimerad does not know. Notes may be left out (a small model writes
    /// what it writes), and a loaded machine may not let it finish every item,
    /// so no share of kept items is required. Every number an item states is
    /// one of the rows it cites.
    static func expectChecked(_ report: [String: Any], markdown: String, backend: String, log: String) {
        let call = report.object("model_call")
        #expect(call["backend"] as? String == backend)
        #expect((call["ttft_ms"] as? Double ?? 0) > 0)
        #expect((call["tokens_per_second"] as? Double ?? 0) > 0)
        #expect((call["tokens_generated"] as? Int ?? 0) > 0)
        #expect((call["prompt_tokens"] as? Int ?? 0) > 0)
        #expect((call["prompt_eval_ms"] as? Double ?? 0) > 0)
        #expect((call["total_ms"] as? Double ?? 0) > 0)
        let narrative = report.object("narrative")
        let asked = narrative["items_asked"] as? Int ?? 0
        let kept = narrative["items_kept"] as? Int ?? 0
        let dropped = narrative["items_dropped"] as? Int ?? 0
        #expect(asked > 0, "the prompt asked for no item: \(narrative)")
        #expect(kept + dropped > 0, "the reply was not checked: \(narrative)")
        #expect(narrative["sentences_kept"] as? Int == kept)
        let text = narrative["text"] as? String ?? ""
        #expect(kept == 0 ? text.isEmpty : !text.isEmpty)
        // Kept items are shown; with none kept, the report says why and
        // keeps the rule-based summary.
        if kept == 0 {
            #expect(markdown.contains("passed the checks"), "no reason for an empty narrative")
        } else {
            #expect(markdown.contains("### Model Narrative"))
        }
        let items = narrative["items"] as? [[String: Any]] ?? []
        #expect(items.count == kept)
        let cited = narrative["facts_cited"] as? [String: String] ?? [:]
        for item in items {
            let itemText = item["text"] as? String ?? ""
            let lines = (item["facts"] as? [String] ?? []).map { cited[$0] }
            #expect(!lines.isEmpty && lines.allSatisfy { $0 != nil }, "an item cites rows facts_cited lacks: \(item)")
            for number in itemText.matches(of: /\d+(?:\.\d+)?/).map({ String($0.output) }) {
                #expect(lines.contains { $0?.contains(number) == true }, "\(number) is in no row the item cites: \(itemText) \(lines)")
            }
        }
        let reasons = narrative["dropped_by_reason"] as? [String: Int] ?? [:]
        let constrained = !log.contains("rejected the response format")
        if constrained {
            for section in sectionsAsked(in: log).sorted() {
                #expect(items.contains { $0["section"] as? String == section }, "nothing kept in \(section): \(narrative)")
            }
            #expect(reasons["facts not in the table"] == nil && reasons["unknown kind"] == nil, "a constrained reply went off its schema: \(reasons)")
        }
        print(
            "model report: \(call["backend"] ?? "") \(call["model"] ?? ""): asked \(asked), kept \(kept), dropped \(dropped) \(reasons), notes left out \(narrative["notes_dropped"] ?? 0), constrained \(constrained), ttft \(call["ttft_ms"] ?? "") ms, \(call["tokens_per_second"] ?? "") tok/s, prompt \(call["prompt_tokens"] ?? "") tokens, load \(call["load_ms"] ?? "null") ms, total \(call["total_ms"] ?? "") ms"
        )
    }

    @Test("chimerad report --model openai against a running llama-server")
    func reportAgainstRunningServer() async throws {
        let installation = try #require(RealModel.installation)
        let folder = try Chimerad.temporaryFolder("real-openai")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = ManagedLlamaServer(installation: installation, contextSize: 4096, priority: .normal, logDirectory: folder + "/server")
        try await server.start()
        let port = try #require(await server.port)
        let examples = Chimerad.repository.appendingPathComponent("examples/results").path
        let result = try await Chimerad.run([
            "report", "--config", try Self.config(in: folder), "--input", examples, "--output", folder + "/out",
            "--state", folder + "/state", "--model", "openai", "--model-url", "http://127.0.0.1:\(port)", "--log-target", "console",
        ])
        await server.shutdown()
        #expect(result.status == 0, "\(result.stderr)")
        let report = try Chimerad.json(folder + "/out/latest.json")
        let markdown = try String(contentsOfFile: folder + "/out/latest.md", encoding: .utf8)
        #expect(!Self.sectionsAsked(in: result.stderr).isEmpty, "no prompt in the log: \(result.stderr.suffix(2000))")
        Self.expectChecked(report, markdown: markdown, backend: "openai", log: result.stderr)
        #expect(markdown.contains("## Metrics") && markdown.contains("| Call 1 |"))
        #expect(markdown.contains("OpenAI-compatible server at http\\://127.0.0.1:\(port)"))
    }

    @Test("chimerad run --model auto starts its own llama-server, keeps it warm between reports, and stops it")
    func runWithAuto() async throws {
        let folder = try Chimerad.temporaryFolder("real-auto")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/watch", withIntermediateDirectories: true)
        let examples = Chimerad.repository.appendingPathComponent("examples/results")
        try FileManager.default.copyItem(
            atPath: examples.appendingPathComponent("ollama-style").path, toPath: folder + "/watch/ollama-style")
        let daemon = try await RunCommandTests.RunningDaemon(
            folder: folder, notify: nil, extraArguments: ["--config", try Self.config(in: folder), "--model", "auto"])

        let (first, firstMarkdown) = try #require(
            try await daemon.checkedReport(after: 0, within: .seconds(Self.modelBudgetSeconds + 120)),
            "no startup report with its narrative; log:\n\(daemon.logText)")
        Self.expectChecked(first, markdown: firstMarkdown, backend: "managed", log: daemon.logText)
        #expect(first.object("model_call")["model"] as? String == ManagedModel.default.rawValue)
        // Written before the server started, rewritten once it answered: the header names where.
        #expect(
            firstMarkdown.contains("**Model:** \(ManagedModel.default.rawValue) via managed llama-server at http\\://127.0.0.1:"),
            "\(firstMarkdown.prefix(400))")

        try FileManager.default.copyItem(
            atPath: examples.appendingPathComponent("pytest-benchmark/bench.json").path, toPath: folder + "/watch/bench.json")
        let (second, secondMarkdown) = try #require(
            try await daemon.checkedReport(after: 1, within: .seconds(Self.modelBudgetSeconds + 60)),
            "no second report with its narrative; log:\n\(daemon.logText)")
        Self.expectChecked(second, markdown: secondMarkdown, backend: "managed", log: daemon.logText)
        // The server stayed up: the second report waited for no model load.
        #expect(second.object("model_call")["load_ms"] as? Double == 0)
        #expect(daemon.logText.components(separatedBy: "starting llama-server").count == 2, "one server start only; log:\n\(daemon.logText)")

        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(15)) == 0, "log:\n\(daemon.logText)")
        #expect(daemon.logText.contains("llama-server stopped"))
        let pids = daemon.logText.matches(of: /starting llama-server .*pid=(\d+)/).compactMap { Int32($0.output.1) }
        for pid in pids { #expect(kill(pid, 0) == -1 && errno == ESRCH, "llama-server \(pid) outlived the daemon") }
    }

    /// A chimerad killed outright runs no shutdown: outside systemd nothing
    /// else would stop its server, and a loaded model would hold its memory
    /// beside the benchmarks until the next start.
    @Test("a chimerad killed with SIGKILL takes its llama-server with it")
    func killedDaemonTakesItsServer() async throws {
        let folder = try Chimerad.temporaryFolder("real-killed")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/watch", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Chimerad.repository.appendingPathComponent("examples/results/ollama-style").path, toPath: folder + "/watch/ollama-style")
        let daemon = try await RunCommandTests.RunningDaemon(
            folder: folder, notify: nil, extraArguments: ["--config", try Self.config(in: folder), "--model", "auto"])
        #expect(
            try await daemon.logContains("llama-server ready", within: .seconds(Self.modelBudgetSeconds)), "log:\n\(daemon.logText)")
        let pid = try #require(daemon.logText.firstMatch(of: /starting llama-server .*pid=(\d+)/).flatMap { Int32($0.output.1) })
        #expect(Self.isRunning(pid), "llama-server \(pid) is not running while its daemon is")

        daemon.signal(SIGKILL)
        _ = try await daemon.exitStatus(within: .seconds(15))
        let deadline = ContinuousClock.now + .seconds(60)
        while Self.isRunning(pid) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!Self.isRunning(pid), "llama-server \(pid) outlived its killed daemon by a minute")
        if Self.isRunning(pid) { kill(pid, SIGKILL) }
    }

    /// Whether `pid` runs: it exists and is no zombie (whoever adopted it may
    /// not have reaped it yet).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }
}

/// The default model's installation in the repository's `.venv`, if set up.
enum RealModel {
    static let installation = try? LlamaInstallation.locate(
        model: .default, venvs: [Chimerad.repository.appendingPathComponent(".venv").path])
}
