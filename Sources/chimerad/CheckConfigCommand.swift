import ArgumentParser
import Settings

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the effective settings."
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        do {
            let settings = try await Settings.load(file: options.file())
            print(settings.renderedYAML(), terminator: "")
        } catch {
            throw fail(error.description, ExitStatus.configuration)
        }
    }
}
