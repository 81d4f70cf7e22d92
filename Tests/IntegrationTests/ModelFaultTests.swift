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
        try routed { request in chat(request.path == "/v1/chat/completions" ? 1 : 0) }
    }

    /// A server answering each chat request with a streamed reply written
    /// from its body (the prompt chimerad sent): `write` sees the JSON body.
    static func itemServer(replying write: @escaping @Sendable (String) -> String) throws -> LoopbackServer {
        try routed { request in (try? Self.reply(write(request.body))) ?? .bytes("") }
    }

    /// `/health` OK, `/props` not llama.cpp's, and every other request to `chat`.
    static func routed(_ chat: @escaping @Sendable (LoopbackServer.Request) -> LoopbackServer.Answer) throws -> LoopbackServer {
        try LoopbackServer { request, _ in
            switch request.path {
            case "/health": return LoopbackServer.http("200 OK", json: #"{"status":"ok"}"#)
            case "/props": return LoopbackServer.http("404 Not Found", json: #"{"error":"not llama.cpp"}"#)
            default: return chat(request)
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
    static func report(url: String, timeoutSeconds: Double = 5, input: String? = nil) async throws -> Run {
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        let config = state + "/model.yaml"
        try Data("model:\n  timeout_seconds: \(timeoutSeconds)\n".utf8).write(to: URL(fileURLWithPath: config))
        let examples = input ?? Chimerad.repository.appendingPathComponent("examples/results").path
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

    /// The choices the prompt of the last chat request offered.
    static func offered(_ server: LoopbackServer) -> ItemReply {
        ItemReply(chatBody: server.requests.last { $0.path == "/v1/chat/completions" }?.body ?? "")
    }

    static func counts(_ narrative: [String: Any], _ key: String) -> [String: Int] {
        narrative[key] as? [String: Int] ?? [:]
    }

    /// What no report may hold: checked in the Markdown and in report.json.
    static func expectAbsent(_ texts: [String], from run: Run, sourceLocation: SourceLocation = #_sourceLocation) {
        for text in texts {
            #expect(!run.markdown.contains(text), "\(text) reached the Markdown", sourceLocation: sourceLocation)
            #expect(!run.jsonText.contains(text), "\(text) reached the JSON", sourceLocation: sourceLocation)
        }
    }

    @Test("items full of invented numbers and names: only what the data backs reaches the report")
    func inventedNumbers() async throws {
        let server = try Self.itemServer { body in
            let reply = ItemReply(chatBody: body)
            let notes = [
                "The United States is the world's largest economy, with a GDP of $1.9 trillion.",
                "It reached 4812.5 tokens per second on every run.", "Throughput rose after the upgrade to llama3:70b.",
                "Pin the context at a larger window for much faster decoding.",
            ]
            var sections: [String: [[String: Any]]] = [:]
            for (index, choice) in reply.firstPerSlot.enumerated() {
                sections[choice.section, default: []].append(ItemReply.item(choice, note: notes[index % notes.count]))
            }
            // Kinds and facts of the model's own, and a mitigation from nowhere.
            sections["findings", default: []].append(["kind": "gdp_growth", "facts": ["llama3:70b"], "note": "A new record."])
            if let risk = reply.choices.first(where: { $0.section == "risks" }) {
                sections["risks", default: []].append(
                    ItemReply.item(risk, note: "Roll back to version 7.1.9 at once.", facts: risk.rows, kind: risk.kind)
                        .merging(["mitigation": "roll back to version 7.1.9"]) { $1 })
            }
            return ItemReply.json(sections)
        }
        defer { server.stop() }
        let run = try await Self.report(url: server.url)
        let checked = run.json.object("narrative")
        #expect(checked["unavailable_reason"] is NSNull, "\(checked)")
        #expect((checked["items_kept"] as? Int ?? 0) >= 1)
        #expect((checked["items_dropped"] as? Int ?? 0) >= 2)
        #expect(Self.counts(checked, "dropped_by_reason")["unknown kind"] == 1, "\(checked)")
        #expect(Self.counts(checked, "dropped_by_reason")["unsuitable mitigation"] == 1, "\(checked)")
        #expect((checked["notes_dropped"] as? Int ?? 0) >= 1)
        Self.expectAbsent(
            ["1.9 trillion", "4812.5", "llama3:70b", "gdp_growth", "7.1.9", "United States", "roll back", "Roll back"], from: run)
        #expect(run.markdown.contains("### Model Narrative"))
        let call = run.json.object("model_call")
        #expect(call["tokens_generated"] as? Int == 96)
        #expect(call["tokens_per_second"] as? Double == 81.34)
        #expect(call["prompt_eval_ms"] as? Double == 402.5)
        #expect((call["ttft_ms"] as? Double ?? -1) >= 0)
    }

    @Test("items citing rows the table does not hold: dropped with their reason, and the report says why it has no narrative")
    func unknownIDs() async throws {
        let server = try Self.itemServer { body in
            var sections: [String: [[String: Any]]] = [:]
            for (index, choice) in ItemReply(chatBody: body).firstPerSlot.enumerated() {
                let invented = choice.rows.indices.map { "Gzz\(index)\($0)q" }
                sections[choice.section, default: []].append(
                    ItemReply.item(choice, note: ItemReply.note(for: choice, index), facts: invented))
            }
            return ItemReply.json(sections)
        }
        defer { server.stop() }
        let run = try await Self.report(url: server.url)
        let asked = Self.offered(server).firstPerSlot.count
        #expect(asked > 0, "the prompt offered no items")
        let narrative = run.json.object("narrative")
        #expect(narrative["items_asked"] as? Int == asked)
        #expect(narrative["items_kept"] as? Int == 0)
        #expect(narrative["items_dropped"] as? Int == asked)
        #expect(narrative["sentences_dropped"] as? Int == asked)
        #expect(Self.counts(narrative, "dropped_by_reason") == ["facts not in the table": asked], "\(narrative)")
        #expect((narrative["items"] as? [Any])?.isEmpty == true)
        #expect((narrative["facts_cited"] as? [String: Any])?.isEmpty == true)
        let reason = Self.reason(run)
        #expect(reason.contains("passed the checks") && reason.contains("facts not in the table"), "\(reason)")
        #expect(run.markdown.contains("_This summary is rule-based: none of the model's \(asked) items passed the checks"))
        #expect(!run.markdown.contains("### Model Narrative"))
        // A reply that parsed is not asked again, and the IDs it invented are not quoted.
        #expect((run.json.object("model_call")["calls"] as? [Any])?.count == 1)
        Self.expectAbsent(["Gzz"], from: run)
    }

    /// The bundled runs of gemma3:270m beside a slower smollm2:135m: two
    /// groups whose throughput differs, so the prompt offers a comparison.
    static func twoModels() throws -> String {
        let folder = try Chimerad.temporaryFolder("two-models")
        let runs = Chimerad.repository.appendingPathComponent("examples/results/ollama-style/gemma3-270m_runs.csv")
        try FileManager.default.copyItem(atPath: runs.path, toPath: folder + "/gemma3-270m_runs.csv")
        var csv =
            "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options\n"
        for (index, speed) in [80.1, 81.4, 79.8, 80.6, 81.0].enumerated() {
            csv +=
                "2026-11-22T20:0\(index):00+00:00,smollm2:135m,\(index),Say hello.,0.05,\(speed),0.0,0.02,0.6,20,48,100,,\"{\"\"num_ctx\"\":2048}\"\n"
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: folder + "/smollm2-135m_runs.csv"))
        return folder
    }

    @Test("a compare whose numbers point the other way: dropped and counted, the other items kept")
    func compareTheOtherWay() async throws {
        let server = try Self.itemServer { body in
            let reply = ItemReply(chatBody: body)
            var sections: [String: [[String: Any]]] = [:]
            for (index, choice) in reply.firstPerSlot.enumerated() {
                sections[choice.section, default: []].append(ItemReply.item(choice, note: ItemReply.note(for: choice, index)))
            }
            // The slower first: the figures say the opposite.
            if let compare = reply.choices.first(where: { $0.kind == "compare" }) {
                sections["findings", default: []].append(
                    ItemReply.item(compare, note: "The second model lags well behind the first.", facts: compare.rows.reversed()))
            }
            return ItemReply.json(sections)
        }
        defer { server.stop() }
        let input = try Self.twoModels()
        defer { try? FileManager.default.removeItem(atPath: input) }
        let run = try await Self.report(url: server.url, input: input)
        let offered = Self.offered(server)
        let compare = try #require(offered.choices.first { $0.kind == "compare" }, "the prompt offered no compare")
        let narrative = run.json.object("narrative")
        #expect(Self.counts(narrative, "dropped_by_reason") == ["numbers point the other way": 1], "\(narrative)")
        #expect(narrative["items_dropped"] as? Int == 1)
        #expect(narrative["items_kept"] as? Int == offered.firstPerSlot.count)
        #expect(narrative["unavailable_reason"] is NSNull)
        // No kept item compares the pair the wrong way round.
        let items = narrative["items"] as? [[String: Any]] ?? []
        #expect(!items.isEmpty)
        #expect(!items.contains { $0["kind"] as? String == "compare" && $0["facts"] as? [String] == Array(compare.rows.reversed()) })
        #expect(run.markdown.contains("1 numbers point the other way"), "the narrative's line should count the drop")
        Self.expectAbsent(["lags well behind"], from: run)
    }

    @Test("a note with digits: the item is kept, its note left out, and none of its numbers reach the report")
    func digitsInNotes() async throws {
        let server = try Self.itemServer { body in
            var sections: [String: [[String: Any]]] = [:]
            for choice in ItemReply(chatBody: body).firstPerSlot {
                sections[choice.section, default: []].append(
                    ItemReply.item(choice, note: "About 7319 more tokens per run, an 86253 percent lead over the rest."))
            }
            return ItemReply.json(sections)
        }
        defer { server.stop() }
        let run = try await Self.report(url: server.url)
        let asked = Self.offered(server).firstPerSlot.count
        #expect(asked > 0, "the prompt offered no items")
        let narrative = run.json.object("narrative")
        #expect(narrative["items_kept"] as? Int == asked, "\(narrative)")
        #expect(narrative["items_dropped"] as? Int == 0)
        #expect(narrative["notes_dropped"] as? Int == asked)
        #expect(Self.counts(narrative, "notes_dropped_by_reason") == ["holds a digit": asked], "\(narrative)")
        let items = narrative["items"] as? [[String: Any]] ?? []
        #expect(items.count == asked)
        #expect(items.allSatisfy { ($0["note"] as? String ?? "").isEmpty }, "\(items)")
        #expect(run.markdown.contains("### Model Narrative"))
        #expect(run.markdown.contains("\(asked) of the model's notes left out"))
        Self.expectAbsent(["7319", "86253", "more tokens per run", "percent lead"], from: run)
    }
}
