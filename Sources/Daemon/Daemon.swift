import Fleet
import Foundation
import Logging
import Notify
import Pipeline
import Reporting
import ServiceLifecycle
import Settings
import Store
import Systemd
import UnixSignals
import Watching

/// `chimerad run`: watches the configured folders and writes a report when
/// benchmark results land, while telling systemd where it stands.
///
/// One loop does the work: it takes settled change sets from the watcher,
/// re-ingests just those paths, and writes a report at most once per
/// `report.min_interval_ms`; SIGHUP reloads the configuration; the systemd
/// watchdog is fed from the same loop, so a loop that hangs is restarted.
/// SIGTERM lets the report in progress finish, then the service exits 0.
/// Beside the loop, `WebhookDelivery` posts the webhook events reports queue
/// (`notify.*`); it stops after its post in flight, leaving the rest queued.
/// `FleetPublisher` sends the fleet outbox reports fill (`fleet.*`) the same way.
package struct Daemon: Service {
    private let configFile: String?
    private let overrides: Settings.Overrides
    private let initialSettings: Settings
    private let logger: Logger
    /// Told the settings in force after each reload (the HTTP server follows
    /// `output.directory`).
    private let settingsApplied: @Sendable (Settings) -> Void

    /// `settings` were loaded from `configFile` with `overrides` (the command
    /// line); a reload reads the file again and applies the same overrides.
    package init(
        settings: Settings, configFile: String?, overrides: Settings.Overrides, logger: Logger,
        settingsApplied: @escaping @Sendable (Settings) -> Void = { _ in }
    ) {
        initialSettings = settings
        self.configFile = configFile
        self.overrides = overrides
        self.logger = logger
        self.settingsApplied = settingsApplied
    }

    enum Event: Sendable {
        case changes(ChangeSet)
        case reload
        case watchdogTick
        /// The minimum interval since the last report has passed.
        case reportDue
        /// A watcher's change stream ended.
        case watcherEnded(ObjectIdentifier)
        /// The last report's narrative was written into it; the reason when it has none.
        case narrativeEnded(unavailableReason: String?)
        /// How many webhook events wait for delivery changed.
        case notificationsPending(Int)
        /// How far behind the fleet's PostgreSQL is changed.
        case fleetBacklog(Store.FleetBacklog)
        case stop
    }

    package func run() async throws {
        let notifier = Notifier()
        let pacer = WatchdogPacer(notifier: notifier)
        let stop = StopRequest()
        let (events, sink) = AsyncStream<Event>.makeStream()
        // The webhook's delivery runs beside the loop: reports only queue
        // events, it posts them (and waits out a receiver that is down).
        let delivery = WebhookDelivery(logger: logger) { pending in sink.yield(.notificationsPending(pending)) }
        // So does the fleet's publication: reports queue items, it sends them.
        let publisher = FleetPublisher(logger: logger) { backlog in sink.yield(.fleetBacklog(backlog)) }
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { services in
                services.addTask { try await delivery.run() }
                services.addTask { try await publisher.run() }
                // Whatever ends the loop ends the delivery too, after its post in flight,
                // and the publication after its batch in flight.
                defer {
                    delivery.finish()
                    publisher.finish()
                }
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask {
                        for await _ in await UnixSignalsSequence(trapping: .sighup) { sink.yield(.reload) }
                    }
                    if let tick = pacer.tickInterval {
                        group.addTask {
                            // Ends quietly when the loop is done (a cancelled sleep is no error).
                            while (try? await Task.sleep(for: tick)) != nil {
                                sink.yield(.watchdogTick)
                            }
                        }
                    }
                    // Nil: stopped before the first scan ended.
                    guard
                        var loop = try await DaemonLoop.start(
                            settings: initialSettings, configFile: configFile, overrides: overrides, logger: logger,
                            notifier: notifier, pacer: pacer, stop: stop, events: sink, delivery: delivery,
                            publisher: publisher)
                    else {
                        group.cancelAll()
                        return
                    }
                    // A watcher's changes become events; its end says which watcher ended.
                    func forward(_ feed: (id: ObjectIdentifier, changes: AsyncStream<ChangeSet>)) {
                        group.addTask {
                            for await set in feed.changes { sink.yield(.changes(set)) }
                            sink.yield(.watcherEnded(feed.id))
                        }
                    }
                    forward(loop.watcherFeed)
                    // Wakes the loop when a report it deferred is due (a start-up
                    // report that failed is retried after `retryDelay`, events or not).
                    func armDueTimer() {
                        guard let due = loop.takeDueTimer() else { return }
                        group.addTask {
                            try? await Task.sleep(until: due, clock: .continuous)
                            sink.yield(.reportDue)
                        }
                    }
                    armDueTimer()
                    // However the loop ends (a stop, or watching that failed), the
                    // watches and a managed model server go with it: the server is
                    // our child, and would outlive a daemon that exits with an error.
                    var failure: (any Error)?
                    do {
                        for await event in events {
                            if case .stop = event { break }
                            let restarted = try await loop.handle(event)
                            if case .reload = event { settingsApplied(loop.settings) }
                            if restarted != nil {
                                // A reload that changed what is watched brings a new watcher.
                                forward(loop.watcherFeed)
                            }
                            armDueTimer()
                        }
                    } catch {
                        failure = error
                    }
                    loop.stopWatching()
                    await loop.shutDownModel()
                    if let failure { throw failure }
                    group.cancelAll()
                }
            }
        } onGracefulShutdown: {
            // Said at once, even while a report is being written; the loop ends
            // after it.
            notifier.stopping(status: "stopping")
            stop.request()
            sink.yield(.stop)
        }
        logger.info("chimerad stopped")
    }
}

extension Daemon: CustomStringConvertible {
    /// How service-lifecycle names it in the log: never the settings it holds
    /// (a webhook URL's path is often its secret).
    package var description: String { "Daemon" }
}
