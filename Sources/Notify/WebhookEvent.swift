import Foundation
import Records

/// The JSON body of one webhook post (contract `chimerad.webhook/1`; keys may
/// be added, never removed): a regression opened or resolved, or a report
/// written. Made by the report that caused it and stored in the outbox as
/// text, so what is posted after a restart is what the report saw.
///
/// ```json
/// { "schema": "chimerad.webhook/1", "id": "urn:chimerad:regression:5f0c…:3:opened",
///   "event": "regression.opened", "time": "2026-12-02T12:00:00Z",
///   "title": "Regression #3 opened: llama3.1:8b tok/s -19.3% (p=0.0007)", "text": "…",
///   "inputs": ["/srv/bench"], "report_path": "/srv/reports/chimera-report-….md",
///   "regression": { "id": 3, "model": …, … }, "report": null }
/// ```
package struct WebhookEvent: Codable, Sendable, Equatable {
    package static let schemaName = "chimerad.webhook/1"

    /// What happened; the `event` field.
    package enum Name: String, Codable, Sendable {
        case regressionOpened = "regression.opened"
        case regressionResolved = "regression.resolved"
        /// One resolved as recovered by a session that, grown since, is as slow: open again.
        case regressionReopened = "regression.reopened"
        case reportWritten = "report.written"
    }

    package var schema = WebhookEvent.schemaName
    /// The event's stable id: the same in every report, across restarts, and
    /// equal to the Atom feed entry's id for a regression. Also sent as
    /// `Idempotency-Key`, so a receiver can drop a repeat.
    package var id: String
    package var event: Name
    /// When it happened (ISO 8601, UTC): opened, resolved, or the report's time.
    package var time: String
    /// One line: what ntfy shows, what a chat message can say.
    package var title: String
    /// The sentence the report states it with.
    package var text: String
    /// The folders the report covered (its scope).
    package var inputs: [String]
    /// The Markdown report that saw it happen.
    package var reportPath: String
    package var regression: RegressionFields?
    package var report: ReportFields?

    package init(
        id: String, event: Name, time: String, title: String, text: String, inputs: [String], reportPath: String,
        regression: RegressionFields? = nil, report: ReportFields? = nil
    ) {
        self.id = id
        self.event = event
        self.time = time
        // Names from files, written out as the feed, the journal and the
        // commands write them: a chat showed a right-to-left override, BEL or ESC as sent.
        self.title = HiddenCharacters.writtenOut(title)
        self.text = HiddenCharacters.writtenOut(text, keepingLineBreaks: true)
        self.inputs = inputs
        self.reportPath = reportPath
        self.regression = regression
        self.report = report
    }

    /// A regression as the report's JSON states it (`regressions.open[]`), flattened.
    package struct RegressionFields: Codable, Sendable, Equatable {
        package var id: Int64
        package var model: String
        /// Parameter name to value; empty when the group has none.
        package var configuration: [String: String]
        package var environment: [String: String]
        /// `tokens_per_second` or `ttft_seconds`, or a benchmark's `time` or
        /// `throughput`, as in report.json.
        package var metric: String
        package var direction: String
        /// A benchmark's tool (`hyperfine`, ...) and rate unit; absent for a run group.
        package var tool: String?
        package var unit: String?
        package var baselineMedian: Double?
        package var baselineRuns: Int
        package var baselineSessions: Int
        package var currentMedian: Double?
        package var currentRuns: Int
        package var changePercent: Double?
        package var ciPercent: [Double]?
        /// What `changePercent` and `ciPercent` are, as report.json's
        /// `basis`: `runs` (the Hodges-Lehmann shift and its confidence
        /// interval) or `sessions` (the distance from the earlier sessions'
        /// geometric mean and its prediction interval); neither is the ratio
        /// of the two medians.
        package var basis: String?
        package var pValue: Double?
        package var qValue: Double?
        /// The files of the session that regressed, and when it was measured (when known).
        package var sources: [String]
        package var measuredAt: String?
        package var openedAt: String
        package var resolvedAt: String?
        package var resolution: Resolution?
        /// When it was last reopened: resolved as recovered by a session that,
        /// grown since, is as slow (nil for one never reopened).
        package var reopenedAt: String?

        package init(
            id: Int64, model: String, configuration: [String: String], environment: [String: String], metric: String,
            direction: String, baselineMedian: Double?, baselineRuns: Int, baselineSessions: Int, currentMedian: Double?,
            currentRuns: Int, changePercent: Double?, ciPercent: [Double]?, pValue: Double?, qValue: Double?, sources: [String],
            openedAt: String, resolvedAt: String?, resolution: Resolution?
        ) {
            self.id = id
            self.model = model
            self.configuration = configuration
            self.environment = environment
            self.metric = metric
            self.direction = direction
            self.baselineMedian = baselineMedian
            self.baselineRuns = baselineRuns
            self.baselineSessions = baselineSessions
            self.currentMedian = currentMedian
            self.currentRuns = currentRuns
            self.changePercent = changePercent
            self.ciPercent = ciPercent
            self.pValue = pValue
            self.qValue = qValue
            self.sources = sources
            self.openedAt = openedAt
            self.resolvedAt = resolvedAt
            self.resolution = resolution
        }
    }

    /// How a regression was resolved: a session that recovered (its file and
    /// change against the baseline), or a user's acknowledgement.
    package struct Resolution: Codable, Sendable, Equatable {
        package enum Kind: String, Codable, Sendable {
            case recovered, acknowledged, withdrawn, deleted
        }

        package var kind: Kind
        package var source: String?
        package var changePercent: Double?
        package var note: String?
        /// A withdrawn one's: where its session ran, against its baseline.
        package var environmentDifferences: [String]?

        package init(
            kind: Kind, source: String? = nil, changePercent: Double? = nil, note: String? = nil, environmentDifferences: [String]? = nil
        ) {
            self.kind = kind
            self.source = source
            self.changePercent = changePercent
            self.note = note
            self.environmentDifferences = environmentDifferences
        }
    }

    /// A report written (`notify.on_report`).
    package struct ReportFields: Codable, Sendable, Equatable {
        package var trigger: String
        package var jsonPath: String
        package var htmlPath: String
        package var filesSeen: Int
        package var filesAnalyzed: Int
        package var filesSkipped: Int
        package var filesChanged: Int
        /// Files gone since the previous report (a renamed one is not); nil in
        /// an event queued by a version that did not count them.
        package var filesDeleted: Int?
        package var openRegressions: Int
        /// The ids of the regressions this report opened, reopened and resolved
        /// (`reopened` nil in an event queued by a version without it).
        package var opened: [Int64]
        package var reopened: [Int64]?
        package var resolved: [Int64]

        package init(
            trigger: String, jsonPath: String, htmlPath: String, filesSeen: Int, filesAnalyzed: Int, filesSkipped: Int, filesChanged: Int,
            filesDeleted: Int, openRegressions: Int, opened: [Int64], reopened: [Int64], resolved: [Int64]
        ) {
            self.trigger = trigger
            self.jsonPath = jsonPath
            self.htmlPath = htmlPath
            self.filesSeen = filesSeen
            self.filesAnalyzed = filesAnalyzed
            self.filesSkipped = filesSkipped
            self.filesChanged = filesChanged
            self.filesDeleted = filesDeleted
            self.openRegressions = openRegressions
            self.opened = opened
            self.reopened = reopened
            self.resolved = resolved
        }
    }

    /// The body as stored and posted: snake_case keys in a stable order, no
    /// escaped slashes (paths stay readable).
    package func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A stored body read back (the ntfy text is made from it).
    package static func decode(_ text: String) throws -> WebhookEvent {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(WebhookEvent.self, from: Data(text.utf8))
    }

    /// A figure as JSON can carry it: nil for NaN and infinities.
    package static func finite(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        return value
    }
}
