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
            (left out). When none is a folder it exits as run would: 1 when one may yet appear (the unit \
            tries again), 78 when none can.
            """
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let settings = try await options.settings()
        print(settings.renderedYAML(), terminator: "")
        let paths = WatchPaths(settings)
        let problem = paths.problem
        for (path, place) in paths.places {
            switch place {
            // With no folder at all, run does not wait for it: it fails, and its unit tries again.
            case .awaited where problem == nil: note("watch.paths: '\(path)' does not exist yet; the daemon watches it once it appears")
            case .awaited: note("watch.paths: '\(path)' does not exist yet")
            case .notAFolder: note("watch.paths: '\(path)' is not a folder; the daemon leaves it out")
            case .folder, .madeAtStart: break
            }
        }
        guard let problem else { return }
        // The status run would exit with: a path that may yet appear is a failure the unit retries.
        if paths.awaitsOne {
            throw fail("key 'watch.paths': \(problem); run fails until one appears (exit 1, and its unit tries again)", ExitStatus.failure)
        }
        throw fail("key 'watch.paths': \(problem)", ExitStatus.configuration)
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data("chimerad: warning: \(LogText.escaped(text))\n".utf8))
    }
}
