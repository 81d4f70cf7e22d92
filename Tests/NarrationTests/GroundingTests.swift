import Testing

@testable import Narration

/// Replies written the way the two small local models of DESIGN.md write:
/// Gemma 3 270M (a base model: off-topic prose, invented figures) and
/// SmolLM2-135M-Instruct (follows the schema, restates the facts, repeats
/// itself). The facts are `NarrationFixtures.twoModels()`: gemma3:270m at a
/// median 68.43 tok/s (TTFT 0.063 s), llama3.1:8b-instruct-q4_0 at 32.58
/// tok/s (TTFT 0.094 s, 5 ok and 2 failed runs).
@Suite struct GroundingTests {
    let grounding = NarrationFixtures.grounding()

    private func check(
        summary: String = "", findings: [String] = [], recommendations: [String] = [], risks: [NarrativeDraft.Risk] = []
    )
        -> GroundedNarrative
    {
        grounding.check(NarrativeDraft(summary: summary, findings: findings, recommendations: recommendations, risks: risks))
    }

    private func keeps(_ sentence: String) -> Bool {
        check(summary: sentence).sentencesKept == 1
    }

    /// Kept as a recommendation, where general advice may stand.
    private func keepsAdvice(_ sentence: String) -> Bool {
        check(recommendations: [sentence]).sentencesKept == 1
    }

    private func reason(_ sentence: String) -> GroundedNarrative.DropReason? {
        check(summary: sentence).dropped.first?.reason
    }

    // MARK: - What the small models really write

    @Test func gemma270mOffTopicEconomyIsDroppedEveryTime() throws {
        let reply = """
            {"summary": "The United States is the world's largest economy, with a GDP of $1.9 trillion. The United States is the world's largest economy, with a GDP of $1.9 trillion.",
             "findings": ["The United States is the world's largest economy, with a GDP of $1.9 trillion."],
             "recommendations": ["The United States is the world's largest economy.", "The economy is growing."],
             "risks": [{"risk": "The United States is the world's largest economy", "mitigation": "with a GDP of $1.9 trillion"}]}
            """
        let result = grounding.check(try NarrativeDraft(parsing: reply))
        #expect(result.isEmpty)
        #expect(result.sentencesKept == 0 && result.sentencesDropped == 6)
        #expect(result.dropped[0].reason == .ungroundedNumber("$1.9 trillion"))
        #expect(result.dropped.contains { $0.reason == .offTopic && $0.text == "The economy is growing." })
        #expect(result.markdown.isEmpty)
    }

    /// What Gemma 3 270M wrote for the shared corpus's prompt when llama-server
    /// constrained it to the schema: numbers and brackets, no sentences.
    @Test func gemma270mSchemaConstrainedJunkKeepsNothing() throws {
        let reply = """
            {
              "risks": [{"risk": "0.1", "mitigation": "1000"},
              {
                "risk": ":{", "mitigation": "5000"}],
              "findings": ["0", "1", "2", "None"],
              "summary": "${0:00:00:00}",
              "recommendations": ["1.5", "1.5", "1.5"]
            }
            """
        let result = grounding.check(try NarrativeDraft(parsing: reply))
        #expect(result.isEmpty && result.sentencesKept == 0)
        // Every item, the lone word "None" included, is no sentence.
        #expect(result.dropped.filter { $0.reason == .notASentence }.count == 10)
        #expect(result.dropped.count == 10)
    }

    @Test func smolLM2RepeatingOneRecommendationSevenTimesKeepsOne() throws {
        let repeated = "Increase num_ctx to 2048 to improve throughput for llama3.1:8b-instruct-q4_0."
        let reply = """
            ```json
            {"summary": "gemma3:270m decodes at a median 68.43 tok/s, while llama3.1:8b-instruct-q4_0 reaches 32.58 tok/s.",
             "findings": ["gemma3:270m has a warm TTFT median of 0.063 s.", "2 of the llama3.1:8b-instruct-q4_0 runs failed."],
             "recommendations": [\(Array(repeating: "\"" + repeated + "\"", count: 7).joined(separator: ", "))],
             "risks": [{"risk": "Failed runs hide real throughput.", "mitigation": "Fix the WinError 10049 address and re-run."},
                       {"risk": "Cold starts inflate TTFT.", "mitigation": "Warm the model before measuring."}]}
            ```
            """
        let result = grounding.check(try NarrativeDraft(parsing: reply))
        #expect(result.recommendations == [repeated])
        #expect(result.dropped.filter { $0.reason == .duplicate }.count == 6)
        #expect(result.summary.contains("68.43") && result.findings.count == 2)
        #expect(result.risks.count == 2)
        #expect(result.sentencesKept == 1 + 2 + 1 + 2)
        #expect(result.markdown.contains("| Cold starts inflate TTFT. | Warm the model before measuring. |"))
        #expect(result.markdown.contains("1. " + repeated))
    }

    @Test func nearDuplicatesAreDroppedToo() {
        let result = check(recommendations: [
            "Warm the gemma3:270m model before each benchmark run to avoid cold starts.",
            "Warm the gemma3:270m model before every benchmark run to avoid cold starts.",
        ])
        #expect(result.recommendations.count == 1 && result.dropped.map(\.reason) == [.duplicate])
    }

    // MARK: - Numbers

    @Test func correctRestatementsAreKept() {
        #expect(keeps("gemma3:270m decodes at a median of 68.43 tok/s."))
        #expect(keeps("llama3.1:8b-instruct-q4_0 needs 0.094 s to the first token, against 0.063 s for gemma3:270m."))
        #expect(keeps("5 runs of llama3.1:8b-instruct-q4_0 succeeded and 2 failed (28.6%)."))
        #expect(keeps("Keep num_ctx=2048 for llama3.1:8b-instruct-q4_0."))
    }

    @Test func inventedNumbersAreDropped() {
        #expect(reason("gemma3:270m decodes at 187.18 tok/s.") == .ungroundedNumber("187.18"))
        #expect(reason("The average latency is 800 ms across all models.") == .ungroundedNumber("800"))
        #expect(reason("Throughput ranges from 50-60 tok/s.") == .ungroundedNumber("50"))
        #expect(reason("gemma3:270m costs $0.02 per run.") == .ungroundedNumber("$0.02"))
    }

    @Test func roundingToFewerDigitsIsAllowedNeverMore() {
        #expect(keeps("gemma3:270m reaches 68.4 tok/s."))
        #expect(keeps("gemma3:270m reaches about 68 tok/s."))
        #expect(reason("gemma3:270m reaches 68.432 tok/s.") == .ungroundedNumber("68.432"))
        // A trailing zero is a digit: 80 means 80 ± 0.5, not "about 68" (70 would
        // pass: it is the p95, 70.06, rounded).
        #expect(keeps("gemma3:270m reaches 70 tok/s at p95."))
        #expect(reason("gemma3:270m reaches 80 tok/s.") == .ungroundedNumber("80"))
        #expect(reason("gemma3:270m reaches 68.5 tok/s.") == .ungroundedNumber("68.5"))
        #expect(keeps("Its TTFT is 0.06 s."))
        #expect(reason("Its TTFT is 0.0631 s.") == .ungroundedNumber("0.0631"))
    }

    @Test func ratiosAndPercentagesOfTwoFactsAreKept() {
        // 68.43 / 32.58 = 2.100
        #expect(keeps("gemma3:270m is 2.1× faster than llama3.1:8b-instruct-q4_0."))
        #expect(keeps("gemma3:270m is 2x faster than llama3.1:8b-instruct-q4_0."))
        #expect(keeps("gemma3:270m is about 2.10 times as fast."))
        // (68.43 − 32.58) / 32.58 = 110.0%; (68.43 − 32.58) / 68.43 = 52.4%
        #expect(keeps("gemma3:270m has 110% more throughput."))
        #expect(keeps("llama3.1:8b-instruct-q4_0 decodes 52.4% slower than gemma3:270m."))
        // TTFT: (0.094 − 0.063) / 0.063 = 49.2%
        #expect(keeps("gemma3:270m reaches the first token 49% sooner."))
    }

    @Test func wrongRatiosAndPercentagesAreDropped() {
        #expect(reason("gemma3:270m is 2.3× faster than llama3.1:8b-instruct-q4_0.") == .ungroundedNumber("2.3×"))
        #expect(reason("llama3.1:8b-instruct-q4_0 is 30% slower.") == .ungroundedNumber("30%"))
        // A ratio across metrics (tok/s over seconds) is no figure of the data.
        #expect(reason("That is 1086× the TTFT.") == .ungroundedNumber("1086×"))
    }

    @Test func identifiersAreNotMistakenForNumbers() {
        #expect(keeps("gemma3:270m uses Q4_K_M weights and its p95 is reported."))
        #expect(keeps("Gemma 3 runs ahead of Llama 3.1 in decode throughput."))
        #expect(keepsAdvice("Recommendation 1: warm the model before measuring."))
        #expect(keepsAdvice("Check the benchmarks from October 2025 again."))
        // Tools whose names start like a model family name no model.
        #expect(keeps("Run llama-bench on gemma3:270m again after the llama.cpp upgrade."))
        #expect(reason("Run llama-bench on llama3:70b as well.") == .unknownModel("llama3:70b"))
    }

    /// What SmolLM2 wrote for the shared corpus: an invented accelerator and
    /// a count of years that matched a run count.
    @Test func inventedNamesAndUnitsNoFactHasAreDropped() {
        #expect(reason("The best methods are based on the TPU-2019, which has improved since its release.") == .unknownName("TPU-2019"))
        #expect(reason("Move gemma3:270m to an A100 for more throughput.") == .unknownName("A100"))
        #expect(reason("gemma3:270m has improved over 5 years.") == .ungroundedNumber("5"))
        #expect(reason("Give the server 16 GB of memory.") == .ungroundedNumber("16"))
        #expect(reason("It is now in Chimera-Optimized Lambda 2.1.3 for gemma3:270m.") == .unknownName("2.1.3"))
        // Names coined from letters alone: inner capitals, or an acronym the data lacks.
        #expect(reason("The ChimEgoLemMorph enables optimized throughput for gemma3:270m.") == .unknownName("ChimEgoLemMorph"))
        #expect(reason("Move gemma3:270m to a TPU to raise throughput.") == .unknownName("TPU"))
        // Acronyms of the trade, the persona's and the data's own stay.
        #expect(keeps("Watch TTFT and GPU memory when gemma3:270m runs with a larger context."))
        #expect(keeps("Keep the LLM server warm: gemma3:270m reaches the first token sooner."))
    }

    /// What SmolLM2 kept writing once its loops were gone: true of any data, so
    /// no finding; as advice it may stand.
    @Test func summariesAndFindingsMustNameSomethingOfTheData() {
        let generic = "The current model performance is not optimal due to the lack of optimised throughput and TTFT."
        #expect(reason(generic) == .namesNothingOfTheData)
        #expect(check(findings: [generic]).dropped.first?.reason == .namesNothingOfTheData)
        #expect(keepsAdvice("Warm the model before measuring TTFT."))
        #expect(keeps("Throughput of llama3.1:8b-instruct-q4_0 trails gemma3:270m."))
        #expect(keeps("Gemma decodes faster than Llama in these runs."))
        // Metric words alone name nothing of this data.
        #expect(reason("The current model performance is not optimal due to the lack of optimised tps and TTFT.") == .namesNothingOfTheData)
    }

    @Test func settingsTheDataDoesNotHaveAreDropped() {
        // SmolLM2, seed 2, on the bundled examples.
        #expect(
            check(recommendations: ["Run grep with num_ctx=2048,max-gpu=238715.00&cmp; for gemma3:270m."]).dropped.first?.reason
                == .unknownName("num_ctx=2048,max-gpu=238715.00&cmp"))
        #expect(check(recommendations: ["Use max_gpu=2048 with gemma3:270m."]).dropped.first?.reason == .unknownName("max_gpu=2048"))
        #expect(keepsAdvice("Keep num_ctx=2048 for llama3.1:8b-instruct-q4_0."))
    }

    /// What SmolLM2 recommended for the bundled examples.
    @Test func thePersonasPhraseAndJSONDebrisAreNoAdvice() {
        let persona = "The Chimera-optimised LLM operations are a step in ensuring that all recommendations are carried out."
        #expect(check(recommendations: [persona]).dropped.first?.reason == .echoesPrompt)
        #expect(check(recommendations: ["}, # This line ends with a single asterisk (*) to indicate a list."]).dropped.first?.reason == .notASentence)
        // Letters that are no word: SmolLM2's findings on the bundled examples.
        #expect(check(findings: ["Lmjl llama-bench gemma3:270m - Optimise"]).dropped.first?.reason == .unknownName("Lmjl"))
        #expect(keepsAdvice("Warm the model before measuring TTFT."))
    }

    @Test func aRowsSubjectCopiedOutIsAnEcho() {
        // SmolLM2 on the bundled examples listed a benchmark's name as a finding.
        #expect(check(findings: ["gemma3:270m tps median"]).dropped.first?.reason == .echoesPrompt)
        #expect(keeps("gemma3:270m decodes at a median 68.43 tok/s."))
    }

    @Test func aSentenceCutAtTheTokenLimitIsDropped() {
        // SmolLM2 on the bundled examples: a parameter name alone, as a finding.
        #expect(check(findings: ["\"num_ctx=\""]).dropped.first?.reason == .notASentence)
        #expect(check(recommendations: ["It provides a new optimization method called"]).dropped.first?.reason == .unfinished)
        #expect(check(recommendations: ["Warm gemma3:270m before measuring the"]).dropped.first?.reason == .unfinished)
        #expect(keepsAdvice("Warm gemma3:270m before measuring it"))
        // The data's own names with digits, ordinals and numbers with units stay.
        #expect(keeps("The 2nd configuration of gemma3:270m uses Q4_K_M weights."))
        #expect(keeps("gemma3:270m decodes at a median 68.43 tok/s."))
    }

    @Test func numbersQuotedFromAnErrorMessageAreGrounded() {
        #expect(keeps("2 runs failed with WinError 10049."))
        #expect(reason("2 runs failed with WinError 10048.") == .ungroundedNumber("10048"))
    }

    // MARK: - Names

    @Test func modelsAndFilesNotInTheDataAreDropped() {
        #expect(reason("llama3:8b would be faster.") == .unknownModel("llama3:8b"))
        #expect(reason("Try Mistral for better quality.") == .unknownModel("Mistral"))
        #expect(reason("Consider qwen2.5:7b for throughput.") == .unknownModel("qwen2.5:7b"))
        #expect(reason("The results in benchmark_results.csv look stable.") == .unknownFile("benchmark_results.csv"))
        #expect(reason("Collect every *.csv into one folder for model benchmarks.") == .unknownFile("*.csv"))
        #expect(keeps("The runs in gemma3_270m_runs.csv are stable."))
        #expect(keeps("gemma3:270m and the Llama model both ran."))
    }

    // MARK: - Echoes

    @Test func echoesOfThePromptAreDropped() {
        #expect(reason("You are InsightAgent, a Chimera-optimised LLM operations specialist.") == .echoesPrompt)
        #expect(reason("Three optimisation recommendations that balance throughput, TTFT, and quality.") == .echoesPrompt)
        #expect(reason("Use only numbers that appear in the facts, copied as written.") == .echoesPrompt)
        #expect(reason("Executive summary of model performance.") == .echoesPrompt)
        let row = NarrationFixtures.prompt().factSheet.rows.first { $0.subject == "gemma3:270m" }?.line ?? ""
        #expect(reason(row) == .echoesPrompt)
    }

    @Test func citedFactIDsAreRemovedFromKeptText() throws {
        let id = try #require(NarrationFixtures.prompt().factSheet.rows.first { $0.subject == "gemma3:270m" }?.id)
        let result = check(summary: "gemma3:270m decodes at 68.43 tok/s (\(id).tps.median).")
        #expect(result.summary == "gemma3:270m decodes at 68.43 tok/s.")
    }

    // MARK: - Sections

    @Test func itemsKeepTheirGroundedSentencesAndRiskRowsGoWhole() {
        let result = check(
            findings: ["gemma3:270m is fastest at 68.43 tok/s. It was 99.9% reliable."],
            risks: [
                .init(risk: "Failed runs (2 of 7) skew results.", mitigation: "Re-run after fixing the address error."),
                .init(risk: "Cold starts inflate TTFT.", mitigation: "Add 16 GB of RAM."),
            ])
        #expect(result.findings == ["gemma3:270m is fastest at 68.43 tok/s."])
        #expect(result.risks.map(\.risk) == ["Failed runs (2 of 7) skew results."])
        #expect(result.dropped.map(\.section) == [.findings, .risks])
        #expect(result.dropped.last?.reason == .ungroundedNumber("16"))
        #expect(result.sentencesKept == 2 && result.sentencesDropped == 2)
        #expect(GroundedNarrative.DropReason.ungroundedNumber("16").description == "number not in the facts: 16")
    }
}
