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
            events.append(
                RegressionFeed.Event(
                    kind: .opened, regression: regression.id, at: regression.openedAt,
                    title: "Regression #\(regression.id) opened: \(regression.label), \(regression.changeText.text)",
                    summary: regression.openText.text))
            // Its last reopening (the entries of earlier ones keep their ids in readers that have them).
            if let reopenedAt = regression.reopenedAt {
                events.append(
                    RegressionFeed.Event(
                        kind: .reopened, regression: regression.id,
                        occurrence: RegressionFeed.Event.occurrence(of: .reopened, reopenCount: regression.reopenCount), at: reopenedAt,
                        title: "Regression #\(regression.id) reopened: \(regression.label), \(regression.changeText.text)",
                        summary: regression.openText.text))
            }
            if let resolvedAt = regression.resolvedAt {
                let how = regression.resolution?.kind ?? "recovered"
                events.append(
                    RegressionFeed.Event(
                        kind: .resolved, regression: regression.id,
                        occurrence: RegressionFeed.Event.occurrence(of: .resolved, reopenCount: regression.reopenCount), at: resolvedAt,
                        title: "Regression #\(regression.id) resolved (\(how)): \(regression.label), \(regression.metric.label)",
                        summary: regression.resolvedText.text))
            }
        }
        return RegressionFeed(scope: scope, events: events)
    }
}
