import Analysis
import Reporting
import Store

/// After a report: `regressions.atom` rewritten from the store's regressions
/// of its scope (open and recently resolved), each opening and each
/// resolution an entry worded as the reports word it.
enum RegressionFeedUpdate {
    static func feed(scope: String, store: Store) throws -> RegressionFeed {
        let open = try store.openRegressions(scope: scope)
        let resolved = try store.resolvedRegressions(scope: scope, limit: RegressionFeed.entryLimit)
        var events: [RegressionFeed.Event] = []
        for regression in (open + resolved).compactMap(Regression.init(row:)) {
            // Each event numbered by how often it was reopened (`Event.occurrence`).
            func event(_ kind: RegressionFeed.Event.Kind, at time: String, title: String, summary: String) -> RegressionFeed.Event {
                RegressionFeed.Event(
                    kind: kind, regression: regression.id,
                    occurrence: RegressionFeed.Event.occurrence(of: kind, reopenCount: regression.reopenCount), at: time,
                    title: "Regression #\(regression.id) \(title)", summary: summary)
            }
            let change = "\(regression.label), \(regression.changeText.text)"
            events.append(event(.opened, at: regression.openedAt, title: "opened: " + change, summary: regression.openText.text))
            // Its last reopening (the entries of earlier ones keep their ids in readers that have them).
            if let reopenedAt = regression.reopenedAt {
                events.append(event(.reopened, at: reopenedAt, title: "reopened: " + change, summary: regression.openText.text))
            }
            if let resolvedAt = regression.resolvedAt {
                let how = regression.resolution?.kind ?? "recovered"
                events.append(
                    event(
                        .resolved, at: resolvedAt, title: "resolved (\(how)): \(regression.label), \(regression.metric.label)",
                        summary: regression.resolvedText.text))
            }
        }
        return RegressionFeed(scope: scope, events: events)
    }
}
