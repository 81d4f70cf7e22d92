/// A lasting change in a group's session history on one metric: where the
/// level of its session medians moved and stayed moved (`ChangePoints`), so a
/// slow slide that no single session-to-baseline test flags is still said.
package struct GroupChangePoint: Sendable, Equatable {
    package var metric: TestedMetric
    /// The first session of the new level: its position in `RunGroup.sessions`.
    package var session: Int
    /// Medians of the session medians before and after it.
    package var before: Double
    package var after: Double
    package var pValue: Double

    /// How many of a group's latest sessions are searched: enough for any
    /// history a report reads, and the search grows with its square.
    package static let sessionsSearched = 60

    package init(metric: TestedMetric, session: Int, before: Double, after: Double, pValue: Double) {
        self.metric = metric
        self.session = session
        self.before = before
        self.after = after
        self.pValue = pValue
    }

    package var changePercent: Double? { before != 0 ? (after / before - 1) * 100 : nil }

    /// The change points of one metric over a group's sessions (chronological
    /// positions `0..<figures.count`, by their medians; sessions without one
    /// are left out of the series).
    static func detect(_ metric: TestedMetric, medians: [Double?]) -> [GroupChangePoint] {
        var positions: [Int] = []
        var series: [Double] = []
        for (position, median) in medians.enumerated() {
            if let median, median.isFinite {
                positions.append(position)
                series.append(median)
            }
        }
        let searched = min(series.count, sessionsSearched)
        let offset = series.count - searched
        guard searched >= 2 * ChangePoints.minimumSegment else { return [] }
        return ChangePoints.detect(Array(series[offset...])).map { point in
            GroupChangePoint(
                metric: metric, session: positions[offset + point.index], before: point.before, after: point.after,
                pValue: point.pValue)
        }
    }
}
