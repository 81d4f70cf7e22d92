import Records
import Testing

@Suite struct BinaryCodingTests {
    private var sample: Extraction {
        Extraction(
            shape: .compilationBench, modelHint: "gemma3:270m", environment: [Parameter("gpu", "none")],
            runSets: [
                RunSet(
                    model: nil, configuration: [Parameter("temperature", "0.4")],
                    runs: [
                        LLMRun(ordinal: 0, promptKey: 77, tokensPerSecond: 101.5, ttftSeconds: 0.2, loadSeconds: 2, evalCount: 300),
                        LLMRun(ordinal: 1, tokensPerSecond: 0, ttftSeconds: 0, evalCount: 0, error: "connection refused"),
                    ])
            ],
            aggregates: [AggregateRow(model: "m", configuration: [], metrics: ["mean_tokens_s": 3.5])],
            compilation: [
                CompilationResult(
                    model: "mlp", backend: "onnx", succeeded: true, error: nil, compileSeconds: 0.08,
                    meanMilliseconds: 0.05, stddevMilliseconds: nil, minMilliseconds: nil, maxMilliseconds: 0.07,
                    parameters: [Parameter("device", "cpu")])
            ],
            llamaBench: [
                LlamaBenchResult(
                    model: "g", test: "tg32", parameters: [Parameter("n_threads", "2")], tokensPerSecond: 125.9, stddevTokensPerSecond: 1.9,
                    samples: [124, 127])
            ],
            measurements: [Measurement(tool: "hyperfine", name: "gzip -1", unit: "s", mean: 0.08, count: 5, samples: [0.08, 0.081])],
            series: [Series(name: "cpu", values: [1, 2])],
            notes: ["2 rows left out"])
    }

    @Test func roundTripsEveryField() throws {
        let decoded = try Extraction(decoding: sample.encoded())
        #expect(decoded == sample)
        #expect(decoded.runSets[0].runs[1].error == "connection refused")
        #expect(decoded.runSets[0].runs[0].promptEvalSeconds == nil)
    }

    @Test func truncatedBlobsFailWithoutCrashing() {
        let bytes = sample.encoded()
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: BinaryReader.Failure.self) { try Extraction(decoding: Array(bytes.prefix(cut))) }
        }
    }

    @Test func corruptCountsAreRejected() {
        var bytes = sample.encoded()
        // Inflate the first count after the header into a huge varint.
        bytes.insert(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], at: 1)
        #expect(throws: BinaryReader.Failure.self) { try Extraction(decoding: bytes) }
    }
}
