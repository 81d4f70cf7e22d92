import ArgumentParser
import Foundation
import Logging
import Daemon
import Pipeline
import Settings
import Systemd

@main
struct Chimerad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chimerad",
        abstract: "Turns benchmark result files into checked Markdown and JSON reports.",
        version: ReportJob.version,
        subcommands: [
            RunCommand.self, ReportCommand.self, CheckConfigCommand.self, StatusCommand.self, RegressionsCommand.self, BaselineCommand.self,
            FleetCommand.self,
        ]
    )

    /// Runs the command the arguments name. `chimerad help <name>` with a
    /// name no command has is refused here: ArgumentParser shows the
    /// top-level help and exits 0 for it, so a script's typo would pass.
    static func main() async {
        if let unknown = UnknownHelpTopic(Array(CommandLine.arguments.dropFirst())) {
            Foundation.exit(fail(unknown.message, ExitStatus.usage).rawValue)
        }
        await main(nil)
    }
}

/// Flags shared by the commands that read the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Config file (default: $CHIMERAD_CONFIG, else /etc/chimerad/chimerad.yaml when present).")
    var config: String?

    func file() -> String? {
        config ?? Settings.defaultConfigFile(environment: ProcessInfo.processInfo.environment)
    }

    /// The effective settings, or exit 78 with the key and the reason.
    func settings(_ overrides: Settings.Overrides = Settings.Overrides()) async throws -> Settings {
        do {
            return try await Settings.load(file: file(), overrides: overrides)
        } catch {
            throw fail(error.description, ExitStatus.configuration)
        }
    }
}

/// Flags `run` and `report` share: where reports and state go, the model,
/// and where logs go.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Where reports are written (default: output.directory).")
    var output: String?

    @Option(name: .long, help: "Where the state store lives (default: state.directory).")
    var state: String?

    @Option(name: .long, help: "Narrative backend: none, auto, managed, ollama or openai (default: model.backend).")
    var model: String?

    @Option(name: .customLong("model-url"), help: "Model server URL (default: model.url).")
    var modelURL: String?

    @Option(name: .customLong("model-name"), help: "Model name (default: model.name).")
    var modelName: String?

    @Option(
        name: .customLong("log-target"),
        help: "auto (the journal under systemd, else the console), journal or console (default: log.target).")
    var logTarget: String?

    func apply(to overrides: inout Settings.Overrides) {
        overrides.set(.outputDirectory, output, option: "--output")
        overrides.set(.stateDirectory, state, option: "--state")
        overrides.set(.modelBackend, model, option: "--model")
        overrides.set(.modelURL, modelURL, option: "--model-url")
        overrides.set(.modelName, modelName, option: "--model-name")
        overrides.set(.logTarget, logTarget, option: "--log-target")
    }
}

/// Exit codes: 0 done, 1 no report could be written, 64 usage error (EX_USAGE,
/// as ArgumentParser gives for an unknown option), 78 configuration error (EX_CONFIG).
enum ExitStatus {
    static let failure = ExitCode(1)
    static let usage = ExitCode.validationFailure
    static let configuration = ExitCode(78)
}

/// Prints `message` as the last console line. It may quote paths and files
/// (a config's bytes, a folder's name): their control characters, line
/// breaks among them, are shown escaped, so it stays one line and no name
/// recolours the terminal or starts a line that reads as chimerad's.
func fail(_ message: String, _ code: ExitCode) -> ExitCode {
    FileHandle.standardError.write(Data("chimerad: error: \(LogText.escaped(message))\n".utf8))
    return code
}

/// Sends logs where `log.target` says (the journal under systemd, else the
/// console), at `log.level` and above.
func bootstrapLogging(_ settings: Settings) {
    LogOutput.bootstrap(
        destination: settings.log.target.destination(),
        level: Logger.Level(rawValue: settings.log.level.rawValue) ?? .info)
}

/// `help a b ...` naming a command that does not exist: the first name that
/// is not a command under the ones before it.
struct UnknownHelpTopic {
    var name: String
    /// The command it was looked for under (`chimerad baseline`).
    var parent: String
    /// That command's subcommands.
    var known: [String]

    /// Nil when every name is a command, or the arguments are not `help ...`.
    init?(_ arguments: [String]) {
        guard arguments.first == "help" else { return nil }
        var subcommands = Chimerad.configuration.subcommands
        var parent = "chimerad"
        for name in arguments.dropFirst() {
            if name.hasPrefix("-") { continue }
            // ArgumentParser's own `help` command, which has a help of its own.
            if name == "help" { return nil }
            let names = subcommands.map { $0.configuration.commandName ?? "" }
            guard let index = names.firstIndex(of: name) else {
                self.name = name
                self.parent = parent
                self.known = names
                return
            }
            subcommands = subcommands[index].configuration.subcommands
            parent += " " + name
        }
        return nil
    }

    var message: String {
        "unknown command '\(name)'; the commands of '\(parent)' are: \(known.joined(separator: ", "))"
    }
}
