import Analysis
import Reporting

/// The fifth stage of a report: both files, rendered, with the time the
/// rendering took in place of the placeholder the renderers wrote.
struct RenderedReport {
    var markdown: String
    var json: String
    var timings: ReportContext.Timings

    /// The two renderings are independent: the JSON renders on another core.
    static func render(_ facts: Facts, _ context: ReportContext) async -> RenderedReport {
        let clock = ContinuousClock()
        let started = clock.now
        async let renderedJSON = JSONReport.render(facts, context)
        var markdown = MarkdownReport.render(facts, context)
        var json = await renderedJSON
        var timings = context.timings
        timings.reportSeconds = (clock.now - started).seconds
        markdown.replaceFirst(ReportContext.Timings.pending, with: ReportContext.Timings.text(timings.reportSeconds ?? 0))
        json.replaceFirst(ReportContext.Timings.pending, with: "\(timings.reportSeconds ?? 0)", quoted: true)
        return RenderedReport(markdown: markdown, json: json, timings: timings)
    }
}
