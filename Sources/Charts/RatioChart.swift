/// Ratios against a reference, one row each, on a log scale: a bar from the
/// reference (1×) to the ratio, to the right and in blue when it is above 1
/// (faster), to the left and in vermillion when below, as compilation
/// backends stand against eager execution. A row without a ratio (a backend
/// that failed) is named, with why, at the reference line.
///
/// ```swift
/// let chart = RatioChart(title: "resnet18: speedup against eager", reference: "eager", rows: [
///     .init(label: "inductor", ratio: 2.1, shown: "2.10×"),
///     .init(label: "cudagraphs", ratio: nil, shown: "failed"),
/// ])
/// ```
public struct RatioChart: Sendable {
    public struct Row: Sendable, Equatable {
        public var label: String
        /// Nil when there is none to draw; `shown` says why.
        public var ratio: Double?
        /// The ratio as the report's tables print it, or why there is none.
        public var shown: String

        public init(label: String, ratio: Double?, shown: String) {
            self.label = label
            self.ratio = ratio.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
            self.shown = shown
        }
    }

    public var title: String
    /// Under the title: what was measured (`batch_size=4, device=cpu`).
    public var subtitle: String?
    /// What 1× is (`eager`).
    public var reference: String
    public var rows: [Row]
    public static let rowLimit = 24

    public init(title: String, subtitle: String? = nil, reference: String, rows: [Row]) {
        self.title = title
        self.subtitle = subtitle
        self.reference = reference
        self.rows = rows
    }

    public var svg: String {
        let shown = Array(rows.prefix(RatioChart.rowLimit))
        let width = 760.0
        let left = 200.0
        let right = 80.0
        let top = subtitle == nil ? 44.0 : 58.0
        let rowHeight = 22.0
        let bottom = top + rowHeight * Double(max(shown.count, 1))
        let height = bottom + 46
        let scale = LogScale(values: shown.compactMap(\.ratio), start: left, end: width - right)
        var svg = SVGDocument(width: width, height: height, title: title, description: description)
        svg.heading(title, subtitle: subtitle)
        for tick in scale.ticks {
            let x = scale.position(tick)
            svg.line(x1: x, y1: top - 4, x2: x, y2: bottom, stroke: Palette.grid, width: tick == 1 ? 0 : 0.5)
            svg.text(scale.label(tick) + "×", x: x, y: bottom + 16, anchor: .middle, size: 11)
        }
        let one = scale.position(1)
        svg.line(x1: left, y1: bottom, x2: width - right, y2: bottom, stroke: Palette.axis)
        svg.text(
            "ratio to \(reference), log scale (right of \(reference): faster)", x: (left + width - right) / 2, y: bottom + 36, anchor: .middle,
            size: 12)
        let labels = SVGDocument.distinct(shown.map(\.label), to: RangeChart.labelLimit)
        for (index, row) in shown.enumerated() {
            let y = top + rowHeight * (Double(index) + 0.5)
            svg.text(labels[index], x: left - 8, y: y + 4, anchor: .end, size: 12)
            guard let ratio = row.ratio else {
                svg.text("× " + row.shown, x: one + 6, y: y + 4, size: 11, fill: Palette.color(5))
                continue
            }
            let x = scale.position(ratio)
            let color = ratio >= 1 ? Palette.color(0) : Palette.color(5)
            svg.rect(x: min(x, one), y: y - 6, width: max(abs(x - one), 1.5), height: 12, fill: color, opacity: 0.8)
            svg.text(row.shown, x: ratio >= 1 ? x + 6 : x - 6, y: y + 4, anchor: ratio >= 1 ? .start : .end, size: 11)
        }
        svg.line(x1: one, y1: top - 6, x2: one, y2: bottom, stroke: "currentColor", width: 1.5)
        svg.text(reference, x: one, y: top - 8, anchor: .middle, size: 11)
        return svg.rendered
    }

    /// The text alternative: every row's ratio as the table prints it.
    public var description: String {
        var parts = rows.prefix(RatioChart.rowLimit).map { "\($0.label): \($0.shown)" }
        if rows.count > RatioChart.rowLimit { parts.append("\(rows.count - RatioChart.rowLimit) more rows are in the table") }
        let measured = subtitle.map { " (\($0))" } ?? ""
        return "\(title)\(measured), against \(reference) on a log scale. " + parts.joined(separator: "; ") + "."
    }
}
