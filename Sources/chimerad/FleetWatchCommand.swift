import ArgumentParser
import Daemon
import Logging
import ServiceLifecycle
import Settings

/// `chimerad fleet watch`: the fleet report's daemon role. Writes the fleet
/// report at start, after any host publishes, and on a schedule; runs until
/// SIGTERM (as `chimerad-fleet.service`).
struct FleetWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Write the fleet report whenever a host publishes (PostgreSQL LISTEN), and on a schedule; runs until stopped.",
        discussion: """
            Reads only (the reader role suffices). A report is due after --settle-seconds of quiet \
            following a publication, never sooner than --min-interval-seconds after the previous one, \
            and at least every --every-minutes.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var fleet: FleetOptions

    @Option(name: .long, help: "Where fleet reports are written (default: fleet/ in output.directory).")
    var output: String?

    @Option(name: .customLong("log-target"), help: "auto (the journal under systemd, else the console), journal or console.")
    var logTarget: String?

    @Option(name: .customLong("every-minutes"), help: "A report at least this often.")
    var everyMinutes = 60

    @Option(name: .customLong("settle-seconds"), help: "Quiet after a publication before its report.")
    var settleSeconds = 10

    @Option(name: .customLong("min-interval-seconds"), help: "The shortest time between two reports.")
    var minimumIntervalSeconds = 60

    func validate() throws {
        guard (1...10_080).contains(everyMinutes) else { throw ValidationError("--every-minutes must be between 1 and 10080") }
        guard (0...3600).contains(settleSeconds) else { throw ValidationError("--settle-seconds must be between 0 and 3600") }
        guard (0...86_400).contains(minimumIntervalSeconds) else { throw ValidationError("--min-interval-seconds must be between 0 and 86400") }
    }

    func run() async throws {
        var overrides = Settings.Overrides()
        overrides.set(.outputDirectory, output, option: "--output")
        overrides.set(.logTarget, logTarget, option: "--log-target")
        fleet.apply(to: &overrides)
        let settings = try await options.settings(overrides).forFleetReport(outputGiven: output != nil)
        bootstrapLogging(settings)
        let logger = Logger(label: "chimerad")
        guard settings.fleet.isEnabled else {
            throw fail(
                "no fleet is configured: fleet.postgres_url (or --fleet-url) is unset or empty; give it a postgres:// URL", ExitStatus.configuration)
        }
        let pace = FleetReportService.Pace(
            every: .seconds(everyMinutes * 60), settle: .seconds(settleSeconds), minimumInterval: .seconds(minimumIntervalSeconds))
        let service = FleetReportService(settings: settings, pace: pace, logger: logger)
        logger.info(
            "chimerad fleet watch started",
            metadata: ["output": "\(settings.output.directory)", "every_minutes": "\(everyMinutes)", "settle_seconds": "\(settleSeconds)"])
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.critical("chimerad fleet watch stopped on an error", metadata: ["error": "\(error)"])
            throw fail("\(error)", ExitStatus.failure)
        }
    }
}
