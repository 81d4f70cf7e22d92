import Fleet
import Foundation
import Ingest
import Logging
import ModelBackends
import Narration
import Notify
import Pipeline
import Reporting
import Settings
import Store
import Systemd
import Watching

/// The state the daemon's loop owns: the configuration in force, the store,
/// the watcher, the registry as the last pass left it, and what waits for the
/// next report. Only the loop touches it, one event at a time.
struct DaemonLoop {
    /// Why the daemon cannot go on; the error behind it is kept (a
    /// `Store.Failure`'s kind tells a full disk from a corrupt store).
    struct Failure: ErrorWithCause, CustomStringConvertible {
        var description: String
        var cause: (any Error)?

        init(description: String, cause: (any Error)? = nil) {
            self.description = description
            self.cause = cause
        }
    }

    private(set) var settings: Settings
    private let configFile: String?
    private let overrides: Settings.Overrides
    private var logger: Logger
    private let notifier: Notifier
    private let pacer: WatchdogPacer
    private let stop: StopRequest
    private var store: Store
    /// This daemon's hold on its state folder (`StateLock.daemonFileName`).
    private var daemonLock: StateLock
    private var writer: ReportWriter
    private var watcher: Watcher
    private var roots: [String]
    /// The roots reached through a watch path that is a symbolic link, with
    /// the link's path, as they were when they were resolved.
    private var linkedRoots: [String: String]
    /// The registry after the last pass, kept so a change set costs a stat of
    /// the paths it names, not a walk of the tree.
    private var tracked: IngestPass.Ingested
    /// Changes not yet in a report.
    private var pending = ChangeSet()
    private var schedule: ReportSchedule
    private var dueTimer: ContinuousClock.Instant?
    private var timerRunning = false
    /// A report owed, with what it is for: one that failed (output folder
    /// gone, disk full), tried again after `retryDelay` and with every
    /// change; or one a reload or a moved watch folder asked for within
    /// `report.min_interval_ms` of the last, written when that is over.
    private var owedReport: ReportContext.Trigger?
    /// Files moved since the last report.
    private var renamedSinceReport = RenameLog()
    private static let retryDelay = Duration.seconds(5)
    private var status: StatusLine
    /// Who words the narrative; kept for the daemon's life (a managed server
    /// stays loaded, HTTP connections stay open) so reports pay no model load.
    private var narrator: Narrator
    /// The model's narrative for the last report, being asked for beside the
    /// loop: a newer report, a reload or a stop cancels it.
    private var narrativeTask: Task<Void, Never>?
    /// Where the narrative task says it ended (`STATUS=` shows why a narrative is missing).
    private let events: AsyncStream<Daemon.Event>.Continuation
    /// Posts the webhook events reports queue; told the target and store at
    /// start and reload, woken after each report.
    private let delivery: WebhookDelivery
    /// Sends the fleet outbox reports fill (`fleet.*`); told the target at
    /// start and reload, woken after each report.
    private let publisher: FleetPublisher

    /// The current watcher's changes, with its identity: when that stream ends
    /// while the watcher is still the one in use, watching has failed.
    var watcherFeed: (id: ObjectIdentifier, changes: AsyncStream<ChangeSet>) { (ObjectIdentifier(watcher), watcher.changes) }

    /// Watches first, then reconciles every root against the registry (only
    /// changed files are parsed), then `READY=1`, then a `startup` report if
    /// anything changed since the last one. Nil when a stop came before the
    /// first scan ended (what it did not store is read at the next start).
    static func start(
        settings: Settings, configFile: String?, overrides: Settings.Overrides, logger: Logger, notifier: Notifier,
        pacer: WatchdogPacer, stop: StopRequest, events: AsyncStream<Daemon.Event>.Continuation, delivery: WebhookDelivery,
        publisher: FleetPublisher
    ) async throws -> DaemonLoop? {
        var logger = logger
        logger.logLevel = Logger.Level(rawValue: settings.log.level.rawValue) ?? logger.logLevel
        notifier.status("starting: watching and scanning")
        let roots = try prepareRoots(settings, logger: logger)
        // Before the store is opened: a second daemon touches nothing of the first's.
        let daemonLock = try DaemonLoop.daemonLock(settings)
        let (writer, store) = try ReportJob.openFolders(settings)
        let watcher: Watcher
        do {
            watcher = try Watcher(options: watcherOptions(settings, roots: roots), logger: logger)
            try watcher.start()
        } catch {
            throw Failure(description: "\(error)", cause: error)
        }
        let started = ContinuousClock.now
        let narrator = try await makeNarrator(settings, logger: logger)
        let linkedRoots = IngestPass.linkedRoots(of: settings.watch.paths)
        let job = ReportJob(settings: settings, inputs: roots, trigger: .startup, linkedRoots: linkedRoots)
        let tracked: IngestPass.Ingested
        do {
            tracked = try await withStateLock(settings, logger: logger, pacer: pacer, stop: stop) {
                try await job.pass.run(store: store, logger: logger, heartbeat: pacer.beatWhileStarting, shouldStop: { stop.isRequested })
            }
        } catch {
            // The first scan did not end: the watches and a managed model
            // server, our child, go whatever the reason.
            watcher.stop()
            await narrator.backend?.shutdown()
            guard error is IngestPass.Stopped || (error is CancellationError && stop.isRequested) else { throw error }
            // Asked to stop while the first scan read a large drop (or waited for
            // another chimerad's lock): what was stored stays, the rest is
            // read at the next start. No READY, no report.
            logger.notice("stopped before the first scan ended; the rest is read at the next start")
            return nil
        }
        var loop = DaemonLoop(
            settings: settings, configFile: configFile, overrides: overrides, logger: logger, notifier: notifier,
            pacer: pacer, stop: stop, store: store, daemonLock: daemonLock, writer: writer, watcher: watcher, roots: roots,
            linkedRoots: linkedRoots, tracked: tracked,
            schedule: ReportSchedule(minimumInterval: .milliseconds(settings.report.minIntervalMilliseconds)),
            narrator: narrator, events: events, delivery: delivery, publisher: publisher,
            status: StatusLine(
                roots: roots.count, filesTracked: tracked.liveFiles,
                lastReport: (try? store.lastReport()).flatMap { ISO8601DateFormatter().date(from: $0.generatedAt) }, lastError: nil,
                phase: nil))
        logger.info(
            "watching",
            metadata: [
                "roots": "\(roots)", "files_tracked": "\(tracked.liveFiles)", "parsed": "\(tracked.parsed)",
                "watched_folders": "\(watcher.watchedFolderCount)",
                "scan_ms": "\(Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded()))",
            ])
        // Events a stop left undelivered go out now, beside the startup report.
        loop.configureDelivery()
        loop.configurePublisher()
        // Asked to stop meanwhile: the event loop ends at once, neither ready nor reporting.
        if stop.isRequested { return loop }
        notifier.ready(status: loop.status.text)
        await loop.reportIfChangedSinceLastReport(trigger: .startup, started: started)
        return loop
    }

    private init(
        settings: Settings, configFile: String?, overrides: Settings.Overrides, logger: Logger, notifier: Notifier,
        pacer: WatchdogPacer, stop: StopRequest, store: Store, daemonLock: StateLock, writer: ReportWriter, watcher: Watcher,
        roots: [String], linkedRoots: [String: String], tracked: IngestPass.Ingested, schedule: ReportSchedule, narrator: Narrator,
        events: AsyncStream<Daemon.Event>.Continuation, delivery: WebhookDelivery, publisher: FleetPublisher, status: StatusLine
    ) {
        self.events = events
        self.delivery = delivery
        self.publisher = publisher
        self.settings = settings
        self.configFile = configFile
        self.overrides = overrides
        self.logger = logger
        self.notifier = notifier
        self.pacer = pacer
        self.stop = stop
        self.store = store
        self.daemonLock = daemonLock
        self.writer = writer
        self.watcher = watcher
        self.roots = roots
        self.linkedRoots = linkedRoots
        self.tracked = tracked
        // Files the first pass found moved while nobody watched.
        renamedSinceReport.recordFoundByPass(tracked.renames, after: tracked.entries)
        self.schedule = schedule
        self.narrator = narrator
        self.status = status
    }

    /// Handles one event. Returns the change stream of a new watcher when a
    /// reload replaced the old one.
    mutating func handle(_ event: Daemon.Event) async throws -> AsyncStream<ChangeSet>? {
        // After SIGTERM, what is still queued waits for the next start (the
        // registry catches up then): the service stops now.
        guard !stop.isRequested else { return nil }
        switch event {
        case .changes(let set):
            pending.merge(set)
            // A watch folder that went or came back may be another folder
            // now: its path made a link to one, or a link replaced by the
            // folder it led to. The old root is watched no more.
            if set.rescanAll || set.foldersToScan.contains(where: { $0.path.isEmpty }), let moved = movedRoots() { return await rewatch(moved) }
            await reportIfDue()
        case .reportDue:
            timerRunning = false
            await reportIfDue()
        case .watchdogTick:
            pacer.beat()
        case .reload:
            return await reload()
        case .watcherEnded(let id):
            if id == ObjectIdentifier(watcher) {
                // Without watches the service would look alive and see nothing:
                // better to fail, so systemd restarts it.
                throw Failure(description: "watching stopped unexpectedly; the daemon exits so it can be restarted")
            }
        case .notificationsPending(let count):
            status.pendingNotifications = count
            notifier.status(status.text)
        case .fleetBacklog(let backlog):
            status.fleetBacklog = backlog
            notifier.status(status.text)
        case .narrativeEnded(let reason):
            // `model.backend: none` is a choice, not a warning.
            status.narrativeWarning = narrator.backend == nil ? nil : reason
            notifier.status(status.text)
        case .stop:
            break
        }
        return nil
    }

    /// When the loop should be woken to write a deferred report (once per wait).
    mutating func takeDueTimer() -> ContinuousClock.Instant? {
        defer { dueTimer = nil }
        return dueTimer
    }

    func stopWatching() {
        watcher.stop()
    }

    /// Stops what the narrator holds (a managed llama-server, connections),
    /// after the narrative it works on (never written once cancelled).
    func shutDownModel() async {
        await supersedeNarrative()
        await narrator.backend?.shutdown()
    }

    /// Cancels the narrative still pending, and waits until it can write
    /// nothing more: the next report, or the stop, comes after it.
    private func supersedeNarrative() async {
        guard let narrativeTask else { return }
        narrativeTask.cancel()
        await narrativeTask.value
    }

    /// The narrator `settings` ask for, its model loading in the background
    /// (READY does not wait for it). A `model.name` the backend cannot run is a
    /// configuration error.
    static func makeNarrator(_ settings: Settings, logger: Logger) async throws -> Narrator {
        let narrator: Narrator
        do {
            narrator = try await ModelSetup.narrator(settings, logger: logger)
        } catch {
            throw Failure(description: "\(error)", cause: error)
        }
        if let backend = narrator.backend {
            logger.info(
                "narrative model",
                metadata: [
                    "model_backend": "\(backend.identity.backend)", "model_name": "\(backend.identity.model)",
                    "model_options": "\(backend.identity.options)",
                ])
            Task { await backend.warmUp() }
        } else {
            logger.notice("reports will carry rule-based text only", metadata: ["reason": "\(narrator.unavailableReason)"])
        }
        return narrator
    }

    /// A job of this loop, with its narrator.
    private func job(_ settings: Settings, inputs: [String], trigger: ReportContext.Trigger) -> ReportJob {
        ReportJob(settings: settings, inputs: inputs, trigger: trigger, narrator: narrator, linkedRoots: linkedRoots)
    }

    // MARK: Reports

    private mutating func reportIfDue() async {
        guard !pending.isEmpty || owedReport != nil else { return }
        guard schedule.mayStart(at: .now) else {
            // Too soon after the last report: gather changes until it is due.
            if let due = schedule.earliestStart { wake(at: due) }
            return
        }
        let set = pending
        pending = ChangeSet()
        await process(set)
    }

    private mutating func wake(at due: ContinuousClock.Instant) {
        guard !timerRunning else { return }
        dueTimer = due
        timerRunning = true
    }

    /// Re-ingests what a change set names and writes a report if that changed
    /// anything. A failure is logged and shown in the status; the loop goes on.
    private mutating func process(_ set: ChangeSet) async {
        let started = ContinuousClock.now
        setPhase("reporting")
        defer { setPhase(nil) }
        // What it was owed for, when no change came since (a change is the news).
        let trigger = set.isEmpty ? owedReport ?? .change : .change
        let job = job(settings, inputs: roots, trigger: trigger)
        let before = tracked
        let named = DaemonLoop.targets(for: set, roots: roots)
        do {
            let (store, logger, pacer) = (self.store, self.logger, self.pacer)
            tracked = try await DaemonLoop.withStateLock(settings, logger: logger, pacer: pacer, stop: stop) {
                // Another process (a `chimerad report` on the same state) may have
                // written the store since: then the kept registry is stale.
                let current = try store.currentSequence()
                // A watch folder missing at the last pass that is back has rows
                // the kept registry lacks (a share mounted again): read them.
                let returned = before.missingRoots.contains { FileManager.default.fileExists(atPath: $0) }
                let previous: IngestPass.Ingested? = current == before.sequence && !returned ? before : nil
                if previous == nil && !returned {
                    logger.notice("the state store changed outside this daemon; reading its registry again")
                }
                let targets = set.rescanAll || previous == nil ? nil : named
                if set.rescanAll {
                    logger.notice("rescanning every watch folder against the registry (the watcher lost events, or a watch folder went or came back)")
                }
                return try await job.pass.run(
                    store: store, logger: logger, previous: previous, targets: targets, heartbeat: pacer.beat,
                    shouldStop: { [stop] in stop.isRequested })
            }
        } catch is IngestPass.Stopped {
            // The stop ends the loop next; the paths not read are read at the next start.
            return
        } catch {
            // Nothing is lost: the paths wait for the retry (or the next change).
            fail("ingest failed", error, stage: .ingest)
            pending.merge(set)
            wake(at: .now + DaemonLoop.retryDelay)
            return
        }
        // Moves inotify named, then those the pass found itself (a rescan's).
        renamedSinceReport.record(named.renames + tracked.renames, before: before.entries)
        // Files matching watch.ignore are kept in the registry (reports list them
        // as skipped) but do not by themselves make a report: editors write swap
        // files all the time.
        let ignoredBefore = Set(before.entries.lazy.filter(DaemonLoop.isIgnored).map(\.path))
        let changed = tracked.entries.filter {
            $0.changedSequence > before.sequence && !DaemonLoop.isIgnored($0) && !ignoredBefore.contains($0.path)
        }.map(\.path)
        // Nor do problems with ignored names (an editor's lock file, a link to nowhere).
        let problemsNow = tracked.problems.filter { $0.skip.code != .ignored }
        guard !changed.isEmpty || problemsNow != before.problems.filter({ $0.skip.code != .ignored }) || owedReport != nil else {
            logger.debug("nothing changed", metadata: ["paths": "\(set.written.count + set.removed.count)"])
            return
        }
        await writeReport(job: job, trigger: trigger, started: started)
    }

    private mutating func reportIfChangedSinceLastReport(trigger: ReportContext.Trigger, started: ContinuousClock.Instant) async {
        let last = try? store.lastReport(roots: tracked.reportKey)
        let changed = tracked.entries.filter { $0.changedSequence > (last?.sequence ?? -1) }.count
        // A report published and never recorded (the last daemon was killed
        // between the two) is withdrawn by the next report: one is owed now.
        let unrecorded = (try? store.publicationsUnderWay().isEmpty) == false
        guard let last, changed == 0, !unrecorded else {
            // Reports stay `report.min_interval_ms` apart, these too (a watch
            // folder replaced just after a report): the next is owed until then.
            guard schedule.mayStart(at: .now) else {
                owedReport = trigger
                if let due = schedule.earliestStart { wake(at: due) }
                return
            }
            await writeReport(job: job(settings, inputs: roots, trigger: trigger), trigger: trigger, started: started)
            return
        }
        logger.info("no changes since the last report", metadata: ["last_report": "\(last.markdownPath)"])
        do {
            if try RegressionFeedUpdate.catchUp(roots: tracked.reportKey, last: last, store: store, writer: writer) {
                logger.notice("regressions feed brought up to the last report", metadata: ["file": "\(RegressionFeed.fileName)"])
            }
        } catch {
            logger.error("regressions feed not written", metadata: ["file": "\(RegressionFeed.fileName)", "error": "\(error)"])
        }
    }

    private mutating func writeReport(job: ReportJob, trigger: ReportContext.Trigger, started: ContinuousClock.Instant) async {
        // A newer report supersedes the narrative of the last one.
        await supersedeNarrative()
        narrativeTask = nil
        do {
            let (store, writer, logger, tracked, renamed) = (self.store, self.writer, self.logger, self.tracked, renamedSinceReport.moves)
            let outcome = try await DaemonLoop.withStateLock(settings, logger: logger, pacer: pacer, stop: stop) {
                // The output folder may have been removed since the last report.
                try writer.prepare()
                return try await job.report(
                    after: tracked, store: store, writer: writer, logger: logger, started: started, renamed: renamed)
            }
            self.tracked = outcome.ingested
            schedule.reportEnded(at: .now)
            let milliseconds = Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded())
            // The report's own count: changes a failed report left are in it too.
            var metadata = Logger.Metadata.reportWritten(
                path: outcome.markdownPath, trigger: trigger.rawValue, filesChanged: outcome.filesChanged.count,
                filesDeleted: outcome.filesDeleted.count,
                durationMilliseconds: milliseconds)
            metadata.merge(outcome.narrative.journalMetadata) { current, _ in current }
            logger.info("report written", metadata: metadata)
            // A model that was asked and gave nothing usable is worth a warning;
            // `model.backend: none` is a choice.
            let reason = narrator.backend == nil ? nil : outcome.narrative.unavailableReason
            if let reason {
                logger.warning("report written without a model narrative", metadata: ["reason": "\(reason)"])
            }
            status.narrativeWarning = reason
            status.openRegressions = outcome.openRegressions
            PipelineMetrics.reportWritten(
                trigger: trigger, duration: ContinuousClock.now - started, ingestSeconds: outcome.timings.ingestSeconds,
                filesAnalysed: outcome.filesAnalyzed, filesSkipped: outcome.filesSkipped, openRegressions: outcome.openRegressions)
            status.lastReport = Date()
            status.lastError = nil
            // The startup report comes after READY=1: its outcome is news too.
            notifier.status(status.text)
            owedReport = nil
            renamedSinceReport.clear()
            // The report queued its webhook events (if any) with its record.
            delivery.wake()
            // And its fleet items, when a fleet is configured.
            publisher.wake()
            if let pending = outcome.pendingNarrative {
                let (narrator, writer, logger, stop, events) = (self.narrator, self.writer, self.logger, self.stop, self.events)
                narrativeTask = Task {
                    let narrative = await pending.complete(narrator: narrator, writer: writer, logger: logger, shouldStop: { stop.isRequested })
                    // A superseded narrative (nil) has nothing to say about the model.
                    guard let narrative else { return }
                    events.yield(.narrativeEnded(unavailableReason: narrative.unavailableReason))
                }
            }
        } catch {
            schedule.reportEnded(at: .now)
            fail("report failed", error, stage: .report)
            owedReport = owedReport ?? trigger
            wake(at: .now + DaemonLoop.retryDelay)
        }
    }

    private mutating func fail(_ what: String, _ error: any Error, stage: PipelineMetrics.Stage) {
        // A stop that ended a wait for the state lock is no failure.
        if error is CancellationError && stop.isRequested { return }
        logger.error("\(what)", metadata: ["error": "\(error)"])
        status.lastError = "\(error)"
        // For `chimerad status` too: a failure before the report reached the
        // store (an output folder that is now a file) was missing there.
        try? store.setLastError("\(error)")
        PipelineMetrics.failed(stage)
    }

    private mutating func setPhase(_ phase: String?) {
        status.phase = phase
        status.filesTracked = tracked.liveFiles
        notifier.status(status.text)
    }

    /// The paths of a change set, as an ingest pass takes them.
    static func targets(for set: ChangeSet, roots: [String]) -> IngestPass.Targets {
        var targets = IngestPass.Targets()
        func location(_ path: WatchedPath) -> IngestPass.Location { .init(root: path.root, path: path.path) }
        for path in set.written.union(set.removed) {
            // An event on a root itself (or a folder's own path) is a whole scan of it.
            if path.path.isEmpty { targets.folders.append(location(path)) } else { targets.files.append(location(path)) }
        }
        targets.folders += set.foldersToScan.map(location)
        for rename in set.renamed {
            if rename.from.root == rename.to.root {
                targets.renames.append(.init(root: rename.from.root, from: rename.from.path, to: rename.to.path, isFolder: rename.isFolder))
            }
            // The old path is looked at too: what was listed under it (a skipped
            // link, a file between two watch folders) is gone from there.
            if rename.isFolder { targets.folders.append(location(rename.from)) } else { targets.files.append(location(rename.from)) }
            if rename.isFolder { targets.folders.append(location(rename.to)) } else { targets.files.append(location(rename.to)) }
        }
        return targets
    }

    private static func isIgnored(_ entry: RegistryEntry) -> Bool {
        entry.reasonCode == .ignored
    }

    // MARK: Reload

    private mutating func reload() async -> AsyncStream<ChangeSet>? {
        notifier.reloading(status: "reloading configuration")
        let started = ContinuousClock.now
        let new: Settings
        do {
            new = try await Settings.load(file: configFile, overrides: overrides, reloading: true)
        } catch {
            logger.error("configuration not reloaded; the previous one stays in force", metadata: ["error": "\(error)"])
            status.lastError = "reload: \(error)"
            try? store.setLastError("reload: \(error)")
            PipelineMetrics.failed(.reload)
            notifier.ready(status: status.text)
            return nil
        }
        // What changed decides what restarts; the key table says, key by key,
        // so a key cannot be left out of the comparison.
        let changed = settings.changedKeys(to: new)
        let effect = Settings.ReloadEffect(of: changed)
        if effect.contains(.needsRestart) {
            // The HTTP server keeps the socket it has: binding another one
            // would take the port from under open connections.
            let keys = changed.filter { $0.reloadEffect.contains(.needsRestart) }.map(\.rawValue).joined(separator: ", ")
            logger.warning("a changed key applies only when chimerad restarts", metadata: ["keys": "\(keys)"])
        }
        // A new model set-up is made first (a bad model.name fails the reload
        // with the old configuration still in force) and swapped in at the end.
        var newNarrator: Narrator? = nil
        if effect.contains(.restartsModel) {
            do {
                newNarrator = try await DaemonLoop.makeNarrator(new, logger: logger)
            } catch {
                logger.error("configuration not reloaded; the previous one stays in force", metadata: ["error": "\(error)"])
                status.lastError = "reload: \(error)"
                try? store.setLastError("reload: \(error)")
                PipelineMetrics.failed(.reload)
                notifier.ready(status: status.text)
                return nil
            }
        }
        logger.logLevel = Logger.Level(rawValue: new.log.level.rawValue) ?? logger.logLevel
        LogOutput.bootstrap(destination: new.log.target.destination(), level: logger.logLevel)
        let watching = effect.contains(.restartsWatching)
        var restarted: AsyncStream<ChangeSet>? = nil
        if watching {
            do {
                restarted = try await restartWatching(new, roots: try DaemonLoop.prepareRoots(new, logger: logger))
            } catch {
                await newNarrator?.backend?.shutdown()
                // Asked to stop meanwhile: the stop ends the loop next.
                if error is IngestPass.Stopped || stop.isRequested { return nil }
                try? store.setLastError("reload: \(error)")
                logger.error("configuration not applied; the previous one stays in force", metadata: ["error": "\(error)"])
                status.lastError = "reload: \(error)"
                PipelineMetrics.failed(.reload)
                notifier.ready(status: status.text)
                return nil
            }
        } else {
            settings = new
            writer = ReportWriter(directory: new.output.directory, retain: new.output.retain)
        }
        if let newNarrator {
            await supersedeNarrative()
            await narrator.backend?.shutdown()
            narrator = newNarrator
            status.narrativeWarning = nil
        }
        schedule.minimumInterval = .milliseconds(settings.report.minIntervalMilliseconds)
        // Every reload: the headers file is read again (a rotated token), the store may be new.
        configureDelivery()
        configurePublisher()
        status.lastError = nil
        logger.info(
            "configuration reloaded",
            metadata: [
                "file": "\(configFile ?? "none")", "watching_changed": "\(watching)",
                "model_changed": "\(effect.contains(.restartsModel))",
                "changed_keys": "\(changed.isEmpty ? "none" : changed.map(\.rawValue).joined(separator: ", "))",
            ])
        if watching { await reportIfChangedSinceLastReport(trigger: .reload, started: started) }
        status.filesTracked = tracked.liveFiles
        notifier.ready(status: status.text)
        return restarted
    }

    /// Watches `newRoots` under `new` in place of what is watched: everything
    /// new is set up and read first (a full pass), and the old watcher and
    /// configuration stay in force until all of it worked. Returns the new
    /// watcher's changes.
    private mutating func restartWatching(_ new: Settings, roots newRoots: [String]) async throws -> AsyncStream<ChangeSet> {
        var newWatcher: Watcher? = nil
        do {
            let sameState = TreeScanner.normalize(new.state.directory) == TreeScanner.normalize(settings.state.directory)
            let newDaemonLock = sameState ? daemonLock : try DaemonLoop.daemonLock(new)
            let (newWriter, newStore) = try ReportJob.openFolders(new, reusing: sameState ? store : nil)
            let watcher = try Watcher(options: DaemonLoop.watcherOptions(new, roots: newRoots), logger: logger)
            newWatcher = watcher
            try watcher.start()
            let newLinkedRoots = IngestPass.linkedRoots(of: new.watch.paths)
            let job = ReportJob(settings: new, inputs: newRoots, trigger: .reload, linkedRoots: newLinkedRoots)
            let (logger, pacer) = (self.logger, self.pacer)
            let newTracked = try await DaemonLoop.withStateLock(new, logger: logger, pacer: pacer, stop: stop) {
                try await job.pass.run(store: newStore, logger: logger, heartbeat: pacer.beat, shouldStop: { [stop] in stop.isRequested })
            }
            self.watcher.stop()
            (roots, writer, store, self.watcher, settings, tracked) = (newRoots, newWriter, newStore, watcher, new, newTracked)
            linkedRoots = newLinkedRoots
            daemonLock = newDaemonLock
            // What was pending belonged to the old folders; the full pass just
            // read the new ones.
            pending = ChangeSet()
            renamedSinceReport.clear()
            renamedSinceReport.recordFoundByPass(newTracked.renames, after: newTracked.entries)
            status.roots = newRoots.count
            return watcher.changes
        } catch {
            newWatcher?.stop()
            throw error
        }
    }

    /// The roots `watch.paths` lead to now, when they are not those watched;
    /// nil when they are the same (or none is a folder now: the watcher
    /// waits for them).
    private func movedRoots() -> [String]? {
        guard let now = DaemonLoop.currentRoots(settings, watched: roots) else { return nil }
        return Set(now) == Set(roots) ? nil : now
    }

    /// The roots `watch.paths` lead to now (nil when none is a folder:
    /// the watcher waits for them). `watched` are the roots watched now.
    static func currentRoots(_ settings: Settings, watched: [String]) -> [String]? {
        let paths = WatchPaths(settings)
        // A link switched to a folder not made yet (`ln -sfn run-43 current`
        // before `mkdir run-43`): the folder watched stays until it is there.
        guard paths.problem == nil, !paths.leadsNowhere else { return nil }
        return IngestPass.distinctRoots(
            paths.places.compactMap { _, place -> String? in
                switch place {
                case .folder(let folder), .awaited(let folder): folder
                // An inbox that could not be made at start is no root to move to.
                case .madeAtStart(let folder): watched.contains(folder) ? folder : nil
                case .notAFolder: nil
                }
            })
    }

    /// Watches the folders `watch.paths` lead to now (`movedRoots`) and
    /// reports what the full pass over them found. If that fails, the old
    /// watches stay, and the next rescan the watcher asks for tries again
    /// (a change of a watch folder itself, or a switched link still leading
    /// elsewhere, once a rescan interval).
    private mutating func rewatch(_ moved: [String]) async -> AsyncStream<ChangeSet>? {
        let started = ContinuousClock.now
        logger.notice(
            "a watch path leads to another folder now; watching it instead",
            metadata: ["was": "\(roots.joined(separator: ", "))", "now": "\(moved.joined(separator: ", "))"])
        do {
            let restarted = try await restartWatching(settings, roots: moved)
            await reportIfChangedSinceLastReport(trigger: .change, started: started)
            status.filesTracked = tracked.liveFiles
            notifier.status(status.text)
            return restarted
        } catch {
            if error is IngestPass.Stopped || stop.isRequested { return nil }
            fail("watching the moved watch folder failed", error, stage: .ingest)
            // The old watches stay: what they gathered is still reported.
            await reportIfDue()
            return nil
        }
    }

    // MARK: Set-up

    /// Tells the delivery service where to post (`notify.*`) and which store's
    /// outbox to drain. A headers file that went bad since the settings were
    /// checked leaves events queued, not posted, until the next reload.
    func configureDelivery() {
        switch WebhookTarget.configured(by: settings.notify) {
        case .success(let target):
            delivery.configure(target: target, store: store)
        case .failure(let problem):
            logger.error(
                "webhook not configured; its events are queued until a reload",
                metadata: ["key": "\(Settings.Key.notifyHeadersFile.rawValue)", "reason": "\(problem.reason)"])
            delivery.configure(target: nil, store: store)
        }
    }

    /// Tells the fleet publisher where to send (`fleet.*`; nil: nothing is
    /// sent). A password file that went bad since the settings were checked
    /// is said at each connection, by the publisher.
    func configurePublisher() {
        guard settings.fleet.isEnabled else {
            publisher.configure(nil)
            return
        }
        do {
            let connection = try FleetConnection(settings: settings.fleet, environment: ProcessInfo.processInfo.environment)
            let identity = FleetHostIdentity.resolve(settings.fleet)
            publisher.configure(
                .init(
                    connection: connection, sender: .init(hostID: identity.hostID, hostname: identity.hostname, version: ReportJob.version),
                    store: store))
        } catch {
            logger.error("fleet not configured; its items stay queued", metadata: ["reason": "\(error)"])
            publisher.configure(nil)
        }
    }

    /// The state folder's daemon lock, held from the start: a second
    /// `chimerad run` on it is refused, with why.
    static func daemonLock(_ settings: Settings) throws -> StateLock {
        // The store makes the folder the same way when it is opened.
        try FileManager.default.createDirectory(atPath: settings.state.directory, withIntermediateDirectories: true)
        guard let lock = try StateLock.attempt(directory: settings.state.directory, name: StateLock.daemonFileName) else {
            throw Failure(
                description:
                    "state folder \(settings.state.directory): another chimerad run is using it; two would report every change twice (stop it, or give this one its own --state)"
            )
        }
        return lock
    }

    /// The watch folders, normalised. The default inbox (`<state>/inbox`)
    /// is created when missing; any other missing one is
    /// watched once it appears (a mount, a folder a harness makes later: the
    /// watcher says so), and one that is not a folder is reported and left
    /// out. None that exists at all is an error.
    static func prepareRoots(_ settings: Settings, logger: Logger) throws -> [String] {
        let paths = WatchPaths(settings)
        if let problem = paths.problem {
            // A mount not up yet: the unit tries again (exit 1), as it does until the mount comes.
            if paths.awaitsOne { throw Failure(description: problem) }
            throw WatchPaths.Refused(reason: problem)
        }
        var roots: [String] = []
        var existing = 0
        for (path, place) in paths.places {
            switch place {
            case .folder(let folder):
                existing += 1
                if !roots.contains(folder) { roots.append(folder) }
            case .madeAtStart(let folder):
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    logger.notice("created the watch folder", metadata: ["folder": "\(folder)"])
                    let made = TreeScanner.normalize(folder)
                    existing += 1
                    if !roots.contains(made) { roots.append(made) }
                } catch {
                    logger.error("cannot create the watch folder", metadata: ["folder": "\(folder)", "error": "\(error)"])
                }
            case .awaited(let folder):
                if !roots.contains(folder) { roots.append(folder) }
            case .notAFolder:
                logger.error("watch folder is not a folder; it is not watched", metadata: ["folder": "\(path)"])
            }
        }
        // Its inbox could not be made: nothing to watch either.
        guard existing > 0 else { throw Failure(description: WatchPaths.noneIsAFolder(settings.watch.paths)) }
        // A folder inside another watched one is watched (and registered) as
        // part of the outer one.
        return IngestPass.distinctRoots(roots)
    }

    static func watcherOptions(_ settings: Settings, roots: [String]) -> WatcherOptions {
        let settle = Duration.milliseconds(settings.watch.settleMilliseconds)
        // Ignored files are still reported by the watcher: the registry lists
        // them as skipped, as a full scan does; the loop keeps them from making
        // a report on their own.
        // A link switched (`ln -sfn run-42 current`) raises no event: where
        // such paths lead is asked every few seconds.
        var currentRoots: (@Sendable () -> [String])?
        if WatchPaths(settings).passesThroughALink {
            currentRoots = { DaemonLoop.currentRoots(settings, watched: roots) ?? roots }
        }
        return WatcherOptions(
            roots: roots, excluded: ReportJob.excludedPaths(settings, roots: roots), settle: settle,
            // Changes that never pause (a tree copied in for minutes) still make a report at least this
            // often, of what is quiet; a file still being appended to waits until it is closed or quiet
            // for the settle window (README: a running benchmark's file is read when it stops).
            maxDelay: max(settle * 10, .seconds(5)), rescanInterval: .seconds(settings.watch.rescanSeconds),
            followExternalLinks: settings.watch.followExternalLinks, currentRoots: currentRoots)
    }

    /// Runs `body` holding the state folder's lock, so a `chimerad report` on
    /// the same state takes its turn between the daemon's passes. While another
    /// process holds it, the wait keeps feeding the watchdog and gives up on
    /// SIGTERM.
    static func withStateLock<T>(
        _ settings: Settings, logger: Logger, pacer: WatchdogPacer, stop: StopRequest, _ body: () async throws -> T
    ) async throws -> T {
        try await ReportJob.withStateLock(settings, logger: logger, whileWaiting: pacer.beat, shouldStop: { stop.isRequested }, body)
    }
}
