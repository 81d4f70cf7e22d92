import Foundation
import Records
import Testing

@testable import Charts

/// The charts beyond the leaderboard's: runs per session, a history's marks,
/// ratios on a log scale and a sweep's parameters. Each is well-formed, keeps
/// hostile text as text, puts its marks where its values say, and names its
/// figures in its text alternative.
@Suite("Chart kinds")
struct ChartKindsTests {
    static func elements(_ names: String, in parsed: SVGElements) -> [[String: String]] {
        parsed.attributes.enumerated().filter { parsed.names[$0.offset] == names }.map(\.element)
    }

    static func strip(_ sessions: [[Double]], label: String = "11-2") -> StripChart {
        StripChart(
            title: "m: every run by session",
            rows: sessions.indices.map { StripChart.Row(label: "\(label)\($0) 10:00", detail: "run\($0).csv") },
            panels: [
                StripChart.Panel(
                    name: "Decode throughput", unit: "tok/s", values: sessions,
                    medians: sessions.map { $0.isEmpty ? nil : $0.sorted()[$0.count / 2] }, counts: sessions.map { $0.count * 2 }),
                StripChart.Panel(
                    name: "Warm TTFT", unit: "s", values: sessions.map { $0.map { 10 / $0 } }, medians: sessions.map { _ in nil },
                    counts: sessions.map(\.count)),
            ])
    }

    @Test("a strip plot: a dot per value, one colour per session, the slower session's dots to the left")
    func stripPlot() throws {
        let chart = Self.strip([[78, 79, 77.5, 78.2], [63, 64, 62.5]])
        let parsed = try SVGElements.parse(chart.svg)
        let dots = Self.elements("circle", in: parsed)
        #expect(dots.count == 2 * 7)
        let throughput = dots.prefix(7)
        let first = throughput.prefix(4)
        let second = throughput.suffix(3)
        #expect(Set(first.compactMap { $0["fill"] }).count == 1 && Set(second.compactMap { $0["fill"] }).count == 1)
        #expect(first.first?["fill"] != second.first?["fill"])
        let firstX = first.compactMap { Double($0["cx"] ?? "") }
        let secondX = second.compactMap { Double($0["cx"] ?? "") }
        #expect(try #require(secondX.max()) < (try #require(firstX.min())))
        let description = try #require(parsed.texts["desc"]?.first)
        #expect(description.contains("11-20 10:00 (run0.csv): median 78.20 tok/s, 4 of 8 runs drawn"))
        #expect(description.contains("Warm TTFT") && description.contains("no value, 3 runs"))
        #expect(parsed.texts["text", default: []].contains("tok/s") && parsed.texts["text", default: []].contains("s"))
    }

    @Test("dots of equal value spread the same way every time, within their row")
    func jitterIsFixedAndBounded() {
        let offsets = (0..<200).map(StripChart.jitter)
        #expect(offsets == (0..<200).map(StripChart.jitter))
        #expect(offsets.allSatisfy { abs($0) <= 5.5 })
        #expect(Set(offsets.prefix(40).map { ($0 * 10).rounded() }).count > 10)
    }

    @Test("hostile labels and values that are not finite: well-formed, text stays text")
    func stripHostile() throws {
        let chart = StripChart(
            title: ChartsTests.hostile, rows: [StripChart.Row(label: ChartsTests.hostile, detail: ChartsTests.hostile)],
            panels: [StripChart.Panel(name: "x", unit: "tok/s", values: [[1, .nan, .infinity, 1e300]], medians: [.nan], counts: [4])])
        let svg = chart.svg
        let parsed = try SVGElements.parse(svg)
        #expect(!parsed.names.contains("script"))
        #expect(Self.elements("circle", in: parsed).count == 2)
        #expect(!svg.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) })
    }

    @Test("a history with an open regression: its session ringed and named, the baseline a dashed level")
    func historyMarks() throws {
        let chart = SessionChart(
            title: "m: decode throughput per session", unit: "tok/s",
            sessions: [78.4, 78.1, 78.3, 63.2].enumerated().map { index, median in
                SessionChart.Session(label: "11-2\(index) 10:00", median: median, lower: median - 1, upper: median + 1, detail: "r\(index).csv")
            }, baseline: (78.3, "baseline of regression #4: 3 sessions"), regressions: [3: "regression #4: -19.3%"])
        let parsed = try SVGElements.parse(chart.svg)
        let texts = parsed.texts["text", default: []]
        #expect(texts.contains("regression #4: -19.3%") && texts.contains("baseline of regression #4: 3 sessions"))
        let rings = Self.elements("circle", in: parsed).filter { $0["fill"] == "none" }
        let dots = Self.elements("circle", in: parsed).filter { $0["fill"] != "none" }
        #expect(rings.count == 1 && rings.first?["cx"] == dots.last?["cx"] && rings.first?["cy"] == dots.last?["cy"])
        // The baseline's level is above the regressed session's dot.
        let level = try #require(Self.elements("line", in: parsed).first { $0["stroke-dasharray"] != nil }.flatMap { Double($0["y1"] ?? "") })
        #expect(level < (try #require(Double(dots.last?["cy"] ?? ""))))
        let description = try #require(parsed.texts["desc"]?.first)
        #expect(description.contains("11-23 10:00: median 63.20 tok/s (p25-p75 62.20-64.20), regression #4: -19.3%"))
        #expect(description.contains("Dashed level: baseline of regression #4: 3 sessions, median 78.30 tok/s"))
    }

    @Test("a log scale: twice and half as fast stand equally far from 1, ticks at round values, every value inside")
    func logScale() {
        let scale = LogScale(values: [0.5, 2], start: 0, end: 300)
        let one = scale.position(1)
        #expect(abs((scale.position(2) - one) - (one - scale.position(0.5))) < 1e-9)
        #expect(scale.ticks.contains(1) && scale.ticks.contains(2) && scale.ticks.contains(5))
        for values: [Double] in [[5.5, 0.93, 1.01], [1e-9, 1e9], [], [0, -3, .nan], [1e300]] {
            let wide = LogScale(values: values, start: 0, end: 100)
            #expect(wide.ticks.count >= 2 && wide.ticks.count <= 25, "\(values) → \(wide.ticks)")
            #expect(values.filter { $0 > 0 && $0.isFinite }.allSatisfy { wide.position($0) >= 0 && wide.position($0) <= 100 })
        }
        #expect(scale.label(0.5) == "0.5" && scale.label(2) == "2" && scale.label(0.01) == "0.01")
    }

    @Test("speedups against eager: faster to the right of the reference line, slower to the left, a failure named")
    func ratios() throws {
        let chart = RatioChart(
            title: "conv: speedup against eager", subtitle: "batch_size=4", reference: "eager",
            rows: [
                RatioChart.Row(label: "onnx", ratio: 5.5, shown: "5.50×"), RatioChart.Row(label: "torch_compile", ratio: 0.93, shown: "0.93×"),
                RatioChart.Row(label: ChartsTests.hostile, ratio: nil, shown: "failed"),
            ])
        let parsed = try SVGElements.parse(chart.svg)
        #expect(!parsed.names.contains("script"))
        let bars = Self.elements("rect", in: parsed).compactMap { bar in
            Double(bar["x"] ?? "").flatMap { x in Double(bar["width"] ?? "").map { (x, x + $0) } }
        }
        let reference = try #require(Self.elements("line", in: parsed).last.flatMap { Double($0["x1"] ?? "") })
        #expect(bars.count == 2)
        #expect(abs(bars[0].0 - reference) < 0.01 && bars[0].1 > reference + 100)
        #expect(abs(bars[1].1 - reference) < 0.01 && bars[1].0 < reference)
        #expect(parsed.texts["text", default: []].contains("× failed"))
        let description = try #require(parsed.texts["desc"]?.first)
        #expect(description.contains("(batch_size=4)") && description.contains("onnx: 5.50×; torch_compile: 0.93×"))
    }

    @Test("a sweep's parameters: a line per parameter over its levels, the noise band shaded, grey when within it")
    func effects() throws {
        let chart = EffectsChart(
            title: "m sweep", unit: "tok/s",
            panels: [
                EffectsChart.Panel(
                    parameter: "num_ctx", levels: [.init(value: "1024", median: 80), .init(value: "4096", median: 60)], note: "beyond noise",
                    muted: false),
                EffectsChart.Panel(
                    parameter: ChartsTests.hostile, levels: [.init(value: "0.2", median: 70), .init(value: "0.8", median: 70.5)],
                    note: "within noise · sampling", muted: true),
            ], noise: 1.5)
        let parsed = try SVGElements.parse(chart.svg)
        #expect(!parsed.names.contains("script"))
        let lines = Self.elements("polyline", in: parsed)
        #expect(lines.count == 2 && lines[0]["stroke"] == Palette.color(0) && lines[1]["stroke"] == Palette.axis)
        #expect(Self.elements("rect", in: parsed).count == 2)
        // The faster level of num_ctx stands higher (a smaller y).
        let dots = Self.elements("circle", in: parsed).compactMap { Double($0["cy"] ?? "") }
        #expect(dots.count == 4 && dots[0] < dots[1])
        let description = try #require(parsed.texts["desc"]?.first)
        #expect(description.contains("num_ctx (beyond noise): 1024 80.00, 4096 60.00"))
        #expect(description.contains("± 1.50 tok/s, one run's run-to-run noise"))
    }

    @Test("bidirectional overrides and isolates are written out: a name cannot reverse the figures after it")
    func bidiControls() {
        let name = "evil\u{202E}gnp.exe \u{2066}x\u{2069} \u{200F}y\u{061C}"
        #expect(XMLText.escaped(name) == #"evil\u{202e}gnp.exe \u{2066}x\u{2069} \u{200f}y\u{61c}"#)
        // Zero-width characters and the line separator too: `same` and `same\u{200b}` read apart.
        #expect(XMLText.escaped("same\u{200B} ls\u{2028} bom\u{FEFF}") == #"same\u{200b} ls\u{2028} bom\u{feff}"#)
        // The written-out form as text is not the character; a joiner inside a word stays.
        #expect(XMLText.escaped(#"a\u{1b}"#) == #"a\u{5c}u{1b}"#)
        #expect(XMLText.escaped("می\u{200C}خواهم") == "می\u{200C}خواهم")
        #expect(!XMLText.escaped("a\u{202D}b\u{202A}c").unicodeScalars.contains { HiddenCharacters.isBidiControl($0.value) })
    }
}
