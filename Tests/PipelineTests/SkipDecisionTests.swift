import Foundation
import Ingest
import Logging
import Records
import Store
import Testing

@testable import Pipeline

/// Whether a skipped file is looked at again is decided by its reason's code,
/// never by the words of its text.
@Suite struct SkipDecisionTests {
    private let logger = Logger(label: "test")

    private func skipped(text: String?, code: SkipCode?) -> RegistryEntry {
        RegistryEntry(
            root: "/root", path: "a.csv", device: 1, inode: 2, size: 3, modifiedNanoseconds: 4, contentHash: "h",
            status: .skipped, shape: nil, reason: text, reasonCode: code, modelHint: nil, parserVersion: 1,
            changedSequence: 1)
    }

    @Test func theCodeDecidesNotTheText() {
        let misleadingIgnored = skipped(text: "ignored (matches watch.ignore pattern *.csv)", code: .unparsable)
        #expect(!IngestPass.dependsOnSettings(misleadingIgnored))
        let misleadingParse = skipped(text: "malformed CSV at line 2: unterminated quote", code: .ignored)
        #expect(IngestPass.dependsOnSettings(misleadingParse))
    }

    @Test func reasonsOutsideTheContentAreLookedAtAgain() {
        let again: [SkipReason] = [
            .unreadable(errno: 13), .tooLarge(size: 2, limit: 1), .ignored(pattern: "*.swp"), .notRegularFile(.fifo),
            .becameSymbolicLink,
        ]
        for reason in again {
            #expect(IngestPass.dependsOnSettings(skipped(text: reason.text, code: reason.code)), "\(reason)")
        }
        let settled: [SkipReason] = [
            .emptyFile(onlyWhitespace: false), .unsupportedType(extension: "xlsx"), .notText("binary file"),
            .unparsable("no data rows (header only)"), .noBenchmarkData("JSON without numbers"),
            .tooLargeToRead("nesting deeper than 512 levels, at line 1"),
        ]
        for reason in settled {
            #expect(!IngestPass.dependsOnSettings(skipped(text: reason.text, code: reason.code)), "\(reason)")
        }
    }

    @Test func aReasonStoredWithoutACodeIsLookedAtAgain() {
        #expect(IngestPass.dependsOnSettings(skipped(text: "empty file", code: .legacy)))
    }

    @Test func anAnalysedFileIsNotASkip() {
        var analysed = skipped(text: nil, code: nil)
        analysed.status = .analyzed
        #expect(!IngestPass.dependsOnSettings(analysed))
    }

    /// A real pass over a real store: a file is re-read or left alone by the
    /// code stored with its reason, whatever the text says.
    @Test func aPassRereadsByCode() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("skip-decision-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let root = base + "/results"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "a,b\n".write(toFile: root + "/header-only.csv", atomically: true, encoding: .utf8)
        let normalized = TreeScanner.normalize(root)
        let store = try Store(directory: base + "/state")
        let pass = IngestPass(roots: [normalized], excluded: [], ignorePatterns: [], maxFileBytes: 1 << 20, summarizer: .analysis)

        let first = try await pass.run(store: store, logger: logger)
        let stored = try #require(first.entries.first)
        #expect(stored.reason == "no data rows (header only)" && stored.reasonCode == .unparsable)
        #expect(try await pass.run(store: store, logger: logger).unchanged == 1)

        // An "ignored" text under a parse failure's code: left alone.
        var relabelled = stored
        relabelled.reason = "ignored (matches watch.ignore pattern *.csv)"
        try store.apply([.ingested(relabelled, digest: nil)])
        let misleadingText = try await pass.run(store: store, logger: logger)
        #expect(misleadingText.unchanged == 1 && misleadingText.parsed == 0 && misleadingText.rehashedUnchanged == 0)

        // A parse failure's text under the ignore code: looked at again.
        var recoded = stored
        recoded.reasonCode = .ignored
        try store.apply([.ingested(recoded, digest: nil)])
        let misleadingCode = try await pass.run(store: store, logger: logger)
        #expect(misleadingCode.unchanged == 0 && misleadingCode.parsed + misleadingCode.rehashedUnchanged == 1)

        // A reason from before codes: read again once, which stores its code.
        var legacy = stored
        legacy.reasonCode = nil
        try store.apply([.ingested(legacy, digest: nil)])
        #expect(try store.entries(roots: [normalized]).first?.reasonCode == .legacy)
        let upgraded = try await pass.run(store: store, logger: logger)
        #expect(upgraded.parsed == 1)
        #expect(upgraded.entries.first?.reasonCode == .unparsable)
        #expect(try await pass.run(store: store, logger: logger).unchanged == 1)
    }
}

/// An ignore pattern taken back: the file is analysed again, even when the
/// registry the daemon keeps still has its content hash from before.
@Suite struct UnignoredFileTests {
    @Test func aFileNoLongerIgnoredIsAnalysedAgain() async throws {
        let logger = Logger(label: "test")
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("unignored-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let root = base + "/results"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var text = "timestamp,model,prompt_index,ttft_s,tokens_s,load_s,eval_count,error\n"
        for index in 0..<3 { text += "2026-11-22T10:00:0\(index)Z,m,\(index),0.05,\(100 + index),0.0,48,\n" }
        try text.write(toFile: root + "/runs.csv", atomically: true, encoding: .utf8)
        let normalized = TreeScanner.normalize(root)
        let store = try Store(directory: base + "/state")
        var pass = IngestPass(roots: [normalized], excluded: [], ignorePatterns: [], maxFileBytes: 1 << 20, summarizer: .analysis)

        let analysed = try await pass.run(store: store, logger: logger)
        #expect(analysed.entries.first?.status == .analyzed)
        pass.ignorePatterns = ["runs.csv"]
        let ignored = try await pass.run(store: store, logger: logger, previous: analysed)
        #expect(ignored.entries.first?.reasonCode == .ignored)
        pass.ignorePatterns = []
        let again = try await pass.run(store: store, logger: logger, previous: ignored)
        #expect(again.entries.first?.status == .analyzed)
        #expect(again.entries.first?.reasonCode == nil)
    }
}
