import Charts

/// `/reports/`: the reports in the output folder as a plain HTML list,
/// newest first, each with links to its files. No script and nothing
/// fetched, like the reports themselves; every name is escaped (names pass
/// a strict pattern before they get here, but the page does not rely on it).
enum ReportIndexPage {
    static func render(_ reports: [(base: String, kinds: [ReportFileName.Kind])]) -> String {
        var items = ""
        for report in reports {
            let name = XMLText.escaped(report.base)
            let links = report.kinds.map { kind in
                "<a href=\"/reports/\(name).\(kind.rawValue)\">\(kind.rawValue)</a>"
            }
            items += "<li><strong>\(name)</strong> \(links.joined(separator: " · "))</li>\n"
        }
        let body = reports.isEmpty ? "<p>No report yet.</p>\n" : "<ol>\n\(items)</ol>\n"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>chimerad reports</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
            li { margin: 0.25rem 0; }
            </style>
            </head>
            <body>
            <h1>chimerad reports</h1>
            <p><a href="/">Latest report</a> · <a href="/regressions.atom">Regressions feed</a> · <a href="/metrics">Metrics</a></p>
            \(body)</body>
            </html>

            """
    }
}
