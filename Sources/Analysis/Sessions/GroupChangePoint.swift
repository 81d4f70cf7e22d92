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

    /// The change points of one metric over a group's sessions, searched
    /// apart in each environment (`environments`, in the same chronological
    /// order; empty: one): a move to another GPU or host is said as such by
    /// the session tests, never as a lasting change of level. A session
    /// joins the environment of the latest earlier session it does not
    /// differ from (a key one lacks is no difference), else starts its own.
    static func detect(_ metric: TestedMetric, medians: [Double?], environments: [SessionEnvironment]) -> [GroupChangePoint] {
        guard environments.count == medians.count, environments.contains(where: { !$0.values.isEmpty }) else {
            return detect(metric, medians: medians)
        }
        // Each environment's sessions (chronological positions), and its latest member.
        var classes: [[Int]] = []
        for position in medians.indices {
            let joined = classes.indices.last { index in
                classes[index].last.map { environments[position].differences(from: environments[$0]).isEmpty } ?? false
            }
            if let joined { classes[joined].append(position) } else { classes.append([position]) }
        }
        guard classes.count > 1 else { return detect(metric, medians: medians) }
        return classes.flatMap { members in
            detect(metric, medians: members.map { medians[$0] }).map { point in
                var point = point
                point.session = members[point.session]
                return point
            }
        }.sorted { $0.session < $1.session }
    }

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
