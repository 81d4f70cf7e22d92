import TestSupport
import Foundation
import Testing

@testable import Fleet
@testable import Store

/// The fleet outbox's bound, in the local store alone: past the limit the
/// oldest unsent samples go, with a count; summaries, regressions and
/// reports never do.
@Suite struct FleetOutboxBoundTests {
    @Test func boundDropsTheOldestSamplesNeverSummaries() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-fleet-bound-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(directory: folder)
        // Three reports of 10 sessions each: 10 summaries, 10 sample items of 40 values, and a report.
        for report in 0..<3 {
            var items: [FleetOutboxItem] = []
            for index in 0..<10 {
                let key = FleetOutboxItem.SessionKey(sourcePath: "r\(report).csv", contentHash: "h", sessionIndex: index)
                let figures = FleetOutboxItem.Figures(n: 40, median: 100, lowerQuartile: 99, upperQuartile: 101)
                items.append(
                    .session(
                        .init(
                            key: key, model: "m", configuration: "{}", environment: .init(), startedAt: nil, measuredAt: Double(report * 10 + index),
                            runsOK: 40, runsFailed: 0, tokensPerSecond: figures, ttftSeconds: figures)))
                items.append(.samples(.init(key: key, metric: .tokensPerSecond, values: Array(repeating: 100, count: 40))))
            }
            items.append(.report(.init(name: "r\(report)", generatedAt: Double(report), trigger: "change", filesAnalyzed: 1, sessions: 10)))
            try store.queueFleetItems(.init(items: items, limit: 45))
        }
        let pending = try store.pendingFleetItems(limit: 1000).compactMap(\.item)
        let sessions = pending.filter { $0.kind == .session }
        let samples = pending.compactMap { item -> FleetOutboxItem.Samples? in
            if case .samples(let samples) = item { return samples }
            return nil
        }
        // 63 items queued, 45 allowed: 18 sample items went, the oldest first.
        #expect(pending.count == 45)
        #expect(sessions.count == 30 && pending.filter { $0.kind == .report }.count == 3)
        #expect(samples.count == 12)
        #expect(samples.allSatisfy { $0.key.sourcePath != "r0.csv" } && samples.filter { $0.key.sourcePath == "r1.csv" }.count == 2)
        #expect(try store.takeFleetSamplesDropped() == 18 * 40)
        #expect(try store.takeFleetSamplesDropped() == 0)
        #expect(try store.fleetBacklog().items == 45)
    }

    @Test("samples dropped by the outbox's bound are one warning with its own MESSAGE_ID")
    func droppedSamplesHaveTheirMessageID() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-fleet-drops-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(directory: folder)
        // 9 items queued, 5 allowed: the oldest 4 sample items (10 values each) go.
        try store.queueFleetItems(.init(items: FleetPublicationTests.reportItems(path: "a.csv", hash: "h", sessions: 2, report: "r"), limit: 5))
        let recorder = LogRecorder()
        FleetPublisher.logDrops(store, logger: recorder.logger)
        let entry = try #require(recorder.entries(startingWith: "fleet outbox full").first, "\(recorder.all.map(\.message))")
        #expect(entry.level == .warning)
        #expect(entry.metadata["message_id"] == "d48a86cd982843619be8898b227965d1")
        #expect(entry.metadata["samples_dropped"] == "40")
        // Said once.
        FleetPublisher.logDrops(store, logger: recorder.logger)
        #expect(recorder.entries(startingWith: "fleet outbox full").count == 1)
    }
}
