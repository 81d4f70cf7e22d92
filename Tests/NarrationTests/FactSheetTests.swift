import Analysis
import Foundation
import Records
import Testing

@testable import Narration
import ModelInterface

@Suite struct FactSheetTests {
    @Test func rowsCarryTheFiguresAsTheReportShowsThem() throws {
        let facts = NarrationFixtures.twoModels()
        let sheet = FactSheet(facts)
        let gemma = try #require(sheet.rows.first { $0.subject == "gemma3:270m" })
        let median = try #require(gemma.facts.first { $0.key == "tps.median" })
        let group = try #require(facts.runGroups.first { $0.model == "gemma3:270m" })
        #expect(median.shown == Figures.tokensPerSecond(group.tokensPerSecond.median ?? 0))
        #expect(median.shown == "68.43")
        #expect(median.id == gemma.id + ".tps.median")
        #expect(gemma.line.contains("tps.median=68.43"))
        #expect(gemma.line.contains("ttft.median=0.063s"))
        let llama = try #require(sheet.rows.first { $0.subject.hasPrefix("llama3.1:8b-instruct-q4_0") })
        #expect(llama.subject == "llama3.1:8b-instruct-q4_0 [num_ctx=2048]")
        #expect(llama.line.contains("ok=5 failed=2 failed.share=28.6%"))
        #expect(sheet.text.contains("error=[WinError 10049]"))
    }

    @Test func theSheetNamesNoFiles() {
        let sheet = FactSheet(NarrationFixtures.twoModels())
        #expect(!sheet.text.contains(".csv"))
        #expect(sheet.files.contains("gemma3/gemma3_270m_runs.csv"))
    }

    @Test func idsComeFromWhatAFactIsNotWhereItStands() throws {
        let alone = FactSheet(NarrationFixtures.facts([NarrationFixtures.gemmaFile]))
        let both = FactSheet(NarrationFixtures.twoModels())
        let again = FactSheet(NarrationFixtures.twoModels())
        let idAlone = try #require(alone.rows.first { $0.subject == "gemma3:270m" }?.id)
        let idBoth = try #require(both.rows.first { $0.subject == "gemma3:270m" }?.id)
        #expect(idAlone == idBoth)
        #expect(both.rows.map(\.id) == again.rows.map(\.id))
        #expect(idAlone.hasPrefix("G") && idAlone.count == 5)
        #expect(Set(both.facts.map(\.id)).count == both.facts.count)
    }

    @Test func theSameIdentityTwiceGetsTwoIDs() {
        let ids = StableID.assign(kind: "D", identities: ["a|x", "b|y", "a|x"])
        #expect(ids[0] != ids[2] && ids[2] == ids[0] + "-2")
        #expect(StableID.assign(kind: "D", identities: ["b|y"]) == [ids[1]])
    }

    @Test func trimmingKeepsTheMostImportantFactsFirst() throws {
        let sheet = FactSheet(NarrationFixtures.twoModels())
        let tight = sheet.trimmed(toTokens: 140)
        #expect(tight.estimatedTokens <= 140, "\(tight.text)")
        let kept = Set(tight.facts.map(\.key))
        // Priority 0: runs, failures, median throughput; TTFT and p95 go first.
        #expect(kept.contains("tps.median") && kept.contains("runs.failed"), "\(tight.text)")
        #expect(!kept.contains("tps.p95"))
        #expect(tight.facts.allSatisfy { $0.priority == 0 })
        #expect(sheet.trimmed(toTokens: 100_000) == sheet)
    }

    @Test func theTokenEstimateCountsDigitsSymbolsAndWordPieces() {
        #expect(TokenEstimate.tokens(in: "") == 0)
        // "tps" 1, "." 1, "median" 1, "=" 1, 5 digits, "." 1 → 10, +10% → 11.
        #expect(TokenEstimate.tokens(in: "tps.median=294.96") == 11)
        #expect(TokenEstimate.tokens(in: "performance") == 3)
    }

    /// The shared corpus: the prompt without its choices stays under 1,500
    /// tokens, the choices within what the narrator keeps for them, and every
    /// figure the rule-based findings quote is grounded by the full sheet.
    @Test(.enabled(if: CorpusFacts.root != nil, "skipped: \(CorpusFacts.missingReason)"))
    func theSharedCorpusPromptStaysUnder1500Tokens() throws {
        let facts = try #require(try CorpusFacts.facts())
        let full = FactSheet(facts)
        let prompt = NarrativePrompt(facts: facts)
        #expect(prompt.factSheet.estimatedTokens <= NarrativePrompt.defaultFactBudget)
        let withoutChoices = prompt.system + "\n\n" + NarrativePrompt.instructions + "\n\nFacts:\n" + prompt.factSheet.text
        #expect(TokenEstimate.tokens(in: withoutChoices) < 1_500)
        // The choices may take more than their allowance only at the table's expense.
        #expect(
            prompt.factSheet.estimatedTokens + TokenEstimate.tokens(in: prompt.choices.text)
                <= NarrativePrompt.defaultFactBudget + Narrator.choicesAllowance)
        #expect(full.estimatedTokens > prompt.factSheet.estimatedTokens)
        // The headline figures survive the trimming.
        for group in facts.runGroups where !group.isSweep {
            if let median = group.tokensPerSecond.median {
                #expect(prompt.factSheet.text.contains("tps.median=" + Figures.tokensPerSecond(median)))
            }
        }
        for failure in facts.failures {
            #expect(prompt.factSheet.text.contains("runs=\(failure.count) error="))
        }
        let grounding = Grounding(sheet: full, promptText: prompt.system)
        for finding in facts.findings + facts.recommendations {
            for figure in finding.figures {
                let claims = NumberClaim.claims(in: figure)
                #expect(claims.allSatisfy { grounding.numbers.grounds($0) }, "\(finding.id): \(figure)")
            }
        }
        print(
            "corpus fact sheet: full \(full.text.count) characters, ~\(full.estimatedTokens) tokens; in the prompt \(prompt.factSheet.text.count) characters, ~\(prompt.factSheet.estimatedTokens) tokens; whole prompt \(prompt.text.count) characters, ~\(prompt.estimatedTokens) tokens"
        )
    }
}
