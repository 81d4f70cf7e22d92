/// A group's history: one column per session in the order measured, its
/// interquartile range as a bar and its median as a dot joined to the next;
/// a session whose every run failed as a cross on the axis; a change point as
/// a dashed line before the session it starts; the baseline the newest
/// session was compared with as a dashed level, and a session with an open
/// regression ringed and named.
///
/// ```swift
/// let chart = SessionChart(title: "gemma3:270m, decode throughput per session", unit: "tok/s", sessions: [
///     .init(label: "11-30 09:12", median: 121.6, lower: 121.3, upper: 121.8, detail: "runs.csv, 5 runs"),
/// ])
/// ```
public struct SessionChart: Sendable {
    public struct Session: Sendable, Equatable {
        /// Under the column: when it was measured (`11-30 09:12`).
        public var label: String
        /// Nil for a session with no successful run.
        public var median: Double?
        public var lower: Double?
        public var upper: Double?
        /// For the text alternative: its file and run counts.
        public var detail: String

        public init(label: String, median: Double?, lower: Double?, upper: Double?, detail: String) {
            self.label = label
            self.median = median
            self.lower = lower
            self.upper = upper
            self.detail = detail
        }
    }

    public var title: String
    public var unit: String
    /// The newest `sessionLimit` sessions, oldest first.
    public var sessions: [Session]
    /// Indices (into `sessions`) of the sessions a change point starts.
    public var changesAt: Set<Int>
    /// The level the latest comparison measured against, and what it was
    /// (`baseline: 3 sessions`).
    public var baseline: (value: Double, label: String)?
    /// Indices of sessions with an open regression, and its name
    /// (`regression #4: -19.3%`).
    public var regressions: [Int: String]
    public static let sessionLimit = 40

    public init(
        title: String, unit: String, sessions: [Session], changesAt: Set<Int> = [], baseline: (value: Double, label: String)? = nil,
        regressions: [Int: String] = [:]
    ) {
        let dropped = max(sessions.count - SessionChart.sessionLimit, 0)
        self.title = title
        self.unit = unit
        // A figure that is not finite is not drawn: a median without one is a session without runs.
        self.sessions = sessions.suffix(SessionChart.sessionLimit).map { session in
            var session = session
            if session.median?.isFinite != true { session.median = nil }
            if session.lower?.isFinite != true || session.upper?.isFinite != true { (session.lower, session.upper) = (nil, nil) }
            return session
        }
        self.changesAt = Set(changesAt.map { $0 - dropped }.filter { $0 >= 0 })
        self.baseline = baseline.flatMap { $0.value.isFinite ? $0 : nil }
        self.regressions = Dictionary(uniqueKeysWithValues: regressions.compactMap { $0.key >= dropped ? ($0.key - dropped, $0.value) : nil })
    }

    public var svg: String {
        let width = 760.0
        let height = 250.0
        let left = 70.0
        let right = 20.0
        let top = 44.0
        let bottom = height - 56
        let values = sessions.flatMap { [$0.median, $0.lower, $0.upper].compactMap { $0 } } + [baseline?.value].compactMap { $0 }
        let y = LinearScale(values: values, start: bottom, end: top, fromZero: false, tickCount: 4)
        let column = (width - left - right) / Double(max(sessions.count, 1))
        func x(_ index: Int) -> Double { left + column * (Double(index) + 0.5) }
        var svg = SVGDocument(width: width, height: height, title: title, description: description)
        svg.heading(title)
        for tick in y.ticks {
            svg.line(x1: left, y1: y.position(tick), x2: width - right, y2: y.position(tick), stroke: Palette.grid, width: 0.5)
            svg.text(y.label(tick), x: left - 6, y: y.position(tick) + 4, anchor: .end, size: 11)
        }
        svg.text(unit, x: left - 6, y: top - 12, anchor: .end, size: 12)
        svg.line(x1: left, y1: bottom, x2: width - right, y2: bottom, stroke: Palette.axis)
        if let baseline {
            let level = y.position(baseline.value)
            svg.line(x1: left, y1: level, x2: width - right, y2: level, stroke: Palette.color(2), width: 1.5, dashed: true)
            svg.text(baseline.label, x: width - right, y: level - 5, anchor: .end, size: 10, fill: Palette.color(2))
        }
        // Room per label: 70 for `11-30 09:12`, more when the year is in it.
        let labelRoom = 70 + Double(max(0, (sessions.map(\.label.count).max() ?? 0) - 11)) * 6.2
        let labelEvery = max(1, Int((Double(sessions.count) * labelRoom / (width - left - right)).rounded(.up)))
        var previous: (x: Double, y: Double)?
        // Change points side by side are labelled once: the words would overprint.
        var changeLabelledAt = -Double.infinity
        for (index, session) in sessions.enumerated() {
            let center = x(index)
            if changesAt.contains(index) {
                svg.line(x1: center - column / 2, y1: top, x2: center - column / 2, y2: bottom, stroke: Palette.color(5), width: 1.5, dashed: true)
                if center - changeLabelledAt >= 45 {
                    svg.text("change", x: center - column / 2 + 3, y: top + 10, size: 10, fill: Palette.color(5), halo: true)
                    changeLabelledAt = center
                }
            }
            // The last session is always labelled, so a label too close before it is left out.
            let last = sessions.count - 1
            if index == last || (index % labelEvery == 0 && last - index >= labelEvery) {
                svg.text(session.label, x: center, y: bottom + 16, anchor: .middle, size: 10)
            }
            guard let median = session.median else {
                svg.text("×", x: center, y: bottom - 4, anchor: .middle, size: 14, fill: Palette.color(5))
                previous = nil
                continue
            }
            if let lower = session.lower, let upper = session.upper, upper > lower {
                svg.rect(
                    x: center - min(column * 0.3, 10), y: y.position(upper), width: min(column * 0.6, 20),
                    height: y.position(lower) - y.position(upper), fill: Palette.color(0), opacity: 0.3)
            }
            let point = (x: center, y: y.position(median))
            if let previous { svg.line(x1: previous.x, y1: previous.y, x2: point.x, y2: point.y, stroke: Palette.color(0), width: 1.5) }
            svg.circle(x: point.x, y: point.y, radius: 3.5, fill: Palette.color(0))
            if let regression = regressions[index] {
                svg.circle(x: point.x, y: point.y, radius: 7.5, fill: "none", stroke: Palette.color(5))
                let anchor: SVGDocument.Anchor = index > sessions.count / 2 ? .end : .start
                // On the side the line does not come from, so it does not cross the label.
                let fromAbove = previous.map { $0.y < point.y } ?? false
                let labelY = fromAbove && point.y + 20 < bottom ? point.y + 20 : point.y - 10
                svg.text(
                    regression, x: point.x + (anchor == .end ? -10 : 10), y: labelY, anchor: anchor, size: 11, fill: Palette.color(5), halo: true)
            }
            previous = point
        }
        svg.text("session (when measured, UTC)", x: (left + width - right) / 2, y: bottom + 40, anchor: .middle, size: 12)
        return svg.rendered
    }

    /// The text alternative: each session's median and range, in order.
    public var description: String {
        let parts = sessions.enumerated().map { index, session -> String in
            var part = (changesAt.contains(index) ? "change point, then " : "") + session.label + ": "
            if let median = session.median {
                part += "median \(LinearScale.fixed(median, 2)) \(unit)"
                if let lower = session.lower, let upper = session.upper {
                    part += " (p25-p75 \(LinearScale.fixed(lower, 2))-\(LinearScale.fixed(upper, 2)))"
                }
            } else {
                part += "no successful run"
            }
            if let regression = regressions[index] { part += ", " + regression }
            return part + ", " + session.detail
        }
        var text = "\(title), one column per session, oldest first. " + parts.joined(separator: "; ") + "."
        if let baseline { text += " Dashed level: \(baseline.label), median \(LinearScale.fixed(baseline.value, 2)) \(unit)." }
        return text
    }
}
