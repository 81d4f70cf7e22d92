import ArgumentParser
import Foundation
import Logging
import ModelBackends
import Narration
import Pipeline
import Reporting
import Settings
import Store
import Systemd

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one report for the given inputs, then exit.",
        discussion: "Exits 0 once a report is written; non-zero only when none could be written."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "A folder or file of benchmark results (repeatable; default: watch.paths).")
    var input: [String] = []

    @OptionGroup var outputs: OutputOptions

    @OptionGroup var fleet: FleetOptions

    @Flag(
        name: .customLong("no-wait-narrative"),
        help: """
            Write the report without asking the model (by default the report is written at once \
            and rewritten with the model's narrative before exiting).
            """
    )
    var noWaitNarrative = false

    @Flag(
        name: .customLong("fleet"),
        help: """
            Write the fleet report instead: every host's sessions as published to the fleet's PostgreSQL \
            (--fleet-url or fleet.postgres_url), per model, configuration and host. Reads only; needs no inputs. \
            Without --output, its files go to fleet/ in output.directory.
            """
    )
    var fleetReport = false

    func validate() throws {
        if fleetReport, !input.isEmpty {
            throw ValidationError("--fleet reads the fleet's database, not files: leave out --input")
        }
    }

    func run() async throws {
        var overrides = Settings.Overrides()
        overrides.set(.watchPaths, input, option: "--input")
        outputs.apply(to: &overrides)
        fleet.apply(to: &overrides)
        let settings = try await options.settings(overrides)
        bootstrapLogging(settings)
        let logger = Logger(label: "chimerad")
        if fleetReport {
            try await writeFleetReport(settings.forFleetReport(outputGiven: outputs.output != nil), logger: logger)
            return
        }
        let narrator: Narrator
        do {
            narrator =
                noWaitNarrative && settings.model.backend != .none
                ? Narrator(unavailable: "the model was not asked (report --no-wait-narrative)")
                : try await ModelSetup.narrator(settings, logger: logger)
        } catch {
            throw fail(error.description, ExitStatus.configuration)
        }
        let job = ReportJob(settings: settings, inputs: settings.watch.paths, trigger: .manual, narrator: narrator)
        let started = ContinuousClock.now
        // The model loads while the files are read and analysed.
        let warming = Task { await narrator.backend?.warmUp() }
        defer { warming.cancel() }
        let result: Result<ReportJob.Finished, ReportJob.Failure>
        do {
            result = .success(try await job.run(logger: logger))
        } catch {
            result = .failure(error)
        }
        do {
            var outcome = try result.get()
            // The model's narrative may take a while, and the report is
            // rendered again with it: the values it was made from go first.
            if outcome.pendingNarrative != nil { outcome.workingSet = nil }
            if let reason = outcome.narrative.unavailableReason, settings.model.backend != .none, !noWaitNarrative {
                logger.warning("report written without a model narrative", metadata: ["reason": "\(reason)"])
            }
            var metadata = Logger.Metadata.reportWritten(
                path: outcome.markdownPath, trigger: "manual", filesChanged: outcome.filesChanged.count,
                filesDeleted: outcome.filesDeleted.count,
                durationMilliseconds: Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded()))
            metadata["files_seen"] = "\(outcome.filesSeen)"
            metadata["files_analyzed"] = "\(outcome.filesAnalyzed)"
            metadata["files_skipped"] = "\(outcome.filesSkipped)"
            metadata["files_parsed"] = "\(outcome.parsed)"
            metadata.merge(outcome.narrative.journalMetadata) { current, _ in current }
            logger.info("report written", metadata: metadata)
            // Its webhook events are queued with it; one short try to post them.
            await OneShotDelivery.run(settings, logger: logger)
            // And its fleet items, within a few seconds.
            await OneShotPublication.run(settings, logger: logger)
            // The report is out; now its narrative, written into it when checked.
            if let pending = outcome.pendingNarrative {
                let writer = ReportWriter(directory: settings.output.directory, retain: settings.output.retain)
                _ = await pending.complete(narrator: narrator, writer: writer, logger: logger)
            }
            await narrator.backend?.shutdown()
            // One path a line, for scripts: a control character in a path
            // (from --output) is escaped, never a line of its own or a terminal's command.
            for path in [outcome.markdownPath, outcome.jsonPath, outcome.htmlPath] { print(LogText.escaped(path)) }
            // Done, the store closed: the process's memory goes back whole
            // (exit flushes the paths printed), not the report's values one by one.
            withExtendedLifetime(outcome.workingSet) { Foundation.exit(EXIT_SUCCESS) }
        } catch {
            await narrator.backend?.shutdown()
            throw fail(error.description, Store.Failure.refusesNewerVersion(error) ? ExitStatus.configuration : ExitStatus.failure)
        }
    }
}

extension ReportCommand {
    /// `report --fleet`: one fleet report, its paths on stdout; exits 78 without
    /// a fleet configured, 1 when the database or the output folder fails.
    func writeFleetReport(_ settings: Settings, logger: Logger) async throws {
        guard settings.fleet.isEnabled else {
            throw fail(
                "no fleet is configured: fleet.postgres_url (or --fleet-url) is unset or empty; give it a postgres:// URL", ExitStatus.configuration)
        }
        let started = ContinuousClock.now
        do {
            let written = try await FleetReportJob(settings: settings).run(logger: logger)
            var metadata = Logger.Metadata.reportWritten(
                path: written.markdownPath, trigger: "manual", filesChanged: 0, filesDeleted: nil,
                durationMilliseconds: Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded()))
            metadata["report"] = "fleet"
            logger.info("fleet report written", metadata: metadata)
            for path in [written.markdownPath, written.jsonPath, written.htmlPath] { print(LogText.escaped(path)) }
        } catch {
            let code = if case .fleet(.passwordFile) = error { ExitStatus.configuration } else { ExitStatus.failure }
            throw fail(error.description, code)
        }
    }
}

extension Settings {
    /// A fleet report's settings: without `--output`, its files go to
    /// `fleet/` under the output folder, never beside this host's own reports
    /// (whose `latest.*` they would take over).
    func forFleetReport(outputGiven: Bool) -> Settings {
        guard !outputGiven else { return self }
        var settings = self
        settings.output.directory += "/fleet"
        return settings
    }
}
