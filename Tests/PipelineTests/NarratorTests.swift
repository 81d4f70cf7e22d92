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

    @Test("a reply that is not the JSON asked for is retried once with a new seed; the retry's checked items are kept")
    func unusableReplyIsRetried() async throws {
        let backend = ScriptedModelBackend([
            .reply("Sure! Here is a summary of your benchmarks."), .respond { ItemReply(prompt: $0.user).grounded },
        ])
        // The retry is made only with time left; the scripted model answers at
        // once, so a budget no busy machine spends keeps this about the retry.
        // (At 30 s, a debug build beside a compile spent it on the first reply.)
        let narrator = Narrator(backend: backend, persona: NarrativePrompt.defaultPersona, timeout: .seconds(600))
        let outcome = await narrator.narrate(Self.facts(), logger: Logger(label: "test"))
        let requests = await backend.requests
        #expect(requests.count == 2)
        #expect(requests.first?.options.seed != requests.last?.options.seed)
        // Both calls carry the table, its choices and the choices' schema.
        let prompt = NarrativePrompt(facts: Self.facts())
        #expect(requests.allSatisfy { $0.user.contains("68.43") && $0.user.contains("Choices (kind IDs):") && $0.schema == prompt.outputSchema })
        #expect(outcome.calls.count == 2)
        #expect(outcome.unavailableReason == nil)
        let narrative = try #require(outcome.narrative)
        #expect(outcome.itemsAsked == prompt.choices.itemsAsked)
        #expect(narrative.items.count == outcome.itemsAsked, "\(narrative)")
        #expect(narrative.dropped.isEmpty && narrative.droppedNotes.isEmpty, "\(narrative)")
        // Every section the prompt asked of got its item.
        for section in GroundedNarrative.Section.allCases where prompt.choices.itemCount(section) > 0 {
            #expect(!narrative.items(section).isEmpty, "nothing kept in \(section)")
        }
        // chimerad states the figures: the median is the table's.
        #expect(Self.text(outcome).contains("gemma3:270m: 68.43 tok/s median over 5 runs"), "\(Self.text(outcome))")
        #expect(narrative.factsCited.map(\.id) == [try #require(prompt.factSheet.rows.first { $0.subject == "gemma3:270m" }?.id)])
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

    @Test("numbers the facts do not hold never reach the narrative: notes with digits are left out, items citing unknown rows dropped")
    func inventedNumbersAreDropped() async throws {
        let backend = ScriptedModelBackend([
            .respond { request in
                let choices = ItemReply(prompt: request.user).firstPerSlot
                var sections: [String: [[String: Any]]] = [:]
                for choice in choices {
                    sections[choice.section, default: []].append(
                        ItemReply.item(choice, note: "It was 41.7% faster than llama3:70b at 12.5 tokens per second"))
                }
                // A comparison with a model the data does not hold.
                if let first = choices.first {
                    sections["findings", default: []].append(
                        ItemReply.item(first, note: "Faster than the other model.", facts: [first.rows[0], "Gllama3"], kind: "compare"))
                }
                return ItemReply.json(sections)
            }
        ])
        let narrator = Narrator(backend: backend, persona: NarrativePrompt.defaultPersona, timeout: .seconds(30))
        let outcome = await narrator.narrate(Self.facts(), logger: Logger(label: "test"))
        let narrative = try #require(outcome.narrative)
        let text = Self.text(outcome)
        for invented in ["41.7", "12.5", "llama3:70b", "Gllama3"] {
            #expect(!text.contains(invented), "\(invented) reached the narrative")
        }
        // The items stay (their statements are chimerad's), their notes go.
        #expect(narrative.items.count == outcome.itemsAsked)
        #expect(narrative.items.allSatisfy { $0.note == nil })
        #expect(narrative.droppedNotes.count == narrative.items.count)
        #expect(narrative.noteDropCounts.map(\.kind) == ["holds a digit"])
        #expect(narrative.dropped.map(\.reason) == [.unknownFacts(["Gllama3"])])
        #expect(text.contains("68.43"))
    }

    @Test("a reply none of whose items passes: no narrative, and the reason counts why")
    func nothingPasses() async throws {
        let backend = ScriptedModelBackend([
            .respond { request in
                let choices = ItemReply(prompt: request.user).firstPerSlot
                let items = choices.map { ItemReply.item($0, note: "A made up claim about the benchmark.", kind: "speedup") }
                return ItemReply.json(["findings": items])
            }
        ])
        let narrator = Narrator(backend: backend, persona: NarrativePrompt.defaultPersona, timeout: .seconds(30))
        let outcome = await narrator.narrate(Self.facts(), logger: Logger(label: "test"))
        #expect(outcome.sentencesKept == 0)
        #expect(outcome.sentencesDropped > 0)
        #expect(outcome.unavailableReason?.contains("passed the checks") == true, "\(String(describing: outcome.unavailableReason))")
        #expect(outcome.unavailableReason?.contains("unknown kind") == true)
        #expect(outcome.unavailableReason?.contains("speedup") == false)
    }

    /// The kept items' text, as the report prints them.
    static func text(_ outcome: NarrativeOutcome) -> String {
        (outcome.narrative?.items ?? []).map { $0.text + ($0.mitigationStatement.map { " " + $0 } ?? "") }.joined(separator: "\n")
    }
}
