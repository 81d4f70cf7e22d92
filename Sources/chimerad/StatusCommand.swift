import ArgumentParser
import Foundation
import Settings
import Store
import Systemd

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the state store holds: files, the last report, the last error, open regressions."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Where the state store lives (default: state.directory).")
    var state: String?

    func run() async throws {
        // The command an operator runs to see why the daemon stopped: as a
        // store-only command, a model file moved away does not stop it too.
        let settings = try await options.settings(state: state)
        let path = settings.state.directory + "/" + Store.fileName
        guard FileManager.default.fileExists(atPath: path) else {
            throw fail("state store \(path): does not exist yet (no report has been made with this state folder)", ExitStatus.failure)
        }
        do {
            let store = try Store.openToRead(settings.state.directory)
            let summary = try store.summary()
            // Paths and the last error come from file names and file contents:
            // a control character in them is shown escaped, never obeyed.
            let shown = { (text: String) in LogText.escaped(text) }
            print("state store: \(shown(store.path))")
            print("files: \(summary.analyzed) analysed, \(summary.skipped) skipped, \(summary.deleted) deleted (kept as history)")
            // A root an input link leads to is known by the link (what the reports name), then where it leads.
            let roots = summary.roots.map { root in summary.linkedRoots[root].map { "\($0) -> \(root)" } ?? root }
            print("roots: \(roots.isEmpty ? "none" : shown(roots.joined(separator: ", ")))")
            if let last = summary.lastReport {
                print("last report: \(last.generatedAt) (\(last.trigger)) \(shown(last.markdownPath))")
            } else {
                print("last report: none")
            }
            print("last error: \(summary.lastError.map(shown) ?? "none")")
            // What an operator checks status for: is anything worse right now.
            let open = try store.openRegressionCount()
            print("regressions: \(open) open over every input reported on\(open > 0 ? " (chimerad regressions lists them)" : "")")
            let pending = try store.pendingNotificationCount()
            if pending > 0 { print("webhook: \(pending) event\(pending == 1 ? "" : "s") waiting for delivery") }
            let fleet = try store.fleetBacklog()
            if fleet.items > 0 {
                let since = fleet.oldestQueuedAt.map { " since \($0.formatted(.iso8601))" } ?? ""
                print("fleet: \(fleet.items) item\(fleet.items == 1 ? "" : "s") not yet published\(since)")
            }
        } catch {
            throw fail("\(error)", ExitStatus.failure)
        }
    }
}
