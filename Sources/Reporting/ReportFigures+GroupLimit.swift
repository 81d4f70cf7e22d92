import Analysis

extension ReportFigures {
    /// At most this many run groups get their own charts (a strip plot and a
    /// history each): a tree of thousands of configurations would otherwise
    /// write thousands of files per report, and nobody scrolls through them.
    package static let chartedGroupLimit = 40

    /// The run groups drawn, by key, and how many could have been: those
    /// with an open regression first, then those with a session this report
    /// read for the first time, then the most recently measured.
    package static func chartedGroups(_ facts: Facts) -> (keys: Set<String>, eligible: Int) {
        let eligible = facts.runGroups.filter { !$0.isSweep }
        guard eligible.count > chartedGroupLimit else { return (Set(eligible.map(\.key)), eligible.count) }
        let regressed = Set(facts.regressions.open.map(\.groupKey))
        // Smaller first; the key last, so the choice never depends on the groups' order.
        func rank(_ group: RunGroup) -> (Int, Int, Double, String) {
            (
                regressed.contains(group.key) ? 0 : 1, group.sessions.contains(where: \.isNew) ? 0 : 1,
                -(group.sessions.last?.measuredAt ?? -.infinity), group.key
            )
        }
        let chosen = eligible.map(rank).sorted { $0 < $1 }.prefix(chartedGroupLimit).map(\.3)
        return (Set(chosen), eligible.count)
    }
}
