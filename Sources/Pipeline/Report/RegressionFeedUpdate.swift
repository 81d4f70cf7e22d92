import Analysis
import Reporting
import Store

/// After a report: `regressions.atom` rewritten from the store's regressions
/// of its scope (open and recently resolved), each opening and each
/// resolution an entry worded as the reports word it.
package enum RegressionFeedUpdate {
    static func feed(inputs: [String], store: Store) throws -> RegressionFeed {
        let scope = DigestLoad.cacheScope(reportKey: inputs)
        let open = try store.openRegressions(scope: scope)
        let resolved = try store.resolvedRegressions(scope: scope, limit: RegressionFeed.entryLimit)
        var events: [RegressionFeed.Event] = []
        for regression in (open + resolved).compactMap(Regression.init(row:)) {
            // Each event numbered by how often it was reopened (`Event.occurrence`).
            func event(
                _ kind: RegressionFeed.Event.Kind, at time: String, title: String, summary: String, formerTitle: String? = nil
            ) -> RegressionFeed.Event {
                RegressionFeed.Event(
                    kind: kind, regression: regression.id,
                    occurrence: RegressionFeed.Event.occurrence(of: kind, reopenCount: regression.reopenCount), at: time,
                    title: "Regression #\(regression.id) \(title)", summary: summary,
                    formerTitle: formerTitle.map { "Regression #\(regression.id) \($0)" })
            }
            let change = "\(regression.label), \(regression.changeText.text)"
            events.append(event(.opened, at: regression.openedAt, title: "opened: " + change, summary: regression.openText.text))
            // Its last reopening (the entries of earlier ones keep their ids in readers that have them).
            if let reopenedAt = regression.reopenedAt {
                events.append(event(.reopened, at: reopenedAt, title: "reopened: " + change, summary: regression.openText.text))
            }
            if let resolvedAt = regression.resolvedAt {
                let subject = "\(regression.label), \(regression.metric.label)"
                events.append(
                    event(
                        .resolved, at: resolvedAt, title: "resolved (\(resolution(regression))): \(subject)", summary: regression.resolvedText.text,
                        formerTitle: "resolved (\(regression.resolution?.kind ?? "recovered")): \(subject)"))
            }
        }
        return RegressionFeed(inputs: inputs, events: events)
    }

    /// How it was resolved, with the figure a reader wants first: a recovery's
    /// change against the baseline (`recovered by night-8.csv, +0.9% against
    /// the baseline`), where the title named the metric and no figure.
    static func resolution(_ regression: Regression) -> String {
        guard case .recovered(let source, let change) = regression.resolution else { return regression.resolution?.kind ?? "recovered" }
        // A change that rounds to nothing is no `-0.0%`.
        let shown = (change * 10).rounded() == 0 ? 0 : change
        return "recovered by \(source), \(Figures.signedPercent(shown)) against the baseline"
    }

    /// Writes the feed of `inputs` (a report's key) as the store has it, `updated` at that
    /// time, unless the file already says the same (no regression moved:
    /// nothing to write or sync). Returns whether it wrote.
    @discardableResult
    static func write(inputs: [String], updated: String, store: Store, writer: ReportWriter) throws -> Bool {
        let feed = try RegressionFeedUpdate.feed(inputs: inputs, store: store)
        let previous = writer.contents(of: RegressionFeed.fileName, limit: 1 << 20)
        let text = feed.render(updated: updated, previous: previous)
        guard text != previous else { return false }
        try writer.replace(RegressionFeed.fileName, with: text)
        return true
    }

    /// At a daemon's start with nothing new to report: the feed as of the
    /// last report, written if the file is behind it (a daemon killed after
    /// publishing a report, before its feed). Returns whether it wrote.
    package static func catchUp(roots reportKey: [String], last: ReportRecord, store: Store, writer: ReportWriter) throws -> Bool {
        try write(inputs: reportKey, updated: last.generatedAt, store: store, writer: writer)
    }
}
