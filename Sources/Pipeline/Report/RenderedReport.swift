import Analysis
import Reporting

/// The fifth stage of a report: its files, rendered, with the time the
/// rendering took in place of the placeholder the renderers wrote. The HTML
/// page is the Markdown rendered by cmark-gfm, so it says what the Markdown says.
struct RenderedReport {
    var markdown: String
    var json: String
    var html: String
    var timings: ReportContext.Timings

    /// The JSON renders on another core while the Markdown, then the HTML, render here.
    static func render(_ facts: Facts, _ context: ReportContext) async -> RenderedReport {
        let clock = ContinuousClock()
        let started = clock.now
        async let renderedJSON = JSONReport.render(facts, context)
        var markdown = MarkdownReport.render(facts, context)
        var html = HTMLReport.render(
            markdown: markdown, title: "chimerad report, " + Timestamps.readable(context.generatedAt),
            figures: context.linkedFigures)
        var json = await renderedJSON
        var timings = context.timings
        timings.reportSeconds = (clock.now - started).seconds
        markdown.replaceFirst(ReportContext.Timings.pending, with: ReportContext.Timings.text(timings.reportSeconds ?? 0))
        html.replaceFirst(ReportContext.Timings.pending, with: ReportContext.Timings.text(timings.reportSeconds ?? 0))
        json.replaceFirst(ReportContext.Timings.pending, with: "\(timings.reportSeconds ?? 0)", quoted: true)
        return RenderedReport(markdown: markdown, json: json, html: html, timings: timings)
    }
}
