import Foundation
import Ingest
import Records
import Store

extension IngestPass {
    /// What a task of the reading group finished: a file read (with whether it
    /// was parsed, and its place in the work list), or a batch stored.
    private enum Finished: Sendable {
        case parsed(RegistryChange, reparsed: Bool, index: Int)
        case stored(Int64)
    }

    /// What reading the work list did.
    struct Reading {
        /// The store's sequence after the last batch.
        var sequence: Int64
        var parsed = 0
        /// Read and hashed, and found as they were (a touch).
        var rehashed = 0
        /// Gone between the scan and the read.
        var vanished = 0
    }

    /// Reads, hashes and parses the work list, and stores the results.
    ///
    /// One task group over all files and the store's writes: workers keep
    /// parsing while finished results are written, a batch at a time and in
    /// order, by a task of the same group. Files start in order, as many at
    /// once as the cores and the parse budget allow.
    func readAndStore(
        _ work: [Work], store: Store, after sequence: Int64, heartbeat: @Sendable () -> Void,
        shouldStop: @Sendable () -> Bool = { false }
    ) async throws -> Reading {
        let limit = maxFileBytes
        let summarizer = self.summarizer
        let inFlight = max(1, ProcessInfo.processInfo.activeProcessorCount) * 2
        let batchSize = self.batchSize
        let costs = work.map { ParseBudget.cost(of: $0.file) }
        var budget = ParseBudget(capacity: parseBudget)
        var reading = Reading(sequence: sequence)
        reading.sequence = try await withThrowingTaskGroup(of: Finished.self) { group in
            var next = 0
            var pending: [RegistryChange] = []
            var pendingBytes = 0
            var writingBytes = 0
            var sequence = sequence
            // Finished results are memory the parse budget does not count
            // until they are stored: a file starts only if it fits beside them.
            func held() -> Int64 { Int64(pendingBytes + writingBytes) }
            func launch() {
                while next < work.count, budget.files < inFlight, budget.admits(costs[next], beside: held()) {
                    let item = work[next]
                    let index = next
                    next += 1
                    budget.start(costs[index])
                    group.addTask {
                        let (change, reparsed) = IngestPass.ingest(item.file, previous: item.previous, limit: limit, summarizer: summarizer)
                        return .parsed(change, reparsed: reparsed, index: index)
                    }
                }
            }
            launch()
            while let finished = try await group.next() {
                // Files being parsed finish (a parse cannot be interrupted); no more start.
                if shouldStop() { throw IngestPass.Stopped() }
                switch finished {
                case .stored(let stored):
                    sequence = stored
                    writingBytes = 0
                    heartbeat()
                case .parsed(let change, let reparsed, let index):
                    budget.finish(costs[index])
                    if case .deleted = change {
                        reading.vanished += 1
                    } else if reparsed {
                        reading.parsed += 1
                    } else {
                        reading.rehashed += 1
                    }
                    pending.append(change)
                    pendingBytes += IngestPass.footprint(change)
                }
                // A batch is written when it is full, or when a file waits for
                // its memory; one write at a time keeps the batches in order.
                let crowded = next < work.count && !budget.admits(costs[next], beside: held())
                if writingBytes == 0, !pending.isEmpty,
                    pending.count >= batchSize || pendingBytes >= IngestPass.pendingLimit || crowded
                {
                    let batch = pending
                    pending.removeAll(keepingCapacity: true)
                    // At least one byte, so a batch of digest-less changes counts as being written.
                    writingBytes = max(1, pendingBytes)
                    pendingBytes = 0
                    group.addTask { .stored(try store.apply(batch)) }
                }
                launch()
            }
            if !pending.isEmpty { sequence = try store.apply(pending) }
            return sequence
        }
        return reading
    }
}
