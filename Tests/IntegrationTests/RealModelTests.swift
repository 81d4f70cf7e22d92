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
    /// model would wait for.
    static func config(in folder: String) throws -> String {
        let path = folder + "/model.yaml"
        try Data(
            "model:\n  timeout_seconds: \(modelBudgetSeconds)\n  priority: normal\n  options:\n    seed: 8\n    temperature: 0.2\n".utf8
        )
        .write(to: URL(fileURLWithPath: path))
        return path
    }

    /// What every report with a model call must hold: the call's figures, and
    /// a narrative that went through the checks with every plain number it
    /// kept shown elsewhere in the report (percentages and ratios derived from
    /// two facts are allowed by the checks, so they are not looked for).
    static func expectChecked(_ report: [String: Any], markdown: String, backend: String) {
        let call = report.object("model_call")
        #expect(call["backend"] as? String == backend)
        #expect((call["ttft_ms"] as? Double ?? 0) > 0)
        #expect((call["tokens_per_second"] as? Double ?? 0) > 0)
        #expect((call["tokens_generated"] as? Int ?? 0) > 0)
        #expect((call["prompt_tokens"] as? Int ?? 0) > 0)
        #expect((call["prompt_eval_ms"] as? Double ?? 0) > 0)
        #expect((call["total_ms"] as? Double ?? 0) > 0)
        let narrative = report.object("narrative")
        let kept = narrative["sentences_kept"] as? Int ?? 0
        let dropped = narrative["sentences_dropped"] as? Int ?? 0
        #expect(kept + dropped > 0, "the reply was not checked: \(narrative)")
        let text = narrative["text"] as? String ?? ""
        #expect(kept == 0 ? text.isEmpty : !text.isEmpty)
        // Kept sentences are shown; with none kept, the report says why and
        // keeps the rule-based summary.
        if kept == 0 {
            #expect(markdown.contains("passed the checks"), "no reason for an empty narrative")
        } else {
            #expect(markdown.contains("### Model Narrative"))
        }
        let rest = markdown.components(separatedBy: "### Model Narrative").first ?? markdown
        let numbers = text.matches(of: /(\d+(?:\.\d+)?)(?![\d.]*\s*(?:%|x|×))/).map { String($0.output.1) }
        for number in numbers where number.count > 1 {
            #expect(rest.contains(number), "kept number \(number) is not in the report's figures: \(text)")
        }
        print(
            "model report: \(call["backend"] ?? "") \(call["model"] ?? ""): kept \(kept), dropped \(dropped), ttft \(call["ttft_ms"] ?? "") ms, \(call["tokens_per_second"] ?? "") tok/s, prompt \(call["prompt_tokens"] ?? "") tokens, load \(call["load_ms"] ?? "null") ms, total \(call["total_ms"] ?? "") ms"
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
            "--state", folder + "/state", "--model", "openai", "--model-url", "http://127.0.0.1:\(port)",
        ])
        await server.shutdown()
        #expect(result.status == 0, "\(result.stderr)")
        let report = try Chimerad.json(folder + "/out/latest.json")
        let markdown = try String(contentsOfFile: folder + "/out/latest.md", encoding: .utf8)
        Self.expectChecked(report, markdown: markdown, backend: "openai")
        #expect(markdown.contains("## Metrics") && markdown.contains("| Call 1 |"))
        #expect(markdown.contains("OpenAI-compatible server at http://127.0.0.1:\(port)"))
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

        let first = try #require(
            try await daemon.nextReport(after: 0, within: .seconds(Self.modelBudgetSeconds + 120)), "no startup report; log:\n\(daemon.logText)")
        let firstMarkdown = try String(contentsOfFile: daemon.output + "/latest.md", encoding: .utf8)
        Self.expectChecked(first, markdown: firstMarkdown, backend: "managed")
        #expect(first.object("model_call")["model"] as? String == ManagedModel.default.rawValue)

        try FileManager.default.copyItem(
            atPath: examples.appendingPathComponent("pytest-benchmark/bench.json").path, toPath: folder + "/watch/bench.json")
        let second = try #require(
            try await daemon.nextReport(after: 1, within: .seconds(Self.modelBudgetSeconds + 60)), "no second report; log:\n\(daemon.logText)")
        let secondMarkdown = try String(contentsOfFile: daemon.output + "/latest.md", encoding: .utf8)
        Self.expectChecked(second, markdown: secondMarkdown, backend: "managed")
        // The server stayed up: the second report waited for no model load.
        #expect(second.object("model_call")["load_ms"] as? Double == 0)
        #expect(daemon.logText.components(separatedBy: "starting llama-server").count == 2, "one server start only; log:\n\(daemon.logText)")

        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(15)) == 0, "log:\n\(daemon.logText)")
        #expect(daemon.logText.contains("llama-server stopped"))
        let pids = daemon.logText.matches(of: /starting llama-server .*pid=(\d+)/).compactMap { Int32($0.output.1) }
        for pid in pids { #expect(kill(pid, 0) == -1 && errno == ESRCH, "llama-server \(pid) outlived the daemon") }
    }
}

/// The default model's installation in the repository's `.venv`, if set up.
enum RealModel {
    static let installation = try? LlamaInstallation.locate(
        model: .default, venvs: [Chimerad.repository.appendingPathComponent(".venv").path])
}
