import Analysis
import Logging
import ModelBackends
import ModelInterface
import Narration
import Pipeline
import Records
import TestSupport
import Testing

/// The narrative stage's own decisions, with a real client on loopback.
@Suite("Narrator")
struct NarratorTests {
    @Test("nothing measured: no call is made, and the report says why")
    func nothingToNarrate() async throws {
        let server = try LoopbackServer { _, _ in LoopbackServer.http("500 Internal Server Error", json: "{}") }
        defer { server.stop() }
        let backend = OpenAICompatibleBackend(baseURL: server.url, model: "default")
        let narrator = Narrator(backend: backend, persona: NarrativePrompt.defaultPersona, timeout: .seconds(5))
        var analyzer = Analyzer(catalog: [])
        let empty = analyzer.finish(
            inputs: InputFacts(roots: ["/in"], filesSeen: 1, filesAnalyzed: 0, skipped: [], changed: [], deleted: [], added: []),
            previous: nil, previousAt: nil)
        let outcome = await narrator.narrate(empty, logger: Logger(label: "test"))
        #expect(outcome.calls.isEmpty)
        #expect(outcome.unavailableReason == "no benchmark figures to narrate")
        #expect(server.requests.isEmpty)
        await backend.shutdown()
    }

    /// gemma3:270m, 5 runs at a median of 68.43 tok/s, through the real analyzer.
    static func facts() -> Facts {
        let runs = [66.1, 67.2, 68.43, 69.5, 70.2].enumerated().map { index, speed in
            LLMRun(ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: speed, ttftSeconds: 0.06, loadSeconds: 0.1, evalCount: 100)
        }
        let extraction = Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "gemma3:270m", configuration: [], runs: runs)])
        let path = "gemma3/gemma3_270m_runs.csv"
        var analyzer = Analyzer(catalog: [Analyzer.CatalogEntry(path: path, shape: extraction.shape, modelHint: nil)])
        analyzer.add(path: path, extraction: extraction)
        let inputs = InputFacts(roots: ["/in"], filesSeen: 1, filesAnalyzed: 1, skipped: [], changed: [path], deleted: [], added: [path])
        return analyzer.finish(inputs: inputs, previous: nil, previousAt: nil)
    }

    static let groundedReply = """
        {"summary": "gemma3:270m generated a median of 68.43 tokens per second over 5 runs.",
         "findings": ["gemma3:270m reached a median of 68.43 tokens per second."],
         "recommendations": ["Run gemma3:270m again to confirm its median of 68.43 tokens per second."],
         "risks": [{"risk": "gemma3:270m was measured in only 5 runs.", "mitigation": "Add runs to gemma3:270m."}]}
        """

    @Test("a reply that is not the JSON asked for is retried once with a new seed; the retry's checked text is kept")
    func unusableReplyIsRetried() async throws {
        let backend = ScriptedModelBackend([.reply("Sure! Here is a summary of your benchmarks."), .reply(Self.groundedReply)])
        let narrator = Narrator(backend: backend, persona: NarrativePrompt.defaultPersona, timeout: .seconds(30))
        let outcome = await narrator.narrate(Self.facts(), logger: Logger(label: "test"))
        let requests = await backend.requests
        #expect(requests.count == 2)
        #expect(requests.first?.options.seed != requests.last?.options.seed)
        #expect(requests.allSatisfy { $0.user.contains("68.43") && $0.schema == NarrativePrompt.outputSchema })
        #expect(outcome.calls.count == 2)
        #expect(outcome.unavailableReason == nil)
        #expect(outcome.sentencesKept >= 1, "\(outcome)")
        #expect(outcome.text.contains("68.43"))
    }

    @Test("a model that fails costs the narrative, with its reason, and is not asked again")
    func failingModelCostsTheNarrative() async throws {
        let backend = ScriptedModelBackend([.failure(.timedOut(after: .seconds(30)))])
        let narrator = Narrator(backend: backend, persona: NarrativePrompt.defaultPersona, timeout: .seconds(30))
        let outcome = await narrator.narrate(Self.facts(), logger: Logger(label: "test"))
        #expect(await backend.requests.count == 1)
        #expect(outcome.narrative == nil)
        #expect(outcome.unavailableReason?.contains("timed out") == true, "\(outcome)")
    }

    @Test("numbers the facts do not hold never reach the narrative")
    func inventedNumbersAreDropped() async throws {
        let invented = Self.groundedReply.replacingOccurrences(
            of: "over 5 runs", with: "over 5 runs, 41.7% faster than llama3:70b at 12.5 tokens per second")
        let backend = ScriptedModelBackend([.reply(invented)])
        let narrator = Narrator(backend: backend, persona: NarrativePrompt.defaultPersona, timeout: .seconds(30))
        let outcome = await narrator.narrate(Self.facts(), logger: Logger(label: "test"))
        #expect(!outcome.text.contains("41.7"))
        #expect(!outcome.text.contains("12.5"))
        #expect(!outcome.text.contains("llama3:70b"))
        #expect(outcome.sentencesDropped >= 1)
    }
}
