import Analysis
import Foundation
import Records
import Testing

@testable import Narration

@Suite struct FactSheetTests {
    @Test func corpusSheetDump() throws {
        guard let facts = try CorpusFacts.facts() else { return }
        let sheet = FactSheet(facts)
        print("FULL chars=\(sheet.text.count) est=\(sheet.estimatedTokens)")
        print(sheet.text)
        let trimmed = sheet.trimmed(toTokens: 1200)
        print("TRIMMED chars=\(trimmed.text.count) est=\(trimmed.estimatedTokens)")
        try trimmed.text.write(toFile: "/tmp/sheet.txt", atomically: true, encoding: .utf8)
        try sheet.text.write(toFile: "/tmp/sheet-full.txt", atomically: true, encoding: .utf8)
    }
}
