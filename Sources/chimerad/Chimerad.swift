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

    /// Runs the command the arguments name, after two checks ArgumentParser
    /// does not make: arguments that are not UTF-8 (`ArgumentBytes`) and
    /// words that name no command (`CommandWords`), both usage errors (64).
    static func main() async {
        if let problem = ArgumentBytes.problem(CommandLine.argc, CommandLine.unsafeArgv) {
            Foundation.exit(fail(problem, ExitStatus.usage).rawValue)
        }
        if let problem = CommandWords.problem(Array(CommandLine.arguments.dropFirst())) {
            Foundation.exit(fail(problem, ExitStatus.usage).rawValue)
        }
        await main(nil)
        // What a command printed for a script (a list, the status) must have arrived: a full disk
        // under stdout exited 0 with nothing written. Not `report`'s paths: its status says whether
        // a report was written, which it was.
        let command = CommandLine.arguments.dropFirst().first
        if command != "report", command != "run", fflush(nil) != 0 {
            Foundation.exit(fail("cannot write to standard output (\(String(cString: strerror(errno))))", ExitStatus.failure).rawValue)
        }
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
    func settings(_ overrides: Settings.Overrides = Settings.Overrides(), use: Settings.Use = .running) async throws -> Settings {
        do {
            return try await Settings.load(file: file(), overrides: overrides, use: use)
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

/// The command line's bytes before Swift reads them: `CommandLine.arguments`
/// repairs what is not UTF-8 (U+FFFD for each bad byte), so `--output $'o\xff'`
/// wrote reports into another folder than the one named, and an input folder
/// that exists was "no such file or folder".
enum ArgumentBytes {
    /// Why an argument cannot be taken as given, naming it (and the option it
    /// is the value of) with its bytes escaped; nil when every one is UTF-8.
    static func problem(_ count: Int32, _ vector: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> String? {
        var previous: String?
        for index in 1..<Int(max(count, 1)) {
            guard let pointer = vector[index] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                let shown = bytes.map { $0 < 0x80 ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16, uppercase: false) }.joined()
                let option = previous.flatMap { $0.hasPrefix("-") && !$0.contains("=") ? " (the value of \($0))" : nil } ?? ""
                return "argument \(index) '\(shown)'\(option) is not UTF-8 text; chimerad reads its arguments as UTF-8 "
                    + "(a file or folder so named: rename it, or give a path that is)"
            }
            previous = text
        }
        return nil
    }
}

/// The command names at the start of the arguments, checked before
/// ArgumentParser reads them. It shows the top-level help and exits 0 for
/// `help <unknown>`, and reads an unknown word after `regressions` or
/// `baseline` as an argument of their default command (`regressions
/// acknowledge 1 --note x` said "Unknown option '--note'. Did you mean
/// '--state'?" under `list`'s usage); options before a command's name fail
/// the same way.
enum CommandWords {
    /// Why the words do not name a command, or nil.
    static func problem(_ arguments: [String]) -> String? {
        let isHelp = arguments.first == "help"
        var subcommands = Chimerad.configuration.subcommands
        var parent = "chimerad"
        for (index, word) in arguments.enumerated().dropFirst(isHelp ? 1 : 0) {
            let names = subcommands.map { $0.configuration.commandName ?? "" }
            if names.isEmpty { return nil }
            if word.hasPrefix("-") {
                if isHelp { continue }
                // An option before the command it belongs to: say where it goes.
                // A name right after an option may be its value (`--state list`): not a command.
                let rest = arguments[(index + 1)...]
                guard let at = rest.indices.first(where: { names.contains(rest[$0]) && !arguments[$0 - 1].hasPrefix("-") }) else {
                    return nil
                }
                let later = arguments[at]
                return "'\(word)' comes before the command it belongs to: write '\(parent) \(later) ...' with the options after '\(later)'"
            }
            // ArgumentParser's own `help` command, which has a help of its own.
            if isHelp && word == "help" { return nil }
            guard let found = names.firstIndex(of: word) else {
                let near = names.filter { Settings.distance($0, word) <= 2 }.min { Settings.distance($0, word) < Settings.distance($1, word) }
                let hint = near.map { " (did you mean '\($0)'?)" } ?? ""
                return "unknown command '\(word)'\(hint); the commands of '\(parent)' are: \(names.joined(separator: ", "))"
            }
            subcommands = subcommands[found].configuration.subcommands
            parent += " " + word
        }
        return nil
    }
}
