import Foundation
import Ingest
import Logging
import Store
import Testing

@testable import Pipeline

@Suite struct ParseBudgetTests {
    @Test func largeFilesAreParsedAloneAndSmallOnesTogether() {
        let large = ContentParser.memoryCost(ofFileSize: 200 << 20, fileName: "a.csv")
        let small = ContentParser.memoryCost(ofFileSize: 30 << 10, fileName: "b.csv")
        var budget = ParseBudget()
        // Nothing is being parsed: any file may start, however large.
        #expect(budget.admits(large))
        budget.start(large)
        #expect(!budget.admits(large))
        #expect(!budget.admits(small))
        budget.finish(large)
        for _ in 0..<64 {
            #expect(budget.admits(small))
            budget.start(small)
        }
        #expect(!budget.admits(large))
    }

    @Test func finishedResultsWaitingForTheStoreCountAgainstTheBudget() {
        let small = ContentParser.memoryCost(ofFileSize: 30 << 10, fileName: "b.csv")
        let budget = ParseBudget(capacity: small * 2)
        #expect(budget.admits(small, beside: small))
        #expect(!budget.admits(small, beside: small * 2))
        // Nothing parsed and nothing held: anything may start.
        #expect(budget.admits(small * 10, beside: 0))
        #expect(!budget.admits(small * 10, beside: 1))
    }

    @Test func fourFilesOfTwoHundredMebibytesNeverShareTheBudget() {
        let cost = ContentParser.memoryCost(ofFileSize: 200 << 20, fileName: "big.csv")
        #expect(cost > ParseBudget.standard / 2)
    }

    @Test func aPassWithATinyBudgetStillReadsEveryFile() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("parse-budget-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let root = base + "/results"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for index in 0..<40 {
            try "model,ttft_s,tokens_s\nm\(index),0.1,\(10 + index)\n".write(
                toFile: root + "/\(index).csv", atomically: true, encoding: .utf8)
        }
        var pass = IngestPass(roots: [root], excluded: [], ignorePatterns: [], maxFileBytes: 1 << 20, summarizer: .analysis)
        pass.parseBudget = 1
        // Small batches: writes overlap the parsing, and every finished file
        // waits for the batch before it to be stored.
        pass.batchSize = 3
        let store = try Store(directory: base + "/state")
        let outcome = try await pass.run(store: store, logger: Logger(label: "test"))
        #expect(outcome.parsed == 40)
        #expect(outcome.entries.count == 40)
        #expect(outcome.entries.allSatisfy { $0.status == .analyzed })
        #expect(try store.entries(roots: [root]).count == 40)
        #expect(outcome.sequence == (try store.currentSequence()))
    }
}
