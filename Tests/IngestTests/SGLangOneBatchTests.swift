import Records
import Testing

@testable import Ingest

/// SGLang's `bench_one_batch --result-filename`, a result a line appended
/// run after run (`python/sglang/bench_one_batch.py`): each case a
/// benchmark of its own. Read as numbers, a batch size's nights were one
/// series, `input_len` a measurement, and a slower night opened nothing.
@Suite struct SGLangOneBatchTests {
    private func line(batch: Int, output: Int = 256, decode: Double? = 211.7) -> String {
        let decodeFigures = decode.map { #", "median_decode_latency": 0.0189, "median_decode_throughput": \#($0)"# } ?? ""
        return #"{"run_name": "nightly", "batch_size": \#(batch), "input_len": 1024, "output_len": \#(output), "#
            + #""prefill_latency": 3.58, "prefill_throughput": 1143.3\#(decodeFigures), "total_latency": 22.97, "overall_throughput": 356.6}"#
    }

    @Test func aCaseALineItsRatesTested() throws {
        let text = [line(batch: 4), line(batch: 8, decode: 346.2), line(batch: 4, output: 1, decode: nil), line(batch: 4, decode: 180)]
            .joined(separator: "\n")
        let e = try ParsedText.extract(text, "one_batch.jsonl")
        #expect(e.shape == .sglangOneBatch && e.series.isEmpty, "\(e.series.map(\.name))")
        let decode = e.measurements.filter { $0.name.hasSuffix(" median_decode_throughput") }
        // The batch of 4 written again further down is a later night's: both kept, in order.
        #expect(decode.map(\.mean) == [211.7, 346.2, 180], "\(decode)")
        #expect(decode.allSatisfy { $0.tool == "sglang-one-batch" && $0.higherIsBetter && $0.isRegressionTested && $0.unit == "tok/s" })
        #expect(
            decode.first?.parameters == [
                Parameter("batch_size", "4"), Parameter("input_len", "1024"), Parameter("output_len", "256"), Parameter("run_name", "nightly"),
            ])
        #expect(e.measurements.filter { $0.name.hasSuffix(" total_latency") }.allSatisfy { !$0.isRegressionTested && !$0.higherIsBetter })
        // Named after the file: its lines name no model.
        #expect(decode.first?.name == "one_batch.jsonl median_decode_throughput")
    }

    /// Its results as older releases wrote them, one after another with no
    /// line between (`}{`), and a first night's file of one result.
    @Test func resultsRunTogetherOrAlone() throws {
        for name in ["result.json", "result.jsonl"] {
            let together = try ParsedText.extract(line(batch: 4) + line(batch: 8) + "\n" + line(batch: 16), name)
            #expect(together.measurements.filter { $0.name.hasSuffix(" prefill_throughput") }.count == 3, "\(name): \(together.notes)")
        }
        // Figures not above zero: five said, the rest counted.
        let zeros = (1...7).map { line(batch: $0).replacingOccurrences(of: "1143.3", with: "0") }.joined(separator: "\n")
        let notes = try ParsedText.extract(zeros, "zeros.jsonl").notes
        #expect(notes.count == 6 && notes.last == "2 more figures not above zero left out", "\(notes)")
        let alone = try ParsedText.extract(line(batch: 4), "result.json")
        #expect(alone.shape == .sglangOneBatch && alone.measurements.contains { $0.name.hasSuffix(" median_decode_throughput") })
    }
}
