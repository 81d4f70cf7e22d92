import Foundation
import Analysis
import Ingest
import Logging
import Store
import Testing

@testable import Pipeline

/// Digests fetched and decoded a batch ahead on their own thread: the same
/// digests, in the same order, as reading them one by one; a file without a
/// digest is named, not fatal; an error from the caller ends the walk.
@Suite struct DigestPrefetchTests {
    /// More files than two batches, so a batch decodes while another is added.
    private static let fileCount = DigestPrefetch.batchSize * 2 + 7

    private static func makeStore() async throws -> (base: String, store: Store, entries: [RegistryEntry]) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("digest-prefetch-\(UUID().uuidString)").path
        let root = base + "/results"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for index in 0..<fileCount {
            var text = "timestamp,model,prompt_index,ttft_s,tokens_s,load_s,eval_count,error\n"
            for run in 0..<4 {
                text += "2026-11-22T10:\(10 + index % 50):0\(run)Z,m\(index % 3),\(run),0.05,\(Double(index) + Double(run) / 10),0.0,48,\n"
            }
            try text.write(toFile: root + "/night-\(1000 + index).csv", atomically: true, encoding: .utf8)
        }
        let store = try Store(directory: base + "/state")
        let pass = IngestPass(
            roots: [TreeScanner.normalize(root)], excluded: [], ignorePatterns: [], maxFileBytes: 1 << 20, summarizer: .analysis)
        let ingested = try await pass.run(store: store, logger: Logger(label: "test"))
        return (base, store, ingested.entries)
    }

    @Test func givesEachFileItsDigestInOrderAndNamesOneWithout() async throws {
        let (base, store, entries) = try await Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: base) }
        #expect(entries.count == Self.fileCount)
        var missing = entries[70]
        missing.path = "not-in-the-store.csv"
        let wanted = Array(entries[..<70]) + [missing] + Array(entries[70...])
        var expected: [FileDigest?] = []
        try store.forEachDigest(of: wanted) { _, blobs in expected.append(try blobs.digest().map { try FileDigest(decoding: $0) }) }

        var seen: [Int] = []
        var damaged: [Int: String] = [:]
        let requests = wanted.map { DigestPrefetch.Request(entry: $0, ledgers: true, othersSkippedAs: nil) }
        try DigestPrefetch.forEach(requests, store: store) { index, decoded in
            seen.append(index)
            switch decoded {
            case .digest(let digest, let bytes):
                #expect(digest == expected[index], "file \(index)")
                #expect(bytes > 0)
            case .damaged(let reason, let bytes):
                damaged[index] = reason
                #expect(bytes == 0)
            }
        }
        #expect(seen == Array(wanted.indices))
        #expect(damaged.keys.sorted() == [70])
        #expect(damaged[70]?.contains("no digest stored") == true, "\(damaged)")
    }

    @Test func anErrorFromTheCallerEndsTheWalk() async throws {
        struct Enough: Error {}
        let (base, store, entries) = try await Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let requests = entries.map { DigestPrefetch.Request(entry: $0, ledgers: false, othersSkippedAs: nil) }
        var seen = 0
        // Thrown in the first batch, while the second is decoding.
        #expect(throws: Enough.self) {
            try DigestPrefetch.forEach(requests, store: store) { index, _ in
                seen += 1
                if index == 10 { throw Enough() }
            }
        }
        #expect(seen == 11)
        // The store is still whole and usable after the walk.
        var count = 0
        try DigestPrefetch.forEach(requests, store: store) { _, decoded in
            if case .digest = decoded { count += 1 }
        }
        #expect(count == entries.count)
    }

    /// A digest that no longer decodes is named with its reason, and its
    /// neighbours are read as before.
    @Test func aDigestThatDoesNotDecodeIsNamed() async throws {
        let (base, store, entries) = try await Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: base) }
        _ = try store.apply([.ingested(entries[3], digest: [0xFF, 0x00, 0x13])])
        var outcomes: [String] = []
        let requests = entries.prefix(6).map { DigestPrefetch.Request(entry: $0, ledgers: true, othersSkippedAs: nil) }
        try DigestPrefetch.forEach(requests, store: store) { _, decoded in
            switch decoded {
            case .digest: outcomes.append("digest")
            case .damaged(_, let bytes): outcomes.append("damaged \(bytes)")
            }
        }
        #expect(outcomes == ["digest", "digest", "digest", "damaged 3", "digest", "digest"])
    }

    /// A batch ends at its count of files, or soon after its bytes (the
    /// digests of one read of the store), so two batches in memory stay small
    /// whatever the files.
    @Test func aBatchEndsAtItsCountOrSoonAfterItsBytes() async throws {
        let (base, store, entries) = try await Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let requests = entries.map { DigestPrefetch.Request(entry: $0, ledgers: false, othersSkippedAs: nil) }
        #expect(try DigestPrefetch.decode(requests, from: 0, store: store, count: 3).count == 3)
        #expect(try DigestPrefetch.decode(requests, from: 5, store: store, count: 64, bytes: 1).count == DigestPrefetch.fetched)
        #expect(try DigestPrefetch.decode(requests, from: requests.count - 2, store: store).count == 2)
        #expect(try DigestPrefetch.decode(requests, from: 0, store: store).count == DigestPrefetch.batchSize)
    }

    @Test func noRequestsIsNoWalk() async throws {
        let (base, store, _) = try await Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: base) }
        var called = false
        try DigestPrefetch.forEach([], store: store) { _, _ in called = true }
        #expect(!called)
    }
}
