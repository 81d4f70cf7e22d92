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

    @Test func fourFilesOfTwoHundredMebibytesNeverShareTheBudget() {
        let cost = ContentParser.memoryCost(ofFileSize: 200 << 20, fileName: "big.csv")
        #expect(cost > ParseBudget.standard / 2)
    }

    @Test func aPassWithATinyBudgetStillReadsEveryFile() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("parse-budget-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let root = base + "/results"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for index in 0..<6 {
            try "model,ttft_s,tokens_s\nm\(index),0.1,\(10 + index)\n".write(
                toFile: root + "/\(index).csv", atomically: true, encoding: .utf8)
        }
        var pass = IngestPass(roots: [root], excluded: [], ignorePatterns: [], maxFileBytes: 1 << 20)
        pass.parseBudget = 1
        let outcome = try await pass.run(store: try Store(directory: base + "/state"), logger: Logger(label: "test"))
        #expect(outcome.parsed == 6)
        #expect(outcome.entries.allSatisfy { $0.status == .analyzed })
    }
}
