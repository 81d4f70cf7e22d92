import Analysis
import Foundation
import Narration
import Testing

@testable import Reporting
import ModelInterface

/// How a report shows a model's checked narrative and the calls behind it:
/// the narrative goes through the real `Grounding`, so what the report shows
/// is what the checks kept.
@Suite("Reports with a model narrative")
struct NarrativeReportTests {
    static let invented = "912.4"

    /// Two calls (the first reply unusable, the retry parsed). The retry
    /// chose one item per slot the prompt offered, plus an item citing rows
    /// the table does not hold and one of a kind chimerad does not know; two
    /// of its notes hold numbers of their own.
    static func narrated(_ facts: Facts) throws -> NarrativeOutcome {
        let prompt = NarrativePrompt(facts: facts)
        var items: [NarrativeDraft.Item] = []
        let notes = [
            "A steady result that later reports can be compared with.",
            "Throughput peaked at \(invented) tokens per second on beta.",
            "Raise the context to a larger window for a 3.7x gain.",
            "Failed runs leave the figures resting on fewer measurements.",
            "Repeating the measurement makes the comparison more trustworthy.",
        ]
        for section in GroundedNarrative.Section.allCases {
            for slot in prompt.choices.slots(section) {
                let choice = try #require(slot.first)
                items.append(
                    NarrativeDraft.Item(
                        section: section, kind: choice.kind.rawValue, facts: choice.rows, note: notes[items.count % notes.count],
                        mitigation: choice.kind.mitigations.first?.rawValue))
            }
        }
        let group = try #require(prompt.factSheet.rows.first { $0.subject.hasPrefix("alpha") })
        items.append(NarrativeDraft.Item(section: .findings, kind: "compare", facts: ["Gzzzz", group.id], note: "Alpha is ahead of beta."))
        items.append(NarrativeDraft.Item(section: .findings, kind: "speedup", facts: [group.id], note: "Alpha is quick on its runs."))
        let narrative = Grounding(prompt: prompt).check(NarrativeDraft(items: items))
        let first = ModelCallMetrics(
            ttftMilliseconds: 180, tokensPerSecond: 50, tokensGenerated: 100, promptTokens: 600,
            promptEvalMilliseconds: 150, evalMilliseconds: 2000, loadMilliseconds: 0, totalMilliseconds: 2200)
        let second = ModelCallMetrics(
            ttftMilliseconds: 90, tokensPerSecond: 100, tokensGenerated: 200, promptTokens: 600,
            promptEvalMilliseconds: 10, evalMilliseconds: 2000, loadMilliseconds: 0, totalMilliseconds: 2100)
        var outcome = NarrativeOutcome(
            model: ModelIdentity(backend: "managed", baseURL: "http://127.0.0.1:40000", model: "smollm2-135m", options: "num_ctx=4096, temp=0.2"),
            calls: [
                ModelCall(attempt: 1, outcome: .unparseable("the model's reply held no JSON object"), metrics: first),
                ModelCall(attempt: 2, outcome: .drafted, metrics: second),
            ],
            narrative: narrative, unavailableReason: nil, promptTokens: 600,
            factsShown: prompt.factSheet.facts.count, factsTotal: prompt.factSheet.facts.count)
        outcome.itemsAsked = prompt.choices.itemsAsked
        return outcome
    }

    @Test("model_call sums the calls and lists each; the narrative holds only what passed the checks")
    func json() throws {
        let facts = ReportFixtures.basic()
        let outcome = try Self.narrated(facts)
        let text = JSONReport.render(facts, ReportFixtures.context(narrative: outcome))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let call = try #require(json["model_call"] as? [String: Any])
        #expect(call["backend"] as? String == "managed")
        #expect(call["model"] as? String == "smollm2-135m")
        #expect(call["ttft_ms"] as? Double == 180)  // the first call's: when text could first have appeared
        #expect(call["tokens_generated"] as? Int == 300)
        #expect(call["eval_ms"] as? Double == 4000)
        #expect(call["tokens_per_second"] as? Double == 75)  // 300 tokens over 4 s, not the mean of 50 and 100
        #expect(call["total_ms"] as? Double == 4300)
        #expect(call["load_ms"] as? Double == 0)
        #expect((call["calls"] as? [Any])?.count == 2)

        let narrative = try #require(json["narrative"] as? [String: Any])
        let checked = try #require(outcome.narrative)
        let kept = try #require(narrative["text"] as? String)
        // The summary's item is alpha's throughput, stated with the table's figure.
        let alpha = try #require(Self.prompt(facts).factSheet.rows.first { $0.subject.hasPrefix("alpha") })
        let median = try #require(alpha.facts.first { $0.key == "tps.median" })
        #expect(kept.contains("alpha: \(median.shown) tok/s median"), "\(kept)")
        // Items one by one, each with the facts it cites and chimerad's statement.
        let items = try #require(narrative["items"] as? [[String: Any]])
        #expect(items.count == checked.items.count)
        #expect(items.count >= 2)
        for (item, expected) in zip(items, checked.items) {
            #expect(item["section"] as? String == expected.section.rawValue)
            #expect(item["kind"] as? String == expected.kind.rawValue)
            #expect(item["facts"] as? [String] == expected.facts)
            #expect(item["text"] as? String == expected.text)
            #expect(item["note"] as? String == expected.note)
            #expect((item["mitigation"] as? String) == expected.mitigation?.rawValue)
            #expect((item["mitigation_text"] as? String) == expected.mitigationStatement)
        }
        let cited = try #require(narrative["facts_cited"] as? [String: String])
        #expect(Set(cited.keys) == Set(checked.items.flatMap(\.facts)))
        for row in Self.prompt(facts).factSheet.rows where cited[row.id] != nil { #expect(cited[row.id] == row.line) }
        // Counts: items asked, kept and dropped; notes left out; the old names count items.
        #expect(narrative["items_asked"] as? Int == outcome.itemsAsked)
        #expect(outcome.itemsAsked > 0)
        #expect(narrative["items_kept"] as? Int == checked.items.count)
        #expect(narrative["items_dropped"] as? Int == 2)
        #expect(narrative["sentences_kept"] as? Int == outcome.sentencesKept)
        #expect(narrative["sentences_dropped"] as? Int == 2)
        #expect(narrative["unavailable_reason"] is NSNull)
        let reasons = try #require(narrative["dropped_by_reason"] as? [String: Int])
        #expect(reasons == ["facts not in the table": 1, "unknown kind": 1])
        let noteReasons = try #require(narrative["notes_dropped_by_reason"] as? [String: Int])
        #expect(narrative["notes_dropped"] as? Int == checked.droppedNotes.count)
        #expect(noteReasons["holds a digit", default: 0] >= 1)
        #expect(noteReasons.values.reduce(0, +) == checked.droppedNotes.count)
        // Dropped items and notes are counted, never quoted.
        for invented in [Self.invented, "3.7x", "Gzzzz", "speedup", "peaked"] {
            #expect(!text.contains(invented), "\(invented) reached report.json")
        }
    }

    static func prompt(_ facts: Facts) -> NarrativePrompt { NarrativePrompt(facts: facts) }

    @Test("the Markdown shows the checked narrative beside the rule-based summary, and a metrics table per call")
    func markdown() throws {
        let facts = ReportFixtures.basic()
        let outcome = try Self.narrated(facts)
        let markdown = MarkdownReport.render(facts, ReportFixtures.context(reportSeconds: 0.01, narrative: outcome))
        let summary = try #require(markdown.components(separatedBy: "## Executive Summary").last?.components(separatedBy: "\n## ").first)
        #expect(summary.contains("### Model Narrative"))
        #expect(summary.contains("_Chosen by smollm2-135m (managed llama-server) from the computed facts"))
        #expect(summary.contains("alpha: "))
        #expect(summary.contains("1 facts not in the table, 1 unknown kind"), "\(summary)")
        #expect(summary.contains("of the model's notes left out"))
        #expect(summary.contains("The bullets above are rule-based"))
        #expect(!markdown.contains(Self.invented))
        #expect(!markdown.contains("3.7x"))
        #expect(!markdown.contains("Gzzzz"))
        #expect(!markdown.contains("This summary is rule-based"))

        let metrics = try #require(markdown.components(separatedBy: "## Metrics").last?.components(separatedBy: "\n## ").first)
        // The address's `:` escaped, so GitHub's autolinks leave it text (it reads the same).
        #expect(metrics.contains("Model: smollm2-135m via managed llama-server at http\\://127.0.0.1:40000 (num_ctx=4096, temp=0.2)"))
        #expect(metrics.contains("Prompt: 600 tokens"))
        #expect(metrics.contains("| Call 1 | reply not usable: the model's reply held no JSON object | 180 ms | 50.0 tok/s | 100 |"))
        #expect(metrics.contains("| Call 2 | reply parsed | 90 ms | 100.0 tok/s | 200 |"))
        #expect(metrics.contains("| Report | 2 calls | 180 ms | 75.0 tok/s | 300 |"))
        // The workflow line splits the narrative stage into prompt eval and generation.
        #expect(markdown.contains("| narrative 4.50s (prompt eval 0.16s, generation 4.00s) | report 10 ms (6.25s before the report stage)"))
    }

    /// scripts/run --once (2026-12-07): SmolLM2 chose the sweep's noise as its
    /// summary and again as its first finding; the report said it twice.
    @Test("a finding the summary states is not said twice; one with a note of its own is")
    func aFindingTheSummarySaysIsNotRepeated() {
        let statement = "gemma3:270m sweep: run-to-run noise is 0.6% (sd), and its best configuration beats it."
        func item(_ section: GroundedNarrative.Section, note: String? = nil) -> GroundedNarrative.Item {
            GroundedNarrative.Item(section: section, kind: .noisy, facts: ["Snz1"], statement: statement, note: note)
        }
        let other = GroundedNarrative.Item(
            section: .findings, kind: .throughput, facts: ["Gq1"], statement: "gemma3:270m: 121.60 tok/s median over 5 runs.", note: nil)
        let repeated = GroundedNarrative(items: [item(.summary), item(.findings), other], dropped: [], droppedNotes: [], factsCited: [])
        let text = MarkdownReport.narrativeMarkdown(repeated)
        #expect(text.components(separatedBy: "run-to-run noise").count == 2, "\(text)")
        #expect(text.contains("- gemma3:270m: 121.60 tok/s median over 5 runs."))
        let noted = GroundedNarrative(
            items: [item(.summary), item(.findings, note: "The spread between repeats is small.")], dropped: [], droppedNotes: [],
            factsCited: [])
        #expect(MarkdownReport.narrativeMarkdown(noted).contains("The spread between repeats is small."))
        // The summary's note makes it no other statement: the bare finding is still the summary's.
        let summaryNoted = GroundedNarrative(
            items: [item(.summary, note: "The spread between repeats is small."), item(.findings)], dropped: [], droppedNotes: [],
            factsCited: [])
        #expect(MarkdownReport.narrativeMarkdown(summaryNoted).components(separatedBy: "run-to-run noise").count == 2)
    }

    @Test("a model that was asked but gave nothing usable: the reason, and the call's figures")
    func failedCall() throws {
        let facts = ReportFixtures.basic()
        let outcome = NarrativeOutcome(
            model: ModelIdentity(backend: "ollama", baseURL: "http://127.0.0.1:11434", model: "gemma3:270m", options: "num_ctx=4096"),
            calls: [ModelCall(attempt: 1, outcome: .failed("model call timed out after 30 s"), metrics: nil)],
            narrative: nil, unavailableReason: "model call timed out after 30 s", promptTokens: 700, factsShown: 5, factsTotal: 9)
        let markdown = MarkdownReport.render(facts, ReportFixtures.context(narrative: outcome))
        #expect(markdown.contains("_This summary is rule-based: model call timed out after 30 s._"))
        #expect(markdown.contains("Prompt: 700 tokens, holding 5 of 9 facts (the rest did not fit the context window)."))
        #expect(markdown.contains("| Call 1 | failed: model call timed out after 30 s | — |"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(JSONReport.render(facts, ReportFixtures.context(narrative: outcome)).utf8)) as? [String: Any])
        let call = try #require(json["model_call"] as? [String: Any])
        #expect(call["backend"] as? String == "ollama")
        #expect(call["ttft_ms"] is NSNull)
        #expect((json["narrative"] as? [String: Any])?["unavailable_reason"] as? String == "model call timed out after 30 s")
    }
}
