import Analysis
import ArgumentParser
import Foundation
import Logging
import Pipeline
import Reporting
import Settings
import Store
import Systemd

/// `chimerad regressions`: what is worse and still open, and what was
/// resolved; `chimerad regressions ack ID --note TEXT` accepts one.
struct RegressionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regressions",
        abstract: "List open and resolved regressions, or acknowledge one.",
        subcommands: [List.self, Acknowledge.self],
        defaultSubcommand: List.self
    )

    /// One regression on one line; names from files are shown escaped.
    static func line(_ row: Store.RegressionRow) -> String {
        let state = row.resolution ?? "open"
        let configuration = row.configuration.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        let name = Regression.name(tool: row.tool, model: row.model)
        var group = configuration.isEmpty ? name : "\(name) (\(configuration))"
        // Two regressions of one group on two machines are told apart by where they ran.
        if !row.environment.isEmpty { group += " on " + row.environment.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") }
        // As the reports write them: a bound that rounds to nothing is 0.0%, not -0.0%.
        let percent = Figures.signedPercent
        // The figures themselves, and when the session was measured: a file
        // appended to every night names no night.
        let shown = { (value: Double) in
            TestedMetric(rawValue: row.metric)?.text(value, unit: row.unit) ?? Figures.general(value) + (row.unit.map { " " + $0 } ?? "")
        }
        let figures = "\(shown(row.baselineMedian)) → \(shown(row.currentMedian))"
        // As the reports name it (`tok/s`, `warm TTFT`); a stored name this version does not know, as stored.
        let metric = TestedMetric(rawValue: row.metric)?.label ?? row.metric
        let measured = Regression.measured(row.sessionMeasuredAt).map { " (measured \($0))" } ?? ""
        // What the change is (not the ratio of the two medians beside it), as the reports say it.
        let basis = row.basis.flatMap(SessionComparison.Basis.init(rawValue:)) ?? .runs
        let change = basis.changeText(
            percent(row.changePercent), low: percent(row.intervalLow), high: percent(row.intervalHigh),
            interval: (row.intervalLow, row.intervalHigh), was: shown(row.baselineMedian))
        var text =
            "#\(row.id) \(state) \(group) \(metric) \(figures) (\(change)) in \(row.currentSources.joined(separator: ", "))\(measured); opened \(row.openedAt)"
        if let reopened = row.reopenedAt { text += ", reopened \(reopened)" + (row.reopenCount > 1 ? " (\(row.reopenCount) times)" : "") }
        if let resolved = row.resolvedAt { text += ", resolved \(resolved)" }
        if row.resolution == "deleted" {
            text += ": deleted with its session's file"
        } else if row.resolution == "withdrawn" {
            text += ": ran elsewhere than its baseline (\(Store.strings(row.resolutionSource).joined(separator: "; ")))"
        } else if let source = row.resolutionSource {
            text += " by \(source)"
        }
        if let note = row.note { text += ": \(note)" }
        return LogText.escaped(text)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List open regressions first, then resolved ones (newest first).")

        @OptionGroup var options: ConfigOptions

        @Option(name: .long, help: "Where the state store lives (default: state.directory).")
        var state: String?

        /// The most listed: a store that ran for years holds thousands of resolved ones.
        static let limit = 1000

        func run() async throws {
            let store = try await options.existingStore(state: state, toRead: true)
            let listing: (rows: [Store.RegressionRow], open: Int, resolved: Int)
            do {
                // The list stops at its limit, the counts do not.
                listing = try store.regressionListing(limit: Self.limit)
            } catch {
                throw fail("\(error)", ExitStatus.failure)
            }
            let rows = listing.rows
            let shown = listing.open + listing.resolved > rows.count ? " (the \(rows.count) listed: open ones first, newest first)" : ""
            print("\(listing.open) open, \(listing.resolved) resolved\(shown)")
            for row in rows { print(RegressionsCommand.line(row)) }
        }
    }

    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack",
            abstract: "Accept an open regression: it is resolved as acknowledged, with your note, from the next report on.")

        @OptionGroup var options: ConfigOptions

        @Option(name: .long, help: "Where the state store lives (default: state.directory).")
        var state: String?

        // `#3` as the list and the reports write it, or `3`.
        @Argument(
            help: "The regression's id, as `chimerad regressions` and the reports show it (#ID, or the number alone).", transform: Acknowledge.id)
        var id: Int64

        static func id(_ text: String) throws -> Int64 {
            guard let id = Int64(text.hasPrefix("#") ? String(text.dropFirst()) : text), id >= 0 else {
                throw ValidationError("'\(text)' is no regression id: give the number `chimerad regressions` shows, such as 3 or #3")
            }
            return id
        }

        @Option(name: .long, help: "Why it is accepted (kept with it and shown in reports).")
        var note: String

        /// Now, to the second, as the store keeps times, once it is past the
        /// second of the last report: reports tell what was acknowledged
        /// since the one before by time, and an acknowledgement in that
        /// report's own second (a script's `report` then `regressions ack`)
        /// is taken for one it showed already, so no report ever said it. A
        /// second at most is waited, and only then.
        static func secondAfterTheLastReport(_ store: Store) async throws -> String {
            for _ in 0..<3 {
                let now = Timestamps.iso8601(Date())
                guard try store.lastReport()?.generatedAt == now else { return now }
                let fraction = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 1)
                try await Task.sleep(for: .seconds(1 - fraction) + .milliseconds(5))
            }
            return Timestamps.iso8601(Date())
        }

        func validate() throws {
            guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("--note must say why the regression is accepted")
            }
        }

        func run() async throws {
            // One load: the store's folder and the webhook's settings come from the same --state and config.
            let settings = try await options.settings(state: state)
            let store = try await options.existingStore(settings: settings)
            do {
                bootstrapLogging(settings)
                let now = try await Self.secondAfterTheLastReport(store)
                // The webhook's "resolved" event is queued with the acknowledgement.
                let lastReport = try store.lastReport()?.markdownPath
                let acknowledged = try store.acknowledgeRegression(id: id, note: note, at: now) { row in
                    try ReportNotifications.acknowledged(row, settings: settings.notify, lastReportPath: lastReport)
                }
                guard let row = acknowledged else {
                    let known = try store.regression(id: id)
                    throw fail(
                        known == nil ? "no regression #\(id) in \(store.path)" : "regression #\(id) is already resolved (\(known?.resolution ?? ""))",
                        ExitStatus.failure)
                }
                print(RegressionsCommand.line(row))
                // The journal hears of it as it hears of a recovery.
                Logger(label: "chimerad").notice(
                    "regression resolved",
                    metadata: [
                        "message_id": "\(JournalMessageID.regressionResolved)", "regression_id": "\(row.id)", "model": "\(row.model)",
                        "configuration": "\(row.configuration.map { "\($0.name)=\($0.value)" }.joined(separator: ", "))",
                        "metric": "\(row.metric)", "resolution": "acknowledged", "note": "\(note)",
                    ])
                await OneShotDelivery.run(settings, store: store, logger: Logger(label: "chimerad"))
            } catch let code as ExitCode {
                throw code
            } catch {
                throw fail("\(error)", ExitStatus.failure)
            }
        }
    }
}

extension ConfigOptions {
    /// The store of the configured (or given) state folder, which must exist
    /// (the commands that read or edit what reports left).
    /// The store in the state folder, which must exist; `toRead`: opened
    /// read-only when it may not be written (a command that only looks).
    func existingStore(state: String?, toRead: Bool = false) async throws -> Store {
        try await existingStore(settings: settings(state: state), toRead: toRead)
    }

    /// The settings with `--state` over the configured state folder, for a
    /// command that reads or edits the store only.
    func settings(state: String?) async throws -> Settings {
        var overrides = Settings.Overrides()
        overrides.set(.stateDirectory, state, option: "--state")
        return try await settings(overrides, use: .stateOnly)
    }

    /// The store of `settings`' state folder, which must exist.
    func existingStore(settings: Settings, toRead: Bool = false) async throws -> Store {
        let path = settings.state.directory + "/" + Store.fileName
        guard FileManager.default.fileExists(atPath: path) else {
            throw fail("state store \(path): does not exist yet (no report has been made with this state folder)", ExitStatus.failure)
        }
        do {
            return try toRead ? Store.openToRead(settings.state.directory) : Store(directory: settings.state.directory)
        } catch {
            throw fail("\(error)", ExitStatus.failure)
        }
    }
}
