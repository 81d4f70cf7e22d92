/// One row per subject: its median as a dot and its interquartile range as a
/// bar, on a shared axis from zero, as the leaderboard ranks models by decode
/// throughput. The rows keep the order given.
///
/// ```swift
/// let chart = RangeChart(title: "Decode throughput", unit: "tok/s", rows: [
///     .init(label: "gemma3:270m", median: 121.6, lower: 121.3, upper: 121.8, shown: "121.60"),
/// ])
/// let svg = chart.svg
/// ```
public struct RangeChart: Sendable {
    public struct Row: Sendable, Equatable {
        public var label: String
        /// The dot: a median, or a mean with `Spread.standardDeviation`.
        public var median: Double
        public var lower: Double?
        public var upper: Double?
        /// The median as the report's tables print it.
        public var shown: String
        /// Its colour's place in the palette: rows of one series (one build) share it.
        public var series: Int

        public init(label: String, median: Double, lower: Double?, upper: Double?, shown: String, series: Int = 0) {
            self.label = label
            self.median = median
            self.lower = lower
            self.upper = upper
            self.shown = shown
            self.series = series
        }
    }

    /// What the dot and the bar are.
    public enum Spread: Sendable {
        /// The median, and the bar from the 25th to the 75th percentile.
        case interquartile
        /// The mean, and the bar one standard deviation either side.
        case standardDeviation
    }

    public var title: String
    /// Under the title: what every row shares (`gemma3 270M Q4_K - Medium`).
    public var subtitle: String?
    public var unit: String
    public var rows: [Row]
    public var spread: Spread
    /// Rows beyond this are left out (named in the description): a chart a page tall is no chart.
    public static let rowLimit = 24
    /// As many characters as the 250 pixels left of the axis hold at 12 px.
    static let labelLimit = 32

    public init(title: String, subtitle: String? = nil, unit: String, rows: [Row], spread: Spread = .interquartile) {
        self.title = title
        self.subtitle = subtitle
        self.unit = unit
        self.spread = spread
        // A figure that is not finite is not drawn (nor is its row, without a median).
        self.rows = rows.filter { $0.median.isFinite }.map { row in
            var row = row
            if row.lower?.isFinite != true || row.upper?.isFinite != true { (row.lower, row.upper) = (nil, nil) }
            return row
        }
    }

    public var svg: String {
        let shown = Array(rows.prefix(RangeChart.rowLimit))
        let rowHeight = 22.0
        let top = subtitle == nil ? 30.0 : 46.0
        let left = 250.0
        let right = 70.0
        let width = 760.0
        let plotBottom = top + rowHeight * Double(max(shown.count, 1))
        let height = plotBottom + 46
        let values = shown.flatMap { [$0.median, $0.lower ?? $0.median, $0.upper ?? $0.median] }
        let scale = LinearScale(values: values, start: left, end: width - right)
        var svg = SVGDocument(width: width, height: height, title: title, description: description)
        svg.heading(title, subtitle: subtitle)
        for tick in scale.ticks {
            let x = scale.position(tick)
            svg.line(x1: x, y1: top - 4, x2: x, y2: plotBottom, stroke: Palette.grid, width: 0.5)
            svg.text(scale.label(tick), x: x, y: plotBottom + 16, anchor: .middle, size: 11)
        }
        svg.line(x1: left, y1: plotBottom, x2: width - right, y2: plotBottom, stroke: Palette.axis)
        svg.text(unit, x: (left + width - right) / 2, y: plotBottom + 36, anchor: .middle, size: 12)
        let labels = SVGDocument.distinct(shown.map(\.label), to: RangeChart.labelLimit)
        for (index, row) in shown.enumerated() {
            let y = top + rowHeight * (Double(index) + 0.5)
            let color = Palette.color(row.series)
            svg.text(labels[index], x: left - 8, y: y + 4, anchor: .end, size: 12)
            if let lower = row.lower, let upper = row.upper, upper > lower {
                svg.rect(
                    x: scale.position(lower), y: y - 5, width: scale.position(upper) - scale.position(lower), height: 10, fill: color, opacity: 0.3)
            }
            svg.circle(x: scale.position(row.median), y: y, radius: 4.5, fill: color)
            svg.text(row.shown, x: scale.position(row.median) + 8, y: y - 6, size: 10)
        }
        return svg.rendered
    }

    /// The text alternative: every row's figures, as the tables print them.
    public var description: String {
        let (center, range, shape) =
            switch spread {
            case .interquartile: ("median", "p25-p75", "median and interquartile range")
            case .standardDeviation: ("mean", "± 1 sd", "mean and one standard deviation either side")
            }
        var parts = rows.prefix(RangeChart.rowLimit).map { row -> String in
            var part = "\(row.label): \(center) \(row.shown) \(unit)"
            if let lower = row.lower, let upper = row.upper { part += " (\(range) \(RangeChart.plain(lower))-\(RangeChart.plain(upper)))" }
            return part
        }
        if rows.count > RangeChart.rowLimit { parts.append("\(rows.count - RangeChart.rowLimit) more rows are in the table") }
        return "\(title)\(subtitle.map { " (\($0))" } ?? ""), \(shape) per row. " + parts.joined(separator: "; ") + "."
    }

    static func shortened(_ label: String) -> String { SVGDocument.shortened(label, to: labelLimit) }

    static func plain(_ value: Double) -> String { LinearScale.fixed(value, 2) }
}
