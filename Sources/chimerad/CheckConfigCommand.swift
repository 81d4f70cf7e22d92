import ArgumentParser
import Daemon
import Foundation
import Settings
import Systemd

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the effective settings.",
        discussion: """
            Also says which watch.paths are not folders yet (watched once they appear) or are no folders \
            (left out), and exits 78, as run would fail, when none is a folder.
            """
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let settings = try await options.settings()
        print(settings.renderedYAML(), terminator: "")
        let paths = WatchPaths(settings)
        for (path, place) in paths.places {
            switch place {
            case .awaited: note("watch.paths: '\(path)' does not exist yet; the daemon watches it once it appears")
            case .notAFolder: note("watch.paths: '\(path)' is not a folder; the daemon leaves it out")
            case .folder, .madeAtStart: break
            }
        }
        if let problem = paths.problem { throw fail("key 'watch.paths': \(problem)", ExitStatus.configuration) }
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data("chimerad: warning: \(LogText.escaped(text))\n".utf8))
    }
}
