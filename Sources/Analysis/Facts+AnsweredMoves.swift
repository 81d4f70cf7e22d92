extension Facts {
    /// Whether a pooled move's group and metric had its new session tested in
    /// this report (or opened, revised or reopened a regression now): that
    /// test answers "is it worse?". The pooled move mixes the earlier runs
    /// into both sides, so "not a confirmed regression" beside the regression
    /// the session opened contradicted it. A regression opened by an earlier
    /// report answers nothing new: an edited old file's pooled move is still said.
    /// The test of it, built once: callers filter every move of a report.
    package var isAnswered: (Changes.Move) -> Bool {
        let keys = answeredMoveKeys
        return { keys.contains(Facts.moveKey(model: $0.model, configuration: $0.configuration, metric: $0.metric)) }
    }

    private var answeredMoveKeys: Set<String> {
        let tested = sessionComparisons.filter { $0.tool == nil && $0.test != nil }.map {
            Facts.moveKey(model: $0.model, configuration: $0.configuration.rendered, metric: $0.metric.rawValue)
        }
        let now = (regressions.opened + regressions.reopened).filter { $0.tool == nil }.map {
            Facts.moveKey(model: $0.model, configuration: $0.configuration.rendered, metric: $0.metric.rawValue)
        }
        return Set(tested + now)
    }

    private static func moveKey(model: String, configuration: String, metric: String) -> String {
        model + " | " + configuration + " | " + metric
    }
}
