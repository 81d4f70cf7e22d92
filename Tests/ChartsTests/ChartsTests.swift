import Foundation
import Testing

@testable import Charts

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Every element of an SVG, parsed as XML: a chart that is not well-formed
/// draws nothing in a browser.
final class SVGElements: NSObject, XMLParserDelegate {
    var names: [String] = []
    var attributes: [[String: String]] = []
    var texts: [String: [String]] = [:]
    private var current: [String] = []
    private var buffer = ""

    static func parse(_ svg: String) throws -> SVGElements {
        let elements = SVGElements()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = elements
        try #require(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")\n\(svg)")
        return elements
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]
    ) {
        names.append(name)
        self.attributes.append(attributes)
        current.append(name)
        buffer = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { buffer += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        texts[name, default: []].append(buffer)
        buffer = ""
        current.removeLast()
    }
}

@Suite("SVG charts")
struct ChartsTests {
    static let hostile = "<script>alert(1)</script> & \u{1B}[31mred\u{9B} \"q\" 'a'\u{7}"

    static func chart(_ labels: [String], _ medians: [Double]) -> RangeChart {
        RangeChart(
            title: "Decode throughput", unit: "tok/s",
            rows: zip(labels, medians).map {
                RangeChart.Row(label: $0, median: $1, lower: $1 * 0.95, upper: $1 * 1.05, shown: String(format: "%.2f", $1))
            })
    }

    @Test("a chart is well-formed SVG with a title and a description naming every row's figure")
    func wellFormedWithTextAlternative() throws {
        let chart = Self.chart(["gemma3:270m", "llama3.1:8b"], [121.6, 32.58])
        let elements = try SVGElements.parse(chart.svg)
        #expect(elements.names.first == "svg")
        #expect(elements.texts["title"] == ["Decode throughput"])
        let description = try #require(elements.texts["desc"]?.first)
        #expect(description.contains("gemma3:270m: median 121.60 tok/s") && description.contains("llama3.1:8b: median 32.58 tok/s"))
        // The axis names its unit.
        #expect(elements.texts["text", default: []].contains("tok/s"))
    }

    @Test("a hostile label stays text: no element of its own, no control character")
    func hostileLabels() throws {
        let svg = Self.chart([Self.hostile], [10]).svg
        let elements = try SVGElements.parse(svg)
        #expect(!elements.names.contains("script"))
        #expect(Set(elements.names).isSubset(of: ["svg", "title", "desc", "text", "line", "rect", "circle"]))
        let label = try #require(elements.texts["text", default: []].first { $0.contains("alert") })
        #expect(label.hasPrefix("<script>alert(1)</script> & "))
        #expect(!svg.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) })
    }

    @Test("the faster row's dot stands further right, whatever the order of the rows")
    func positionsFollowTheValues() throws {
        for medians in [[10.0, 200], [200, 10], [0.5, 0.25], [3, 3.1]] {
            let elements = try SVGElements.parse(Self.chart(["a", "b"], medians).svg)
            let dots = elements.attributes.enumerated().filter { elements.names[$0.offset] == "circle" }.compactMap { Double($0.element["cx"] ?? "") }
            try #require(dots.count == 2)
            #expect((dots[0] < dots[1]) == (medians[0] < medians[1]), "\(medians) → \(dots)")
        }
    }

    @Test("ticks are round (1, 2 or 5 times a power of ten), ascending, few, and cover every value")
    func roundTicks() {
        let ranges: [[Double]] = [[0.031, 0.033], [121.28, 125.56], [0, 1], [5], [], [1e6, 3.7e6], [-4, 12], [0.0004, 0.0009]]
        for values in ranges {
            let scale = LinearScale(values: values, start: 0, end: 100)
            #expect(scale.ticks.count >= 2 && scale.ticks.count <= 12, "\(values) → \(scale.ticks)")
            #expect(zip(scale.ticks, scale.ticks.dropFirst()).allSatisfy { $0 < $1 })
            #expect(values.allSatisfy { $0 >= scale.lower && $0 <= scale.upper })
            let step = scale.ticks[1] - scale.ticks[0]
            var mantissa = step
            while mantissa >= 10 { mantissa /= 10 }
            while mantissa < 1 { mantissa *= 10 }
            #expect([1.0, 2, 5, 10].contains { abs($0 - mantissa) < 1e-6 }, "\(values): step \(step)")
            #expect(scale.position(scale.lower) == 0 && abs(scale.position(scale.upper) - 100) < 1e-9)
        }
    }

    @Test("figures near the largest a Double holds, or equal and huge, are placed in order within the axis, under distinct finite ticks")
    func hugeAndEqualFiguresArePlaced() {
        let cases: [(values: [Double], fromZero: Bool)] = [
            ([1.6e308, 1.7e308], true), ([-1e308, 1e308], false), ([100, 1e308], true), ([1e20, 1e20], false), ([3e16, 3e16], true),
            ([-2e9, -2e9], false), ([1.00001e8, 1.00002e8], false), ([1.5e9, 1.51e9], false),
        ]
        for (values, fromZero) in cases {
            let scale = LinearScale(values: values, start: 0, end: 500, fromZero: fromZero)
            let positions = values.map(scale.position)
            #expect(positions.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 500 }, "\(values) → \(positions)")
            #expect(zip(values, values.dropFirst()).allSatisfy { $0 == $1 } || positions[0] < positions[1], "\(values) → \(positions)")
            if values[0] == values[1], !fromZero { #expect(positions[0] > 100 && positions[0] < 400, "\(values) → \(positions)") }
            #expect(scale.ticks.count >= 2 && scale.ticks.allSatisfy(\.isFinite), "\(values) → \(scale.ticks)")
            #expect(zip(scale.ticks, scale.ticks.dropFirst()).allSatisfy { $0 < $1 }, "\(values) → \(scale.ticks)")
            let labels = scale.ticks.map(scale.label)
            #expect(Set(labels).count == labels.count, "\(values) → \(labels)")
        }
    }

    @Test("a label is cut by its width as shown: names hidden characters pad out keep the letters that tell them apart")
    func labelsAreCutAsShown() {
        let padding = String(repeating: "\u{200B}", count: 18)
        let good = RangeChart.shortened("GOOD" + padding + "-7b")
        let evil = RangeChart.shortened("EVIL" + padding + "-7b")
        #expect(good.hasPrefix("GOOD") && evil.hasPrefix("EVIL") && good.hasSuffix("…"), "\(good)")
        #expect(XMLText.escaped(good).count <= RangeChart.labelLimit, "\(XMLText.escaped(good))")
        // A character shown with a written-out scalar (❤ and VS16) is as wide as both.
        #expect(XMLText.escaped(SVGDocument.shortened(String(repeating: "\u{2764}\u{FE0F}", count: 10), to: 32)).count <= 32)
        // Plain labels are cut as before.
        #expect(SVGDocument.shortened("abcdef", to: 4) == "abc…" && SVGDocument.shortened("abcd", to: 4) == "abcd")
    }

    @Test("labels a cut at the end would make one are cut in the middle: three quantisations of a model stay three rows")
    func labelsStayToldApart() throws {
        let quantisations = ["Q4_K_M", "Q8_0", "Q6_K"]
        let chart = Self.chart(quantisations.map { "hf.co/bartowski/Meta-Llama-3.1-8B-Instruct-GGUF:" + $0 }, [10, 20, 30])
        let shown = try SVGElements.parse(chart.svg).texts["text", default: []].filter { $0.hasPrefix("hf.co") }
        #expect(Set(shown).count == 3 && shown.allSatisfy { $0.count <= RangeChart.labelLimit }, "\(shown)")
        #expect(zip(shown, quantisations).allSatisfy { $0.0.hasSuffix($0.1) }, "\(shown)")
        // Labels a cut at the end tells apart keep their start; short ones are whole.
        let cut = SVGDocument.distinct(["alpha-model-with-a-long-name", "beta-model-with-a-long-name", "short"], to: 12)
        #expect(cut == ["alpha-model…", "beta-model-…", "short"], "\(cut)")
        // Two titles of one group's charts differ at their end, which a heading keeps.
        let long = String(repeating: "a-really-long-model-name-", count: 4)
        let runs = SVGDocument.shortenedInMiddle(long + ": every run by session", to: 40)
        let history = SVGDocument.shortenedInMiddle(long + ": decode throughput per session", to: 40)
        #expect(runs != history && runs.hasSuffix("by session") && runs.count <= 40 && runs.hasPrefix("a-really"), "\(runs)")
    }

    @Test("one small figure is drawn on an axis around it that does not go below zero")
    func oneSmallFigure() {
        for value in [0.101, 0.0001, 3.5, 0] {
            let scale = LinearScale(values: [value], start: 0, end: 100, fromZero: false, tickCount: 4)
            #expect(scale.lower >= 0 && scale.ticks.allSatisfy { $0 >= 0 } && scale.ticks.count >= 2, "\(value): \(scale.ticks)")
            #expect(scale.position(value) >= 0 && scale.position(value) <= 100, "\(value)")
            if value > 0 { #expect(scale.upper <= value * 3 + 1, "\(value): \(scale.ticks)") }
        }
    }

    @Test("a history's session labels never run into each other, the last one included")
    func historyLabelsKeepApart() throws {
        for count in [7, 8, 12, 13, 19, 30] {
            let chart = Self.history((0..<count).map { Double($0) })
            let elements = try SVGElements.parse(chart.svg)
            let texts = elements.attributes.enumerated().filter { elements.names[$0.offset] == "text" }.map(\.element)
            let labels = zip(texts, elements.texts["text", default: []]).filter { $0.1.hasPrefix("12-0") }.compactMap { Double($0.0["x"] ?? "") }
            #expect(labels.count >= 2, "\(count)")
            // A 10-px label of 11 characters is about 60 px wide.
            #expect(zip(labels, labels.dropFirst()).allSatisfy { $1 - $0 >= 60 }, "\(count): \(labels)")
        }
    }

    @Test("nine sessions of this year are each labelled; labels with their year get more room, never overlapping")
    func historyLabelsOfNineSessions() throws {
        let chart = Self.history((0..<9).map { Double($0) })
        let elements = try SVGElements.parse(chart.svg)
        #expect(elements.texts["text", default: []].filter { $0.hasPrefix("12-0") }.count == 9)
        // With the year: 16 characters, about 90 px at 10 px.
        let dated = SessionChart(
            title: "m", unit: "tok/s",
            sessions: (0..<12).map { index in
                SessionChart.Session(label: "2025-12-0\(index % 9 + 1) 10:00", median: Double(index), lower: nil, upper: nil, detail: "r.csv")
            })
        let parsed = try SVGElements.parse(dated.svg)
        let texts = parsed.attributes.enumerated().filter { parsed.names[$0.offset] == "text" }.map(\.element)
        let xs = zip(texts, parsed.texts["text", default: []]).filter { $0.1.hasPrefix("2025-") }.compactMap { Double($0.0["x"] ?? "") }
        #expect(xs.count >= 2 && zip(xs, xs.dropFirst()).allSatisfy { $1 - $0 >= 90 }, "\(xs)")
    }

    @Test("tick labels carry the decimals the step needs, no more")
    func tickLabels() {
        #expect(
            LinearScale(values: [0, 130], start: 0, end: 1).ticks.map(LinearScale(values: [0, 130], start: 0, end: 1).label) == [
                "0", "50", "100", "150",
            ])
        let small = LinearScale(values: [0.031, 0.033], start: 0, end: 1)
        #expect(small.ticks.map(small.label).allSatisfy { $0.hasPrefix("0.0") })
    }

    @Test("many rows: the chart shows the first ones and its description says how many more the table has")
    func rowLimit() throws {
        let count = RangeChart.rowLimit + 5
        let chart = Self.chart((0..<count).map { "model\($0)" }, (0..<count).map { Double($0 + 1) })
        let elements = try SVGElements.parse(chart.svg)
        #expect(elements.names.filter { $0 == "circle" }.count == RangeChart.rowLimit)
        #expect(chart.description.contains("5 more rows are in the table"))
    }

    static func history(_ medians: [Double?], changesAt: Set<Int> = []) -> SessionChart {
        SessionChart(
            title: "m: decode throughput per session", unit: "tok/s",
            sessions: medians.enumerated().map { index, median in
                SessionChart.Session(
                    label: "12-0\(index % 9 + 1) 10:00", median: median, lower: median.map { $0 - 1 }, upper: median.map { $0 + 1 },
                    detail: "runs\(index).csv, 5 ok and 0 failed runs")
            }, changesAt: changesAt)
    }

    @Test("a session history: one dot per session with runs, a cross for one without, a dashed line at a change point")
    func sessionHistory() throws {
        let chart = Self.history([78.4, 78.1, nil, 63.2], changesAt: [3])
        let elements = try SVGElements.parse(chart.svg)
        #expect(elements.names.filter { $0 == "circle" }.count == 3)
        #expect(elements.texts["text", default: []].contains("×"))
        #expect(elements.attributes.contains { $0["stroke-dasharray"] != nil })
        let description = try #require(elements.texts["desc"]?.first)
        #expect(description.contains("change point, then 12-04 10:00: median 63.20 tok/s"))
        #expect(description.contains("12-03 10:00: no successful run"))
        // The slower session's dot is lower on the page (a larger y).
        let dots = elements.attributes.enumerated().filter { elements.names[$0.offset] == "circle" }.compactMap { Double($0.element["cy"] ?? "") }
        #expect(dots.count == 3 && dots[2] > dots[0])
    }

    @Test("a long history keeps its newest sessions and moves its change points with them")
    func longHistory() throws {
        let count = SessionChart.sessionLimit + 10
        let chart = Self.history((0..<count).map { Double($0) }, changesAt: [5, count - 1])
        #expect(chart.sessions.count == SessionChart.sessionLimit)
        #expect(chart.changesAt == [SessionChart.sessionLimit - 1])
        _ = try SVGElements.parse(chart.svg)
    }

    @Test("figures from a file that are huge or not finite draw a well-formed chart, never a crash")
    func hugeAndInfiniteFigures() throws {
        for value in [1e17, 1e300, -1e300, Double.infinity, -Double.infinity, Double.nan, -5, 0] {
            let range = RangeChart(
                title: "t", unit: "tok/s",
                rows: [
                    RangeChart.Row(label: "a", median: value, lower: value, upper: .infinity, shown: "x"),
                    RangeChart.Row(label: "b", median: 10, lower: -Double.infinity, upper: value, shown: "10"),
                ])
            _ = try SVGElements.parse(range.svg)
            _ = try SVGElements.parse(Self.history([value, 12, nil, value]).svg)
        }
        #expect(LinearScale.fixed(1e300, 2) == "1e+300" && LinearScale.fixed(.infinity, 2) == "—")
        #expect(LinearScale.fixed(123_456.789, 2) == "123456.79")
        // Tick labels of huge figures stay short enough to read.
        let huge = LinearScale(values: [0, 1e308], start: 0, end: 500)
        #expect(huge.ticks.map(huge.label).allSatisfy { $0.count <= 9 }, "\(huge.ticks.map(huge.label))")
    }
}
