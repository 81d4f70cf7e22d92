import Analysis
import Foundation
import Ingest
import Logging
import Narration
import Records
import Reporting
import Settings
import Store

/// One report from files on disk: ingest what changed, analyse everything in
/// scope, write the Markdown, JSON and HTML, remember the report in the store.
package struct ReportJob: Sendable {
    package struct Finished: Sendable {
        package var markdownPath: String
        package var jsonPath: String
        package var htmlPath: String
        package var filesSeen: Int
        package var filesAnalyzed: Int
        package var filesSkipped: Int
        package var filesChanged: [String]
        /// Files gone since the previous report (renamed ones are not).
        package var filesDeleted: [String] = []
        package var parsed: Int
        package var timings: ReportContext.Timings
        /// The registry after the report (files damaged in the store were read again).
        package var ingested: IngestPass.Ingested
        /// The model's checked narrative and its calls, or why there is none.
        package var narrative: NarrativeOutcome
        /// Regressions open after the report (what `STATUS=` counts).
        package var openRegressions: Int = 0
        /// The model's narrative, still to be asked for; the report is
        /// rewritten with it (nil when no model is set up).
        package var pendingNarrative: PendingNarrative?
        /// What the report was made from, handed back rather than freed on the way out.
        package var workingSet: WorkingSet?
    }

    /// The values a report was made from: every run of the groups it
    /// recomputed, its facts, its rendered files. A one-shot command that
    /// exits once the report is out keeps them to the end (`exit` gives the
    /// memory back at once, where freeing the arrays one by one took 2-3 ms
    /// of a 90 ms report); the daemon frees them when it drops the outcome.
    package final class WorkingSet: Sendable {
        private let load: DigestLoad
        private let facts: Facts
        private let listed: Facts
        private let rendered: RenderedReport
        private let history: RegressionHistory

        init(load: DigestLoad, facts: Facts, listed: Facts, rendered: RenderedReport, history: RegressionHistory) {
            self.load = load
            self.facts = facts
            self.listed = listed
            self.rendered = rendered
            self.history = history
        }
    }

    /// A failure that stops the report, phrased for one line on stderr; the
    /// error behind it (a `Store.Failure`, a `ReportWriter.Failure`, ...) is
    /// kept, so a caller can tell a full disk from a corrupt store.
    package struct Failure: ErrorWithCause, CustomStringConvertible {
        package var description: String
        package var cause: (any Error)?

        package init(description: String, cause: (any Error)? = nil) {
            self.description = description
            self.cause = cause
        }
    }

    package static let version = "0.1.0"

    package var settings: Settings
    package var inputs: [String]
    /// The inputs' folders reached through a symbolic link, with the link's path.
    package var linkedRoots: [String: String]
    package var trigger: ReportContext.Trigger
    /// Who words the narrative (asked after the report is written, by
    /// `Finished.pendingNarrative`); without one, reports say why there is none.
    package var narrator: Narrator

    /// - Parameter linkedRoots: the inputs' folders reached through a symbolic
    ///   link, with the link's path, when `inputs` are those folders (the
    ///   daemon's, resolved when it started watching); nil: `inputs` are as
    ///   the user gave them, links and all.
    package init(
        settings: Settings, inputs: [String], trigger: ReportContext.Trigger, narrator: Narrator? = nil, linkedRoots: [String: String]? = nil
    ) {
        self.settings = settings
        self.inputs = inputs
        self.linkedRoots = linkedRoots ?? IngestPass.linkedRoots(of: inputs)
        self.trigger = trigger
        self.narrator = narrator ?? Narrator(unavailable: ReportJob.noModelReason(settings))
    }

    /// Why a job made without a narrator has no narrative.
    static func noModelReason(_ settings: Settings) -> String {
        settings.model.backend == .none ? "no model configured (model.backend is none)" : "no model was set up for this report"
    }

    /// The ingest pass this job's settings and inputs call for.
    package var pass: IngestPass {
        var pass = IngestPass(
            roots: inputs, excluded: ReportJob.excludedPaths(settings, roots: inputs),
            ignorePatterns: settings.watch.ignorePatterns, maxFileBytes: settings.ingest.maxFileBytes,
            summarizer: .analysis(sessionGapMinutes: settings.regressions.sessionGapMinutes))
        pass.followExternalLinks = settings.watch.followExternalLinks
        pass.linkedRoots = linkedRoots
        return pass
    }

    /// What ingest and the watcher never read: the output folder, and the state
    /// folder, or only chimerad's own files in it when an input lies inside it
    /// (the default inbox is `<state>/inbox`).
    package static func excludedPaths(_ settings: Settings, roots: [String]) -> [String] {
        let state = TreeScanner.normalize(settings.state.directory)
        let normalizedRoots = roots.map(TreeScanner.normalize)
        let holdsInput = normalizedRoots.contains { $0 == state || $0.hasPrefix(state == "/" ? "/" : state + "/") }
        return [TreeScanner.normalize(settings.output.directory)] + (holdsInput ? Store.ownFiles(in: state) : [state])
    }

    /// Whether a missing input (normalised) is the default inbox,
    /// `<state>/inbox`: the one folder chimerad makes rather than takes for
    /// a typo, in `report` and in the daemon alike.
    package static func isDefaultInbox(_ normalized: String, _ settings: Settings) -> Bool {
        normalized == TreeScanner.normalize(settings.state.directory) + "/inbox"
    }

    /// Runs `body` holding the state folder's lock: passes over one store take
    /// turns. While another chimerad holds it the wait is logged once, calls
    /// `whileWaiting` (the daemon's watchdog) and ends when `shouldStop` says so.
    package static func withStateLock<T>(
        _ settings: Settings, logger: Logger, whileWaiting: () -> Void = {}, shouldStop: () -> Bool = { false },
        _ body: () async throws -> T
    ) async throws -> T {
        let folder = settings.state.directory
        let lock = try await StateLock.acquire(
            directory: folder,
            waiting: {
                logger.notice("another chimerad is using this state folder; waiting for it", metadata: ["state": "\(folder)"])
            }, whileWaiting: whileWaiting, shouldStop: shouldStop)
        defer { withExtendedLifetime(lock) {} }
        return try await body()
    }

    /// The output folder, ready for reports, and the store in the state
    /// folder: what every report writes to (the daemon keeps both open; a
    /// reload passes the store it has when the state folder stays).
    package static func openFolders(_ settings: Settings, reusing open: Store? = nil) throws(Failure) -> (ReportWriter, Store) {
        let writer = ReportWriter(directory: settings.output.directory, retain: settings.output.retain)
        do {
            try writer.prepare()
            return (writer, try open ?? Store(directory: settings.state.directory))
        } catch {
            throw Failure(description: "\(error)", cause: error)
        }
    }

    /// One report, start to end: opens the output folder, takes the state
    /// lock, ingests what changed under the inputs (the store opening while
    /// the tree is stat'ed), and writes the report.
    package func run(logger: Logger) async throws(Failure) -> Finished {
        let started = ContinuousClock.now
        for input in inputs where !FileManager.default.fileExists(atPath: input) {
            // The default inbox is made, as the daemon makes it; any other missing input is a typo to report.
            let normalized = TreeScanner.normalize(input)
            if ReportJob.isDefaultInbox(normalized, settings) {
                do {
                    try FileManager.default.createDirectory(atPath: normalized, withIntermediateDirectories: true)
                    logger.notice("created the input folder", metadata: ["folder": "\(normalized)"])
                    continue
                } catch {
                    throw Failure(description: "input \(input): cannot be created (\(Store.describe(error)))", cause: error)
                }
            }
            // Quoted, `~` reaches chimerad as written.
            let hint = input.hasPrefix("~") ? " ('~' is a shell's to expand, not chimerad's: write the full path)" : ""
            throw Failure(description: "input \(input): no such file or folder" + hint)
        }
        let writer = ReportWriter(directory: settings.output.directory, retain: settings.output.retain)
        let opening = Store.Opening(directory: settings.state.directory)
        do {
            try writer.prepare()
            // The lock is taken in the state folder before the store is opened there.
            try Store.prepareFolder(settings.state.directory)
        } catch {
            throw Failure(description: "\(error)", cause: error)
        }
        do {
            return try await ReportJob.withStateLock(settings, logger: logger) {
                let ingested: IngestPass.Ingested
                do {
                    ingested = try await pass.run(opening: opening, logger: logger)
                } catch {
                    try? opening.opened?.setLastError("\(error)")
                    throw Failure(description: "\(error)", cause: error)
                }
                let store = try opening.store()
                // The pass's writes are copied into the store while the report is made.
                async let checkpointed: Void = store.checkpointBesideTheReport()
                let finished = try await report(after: ingested, store: store, writer: writer, logger: logger, started: started)
                await checkpointed
                return finished
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "\(error)", cause: error)
        }
    }

    /// Writes the report of what an ingest pass left in the store. The caller
    /// holds the state lock (the daemon keeps the pass's outcome between
    /// reports; the returned outcome's `ingested` is the registry afterwards).
    /// `started` is when the work behind this report began, for its timings;
    /// `renamed`, the moves since the last report (nil: the pass's own).
    package func report(
        after ingested: IngestPass.Ingested, store: Store, writer: ReportWriter, logger: Logger,
        started: ContinuousClock.Instant, renamed: [IngestPass.Rename]? = nil
    ) async throws(Failure) -> Finished {
        let clock = ContinuousClock()
        // Taken before a re-read below replaces the pass's outcome.
        let renamed = renamed ?? ingested.renames
        var ingested = ingested
        do {
            // Stored records that no longer decode are read again once, now; if
            // they fail again they are reported as skipped.
            for attempt in 1...2 {
                let afterIngest = clock.now
                do {
                    var outcome = try await analyseAndWrite(
                        store: store, writer: writer, ingested: ingested, logger: logger, started: started,
                        afterIngest: afterIngest, clock: clock, tolerateDamage: attempt == 2, renamed: renamed)
                    outcome.ingested = ingested
                    try store.setLastError(nil)
                    return outcome
                } catch let damaged as DamagedRecords {
                    logger.warning("stored records unreadable; reading the files again", metadata: ["paths": "\(damaged.files.map(\.path))"])
                    try store.invalidate(damaged.files)
                    let again = Set(damaged.files.map { IngestPass.Location(root: $0.root, path: $0.path) })
                    for index in ingested.entries.indices
                    where again.contains(.init(root: ingested.entries[index].root, path: ingested.entries[index].path)) {
                        ingested.entries[index].parserVersion = 0
                        ingested.entries[index].contentHash = nil
                    }
                    ingested = try await pass.run(
                        store: store, logger: logger, previous: ingested, targets: .init(files: Array(again)))
                }
            }
            throw Failure(description: "stored records stayed unreadable after a re-read")
        } catch let failure as Failure {
            try? store.setLastError(failure.description)
            throw failure
        } catch {
            try? store.setLastError("\(error)")
            throw Failure(description: "\(error)", cause: error)
        }
    }

    /// A store of an earlier build remembered a folder given through a link
    /// under the folder it led to: the first report under the link takes
    /// its history over (reports, open regressions, sessions read). Left
    /// there, the regressions stayed open in `chimerad regressions` and
    /// `status`, out of every report and the feed, and nothing resolved them.
    static func adoptFolderHistory(_ ingested: IngestPass.Ingested, store: Store) throws {
        let (linked, folders) = (ingested.reportKey, ingested.folderReportKey)
        guard linked != folders, try store.lastReport(roots: linked) == nil, try store.lastReport(roots: folders) != nil else { return }
        try store.moveReports(from: folders, to: linked)
    }

    /// Stored digests that do not decode: the files are read again.
    struct DamagedRecords: Error {
        var files: [(root: String, path: String)]
    }

    /// The report as a chain of stages, each handing the next a value: scope
    /// (what the report covers), load (the analyzer, fed from the cache and
    /// the digests), analyse (the facts), narrate, render, write.
    private func analyseAndWrite(
        store: Store, writer: ReportWriter, ingested: IngestPass.Ingested, logger: Logger,
        started: ContinuousClock.Instant, afterIngest: ContinuousClock.Instant, clock: ContinuousClock,
        tolerateDamage: Bool, renamed: [IngestPass.Rename]
    ) async throws -> Finished {
        try ReportJob.adoptFolderHistory(ingested, store: store)
        // Loaded and decoded on the other core meanwhile.
        let cacheScope = DigestLoad.cacheScope(reportKey: ingested.reportKey)
        async let cached = Result { try CachedGroups(store: store, scope: cacheScope) }
        let scope = ReportScope(
            ingested: ingested, previous: try store.lastReport(roots: ingested.reportKey), renamed: renamed,
            sameContent: try store.sameContent(roots: Array(Set(ingested.scope.map(\.root)))), ignore: IgnoreRules(settings.watch.ignorePatterns))
        let beforeLoad = clock.now
        let history = try RegressionHistory(scope: scope, store: store)
        var load = try DigestLoad(scope: scope, store: store, retested: history.retested, cached: try await cached.get())
        let beforeStatistics = clock.now
        var policy = regressionPolicy
        for pin in try store.baselinePins() {
            // Without the data's time at the pin, it holds by its sequence alone.
            policy.pins[pin.model] = .init(sequence: pin.sequence, time: pin.dataUntil ?? .infinity, fileTime: pin.filesUntil ?? .infinity)
        }
        history.apply(to: &policy)
        var facts = try load.analyse(scope: scope, store: store, tolerateDamage: tolerateDamage, policy: policy)
        let regressions = try RegressionUpdate(
            facts: facts, history: history, scope: DigestLoad.cacheScope(scope), store: store, policy: policy,
            at: Timestamps.iso8601(Date()))
        facts.apply(regressions.state)
        let afterAnalysis = clock.now
        // The report never waits for the model: it is written with the
        // rule-based text now and rewritten when the narrative is checked.
        let narrative = narrator.backend.map { NarrativeOutcome.pending(model: $0.identity) } ?? .unavailable(narrator.unavailableReason)
        func ms(_ duration: Duration) -> String { "\(Int((duration.seconds * 1000).rounded()))" }
        logger.debug(
            "analysis stages",
            metadata: [
                "registry_ms": "\(ms(beforeLoad - afterIngest))", "records_ms": "\(ms(beforeStatistics - beforeLoad))",
                "plan_ms": "\(ms(load.timings.plan))", "cache_ms": "\(ms(load.timings.cache))",
                "digests_ms": "\(ms(load.timings.digests))", "digests_read": "\(load.digestsRead)",
                "digest_bytes": "\(load.digestBytes)",
                "statistics_ms": "\(ms(afterAnalysis - beforeStatistics))",
            ])
        let beforeFigures = clock.now
        let generatedAt = Date()
        var context = ReportContext(
            generatedAt: generatedAt, trigger: trigger, agent: "chimerad \(ReportJob.version)",
            modelLine: modelLine, configurationLine: configurationLine,
            persona: narrator.backend == nil ? ReportJob.persona(settings) : narrator.persona,
            narrative: narrative,
            timings: .init(
                ingestSeconds: (afterIngest - started).seconds, analysisSeconds: (afterAnalysis - afterIngest).seconds,
                narrativeSeconds: 0, reportSeconds: nil))
        context.modelConfigured = settings.model.backend != .none
        // The charts are linked by the report's name, so it is chosen first.
        let base = writer.freeBase(at: generatedAt)
        // A store that cannot give its key costs the reuse, never the report: every chart is drawn.
        let seal = (try? store.chartSealKey()).map(ChartSeal.init(key:))
        // What the report lists (its run groups bounded); the record keeps every group.
        let listed = facts.listing()
        context.figures = ReportFigures.figures(listed, published: writer.publishedCharts(), seal: seal)
        context.chartsPath = ReportWriter.chartsPath(of: base)
        let beforeRender = clock.now
        let rendered = await RenderedReport.render(listed, context)
        let beforeWrite = clock.now
        let written = try write(
            rendered, as: base, charts: context.figures, facts: facts, generatedAt: generatedAt, scope: scope, sequence: ingested.sequence,
            store: store, writer: writer, regressions: regressions,
            sessionsRead: scope.sessionsRead(load.analyzer.sessionEnds, sessions: load.analyzer.sessionsRead),
            logger: logger)
        let beforeFeed = clock.now
        RegressionUpdate.log(regressions.state, logger: logger)
        // The feed follows the report: a feed that cannot be written costs the
        // feed (the journal says why), never the report just published.
        do {
            try RegressionFeedUpdate.write(
                inputs: scope.reportKey, updated: Timestamps.iso8601(generatedAt), store: store, writer: writer)
        } catch {
            logger.error("regressions feed not written", metadata: ["file": "\(RegressionFeed.fileName)", "error": "\(error)"])
        }
        logger.debug(
            "report stages",
            metadata: [
                "figures_ms": "\(ms(beforeRender - beforeFigures))", "render_ms": "\(ms(beforeWrite - beforeRender))",
                "write_ms": "\(ms(beforeFeed - beforeWrite))", "feed_ms": "\(ms(clock.now - beforeFeed))",
            ])
        for name in written.pruned { logger.debug("pruned old report", metadata: ["path": "\(name)"]) }
        let inputs = facts.inputs
        context.timings = rendered.timings
        return Finished(
            markdownPath: written.markdownPath, jsonPath: written.jsonPath, htmlPath: written.htmlPath, filesSeen: inputs.filesSeen,
            filesAnalyzed: inputs.filesAnalyzed, filesSkipped: inputs.skipped.count, filesChanged: inputs.changed,
            filesDeleted: inputs.changeLists.deleted, parsed: ingested.parsed, timings: rendered.timings, ingested: ingested, narrative: narrative,
            openRegressions: facts.regressions.open.count,
            pendingNarrative: narrative.pending
                ? PendingNarrative(facts: listed, context: context, written: written) : nil,
            workingSet: WorkingSet(load: load, facts: facts, listed: listed, rendered: rendered, history: history))
    }

    /// The last stage: the report's files and charts published, and the report remembered (with
    /// a digest of its figures, for "what changed" in the next one).
    private func write(
        _ rendered: RenderedReport, as base: String, charts: [ReportFigure], facts: Facts, generatedAt: Date, scope: ReportScope,
        sequence: Int64, store: Store,
        writer: ReportWriter, regressions: RegressionUpdate, sessionsRead: [Store.SessionsRead], logger: Logger
    ) throws -> ReportWriter.Written {
        let digest = String(decoding: try JSONEncoder().encode(ReportDigest(facts.runGroups)), as: UTF8.self)
        // Published before it is recorded, and marked meanwhile: a report the
        // store never recorded does not stay published (`UnrecordedReport`).
        try UnrecordedReport.withdraw(store: store, writer: writer, logger: logger)
        var publication = Store.Publication(directory: writer.directory, base: base, files: [])
        var published: [ReportWriter.PublishedFile] = []
        let written: ReportWriter.Written
        do {
            written = try writer.write(
                base: base, markdown: rendered.markdown, json: rendered.json, html: rendered.html,
                charts: charts.map { ReportWriter.Chart(name: $0.name, svg: $0.svg) }
            ) { files throws(ReportWriter.Failure) in
                published = files
                publication.files = files.map(\.text)
                do {
                    try store.beginPublication(publication)
                } catch {
                    throw ReportWriter.Failure(
                        path: writer.directory + "/" + base + ".md", kind: .notMarked,
                        reason: "not published: the state store could not mark its publication (\(error))")
                }
            }
        } catch {
            // A write that fails publishes nothing (the writer takes back a
            // report it published before failing).
            try? store.endPublication(publication)
            throw error
        }
        // The webhook's events go into the outbox with the record: queued if
        // and only if the report landed. Posting them is the delivery service's.
        let inputs = facts.inputs
        let notifications = ReportNotifications(
            settings: settings.notify, state: regressions.state, scope: DigestLoad.cacheScope(scope),
            report: .init(
                markdownPath: written.markdownPath, jsonPath: written.jsonPath, htmlPath: written.htmlPath, base: base, trigger: trigger.rawValue,
                time: Timestamps.iso8601(generatedAt), inputs: scope.reportKey,
                filesSeen: inputs.filesSeen, filesAnalyzed: inputs.filesAnalyzed, filesSkipped: inputs.skipped.count,
                filesChanged: inputs.changed.count, filesDeleted: inputs.changeLists.deleted.count,
                openRegressions: facts.regressions.open.count))
        let dropped: Int
        do {
            dropped = try store.recordReport(
                ReportRecord(
                    generatedAt: Timestamps.iso8601(generatedAt), trigger: trigger.rawValue,
                    markdownPath: written.markdownPath, jsonPath: written.jsonPath, sequence: sequence,
                    roots: scope.reportKey, digest: digest), opened: regressions.openedRows, moved: regressions.movedRows,
                reopened: regressions.reopenedRows, resolved: regressions.resolvedRows,
                sessionsRead: sessionsRead, notifications: notifications.entries,
                fleet: FleetPublication.queue(
                    settings.fleet, facts: facts, scope: scope, regressions: regressions, name: base, generatedAt: generatedAt,
                    trigger: trigger.rawValue, store: store))
        } catch {
            // Not recorded, so not published either; if even the withdrawal
            // fails, the mark stays and the next report withdraws it.
            if (try? writer.withdraw(base: base, files: published)) != nil { try? store.endPublication(publication) }
            throw error
        }
        if !notifications.unencodable.isEmpty {
            logger.error("webhook events left out: their JSON could not be written", metadata: ["event_ids": "\(notifications.unencodable)"])
        }
        if dropped > 0 {
            logger.warning(
                "webhook outbox full: the oldest undelivered events were dropped",
                metadata: ["dropped": "\(dropped)", "limit": "\(Store.outboxLimit)"])
        }
        return written
    }

    /// How files are named in a report: relative to their input, and under the
    /// input's folder name when a report covers several inputs.
    struct RootLabels {
        private var labels: [String: String] = [:]

        /// True when paths are shown as stored (a single input).
        var isEmpty: Bool { labels.isEmpty }

        /// - Parameter linked: roots given through a symbolic link, with its
        ///   path: named after the link, so a switched link keeps its files' names.
        init(roots: [String], linked: [String: String] = [:]) {
            guard roots.count > 1 else { return }
            let shown = roots.map { linked[$0] ?? $0 }
            let names = shown.map { String($0.split(separator: "/").last ?? Substring($0)) }
            let unique = Set(names).count == names.count
            for (root, (name, path)) in zip(roots, zip(names, shown)) {
                labels[root] = unique ? name : String(path.drop { $0 == "/" })
            }
        }

        func path(_ root: String, _ path: String) -> String {
            labels[root].map { $0 + "/" + path } ?? path
        }

        /// The registry's path of a file shown as `shown`.
        func storedPath(_ root: String, _ shown: String) -> String {
            guard let label = labels[root] else { return shown }
            return String(shown.dropFirst(label.count + 1))
        }
    }

    /// Marks, among a file's group keys, that it also holds results other than runs.
    static let otherResultsKey = "\u{2}others"

    /// The persona in force: the configured one, or the original tool's.
    package static func persona(_ settings: Settings) -> String {
        settings.report.persona.isEmpty ? NarrativePrompt.defaultPersona : settings.report.persona
    }

    /// How new sessions are tested (the `regressions.*` settings).
    var regressionPolicy: RegressionPolicy {
        var policy = RegressionPolicy(
            baselineSessions: settings.regressions.baselineSessions,
            minimumEffectPercent: settings.regressions.minimumEffectPercent,
            falseDiscoveryRate: settings.regressions.falseDiscoveryRate)
        policy.sessionGap = settings.regressions.sessionGapSeconds
        return policy
    }

    /// The header's model line: who words the narrative, or that none does.
    private var modelLine: String {
        guard let identity = narrator.backend?.identity else {
            return settings.model.backend == .none ? "none (rule-based text only)" : "none available (rule-based text only)"
        }
        return identity.headerLine
    }

    /// The header's configuration line, model options as the original tool printed them.
    private var configurationLine: String {
        var parts = ["model=\(settings.model.backend.rawValue)"]
        if let identity = narrator.backend?.identity, !identity.options.isEmpty { parts.append(identity.options) }
        if !settings.model.url.isEmpty { parts.append("model_url=\(settings.model.url)") }
        parts.append("retain=\(settings.output.retain)")
        // As the limit's skip reasons say it (`256 MiB`), not 268435456.
        parts.append("max_file_bytes=\(FileReader.megabytes(settings.ingest.maxFileBytes))")
        return parts.joined(separator: ", ")
    }
}

extension String {
    /// Replaces the first occurrence of `target`, comparing bytes (`memchr`
    /// for its first byte, then the rest): a megabyte report is searched in
    /// microseconds, where a `Character`-wise search takes milliseconds. With
    /// `quoted`, the occurrence must stand between double quotes, and they are
    /// replaced with it (searching for the quote first would stop at every
    /// string of a JSON report).
    mutating func replaceFirst(_ target: String, with replacement: String, quoted: Bool = false) {
        var whole = self
        var needle = target
        let quote = UInt8(ascii: "\"")
        let offset: Int? = whole.withUTF8 { haystack in
            needle.withUTF8 { pattern in
                guard let first = pattern.first, let wanted = pattern.baseAddress, let base = haystack.baseAddress else { return nil }
                var from = 0
                while from + pattern.count <= haystack.count,
                    let hit = memchr(base + from, Int32(first), haystack.count - from)
                {
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    guard at + pattern.count <= haystack.count else { return nil }
                    let enclosed =
                        !quoted
                        || (at > 0 && at + pattern.count < haystack.count && haystack[at - 1] == quote
                            && haystack[at + pattern.count] == quote)
                    if enclosed, memcmp(base + at, wanted, pattern.count) == 0 { return at }
                    from = at + 1
                }
                return nil
            }
        }
        guard let offset else { return }
        let start = utf8.index(utf8.startIndex, offsetBy: quoted ? offset - 1 : offset)
        let end = utf8.index(start, offsetBy: target.utf8.count + (quoted ? 2 : 0))
        replaceSubrange(start..<end, with: replacement)
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
