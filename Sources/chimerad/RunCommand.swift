import ArgumentParser
import Daemon
import Foundation
import Logging
import ServiceLifecycle
import Settings

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

    func run() async throws {
        var overrides = Settings.Overrides()
        overrides.set(.watchPaths, watch)
        overrides.set(.watchSettle, settle)
        outputs.apply(to: &overrides)
        let settings = try await options.settings(overrides)
        bootstrapLogging(settings)
        let logger = Logger(label: "chimerad")
        let daemon = Daemon(settings: settings, configFile: options.file(), overrides: overrides, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: daemon)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.critical("chimerad stopped on an error", metadata: ["error": "\(error)"])
            throw fail("\(error)", ExitStatus.failure)
        }
    }
}
