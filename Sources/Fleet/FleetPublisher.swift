import Foundation
import Logging
import Notify
import PostgresNIO
import ServiceLifecycle
import Store
import Synchronization
import Systemd

/// The publish stage for the fleet: a service beside the daemon's loop that
/// drains the store's fleet outbox into PostgreSQL. Reports only insert
/// items (in the transaction that saves them), so a database that is down,
/// slow or refusing never slows a report or stops one.
///
/// It sends the oldest items in batches, each in one PostgreSQL transaction
/// (`FleetBatchWriter`), and forgets a batch only after PostgreSQL committed
/// it. The schema is created or migrated by the first round that finds it
/// missing or old. After a failure it waits (`DeliveryBackoff`, the
/// webhook's policy: 5 s doubling to 10 min, with jitter) and says why in the
/// journal, with the backlog. Every exchange with the database is bounded
/// on this side too (`batchTimeout`): a database that goes silent mid-batch
/// costs a closed connection and a retry, never a publisher stuck for good.
/// It wakes when a report queued items (`wake()`), when its wait ends, and
/// when the configuration changes.
package final class FleetPublisher: Service, Sendable {
    /// Where to publish from and to.
    package struct Target: Sendable {
        package var connection: FleetConnection
        package var sender: FleetBatchWriter.Sender
        package var store: Store
        /// The longest one exchange with the database (a batch, the schema
        /// check) may go unanswered before the connection is given up for dead.
        package var batchTimeout: Duration

        package init(
            connection: FleetConnection, sender: FleetBatchWriter.Sender, store: Store, batchTimeout: Duration = FleetPublisher.batchTimeout
        ) {
            self.connection = connection
            self.sender = sender
            self.store = store
            self.batchTimeout = batchTimeout
        }
    }

    /// Items per PostgreSQL transaction: a few hundred rows, well under a second.
    package static let batchSize = 500

    /// The server's bound on one statement (`SET statement_timeout` on every
    /// connection): a server that is up but stuck behind a lock ends the
    /// statement itself and says so.
    package static let statementTimeout = Duration.seconds(60)

    /// The client's bound on one batch: the statement timeout and 30 s more.
    /// `statement_timeout` only helps while the server answers; a network
    /// that dies mid-query (a cable, a firewall dropping the flow, a stopped
    /// server process) sends no error and no reset, and TCP alone waits for
    /// many minutes. Past this bound the connection is closed, the round
    /// fails like any other (journal, `STATUS=`, backoff) and the batch is
    /// sent again on a new connection, which the keys absorb.
    package static let batchTimeout = statementTimeout + .seconds(30)

    private struct Setup: Sendable {
        var target: Target?
        var generation = 0
    }

    private let setup = Mutex(Setup())
    private let doorbell = Doorbell()
    private let stopping = Atomic<Bool>(false)
    private let logger: Logger
    /// Told the backlog whenever it changes (`STATUS=`).
    private let onBacklogChange: @Sendable (Store.FleetBacklog) -> Void
    /// Cancels the round in flight, if one is (set while it runs).
    private let roundInFlight = Mutex<(@Sendable () -> Void)?>(nil)

    /// How long a stop waits for the batch in flight before abandoning it:
    /// well inside the unit's `TimeoutStopSec=30s`, where a batch stuck on a
    /// silent database (up to `batchTimeout`) would get the service killed.
    /// An abandoned batch is rolled back by the server and sent again at the
    /// next start; the keys absorb it.
    package static let stopGrace = Duration.seconds(5)

    /// A round still running after this long tells `STATUS=` the backlog at
    /// once (a batch normally takes well under a second): a silent database
    /// shows as "fleet behind" long before the round ends at `batchTimeout`
    /// and the journal says why.
    package static let slowRound = Duration.seconds(10)

    package init(logger: Logger, onBacklogChange: @escaping @Sendable (Store.FleetBacklog) -> Void = { _ in }) {
        self.logger = logger
        self.onBacklogChange = onBacklogChange
    }

    /// Publishes to `target` from now on (nil: nothing is sent; items stay queued).
    package func configure(_ target: Target?) {
        setup.withLock {
            $0.target = target
            $0.generation += 1
        }
        doorbell.ring()
    }

    /// A report queued items: send them now (a failing database still gets its backoff).
    package func wake() {
        doorbell.ring()
    }

    /// Ends `run()` after the batch in flight, or `stopGrace` from now if that is sooner.
    package func finish() {
        stopping.store(true, ordering: .relaxed)
        doorbell.close()
        abandonRoundAfterGrace()
    }

    /// Cancels the round in flight, if any, once `stopGrace` has passed:
    /// cancelled, the round's connection is closed (`bounded`), which ends a
    /// query still waiting for an answer.
    private func abandonRoundAfterGrace() {
        guard let cancel = roundInFlight.withLock({ $0 }) else { return }
        Task {
            try? await Task.sleep(for: Self.stopGrace)
            cancel()
        }
    }

    /// One round: the session drains the outbox in a task of its own, so that
    /// a stop can cancel it; the session comes back with the outcome.
    private func round(
        _ session: FleetPublisherSession, target: Target
    ) async -> (session: FleetPublisherSession, outcome: Result<Int, any Error>) {
        let logger = logger
        let task = Task { [session] in
            var session = session
            do {
                let sent = try await session.drain(target, logger: logger, shouldStop: { self.stopping.load(ordering: .relaxed) })
                return (session, Result<Int, any Error>.success(sent))
            } catch {
                return (session, .failure(error))
            }
        }
        roundInFlight.withLock { $0 = { task.cancel() } }
        // A stop that came just before the round was registered still bounds it.
        if stopping.load(ordering: .relaxed) { abandonRoundAfterGrace() }
        let onBacklogChange = onBacklogChange
        let slow = Task {
            guard (try? await Task.sleep(for: Self.slowRound)) != nil, let behind = try? target.store.fleetBacklog(), behind.items > 0
            else { return }
            onBacklogChange(behind)
        }
        let (session, outcome) = await task.value
        slow.cancel()
        roundInFlight.withLock { $0 = nil }
        return (session, outcome)
    }

    package func run() async throws {
        await withGracefulShutdownHandler {
            await publishUntilStopped()
        } onGracefulShutdown: {
            self.finish()
        }
    }

    private func publishUntilStopped() async {
        var session = FleetPublisherSession()
        var backoff = DeliveryBackoff()
        var retryAt: ContinuousClock.Instant?
        var failedInARow = 0
        var generation = -1
        var backlog: Store.FleetBacklog?
        let waiter = doorbell.waiter()
        while !stopping.load(ordering: .relaxed) {
            let current = setup.withLock { $0 }
            if current.generation != generation {
                // A new configuration (a fixed URL or password): try at once, on a new connection.
                generation = current.generation
                backoff.succeeded()
                retryAt = nil
                await session.close()
            }
            if let target = current.target, retryAt.map({ $0 <= ContinuousClock.now }) ?? true {
                FleetPublisher.logDrops(target.store, logger: logger)
                let (after, outcome) = await round(session, target: target)
                session = after
                switch outcome {
                case .success(let sent):
                    if failedInARow > 0 {
                        logger.notice(
                            "fleet publication recovered",
                            metadata: [
                                "message_id": "\(JournalMessageID.fleetPublicationRecovered)", "target": "\(target.connection.target)",
                                "failed_attempts": "\(failedInARow)", "sent": "\(sent)",
                            ])
                    }
                    failedInARow = 0
                    backoff.succeeded()
                    retryAt = nil
                case .failure(let error):
                    await session.close()
                    if stopping.load(ordering: .relaxed) {
                        // Abandoned by the stop, not failed: nothing to retry in this process.
                        logger.notice(
                            "fleet publication stopped with a batch unfinished; it is sent again at the next start",
                            metadata: ["target": "\(target.connection.target)"])
                        break
                    }
                    failedInARow += 1
                    let wait = backoff.failed()
                    retryAt = ContinuousClock.now + wait
                    let behind = (try? target.store.fleetBacklog()) ?? .none
                    var metadata = FleetPublisher.backlogMetadata(behind)
                    metadata["message_id"] = "\(JournalMessageID.fleetPublicationFailed)"
                    metadata["target"] = "\(target.connection.target)"
                    metadata["reason"] = "\(FleetPublisher.reason(error, target: target))"
                    metadata["attempt"] = "\(failedInARow)"
                    metadata["retry_in_seconds"] = "\(Int((wait / .seconds(1)).rounded(.up)))"
                    logger.error("fleet publication failed; reports continue locally and the outbox is sent later", metadata: metadata)
                }
            }
            if let target = current.target, let now = try? target.store.fleetBacklog(), now != backlog {
                backlog = now
                onBacklogChange(now)
            } else if current.target == nil, backlog != nil {
                backlog = nil
                onBacklogChange(.none)
            }
            guard await waiter.wait(until: retryAt) else { break }
        }
        await session.close()
    }

    /// Samples the outbox's bound dropped since the last look, said once in the journal.
    static func logDrops(_ store: Store, logger: Logger) {
        guard let dropped = try? store.takeFleetSamplesDropped(), dropped > 0 else { return }
        logger.warning(
            "fleet outbox full: the oldest unsent per-run samples were dropped (session summaries are kept)",
            metadata: ["message_id": "\(JournalMessageID.fleetSamplesDropped)", "samples_dropped": "\(dropped)"])
    }

    /// Why a round failed: the local outbox's own error as it is, anything
    /// else as what the database said (never a credential).
    static func reason(_ error: any Error, target: Target) -> String {
        if let local = error as? Store.Failure { return "the local outbox: \(local)" }
        return "\(FleetError.classify(error, target: target.connection.target))"
    }

    /// The backlog as journal fields: how many items, queued since when.
    static func backlogMetadata(_ backlog: Store.FleetBacklog) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["items_behind": "\(backlog.items)"]
        if let oldest = backlog.oldestQueuedAt { metadata["behind_since"] = "\(oldest.formatted(.iso8601))" }
        return metadata
    }
}

extension FleetPublisher: CustomStringConvertible {
    /// How service-lifecycle names it in the log: never its target.
    package var description: String { "FleetPublisher" }
}
