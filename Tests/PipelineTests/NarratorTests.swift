import Analysis
import Logging
import ModelBackends
import Narration
import Pipeline
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
}
