import Records
import Testing

@testable import Analysis

/// Twins deduplicated from stored digests (what reports read) count exactly
/// what the records would.
@Suite struct RunLedgerTests {
    private let noInputs = InputFacts(roots: [], filesSeen: 0, filesAnalyzed: 0, skipped: [], changed: [], deleted: [], added: [])

    private func run(
        _ tps: Double, ttft: Double = 0.1, load: Double = 0.1, prompt: UInt64, error: String? = nil, evalCount: Double = 100
    ) -> LLMRun {
        LLMRun(
            ordinal: 0, promptKey: prompt, tokensPerSecond: tps, ttftSeconds: ttft, loadSeconds: load,
            evalCount: error == nil ? evalCount : 0, error: error)
    }

    /// A CSV and a JSON twin sharing some runs: a cold start, failures of two
    /// kinds, a run with no TTFT, a run repeated within the CSV, and runs only
    /// one of them has.
    private func twins() -> [(String, Extraction)] {
        let shared = [
            run(80, ttft: 2.5, load: 4, prompt: 1),
            run(100, prompt: 2),
            run(0, prompt: 3, error: "timeout"),
            run(101, ttft: .nan, prompt: 4),
            run(0, prompt: 5, error: "connection refused"),
        ]
        let csvRuns = shared + [run(100, prompt: 2), run(0, prompt: 6, error: "timeout"), run(120, prompt: 7)]
        let jsonRuns = shared + [run(130, prompt: 8)]
        return [
            ("g/m_baseline.csv", Extraction(shape: .baselineCSV, runSets: [RunSet(model: nil, configuration: [], runs: csvRuns)])),
            (
                "g/m_baseline.json",
                Extraction(shape: .baselineJSON, modelHint: "m", runSets: [RunSet(model: "m", configuration: [], runs: jsonRuns)])
            ),
        ]
    }

    private func catalog(_ files: [(String, Extraction)]) -> Analyzer {
        Analyzer(catalog: files.map { Analyzer.CatalogEntry(path: $0.0, shape: $0.1.shape, modelHint: $0.1.modelHint) })
    }

    @Test func storedDigestsDeduplicateTwinsAsTheRecordsDo() throws {
        let files = twins()
        var fromRecords = catalog(files)
        for (path, extraction) in files { fromRecords.add(path: path, extraction: extraction) }
        let expected = fromRecords.finish(inputs: noInputs, previous: nil, previousAt: nil)

        var fromDigests = catalog(files)
        // In the store's order (CSV first); JSON twins are still taken first.
        for (path, extraction) in files {
            let stored = try FileDigest(decoding: FileDigest(extraction).encoded())
            #expect(stored.runSets.allSatisfy { $0.ledger?.count == $0.runsOK + $0.failures.reduce(0) { $0 + $1.count } })
            fromDigests.add(path: path, digest: stored, only: [], others: false)
        }
        let facts = fromDigests.finish(inputs: noInputs, previous: nil, previousAt: nil)
        #expect(facts.runGroups == expected.runGroups)
        #expect(facts.failures == expected.failures)
        let group = try #require(facts.runGroups.first)
        // The JSON's 6 runs (a cold start and 3 more ok, 2 failed), then the
        // CSV's: the 5 shared are duplicates; its repeat of prompt 2 (the JSON
        // recorded it once), its own failure and its own run count.
        #expect(group.duplicatesMerged == 5)
        #expect(group.runsOK == 6)
        #expect(group.runsFailed == 3)
    }

    @Test func aDigestOfAFileThatCannotHaveATwinHasNoLedger() {
        let extraction = Extraction(
            shape: .vllmServe, runSets: [RunSet(model: "m", configuration: [], runs: [run(100, prompt: 1)])])
        #expect(FileDigest(extraction).runSets.allSatisfy { $0.ledger == nil })
        let candidate = Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: [run(100, prompt: 1)])])
        #expect(FileDigest(candidate).runSets.allSatisfy { $0.ledger?.count == 1 })
    }

    @Test func aDigestReadWithoutLedgersIsTheSameDigestWithoutThem() throws {
        let digest = FileDigest(twins()[0].1)
        var expected = digest
        for index in expected.runSets.indices { expected.runSets[index].ledger = nil }
        #expect(try FileDigest(decoding: digest.encoded(), ledgers: false) == expected)
        #expect(try FileDigest(decoding: digest.encoded()) == digest)
        let marks = try #require(digest.runSets.first?.ledger?.marks)
        #expect(marks.first == .succeeded(hasTokens: true, hasTTFT: true, cold: true))
        #expect(marks[2] == .failed(0) && marks[4] == .failed(1) && marks[6] == .failed(0))
        #expect(marks[3] == .succeeded(hasTokens: true, hasTTFT: false, cold: false))
    }

    @Test func aLedgerThatDisagreesWithItsDigestIsRefused() throws {
        let files = twins()
        var digest = FileDigest(files[0].1)
        // One throughput value fewer than the ledger says there are.
        digest.runSets[0].tokensPerSecond.removeLast()
        #expect(throws: BinaryReader.Failure.self) { try FileDigest(decoding: digest.encoded()) }
        var failures = FileDigest(files[0].1)
        failures.runSets[0].failures[0].count += 1
        #expect(throws: BinaryReader.Failure.self) { try FileDigest(decoding: failures.encoded()) }
    }
}
