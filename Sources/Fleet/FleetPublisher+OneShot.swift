import Logging
import Store

extension FleetPublisher {
    /// What a one-shot publication achieved.
    package struct OneShotOutcome: Sendable {
        package var sent: Int
        package var backlog: Store.FleetBacklog
        /// Why it stopped short (the budget ran out, the database refused), if it did.
        package var problem: String?
    }

    /// Sends what is pending within `budget`, for `chimerad report`: the
    /// report is already written, so a database that does not answer costs
    /// this much and no more. Work still running at the deadline is left
    /// behind (a batch it commits after that is sent again next time, which
    /// the keys absorb); the process exits soon after.
    package static func publishPending(_ target: Target, budget: Duration, logger: Logger) async -> OneShotOutcome {
        logDrops(target.store, logger: logger)
        let before = (try? target.store.fleetBacklog()) ?? .none
        // The first of the work's end and the deadline is the answer.
        let (answers, answer) = AsyncStream<(sent: Int?, problem: String?)>.makeStream(bufferingPolicy: .bufferingOldest(1))
        let work = Task {
            var session = FleetPublisherSession()
            do {
                let sent = try await session.drain(target, logger: logger, shouldStop: { Task.isCancelled })
                await session.close()
                answer.yield((sent, nil))
            } catch {
                await session.close()
                answer.yield((nil, reason(error, target: target)))
            }
        }
        let deadline = Task {
            guard (try? await Task.sleep(for: budget)) != nil else { return }
            answer.yield((nil, "not finished within \(budget.formatted(.units(allowed: [.seconds])))"))
        }
        var iterator = answers.makeAsyncIterator()
        let first = await iterator.next()
        deadline.cancel()
        work.cancel()
        let backlog = (try? target.store.fleetBacklog()) ?? .none
        let sent = first?.sent ?? max(0, before.items - backlog.items)
        return OneShotOutcome(sent: sent, backlog: backlog, problem: backlog.items > 0 ? first?.problem ?? "stopped" : nil)
    }
}
