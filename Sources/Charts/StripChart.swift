/// Every run as a dot: one row per session (oldest first), one colour per
/// session, the session's median as a tick, and one panel per metric side by
/// side (decode throughput, warm TTFT), each on its own axis. What a table of
/// medians hides shows at once: a bimodal pool, one slow session, a drift.
///
/// ```swift
/// let chart = StripChart(
///     title: "gemma3:270m: runs per session",
///     rows: [.init(label: "11-30 09:12", detail: "runs.csv")],
///     panels: [.init(name: "Decode throughput", unit: "tok/s", values: [[121.2, 121.9]], medians: [121.6], counts: [2])])
/// let svg = chart.svg
/// ```
public struct StripChart: Sendable {
    public struct Row: Sendable, Equatable {
        /// Left of the row: when the session was measured (`11-30 09:12`).
        public var label: String
        /// For the text alternative: its file.
        public var detail: String

        public init(label: String, detail: String) {
            self.label = label
            self.detail = detail
        }
    }

    /// One metric: per row, the values drawn, their median and how many runs
    /// they were picked from.
    public struct Panel: Sendable, Equatable {
        public var name: String
        public var unit: String
        public var values: [[Double]]
        public var medians: [Double?]
        public var counts: [Int]
        /// Decimals of a median in the text alternative, as the report's tables print the metric.
        public var decimals: Int

        public init(name: String, unit: String, values: [[Double]], medians: [Double?], counts: [Int], decimals: Int = 2) {
            self.name = name
            self.unit = unit
            self.decimals = decimals
            self.values = values.map { $0.filter(\.isFinite) }
            self.medians = medians.map { $0?.isFinite == true ? $0 : nil }
            self.counts = counts
        }

        func values(_ row: Int) -> [Double] { row < values.count ? values[row] : [] }
        func median(_ row: Int) -> Double? { row < medians.count ? medians[row] : nil }
        func count(_ row: Int) -> Int { row < counts.count ? counts[row] : 0 }
    }

    public var title: String
    public var rows: [Row]
    public var panels: [Panel]
    /// Panels beyond this are left out: two metrics fit side by side.
    public static let panelLimit = 3

    public init(title: String, rows: [Row], panels: [Panel]) {
        self.title = title
        self.rows = rows
        self.panels = Array(panels.prefix(StripChart.panelLimit))
    }

    public var svg: String {
        let width = 760.0
        // Room for the row labels: `11-30 09:12`, or with the year.
        let left = 96 + Double(max(0, (rows.map(\.label.count).max() ?? 0) - 11)) * 6.6
        let gap = 28.0
        let right = 16.0
        let top = 48.0
        let rowHeight = 20.0
        let bottom = top + rowHeight * Double(max(rows.count, 1))
        let height = bottom + 44
        let panelWidth = (width - left - right - gap * Double(max(panels.count - 1, 0))) / Double(max(panels.count, 1))
        var svg = SVGDocument(width: width, height: height, title: title, description: description)
        svg.heading(title)
        for (index, row) in rows.enumerated() {
            svg.text(row.label, x: left - 8, y: top + rowHeight * (Double(index) + 0.5) + 4, anchor: .end, size: 11)
        }
        for (panelIndex, panel) in panels.enumerated() {
            let start = left + Double(panelIndex) * (panelWidth + gap)
            let all = rows.indices.flatMap { panel.values($0) + [panel.median($0)].compactMap { $0 } }
            let scale = LinearScale(values: all, start: start + 6, end: start + panelWidth - 6, fromZero: false, tickCount: 4)
            svg.text(panel.name, x: start, y: top - 12, size: 12, bold: true)
            for tick in scale.ticks {
                let x = scale.position(tick)
                svg.line(x1: x, y1: top - 4, x2: x, y2: bottom, stroke: Palette.grid, width: 0.5)
                svg.text(scale.label(tick), x: x, y: bottom + 15, anchor: .middle, size: 10)
            }
            svg.line(x1: start, y1: bottom, x2: start + panelWidth, y2: bottom, stroke: Palette.axis)
            svg.text(panel.unit, x: start + panelWidth / 2, y: bottom + 33, anchor: .middle, size: 11)
            for row in rows.indices {
                let center = top + rowHeight * (Double(row) + 0.5)
                let color = Palette.color(row)
                for (index, value) in panel.values(row).enumerated() {
                    svg.circle(x: scale.position(value), y: center + StripChart.jitter(index), radius: 2.6, fill: color, opacity: 0.75)
                }
                if let median = panel.median(row) {
                    let x = scale.position(median)
                    svg.line(x1: x, y1: center - 8, x2: x, y2: center + 8, stroke: "currentColor", width: 2)
                }
            }
        }
        return svg.rendered
    }

    /// A dot's offset from its row's centre line: the golden ratio's
    /// sequence, so dots of equal value spread out the same way every time.
    static func jitter(_ index: Int) -> Double {
        let fraction = (Double(index) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1)
        return (fraction - 0.5) * 11
    }

    /// The text alternative: per metric, each session's median and how many
    /// runs are drawn.
    public var description: String {
        var parts: [String] = []
        for panel in panels {
            let sessions = rows.indices.map { row -> String in
                let drawn = panel.values(row).count
                let total = panel.count(row)
                var part = rows[row].label + " (" + rows[row].detail + "): "
                if let median = panel.median(row) {
                    part += "median \(LinearScale.fixed(median, panel.decimals)) \(panel.unit), "
                } else {
                    part += "no value, "
                }
                part += drawn == total ? "\(total) runs" : "\(drawn) of \(total) runs drawn"
                return part
            }
            parts.append(panel.name + ": " + sessions.joined(separator: "; "))
        }
        return "\(title). One row per session, oldest first; each dot is a run, each tick a session's median. " + parts.joined(separator: ". ")
            + "."
    }
}
