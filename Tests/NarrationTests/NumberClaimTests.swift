import Testing

@testable import Narration

@Suite struct NumberClaimTests {
    private func texts(_ sentence: String) -> [String] {
        NumberClaim.claims(in: sentence).map(\.text)
    }

    @Test func digitsInsideNamesAreNotClaims() {
        #expect(texts("gemma3:270m beats llama3.1:8b-instruct-q4_0 at p95 with Q4_K_M weights.") == [])
        #expect(texts("The 8B model in fp16 on x86_64 runs gemma3 and Gemma 3 and Llama 3.1 well.") == [])
        #expect(texts("See [WinError] and qwen2.5 results.") == [])
    }

    @Test func numbersWithUnitsAreClaims() {
        let claims = NumberClaim.claims(in: "It reached 68.4 tok/s, 2.1× faster, 30% lower TTFT of 63ms and 1.2k tokens at 294.96tok/s.")
        #expect(claims.map(\.text) == ["68.4", "2.1×", "30%", "63ms", "1.2k", "294.96tok/s"])
        #expect(claims.map(\.kind) == [.plain, .ratio, .percent, .plain, .plain, .plain])
        let k = claims[4]
        #expect(k.value == 1200 && k.resolution == 100)
        #expect(claims[0].resolution == 0.1 - 0.0 || abs(claims[0].resolution - 0.1) < 1e-12)
    }

    @Test func rangesNegativesAndWordsAfterNumbers() {
        let claims = NumberClaim.claims(in: "Throughput fell -12.3% (3-4 runs), 2 times slower, 5 percent, 1,024 tokens, GDP of $1.9 trillion.")
        #expect(claims.map(\.text) == ["-12.3%", "3", "4", "2", "5", "1,024", "$1.9 trillion"])
        #expect(claims[0].value == 12.3 && claims[0].kind == .percent)
        #expect(claims[3].kind == .ratio && claims[4].kind == .percent)
        #expect(claims[5].value == 1024)
        #expect(claims[6].isCurrency && claims[6].value == 1.9e12)
    }

    @Test func datesYearsAndNumberingAreNotClaims() {
        #expect(texts("Runs from 2025-10-02 at 12:27:01 in October 2025 were kept.") == [])
        #expect(texts("Recommendation 2: step 1 is to warm the model (#3 in the list).") == [])
        // A bare 2048 is a context size, not a year: it stays a claim.
        #expect(texts("Use a context of 2048.") == ["2048"])
    }

    @Test func assignmentsAreMarked() {
        let claims = NumberClaim.claims(in: "Run with num_ctx=1024 and num_gpu=60.")
        #expect(claims.map(\.digits) == ["1024", "60"])
        #expect(claims.allSatisfy { $0.isAssignment })
    }

    @Test func listMarkersAreStrippedBySentenceSplitting() {
        let sentences = SentenceSplitter.sentences(
            in: "1. Warm the model first.\n2) Keep num_ctx at 2048.\n(3) Retry e.g. timed out runs. Then compare.")
        #expect(sentences == ["Warm the model first.", "Keep num_ctx at 2048.", "Retry e.g. timed out runs.", "Then compare."])
        #expect(SentenceSplitter.sentences(in: "gemma3:270m reached 68.43 tok/s. llama3.1:8b was slower.").count == 2)
    }
}
