import CCmarkGFM
import Charts

#if canImport(Glibc)
import Glibc
#endif

/// The report as one self-contained HTML page: the Markdown report rendered by
/// cmark-gfm (GitHub's CommonMark library, with its tables), so the page has
/// exactly the Markdown's sections and first screen, with the style inline.
///
/// Safe by construction, not by filtering: cmark-gfm's default (safe) mode
/// writes no raw HTML from its input and no `javascript:`/`data:` link, every
/// text is escaped for HTML, and the page's Content-Security-Policy allows no
/// script and no fetch at all. The Markdown's own escaping (``MarkdownLiteral``)
/// keeps names from the files from becoming headings, fences or tables.
///
/// ```swift
/// let page = HTMLReport.render(markdown: markdown, title: "chimerad report 2026-12-02 11:56:30 UTC")
/// ```
package enum HTMLReport {
    /// Registers cmark-gfm's extensions, once per process (its registry is global).
    private static let extensionsRegistered: Void = cmark_gfm_core_extensions_ensure_registered()

    /// - Parameter figures: the report's charts with their links
    ///   (`charts/<report>/<kind>.svg`): each image the Markdown links there
    ///   becomes the chart itself, inline (the page fetches nothing).
    package static func render(markdown: String, title: String, figures: [(link: String, figure: ReportFigure)] = []) -> String {
        let body = laidOut(bodyHTML(markdown), figures: figures)
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
            <meta name="generator" content="chimerad">
            <title>\(XMLText.escaped(title))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <main>
            \(body)</main>
            </body>
            </html>

            """
    }

    /// No script, no fetch of any kind (fonts, images, styles from elsewhere):
    /// only the style in the page itself and images inlined in it.
    package static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"

    /// The Markdown's body as HTML (safe mode: raw HTML in the input is left out).
    static func bodyHTML(_ markdown: String) -> String {
        let options = CMARK_OPT_DEFAULT
        guard let parser = cmark_parser_new(options) else { return "<pre>\(XMLText.escaped(markdown))</pre>\n" }
        defer { cmark_parser_free(parser) }
        _ = extensionsRegistered
        if let table = cmark_find_syntax_extension("table") { cmark_parser_attach_syntax_extension(parser, table) }
        markdown.utf8CString.withUnsafeBufferPointer { buffer in
            // Without the terminating NUL.
            cmark_parser_feed(parser, buffer.baseAddress, max(buffer.count - 1, 0))
        }
        guard let document = cmark_parser_finish(parser) else { return "<pre>\(XMLText.escaped(markdown))</pre>\n" }
        defer { cmark_node_free(document) }
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else {
            return "<pre>\(XMLText.escaped(markdown))</pre>\n"
        }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// The body as the page shows it. Each paragraph holding only an image
    /// that links a figure (as cmark-gfm writes it, a line of its own:
    /// `<p><img src="LINK" alt="..." /></p>`) becomes the chart, inline; a
    /// link the page does not hold is left alone, and each figure is placed
    /// once. Each heading gets the anchor GitHub would give it (`<h3
    /// id="table-a1">`): cmark-gfm writes none, and the body's links to the
    /// appendix's tables (`#table-a1`) led nowhere. One pass over the page's
    /// bytes: a report has a chart per group, and searching the whole page
    /// once per chart cost more than drawing them.
    static func laidOut(_ body: String, figures: [(link: String, figure: ReportFigure)]) -> String {
        var unplaced: [String: ReportFigure] = [:]
        for (link, figure) in figures where unplaced[XMLText.escaped(link)] == nil { unplaced[XMLText.escaped(link)] = figure }
        let opening = Array("<p><img src=\"".utf8)
        let altOpening = Array("\" alt=\"".utf8)
        let closing = Array("\" /></p>".utf8)
        let bytes = Array(body.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + figures.reduce(0) { $0 + $1.figure.svg.utf8.count + 40 })
        var anchors = HeadingAnchors()
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let line = bytes[lineStart..<lineEnd]
            if let figure = figure(in: line, opening: opening, altOpening: altOpening, closing: closing, unplaced: &unplaced) {
                out += "<figure class=\"chart\">\n\(figure.svg)</figure>".utf8
            } else if let level = headingLevel(line) {
                let anchor = anchors.anchor(for: line.dropFirst(4).dropLast(5))
                out += "<h\(level) id=\"\(anchor)\">".utf8
                out += line.dropFirst(4)
            } else {
                out += line
            }
            if lineEnd < bytes.count { out.append(UInt8(ascii: "\n")) }
            lineStart = lineEnd + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The level of the heading `line` is, as cmark-gfm writes one (`<h3>...</h3>`, a line of its own).
    private static func headingLevel(_ line: ArraySlice<UInt8>) -> Int? {
        guard line.count >= 9, line.first == UInt8(ascii: "<"), line[line.startIndex + 1] == UInt8(ascii: "h"),
            case let digit = line[line.startIndex + 2], digit >= UInt8(ascii: "1"), digit <= UInt8(ascii: "6"),
            line[line.startIndex + 3] == UInt8(ascii: ">"),
            line.suffix(5).elementsEqual("</h\(Character(Unicode.Scalar(digit)))>".utf8)
        else { return nil }
        return Int(digit - UInt8(ascii: "0"))
    }

    /// The unplaced figure `line` is the image paragraph of, taken from `unplaced`.
    private static func figure(
        in line: ArraySlice<UInt8>, opening: [UInt8], altOpening: [UInt8], closing: [UInt8], unplaced: inout [String: ReportFigure]
    ) -> ReportFigure? {
        guard line.starts(with: opening), line.count > opening.count + altOpening.count + closing.count,
            line.suffix(closing.count).elementsEqual(closing)
        else { return nil }
        let linkStart = line.startIndex + opening.count
        guard let linkEnd = line[linkStart...].firstIndex(of: UInt8(ascii: "\"")),
            line[linkEnd...].starts(with: altOpening),
            // The image alone in its paragraph: its alternative text holds no tag.
            !line[(linkEnd + altOpening.count)..<(line.endIndex - closing.count)].contains(UInt8(ascii: "<"))
        else { return nil }
        return unplaced.removeValue(forKey: String(decoding: line[linkStart..<linkEnd], as: UTF8.self))
    }
}
