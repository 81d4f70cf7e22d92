import Analysis
import Charts
import Records

/// The fleet report's charts: per model and configuration, each host's decode
/// throughput (median and p25–p75), so a slow host or a slow kind of GPU
/// shows at a glance. Every figure drawn is in the group's table too.
package enum FleetReportFigures {
    /// Groups charted, at most: as the local report, a page of a hundred charts is no page.
    package static let groupLimit = 40

    package static func figures(_ facts: FleetFacts) -> [ReportFigure] {
        var figures: [ReportFigure] = []
        for (index, group) in facts.groups.enumerated() where figures.count < groupLimit {
            if let figure = figure(group, index: index) { figures.append(figure) }
        }
        return figures
    }

    static func figure(_ group: FleetFacts.Group, index: Int) -> ReportFigure? {
        let gpus = Set(group.rows.map { $0.environment.gpu ?? "" }).sorted()
        let rows = group.rows.compactMap { row -> RangeChart.Row? in
            guard let median = row.tokensPerSecond.median else { return nil }
            let label = [row.hostID, row.environment.gpu].compactMap { $0 }.joined(separator: " ")
            return RangeChart.Row(
                label: label, median: median, lower: row.tokensPerSecond.lowerQuartile, upper: row.tokensPerSecond.upperQuartile,
                shown: Figures.tokensPerSecond(median), series: gpus.firstIndex(of: row.environment.gpu ?? "") ?? 0)
        }
        // One host is its table's one row: nothing to compare.
        guard rows.count >= 2 else { return nil }
        let subject = group.key.configuration.isEmpty ? group.key.model : "\(group.key.model) (\(group.key.configuration.rendered))"
        let chart = RangeChart(title: "Decode throughput per host: median and p25–p75", subtitle: subject, unit: "tok/s", rows: rows)
        // Named by position: unique in the report, which is all a fleet chart needs (none is reused).
        return ReportFigure(
            kind: .fleetGroup, place: .fleetGroup(index: index), name: "fleet-group-\(index + 1).svg",
            title: "\(chart.title), \(subject)", svg: chart.svg)
    }
}
