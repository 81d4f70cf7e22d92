import Fleet
import Foundation
import Logging
import Notify
import Pipeline
import Reporting
import PostgresNIO
import ServiceLifecycle
import Settings
import Synchronization
import Systemd

/// The fleet report's daemon role (`chimerad fleet watch`): writes the fleet
/// report at start, when a host has published (PostgreSQL `LISTEN` on the
/// channel every committed batch notifies), and on a schedule in between.
///
/// ```swift
/// let service = FleetReportService(settings: settings, pace: .init(), logger: logger)
/// try await ServiceGroup(services: [service], logger: logger).run()
/// ```
///
/// Publications come in bursts (a host sends its outbox in batches of 500; a
/// fleet of CI runners finishes together), so a notification makes a report
/// due after `settle` of quiet, and never sooner than `minimumInterval`
/// after the previous one. A lost listening connection is opened again with
/// the webhook's backoff; the schedule keeps reports coming meanwhile. Each
/// report opens its own connection, so a slow report never delays hearing
/// of the next publication.
package final class FleetReportService: Service, Sendable {
    /// When reports are written.
    package struct Pace: Sendable, Equatable {
        /// A report at least this often, whether or not a host published.
        package var every: Duration
        /// Quiet after a notification before its report.
        package var settle: Duration
        /// The shortest time between two reports.
        package var minimumInterval: Duration

        package init(every: Duration = .seconds(3600), settle: Duration = .seconds(10), minimumInterval: Duration = .seconds(60)) {
            self.every = every
            self.settle = settle
            self.minimumInterval = minimumInterval
        }
    }

    private let settings: Settings
    private let pace: Pace
    private let logger: Logger
    private let notifier: Notifier
    private let doorbell = Doorbell()
    /// Set by the listener, taken by the report loop: a host published.
    private let published = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    /// The listening connection, closed by `finish()` so the listener ends at once.
    private let listening = Mutex<PostgresConnection?>(nil)

    package init(settings: Settings, pace: Pace, logger: Logger, notifier: Notifier = Notifier()) {
        self.settings = settings
        self.pace = pace
        self.logger = logger
        self.notifier = notifier
    }

    package func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.listenUntilStopped() }
                await self.reportUntilStopped()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.finish()
        }
    }

    /// Ends `run()` after the report in flight.
    package func finish() {
        stopping.store(true, ordering: .relaxed)
        doorbell.close()
        let connection = listening.withLock { $0 }
        if let connection { Task { try? await connection.close() } }
    }

    private var isStopping: Bool { stopping.load(ordering: .relaxed) }

    // MARK: Reports

    private func reportUntilStopped() async {
        notifier.ready(status: "writing the first fleet report")
        let clock = ContinuousClock()
        var due: ContinuousClock.Instant? = clock.now
        var last: ContinuousClock.Instant?
        var backoff = DeliveryBackoff()
        let waiter = doorbell.waiter()
        while !isStopping {
            let now = clock.now
            if published.exchange(false, ordering: .relaxed) {
                let earliest = max(now + pace.settle, last.map { $0 + pace.minimumInterval } ?? now)
                due = min(due ?? earliest, earliest)
            }
            let scheduled = (last ?? now) + pace.every
            if due == nil, now >= scheduled { due = now }
            if let at = due, now >= at {
                due = nil
                last = clock.now
                if await writeReport() {
                    backoff.succeeded()
                } else {
                    // Sooner than the schedule, later each time in a row.
                    due = clock.now + backoff.failed()
                }
                continue
            }
            guard await waiter.wait(until: min(due ?? scheduled, scheduled)) else { break }
        }
        notifier.stopping(status: "stopping")
    }

    /// One fleet report; whether it was written (why not is in the journal and `STATUS=`).
    private func writeReport() async -> Bool {
        let started = ContinuousClock.now
        do {
            let written = try await FleetReportJob(settings: settings).run(logger: logger)
            let milliseconds = Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded())
            var metadata = Logger.Metadata.reportWritten(
                path: written.markdownPath, trigger: "fleet", filesChanged: 0, filesDeleted: nil, durationMilliseconds: milliseconds)
            metadata["report"] = "fleet"
            logger.info("fleet report written", metadata: metadata)
            notifier.status("fleet report written \(Timestamps.readable(Date())) (\(milliseconds) ms)")
            return true
        } catch {
            logger.error("fleet report failed; trying again", metadata: ["reason": "\(error)"])
            notifier.status("fleet report failed: \(error)")
            return false
        }
    }

    // MARK: Listening

    private func listenUntilStopped() async {
        var backoff = DeliveryBackoff()
        var failedInARow = 0
        while !isStopping, !Task.isCancelled {
            do {
                try await listenOnce {
                    if failedInARow > 0 {
                        self.logger.notice("fleet notifications resumed", metadata: ["failed_attempts": "\(failedInARow)"])
                        // What hosts published while nobody listened was told to no one: a report catches up.
                        self.published.store(true, ordering: .relaxed)
                        self.doorbell.ring()
                    }
                    failedInARow = 0
                    backoff.succeeded()
                }
            } catch {
                if isStopping || Task.isCancelled { break }
                let target = (try? FleetConnection(settings: settings.fleet, environment: [:]))?.target ?? "the fleet database"
                failedInARow += 1
                let wait = backoff.failed()
                logger.warning(
                    "fleet notifications lost; reports continue on the schedule",
                    metadata: [
                        "reason": "\(error as? FleetError ?? FleetError.classify(error, target: target))", "attempt": "\(failedInARow)",
                        "retry_in_seconds": "\(Int((wait / .seconds(1)).rounded(.up)))",
                    ])
                guard (try? await Task.sleep(for: wait)) != nil else { break }
            }
        }
    }

    /// One listening connection, until it fails or the service stops. A
    /// connection idle for hours may have died without a word (a NAT that
    /// forgot it): a `SELECT 1` every minute finds out.
    private func listenOnce(onListening: () -> Void) async throws {
        let fleet = try FleetConnection(settings: settings.fleet, environment: ProcessInfo.processInfo.environment)
        let connection = try await fleet.connect(logger: logger)
        listening.withLock { $0 = connection }
        defer {
            listening.withLock { $0 = nil }
            Task { try? await connection.close() }
        }
        if isStopping { return }
        let quiet = FleetConnection.quietLogger
        try await connection.listen(on: FleetBatchWriter.publishedChannel) { notifications in
            onListening()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await _ in notifications {
                        self.published.store(true, ordering: .relaxed)
                        self.doorbell.ring()
                    }
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: .seconds(60))
                        // No answer within 30 s: the connection is closed, which ends the listening too.
                        try await FleetConnection.bounded(.seconds(30), on: connection, target: fleet.target) { connection in
                            _ = try await connection.query("SELECT 1", logger: quiet)
                        }
                    }
                }
                // Either ends only by an error (or the connection's close): the other goes with it.
                defer { group.cancelAll() }
                _ = try await group.next()
            }
        }
        // Ended without an error (the server closed it cleanly): as lost as any, so the backoff applies.
        if !isStopping { throw FleetError.unreachable(target: fleet.target, reason: "the server closed the listening connection") }
    }
}

extension FleetReportService: CustomStringConvertible {
    package var description: String { "FleetReportService" }
}
