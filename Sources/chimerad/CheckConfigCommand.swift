import ArgumentParser
import Settings

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the effective settings."
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        print(try await options.settings().renderedYAML(), terminator: "")
    }
}
