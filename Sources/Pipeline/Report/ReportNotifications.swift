import Analysis
import Foundation
import Notify
import Records
import Reporting
import Settings
import Store

/// The webhook's events of one report (`notify.*`): one per regression it
/// opened and one per regression it resolved, and with `notify.on_report`
/// one for the report itself, ready for the outbox. Made after the report's
/// files are published and saved with its record, in one transaction: a
/// report that does not land queues nothing. Nothing when no webhook is set.
package struct ReportNotifications {
    var entries: [Store.OutboxEntry] = []
    /// Events whose JSON could not be written (left out: a webhook event
    /// never costs the report its record); the journal names them.
    var unencodable: [String] = []

    /// What the report was, for the events' fields.
    struct Written {
        var markdownPath: String
        var jsonPath: String
        var htmlPath: String
        var base: String
        var trigger: String
        var time: String
        var inputs: [String]
        var filesSeen: Int
        var filesAnalyzed: Int
        var filesSkipped: Int
        var filesChanged: Int
        var filesDeleted: Int
        var openRegressions: Int
    }

    init(settings: Settings.Notify, state: RegressionState, scope: String, report: Written) {
        guard settings.isEnabled else { return }
        for regression in state.opened {
            add(ReportNotifications.event(regression, kind: .opened, scope: scope, report: report), kind: .opened)
        }
        for regression in state.reopened {
            add(ReportNotifications.event(regression, kind: .reopened, scope: scope, report: report), kind: .reopened)
        }
        for regression in state.resolvedNow {
            add(ReportNotifications.event(regression, kind: .resolved, scope: scope, report: report), kind: .resolved)
        }
        // An acknowledgement made since the last report is posted by the
        // report that follows it: `chimerad regressions ack` run without the
        // daemon's config queued nothing. Queued twice, an event is one row.
        for regression in state.acknowledgedToPost {
            add(ReportNotifications.event(regression, kind: .resolved, scope: scope, report: report), kind: .resolved)
        }
        if settings.onReport {
            // A report that only saw files go says so: "0 files changed" read as nothing happened.
            let deleted = report.filesDeleted > 0 ? ", \(report.filesDeleted) deleted" : ""
            let counts =
                "\(report.filesChanged) file\(report.filesChanged == 1 ? "" : "s") changed\(deleted), \(report.openRegressions) open regression\(report.openRegressions == 1 ? "" : "s")"
            let event = WebhookEvent(
                id: "urn:chimerad:report:\(RegressionFeed.hash(scope)):\(report.base)", event: .reportWritten, time: report.time,
                title: "Report written: \(counts)", text: "Report \(report.base) written (\(report.trigger)): \(counts).",
                inputs: report.inputs, reportPath: report.markdownPath,
                report: .init(
                    trigger: report.trigger, jsonPath: report.jsonPath, htmlPath: report.htmlPath, filesSeen: report.filesSeen,
                    filesAnalyzed: report.filesAnalyzed, filesSkipped: report.filesSkipped, filesChanged: report.filesChanged,
                    filesDeleted: report.filesDeleted, openRegressions: report.openRegressions, opened: state.opened.map(\.id),
                    reopened: state.reopened.map(\.id), resolved: state.resolvedNow.map(\.id)))
            add(event, kind: .report)
        }
    }

    private mutating func add(_ event: WebhookEvent, kind: Store.OutboxEntry.Kind) {
        do {
            entries.append(Store.OutboxEntry(eventID: event.id, kind: kind, payload: try event.jsonText()))
        } catch {
            unencodable.append(event.id)
        }
    }

    /// A regression's opening or resolution as the webhook states it: the
    /// Atom entry's id, the report's wording, every figure of the report's JSON.
    static func event(_ regression: Regression, kind: RegressionFeed.Event.Kind, scope: String, report: Written) -> WebhookEvent {
        let change = "\(regression.label) \(regression.metric.label) \(Figures.signedPercent(regression.changePercent))"
        let p = Figures.pValue(regression.pValue)
        let evidence = p.hasPrefix("<") ? "p<" + p.dropFirst(2) : "p=" + p
        let title: String
        let text: String
        switch kind {
        case .opened:
            title = "Regression #\(regression.id) opened: \(change) (\(evidence))"
            text = "Regression " + regression.openText.text
        case .reopened:
            let now =
                switch regression.reopenReason {
                case .deleted: " (the file of the session that recovered it was deleted)"
                case .fileReturned: " (its session's file was written again)"
                case .slower, nil:
                    (regression.reopenedBy ?? regression.latest).map { " (now \(Figures.signedPercent($0.changePercent)) in \($0.source))" } ?? ""
                }
            title = "Regression #\(regression.id) reopened: \(change)\(now)"
            text = "Regression " + regression.openText.text
        case .resolved:
            let how = regression.resolution?.kind ?? "recovered"
            title = "Regression #\(regression.id) resolved (\(how)): \(regression.label) \(regression.metric.label)"
            text = "Regression " + regression.resolvedText.text
        }
        let resolution: WebhookEvent.Resolution? =
            switch regression.resolution {
            case .recovered(let source, let changePercent):
                .init(kind: .recovered, source: source, changePercent: WebhookEvent.finite(changePercent))
            case .acknowledged(let note): .init(kind: .acknowledged, note: note)
            case .withdrawn(let differences): .init(kind: .withdrawn, environmentDifferences: differences)
            case .deleted: .init(kind: .deleted)
            case nil: nil
            }
        var fields = WebhookEvent.RegressionFields(
            id: regression.id, model: regression.model, configuration: dictionary(regression.configuration),
            environment: dictionary(regression.environment), metric: regression.metric.rawValue,
            direction: regression.metric.direction.rawValue, baselineMedian: WebhookEvent.finite(regression.baseline.median),
            baselineRuns: regression.baseline.n, baselineSessions: regression.baselineSessions,
            currentMedian: WebhookEvent.finite(regression.current.median), currentRuns: regression.current.n,
            changePercent: WebhookEvent.finite(regression.changePercent),
            ciPercent: [regression.intervalPercent.lowerBound, regression.intervalPercent.upperBound].allSatisfy(\.isFinite)
                ? [regression.intervalPercent.lowerBound, regression.intervalPercent.upperBound] : nil,
            pValue: WebhookEvent.finite(regression.pValue), qValue: WebhookEvent.finite(regression.qValue),
            sources: regression.currentSources, openedAt: regression.openedAt, resolvedAt: regression.resolvedAt, resolution: resolution)
        fields.tool = regression.tool
        fields.basis = regression.basis.rawValue
        fields.measuredAt = Regression.measured(regression.sessionMeasuredAt)
        fields.unit = regression.tool == nil ? nil : regression.unit ?? regression.metric.unit
        fields.reopenedAt = regression.reopenedAt
        let (name, time): (WebhookEvent.Name, String) =
            switch kind {
            case .opened: (.regressionOpened, regression.openedAt)
            case .reopened: (.regressionReopened, regression.reopenedAt ?? report.time)
            case .resolved: (.regressionResolved, regression.resolvedAt ?? report.time)
            }
        return WebhookEvent(
            id: RegressionFeed.entryID(
                scope: scope, regression: regression.id, kind: kind,
                occurrence: RegressionFeed.Event.occurrence(of: kind, reopenCount: regression.reopenCount)),
            event: name, time: time, title: title, text: text, inputs: report.inputs, reportPath: report.markdownPath, regression: fields)
    }

    /// The event of a regression `chimerad regressions ack` resolved, or nil
    /// when no webhook is set (or the row's metric is unknown): stated as a
    /// report would, with the newest report over its inputs as its report.
    package static func acknowledged(_ row: Store.RegressionRow, settings: Settings.Notify, lastReportPath: String?) throws -> Store.OutboxEntry? {
        guard settings.isEnabled, let regression = Regression(row: row) else { return nil }
        let inputs = row.scope.split(separator: "\n").map(String.init)
        let report = Written(
            markdownPath: lastReportPath ?? "", jsonPath: "", htmlPath: "", base: "", trigger: "manual",
            time: row.resolvedAt ?? Timestamps.iso8601(Date()), inputs: inputs, filesSeen: 0, filesAnalyzed: 0, filesSkipped: 0,
            filesChanged: 0, filesDeleted: 0, openRegressions: 0)
        let event = event(regression, kind: .resolved, scope: row.scope, report: report)
        return Store.OutboxEntry(eventID: event.id, kind: .resolved, payload: try event.jsonText())
    }

    /// Parameters as a JSON object; a name given twice keeps its first value.
    private static func dictionary(_ parameters: [Parameter]) -> [String: String] {
        Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
