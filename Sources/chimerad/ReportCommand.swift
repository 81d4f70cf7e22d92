import ArgumentParser
import Foundation
import Logging
import Pipeline
import Reporting
import Settings
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

    @Option(name: .long, help: "Where reports are written (default: output.directory).")
    var output: String?

    @Option(name: .long, help: "Where the state store lives (default: state.directory).")
    var state: String?

    @Option(name: .long, help: "Narrative backend: none, auto, ollama or openai (default: model.backend).")
    var model: String?

    @Option(name: .customLong("model-url"), help: "Model server URL (default: model.url).")
    var modelURL: String?

    @Option(name: .customLong("model-name"), help: "Model name (default: model.name).")
    var modelName: String?

    @Option(name: .customLong("log-target"), help: "auto (the journal under systemd, else the console), journal or console (default: log.target).")
    var logTarget: String?

    func run() async throws {
        var overrides = Settings.Overrides()
        overrides.set("watch.paths", input)
        overrides.set("output.directory", output)
        overrides.set("state.directory", state)
        overrides.set("model.backend", model)
        overrides.set("model.url", modelURL)
        overrides.set("model.name", modelName)
        overrides.set("log.target", logTarget)
        let settings = try await options.settings(overrides)
        bootstrapLogging(settings)
        let logger = Logger(label: "chimerad")
        let job = ReportJob(settings: settings, inputs: settings.watchPaths, trigger: .manual)
        let started = ContinuousClock.now
        do {
            let outcome = try await job.run(logger: logger)
            var metadata = Logger.Metadata.reportWritten(
                path: outcome.markdownPath, trigger: "manual", filesChanged: outcome.filesChanged.count,
                durationMilliseconds: Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded()))
            metadata["files_seen"] = "\(outcome.filesSeen)"
            metadata["files_analyzed"] = "\(outcome.filesAnalyzed)"
            metadata["files_skipped"] = "\(outcome.filesSkipped)"
            metadata["files_parsed"] = "\(outcome.parsed)"
            logger.info("report written", metadata: metadata)
            print(outcome.markdownPath)
            print(outcome.jsonPath)
        } catch {
            throw fail(error.description, ExitStatus.failure)
        }
    }
}
