import Charts
import Records

extension ReportFigures {
    /// A figure before it is drawn: its file's name and place, and the chart
    /// to draw. Charts are values; drawing them (thousands of coordinates for
    /// a group's runs) is the costly part, done once every draft is known.
    struct Draft {
        var figure: ReportFigure
        var drawing: Drawing

        init(_ figure: ReportFigure, _ drawing: Drawing) {
            self.figure = figure
            self.drawing = drawing
        }

        /// The SVG, with the mark of its inputs (sealed, given a seal) when it has one.
        func drawn(sealedWith seal: ChartSeal?) -> String {
            let svg = drawing.svg
            guard let mark = inputsMark, let lineEnd = svg.firstIndex(of: "\n") else { return svg }
            let opening = String(svg[...lineEnd])
            let rest = String(svg[svg.index(after: lineEnd)...])
            // After the opening tag: a comment, so the picture is the same.
            let sealText = seal.map { " " + $0.seal(mark + "\n" + opening + rest) } ?? ""
            return opening + mark + sealText + " -->\n" + rest
        }

        /// `text` (the newest report's file of this name), when it is this
        /// chart drawn from the same inputs and its seal checks.
        func reusable(_ text: String, seal: ChartSeal) -> String? {
            guard let mark = inputsMark, let openingEnd = text.firstIndex(of: "\n") else { return nil }
            let afterOpening = text.index(after: openingEnd)
            guard let markEnd = text[afterOpening...].firstIndex(of: "\n") else { return nil }
            let line = text[afterOpening..<markEnd]
            guard line.hasPrefix(mark + " "), line.hasSuffix(" -->") else { return nil }
            let sealText = line.dropFirst(mark.count + 1).dropLast(4)
            let opening = text[...openingEnd]
            let rest = text[text.index(after: markEnd)...]
            return seal.checks(mark + "\n" + opening + rest, seal: sealText) ? text : nil
        }

        /// The start of a comment naming what the chart is drawn from (hashed,
        /// with the drawing's version), for the charts a report has one per
        /// group: the next report finds it in the published file and takes
        /// the file instead of drawing the same chart again.
        var inputsMark: String? {
            drawing.inputs.map { "<!-- chimerad chart inputs \(figure.kind.rawValue) \(String($0, radix: 16))" }
        }
    }

    /// What a figure draws: one case per kind of chart.
    enum Drawing {
        case range(RangeChart)
        case strip(StripChart)
        case session(SessionChart)
        case effects(EffectsChart)
        case ratio(RatioChart)

        var svg: String {
            switch self {
            case .range(let chart): chart.svg
            case .strip(let chart): chart.svg
            case .session(let chart): chart.svg
            case .effects(let chart): chart.svg
            case .ratio(let chart): chart.svg
            }
        }

        /// A hash of everything the chart is drawn from, for the per-group
        /// charts (the others are few, and drawn each time).
        var inputs: UInt64? {
            var hash = StableHash()
            hash.add(UInt64(SVGDocument.drawingVersion))
            switch self {
            case .strip(let chart):
                hash.add(chart.title)
                for row in chart.rows {
                    hash.add(row.label)
                    hash.add(row.detail)
                }
                for panel in chart.panels {
                    hash.add(panel.name)
                    hash.add(panel.unit)
                    for (values, median) in zip(panel.values, panel.medians) {
                        hash.add(UInt64(values.count))
                        for value in values { hash.add(value.bitPattern) }
                        hash.add(median?.bitPattern ?? UInt64.max)
                    }
                    for count in panel.counts { hash.add(UInt64(count)) }
                }
            case .session(let chart):
                hash.add(chart.title)
                hash.add(chart.unit)
                for session in chart.sessions {
                    hash.add(session.label)
                    hash.add(session.detail)
                    for value in [session.median, session.lower, session.upper] { hash.add(value?.bitPattern ?? UInt64.max) }
                }
                for index in chart.changesAt.sorted() { hash.add(UInt64(index)) }
                hash.add(chart.baseline?.label ?? "")
                hash.add(chart.baseline?.value.bitPattern ?? UInt64.max)
                for (index, text) in chart.regressions.sorted(by: { $0.key < $1.key }) {
                    hash.add(UInt64(index))
                    hash.add(text)
                }
            case .range, .effects, .ratio:
                return nil
            }
            return hash.low
        }
    }
}
