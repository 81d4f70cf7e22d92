import ArgumentParser
import CoreMetrics
import Daemon
import Foundation
import Logging
import Pipeline
import Prometheus
import Serving
import ServiceLifecycle
import Settings
import Store
import Synchronization
import Systemd

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the configured folders and write a report whenever benchmark results land.",
        discussion: """
            Runs until SIGTERM or SIGINT (exit 0 once the report in progress is written). \
            SIGHUP re-reads the config file; an invalid one is logged and the old one stays in force. \
            Under systemd (Type=notify) it reports READY, STATUS, WATCHDOG, RELOADING and STOPPING.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "A folder to watch (repeatable; default: watch.paths).")
    var watch: [String] = []

    @Option(name: .long, help: "Milliseconds a file must be quiet before it is read (default: watch.settle_ms).")
    var settle: Int?

    @OptionGroup var outputs: OutputOptions

    @OptionGroup var fleet: FleetOptions

    func run() async throws {
        var overrides = Settings.Overrides()
        overrides.set(.watchPaths, watch, option: "--watch")
        overrides.set(.watchSettle, settle, option: "--settle")
        outputs.apply(to: &overrides)
        fleet.apply(to: &overrides)
        let settings = try await options.settings(overrides)
        bootstrapLogging(settings)
        let logger = Logger(label: "chimerad")
        let metrics = RunCommand.bootstrapMetrics()
        // The output folder the server reads: the daemon's, after every reload.
        let outputDirectory = Mutex(settings.output.directory)
        let daemon = Daemon(
            settings: settings, configFile: options.file(), overrides: overrides, logger: logger,
            settingsApplied: { applied in outputDirectory.withLock { $0 = applied.output.directory } })
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: daemon)]
        if settings.http.listen != .off {
            if !settings.http.listen.isLoopback {
                logger.warning(
                    "http.listen is not a loopback address: the reports and metrics are readable by anyone who can reach it",
                    metadata: ["listen": "\(settings.http.listen.text)"])
            }
            // Bound before the daemon starts: a server that cannot listen is
            // a configuration error. Last in the group, so it stops first; a
            // server that ends on its own (it logged why) leaves the daemon running.
            let server: ReportServer
            do {
                server = try await ReportServer.listening(
                    settings.http.listen, outputDirectory: { outputDirectory.withLock { $0 } }, metrics: metrics,
                    logger: Logger(label: "chimerad.http"))
            } catch {
                logger.critical("chimerad cannot serve http.listen", metadata: ["error": "\(error)"])
                throw failLogged("\(error)", ExitStatus.configuration)
            }
            services.append(.init(service: server, successTerminationBehavior: .ignore))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let refused as WatchPaths.Refused {
            logger.critical("chimerad cannot start on its configuration", metadata: ["error": "\(refused)"])
            throw failLogged("\(refused)", ExitStatus.configuration)
        } catch {
            logger.critical("chimerad stopped on an error", metadata: ["error": "\(error)"])
            throw failLogged("\(error)", Store.Failure.refusesNewerVersion(error) ? ExitStatus.configuration : ExitStatus.failure)
        }
    }

    /// The exit for a failure just logged as critical: said on standard
    /// error too only when the log line did not go there (`--log-target
    /// journal` from a terminal). The console, and the journal of a service,
    /// had it twice.
    private func failLogged(_ message: String, _ code: ExitCode) -> ExitCode {
        let logged = LogOutput.current?.destination.reachesStandardError() ?? false
        return logged ? code : fail(message, code)
    }

    /// The metrics backend, set up once per process: the pipeline records
    /// through swift-metrics, this registry keeps the values, and the HTTP
    /// server's `/metrics` reads it.
    static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let buckets = PipelineMetrics.Name.durationBuckets.map { Duration.milliseconds(Int64(($0 * 1000).rounded())) }
        for name in PipelineMetrics.Name.durations { factory.durationHistogramBuckets[name] = buckets }
        MetricsSystem.bootstrap(factory)
        PipelineMetrics.declare(version: ReportJob.version)
        return registry
    }
}
