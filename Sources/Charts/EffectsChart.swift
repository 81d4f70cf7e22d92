/// What each parameter of a sweep does: one small panel per parameter, its
/// levels along the bottom in their order and the median of the runs at each
/// level joined by a line, every panel on the same vertical axis so that a
/// parameter that matters stands out from one that does not. A band around
/// the typical level shows one run's run-to-run noise, so a line within it is
/// seen to be noise; panels of parameters judged within the noise are grey.
///
/// ```swift
/// let chart = EffectsChart(title: "gemma3:270m sweep: tok/s by parameter", unit: "tok/s", panels: [
///     .init(parameter: "num_ctx", levels: [.init(value: "2048", median: 120.1), .init(value: "4096", median: 118.7)], note: "within the noise", muted: true),
/// ])
/// ```
public struct EffectsChart: Sendable {
    public struct Level: Sendable, Equatable {
        public var value: String
        public var median: Double?

        public init(value: String, median: Double?) {
            self.value = value
            self.median = median.flatMap { $0.isFinite ? $0 : nil }
        }
    }

    public struct Panel: Sendable, Equatable {
        public var parameter: String
        public var levels: [Level]
        /// Under its name: `beyond the noise`, `a sampling setting`.
        public var note: String
        /// Drawn grey: its spread is within the noise (or the noise is unknown).
        public var muted: Bool

        public init(parameter: String, levels: [Level], note: String, muted: Bool) {
            self.parameter = parameter
            self.levels = Array(levels.prefix(EffectsChart.levelLimit))
            self.note = note
            self.muted = muted
        }
    }

    public var title: String
    public var unit: String
    public var panels: [Panel]
    /// One run's standard deviation, in the unit, drawn as a band either
    /// side of the median of all levels; nil when unknown.
    public var noise: Double?
    public static let panelLimit = 9
    public static let levelLimit = 16
    static let perLine = 3

    public init(title: String, unit: String, panels: [Panel], noise: Double? = nil) {
        self.title = title
        self.unit = unit
        self.noise = noise.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        self.panels = Array(panels.prefix(EffectsChart.panelLimit))
    }

    public var svg: String {
        let width = 760.0
        let left = 64.0
        let gap = 22.0
        let panelWidth = (width - left - 12 - gap * Double(EffectsChart.perLine - 1)) / Double(EffectsChart.perLine)
        let panelHeight = 150.0
        let lineHeight = panelHeight + 74
        let lines = (max(panels.count, 1) + EffectsChart.perLine - 1) / EffectsChart.perLine
        let height = 30 + Double(lines) * lineHeight
        let medians = panels.flatMap { $0.levels.compactMap(\.median) }
        let band = center.flatMap { center in noise.map { (low: center - $0, high: center + $0) } }
        var svg = SVGDocument(width: width, height: height, title: title, description: description)
        svg.heading(title)
        for (index, panel) in panels.enumerated() {
            let line = index / EffectsChart.perLine
            let column = index % EffectsChart.perLine
            let x0 = left + Double(column) * (panelWidth + gap)
            let top = 30 + Double(line) * lineHeight + 34
            let bottom = top + panelHeight
            let y = LinearScale(
                values: medians + [band?.low, band?.high].compactMap { $0 }, start: bottom, end: top, fromZero: false, tickCount: 4)
            if let band {
                svg.rect(
                    x: x0, y: y.position(band.high), width: panelWidth, height: y.position(band.low) - y.position(band.high),
                    fill: Palette.color(4), opacity: 0.18)
            }
            svg.text(RangeChart.shortened(panel.parameter), x: x0, y: top - 20, size: 12, bold: true)
            svg.text(panel.note, x: x0, y: top - 6, size: 10, fill: Palette.axis)
            for tick in y.ticks {
                svg.line(x1: x0, y1: y.position(tick), x2: x0 + panelWidth, y2: y.position(tick), stroke: Palette.grid, width: 0.5)
                if column == 0 { svg.text(y.label(tick), x: x0 - 6, y: y.position(tick) + 4, anchor: .end, size: 10) }
            }
            if column == 0 { svg.text(unit, x: x0 - 6, y: top - 20, anchor: .end, size: 11) }
            svg.line(x1: x0, y1: bottom, x2: x0 + panelWidth, y2: bottom, stroke: Palette.axis)
            let step = panelWidth / Double(max(panel.levels.count, 1))
            let color = panel.muted ? Palette.axis : Palette.color(0)
            var points: [(x: Double, y: Double)] = []
            let labelEvery = max(1, Int((Double(panel.levels.count) * 44 / panelWidth).rounded(.up)))
            for (position, level) in panel.levels.enumerated() {
                let x = x0 + step * (Double(position) + 0.5)
                if position % labelEvery == 0 {
                    svg.text(EffectsChart.shortened(level.value), x: x, y: bottom + 14, anchor: .middle, size: 10)
                }
                guard let median = level.median else { continue }
                points.append((x, y.position(median)))
            }
            svg.polyline(points, stroke: color)
            for point in points { svg.circle(x: point.x, y: point.y, radius: 3.5, fill: color) }
        }
        return svg.rendered
    }

    static func shortened(_ value: String) -> String { SVGDocument.shortened(value, to: 8) }

    /// The median of every level's median: the middle of the noise band.
    var center: Double? {
        let medians = panels.flatMap { $0.levels.compactMap(\.median) }.sorted()
        guard !medians.isEmpty else { return nil }
        return (medians[(medians.count - 1) / 2] + medians[medians.count / 2]) / 2
    }

    /// The text alternative: every parameter's levels with their medians.
    public var description: String {
        let parts = panels.map { panel in
            let levels = panel.levels.map { level in
                level.value + " " + (level.median.map { LinearScale.fixed($0, 2) } ?? "—")
            }
            return "\(panel.parameter) (\(panel.note)): " + levels.joined(separator: ", ")
        }
        var text = "\(title), median \(unit) at each level of each parameter. " + parts.joined(separator: "; ") + "."
        if let noise, let center {
            text += " Shaded: \(LinearScale.fixed(center, 2)) ± \(LinearScale.fixed(noise, 2)) \(unit), one run's run-to-run noise."
        }
        return text
    }
}
