import Records

/// An SVG image built from a few primitives, with every text escaped for XML
/// and control characters dropped: names from benchmark files become text,
/// never markup. Hand-written because no Swift package on this machine draws
/// SVG, and a chart needs only rectangles, lines, circles and text.
///
/// ```swift
/// var svg = SVGDocument(width: 640, height: 200, title: "tok/s per model", description: "gemma3:270m 121.6 tok/s")
/// svg.rect(x: 10, y: 10, width: 100, height: 8, fill: Palette.color(0))
/// svg.text("gemma3:270m", x: 8, y: 20, anchor: .end)
/// let text = svg.rendered
/// ```
public struct SVGDocument: Sendable {
    public enum Anchor: String, Sendable {
        case start, middle, end
    }

    /// Bumped with any change to what a chart draws or how: a report reuses
    /// the newest report's chart file only when its inputs and this version
    /// are the ones it would draw from.
    public static let drawingVersion = 4

    public let width: Double
    public let height: Double
    private var body = ""
    private let title: String
    private let description: String

    /// `title` and `description` become `<title>` and `<desc>`: the chart's text
    /// alternative, naming its figures.
    public init(width: Double, height: Double, title: String, description: String) {
        self.width = width
        self.height = height
        self.title = title
        self.description = description
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, opacity: Double = 1) {
        body +=
            "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(width, 0)))\" height=\"\(n(max(height, 0)))\" fill=\"\(SVGDocument.escaped(fill))\""
        body += opacity < 1 ? " fill-opacity=\"\(n(opacity))\"/>\n" : "/>\n"
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dashed: Bool = false) {
        body +=
            "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(SVGDocument.escaped(stroke))\" stroke-width=\"\(n(width))\""
        body += dashed ? " stroke-dasharray=\"4 3\"/>\n" : "/>\n"
    }

    public mutating func circle(x: Double, y: Double, radius: Double, fill: String, stroke: String? = nil, opacity: Double = 1) {
        body += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(radius))\" fill=\"\(SVGDocument.escaped(fill))\""
        if let stroke { body += " stroke=\"\(SVGDocument.escaped(stroke))\" stroke-width=\"1.5\"" }
        if opacity < 1 { body += " fill-opacity=\"\(n(opacity))\"" }
        body += "/>\n"
    }

    /// A line through `points`, in order, unfilled.
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.5) {
        guard points.count > 1 else { return }
        let coordinates = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
        body +=
            "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(SVGDocument.escaped(stroke))\" stroke-width=\"\(n(width))\"/>\n"
    }

    /// `halo`: a band of the page's colour around the letters, so a line
    /// drawn through them (a series into a marked session) leaves them readable.
    public mutating func text(
        _ text: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12, bold: Bool = false, fill: String = "currentColor",
        halo: Bool = false
    ) {
        body += "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor.rawValue)\" font-size=\"\(n(size))\" fill=\"\(SVGDocument.escaped(fill))\""
        // The page's background where the report's style sets one, white in a file of its own.
        if halo { body += " style=\"paint-order: stroke; stroke: var(--bg, #ffffff); stroke-width: 3px; stroke-linejoin: round\"" }
        body += bold ? " font-weight=\"bold\">" : ">"
        body += SVGDocument.escaped(text) + "</text>\n"
    }

    /// The whole `<svg>` element, sized in CSS pixels and scaling with its box.
    public var rendered: String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(n(width))\" height=\"\(n(height))\" "
        out += "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"system-ui, 'DejaVu Sans', sans-serif\">\n"
        out += "<title>\(SVGDocument.escaped(title))</title>\n<desc>\(SVGDocument.escaped(description))</desc>\n"
        return out + body + "</svg>\n"
    }

    /// The chart's title at its top left, cut to the picture's width (the
    /// whole title is the document's `<title>`).
    public mutating func heading(_ text: String, subtitle: String? = nil) {
        // About 8.6 px a character of 13 px bold: wider, long titles ran past the edge.
        let characters = Int(width / 8.6)
        // Cut in the middle: a group's charts differ at the end (`: every run`, `: history`).
        self.text(SVGDocument.shortenedInMiddle(text, to: characters), x: 8, y: 18, size: 13, bold: true)
        if let subtitle {
            self.text(SVGDocument.shortenedInMiddle(subtitle, to: Int(width / 6.2)), x: 8, y: 34, size: 11, fill: Palette.axis)
        }
    }

    /// `text` cut to `limit` characters as shown, with an ellipsis when cut.
    /// A hidden character is shown written out (`\u{200b}`, eight wide), so it
    /// counts as that: twenty of them make a long label, which cut by the
    /// text's own length kept its end and lost the name in front of it.
    public static func shortened(_ text: String, to limit: Int) -> String {
        let widths = shownWidths(text)
        guard widths.reduce(0, +) > limit else { return text }
        return String(text[..<text.index(text.startIndex, offsetBy: kept(widths, within: max(limit - 1, 1)))]) + "…"
    }

    /// `text` cut in its middle to `limit` characters as shown, its start and
    /// its end kept: `hf.co/bartowski/Meta…GGUF:Q4_K_M`, where a cut at the
    /// end made three quantisations of one model one label.
    public static func shortenedInMiddle(_ text: String, to limit: Int) -> String {
        let widths = shownWidths(text)
        guard widths.reduce(0, +) > limit else { return text }
        let room = max(limit - 1, 2)
        let head = kept(widths, within: max(room * 2 / 5, 1))
        let tail = kept(widths.reversed(), within: room - max(room * 2 / 5, 1))
        let characters = Array(text)
        return String(characters[..<head]) + "…" + String(characters[(characters.count - tail)...])
    }

    /// `labels` cut to `limit` characters as shown, told apart where a cut
    /// can tell them: labels a cut at the end makes one are cut in the
    /// middle, and failing that, kept by their end (names that differ only
    /// in their middle stay alike; the text alternative names them whole).
    public static func distinct(_ labels: [String], to limit: Int) -> [String] {
        var cut = labels.map { shortened($0, to: limit) }
        for pass in 0..<2 {
            var originals: [String: Set<String>] = [:]
            for (label, shown) in zip(labels, cut) { originals[shown, default: []].insert(label) }
            for index in cut.indices where (originals[cut[index]]?.count ?? 0) > 1 {
                cut[index] = pass == 0 ? shortenedInMiddle(labels[index], to: limit) : endOf(labels[index], to: limit)
            }
        }
        return cut
    }

    /// The end of `text` that fits `limit` characters as shown, an ellipsis before it.
    private static func endOf(_ text: String, to limit: Int) -> String {
        let widths = shownWidths(text)
        guard widths.reduce(0, +) > limit else { return text }
        let characters = Array(text)
        return "…" + String(characters[(characters.count - kept(widths.reversed(), within: max(limit - 1, 1)))...])
    }

    /// How many of the characters, in order, fit within `room`.
    private static func kept(_ widths: some Sequence<Int>, within room: Int) -> Int {
        var total = 0
        var count = 0
        for width in widths {
            total += width
            if total > room { break }
            count += 1
        }
        return count
    }

    /// Each character's width as shown: one for what it shows, and each
    /// written-out scalar's width.
    private static func shownWidths(_ text: String) -> [Int] {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        return text.map { character in
            var visible = false
            var shown = 0
            for _ in character.unicodeScalars {
                if HiddenCharacters.isWrittenOut(scalars, at: index) {
                    shown += HiddenCharacters.shown(scalars[index]).count
                } else {
                    visible = true
                }
                index += 1
            }
            return shown + (visible ? 1 : 0)
        }
    }

    /// Text for XML content or a quoted attribute (see ``XMLText``).
    public static func escaped(_ text: String) -> String { XMLText.escaped(text) }

    /// A coordinate with at most two decimals (smaller files, the same picture).
    /// Coordinates are within the picture: anything else (not finite, or
    /// far outside) is pinned to its edge rather than trusted.
    private func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let clamped = min(max(value, -1e6), 1e6)
        let rounded = (clamped * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
