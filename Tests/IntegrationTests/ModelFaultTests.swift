import Foundation
import TestSupport
import Testing

/// `chimerad report --model openai` against a scripted server on loopback that
/// fails in each way a real one can: every run still writes its report, on
/// time, with the reason in `narrative.unavailable_reason`, and nothing the
/// model invented reaches it.
@Suite("Model faults cost the narrative, never the report", .serialized)
struct ModelFaultTests {
    /// What the scripted server does with the chat request.
    static func server(chat: @escaping @Sendable (Int) -> LoopbackServer.Answer) throws -> LoopbackServer {
        try LoopbackServer { request, _ in
            switch request.path {
            case "/health": return LoopbackServer.http("200 OK", json: #"{"status":"ok"}"#)
            case "/props": return LoopbackServer.http("404 Not Found", json: #"{"error":"not llama.cpp"}"#)
            default:
                return chat(request.path == "/v1/chat/completions" ? 1 : 0)
            }
        }
    }

    /// An SSE chunk carrying `content`, as llama-server streams it.
    static func chunk(_ content: String, finish: String? = nil) throws -> String {
        let choice: [String: Any] = ["index": 0, "delta": ["content": content], "finish_reason": finish ?? NSNull()]
        let data = try JSONSerialization.data(withJSONObject: ["object": "chat.completion.chunk", "choices": [choice]])
        return "data: " + String(decoding: data, as: UTF8.self)
    }

    /// A whole streamed reply whose text is `text`, with llama.cpp's timings.
    static func reply(_ text: String) throws -> LoopbackServer.Answer {
        let timings =
            #"data: {"object":"chat.completion.chunk","choices":[],"timings":{"prompt_n":812,"prompt_ms":402.5,"predicted_n":96,"predicted_ms":1180.2,"predicted_per_second":81.34}}"#
        return LoopbackServer.eventStream([try chunk(""), try chunk(text), try chunk("", finish: "stop"), timings, "data: [DONE]"])
    }

    struct Run {
        var result: Chimerad.Result
        var seconds: Double
        var json: [String: Any]
        var markdown: String
        var jsonText: String
    }

    /// One report of the bundled examples with the model at `url`.
    static func report(url: String, timeoutSeconds: Double = 5) async throws -> Run {
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        let config = state + "/model.yaml"
        try Data("model:\n  timeout_seconds: \(timeoutSeconds)\n".utf8).write(to: URL(fileURLWithPath: config))
        let examples = Chimerad.repository.appendingPathComponent("examples/results").path
        let started = ContinuousClock.now
        let result = try await Chimerad.run([
            "report", "--config", config, "--input", examples, "--output", out, "--state", state,
            "--model", "openai", "--model-url", url, "--log-target", "console",
        ])
        let seconds = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000
        #expect(result.status == 0, "no report: \(result.stderr)")
        let jsonText = try String(contentsOfFile: out + "/latest.json", encoding: .utf8)
        return Run(
            result: result, seconds: seconds, json: try Chimerad.json(out + "/latest.json"),
            markdown: try String(contentsOfFile: out + "/latest.md", encoding: .utf8), jsonText: jsonText)
    }

    static func reason(_ run: Run) -> String {
        run.json.object("narrative")["unavailable_reason"] as? String ?? ""
    }

    @Test("a server refusing connections: the report says so, at once")
    func refused() async throws {
        // "At once": the narrative stage ends well before its budget, rather
        // than a wall-clock bound (a whole report took 17 s on a saturated CI
        // machine while the stage itself took a fraction of a second).
        let run = try await Self.report(url: "http://127.0.0.1:\(try LoopbackServer.closedPort())", timeoutSeconds: 30)
        #expect(Self.reason(run).contains("connection refused"), "\(Self.reason(run))")
        let narrativeSeconds = (run.json.object("timings")["narrative_seconds"] as? NSNumber)?.doubleValue
        #expect(narrativeSeconds.map { $0 < 15 } == true, "narrative stage: \(String(describing: narrativeSeconds)) s")
        #expect(run.markdown.contains("_This summary is rule-based: model server unreachable"))
        #expect(run.json.object("model_call")["backend"] as? String == "openai")
        #expect(run.result.stderr.contains("report written without a model narrative"))
    }

    @Test("a server that goes quiet past the timeout: the report is written when the budget ends")
    func hangs() async throws {
        let server = try Self.server { _ in .bytesThenHang("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n") }
        defer { server.stop() }
        let run = try await Self.report(url: server.url, timeoutSeconds: 2)
        // The call gets what is left of the 2 s budget: on a loaded machine
        // building the prompt may have taken a few milliseconds of it.
        let reason = Self.reason(run)
        let after = reason.firstMatch(of: /timed out after ([0-9.]+) s/).flatMap { Double($0.1) }
        #expect(after.map { $0 > 1.5 && $0 <= 2 } == true, "\(reason)")
        #expect(run.seconds < 15)
    }

    @Test("a stream closed mid-reply")
    func closesMidStream() async throws {
        let server = try Self.server { _ in
            (try? LoopbackServer.chunkedStreamCut([Self.chunk(#"{"summary": "gemma3:270m ran"#)])) ?? .bytes("")
        }
        defer { server.stop() }
        let run = try await Self.report(url: server.url)
        #expect(Self.reason(run).contains("closed the stream early"), "\(Self.reason(run))")
    }

    @Test("bytes that are not the protocol")
    func invalidJSON() async throws {
        let server = try Self.server { _ in LoopbackServer.eventStream(["data: {this is not json", "data: [DONE]"]) }
        defer { server.stop() }
        let run = try await Self.report(url: server.url)
        #expect(Self.reason(run).contains("invalid reply"), "\(Self.reason(run))")
    }

    @Test("prose instead of the JSON asked for: retried once, then the rule-based text")
    func proseTwice() async throws {
        let server = try Self.server { _ in (try? Self.reply("Sure! Here is a great report about your benchmarks.")) ?? .bytes("") }
        defer { server.stop() }
        let run = try await Self.report(url: server.url)
        #expect(Self.reason(run).contains("held no JSON object"), "\(Self.reason(run))")
        let call = run.json.object("model_call")
        #expect((call["calls"] as? [Any])?.count == 2)
        #expect(call["tokens_generated"] as? Int == 192)  // both calls' tokens
        #expect(server.requests.filter { $0.path == "/v1/chat/completions" }.count == 2)
    }

    @Test("prose full of invented numbers: only what the data backs reaches the report")
    func inventedNumbers() async throws {
        let narrative: [String: Any] = [
            "summary":
                "The United States is the world's largest economy, with a GDP of $1.9 trillion. gemma3:270m reached 4812.5 tokens/s on every run.",
            "findings": ["gemma3:270m was benchmarked in these results.", "Throughput rose 73.4% after the upgrade to llama3:70b."],
            "recommendations": [
                "Pin num_ctx at 65536 for 9.75x faster decoding.", "Compare gemma3:270m's TTFT across configurations before changing them.",
            ],
            "risks": [["risk": "A 38.2% TTFT regression", "mitigation": "Roll back to version 7.1.9"]],
        ]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: narrative), as: UTF8.self)
        let server = try Self.server { _ in (try? Self.reply(text)) ?? .bytes("") }
        defer { server.stop() }
        let run = try await Self.report(url: server.url)
        let checked = run.json.object("narrative")
        #expect(checked["unavailable_reason"] is NSNull, "\(checked)")
        #expect((checked["sentences_kept"] as? Int ?? 0) >= 1)
        #expect((checked["sentences_dropped"] as? Int ?? 0) >= 5)
        for invented in ["1.9 trillion", "4812.5", "73.4", "llama3:70b", "65536", "9.75", "38.2", "7.1.9", "United States"] {
            #expect(!run.markdown.contains(invented), "\(invented) reached the Markdown")
            #expect(!run.jsonText.contains(invented), "\(invented) reached the JSON")
        }
        #expect(run.markdown.contains("### Model Narrative"))
        let call = run.json.object("model_call")
        #expect(call["tokens_generated"] as? Int == 96)
        #expect(call["tokens_per_second"] as? Double == 81.34)
        #expect(call["prompt_eval_ms"] as? Double == 402.5)
        #expect((call["ttft_ms"] as? Double ?? -1) >= 0)
    }
}
