import Reporting

/// What the server answers, decided from the method and the request target
/// alone: the output folder's published files (read-only), the reports'
/// index, and the metrics. Every route not listed is a 404; every method but
/// GET and HEAD a 405.
package struct ReportSite: Sendable {
    /// The output folder in force (a reload may move it).
    private let currentFolder: @Sendable () -> PublishedFolder
    package let metrics: (any MetricsExposition)?

    package init(folder: PublishedFolder, metrics: (any MetricsExposition)?) {
        currentFolder = { folder }
        self.metrics = metrics
    }

    /// A site over the folder `path` names at each request.
    package init(folder path: @escaping @Sendable () -> String, metrics: (any MetricsExposition)?) {
        currentFolder = { PublishedFolder(path: path()) }
        self.metrics = metrics
    }

    /// The Prometheus text format's type.
    package static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The response to `method` on `target` (a HEAD gets GET's headers; the
    /// caller leaves the body out).
    package func response(method: String, target: String) -> ServedResponse {
        guard method == "GET" || method == "HEAD" else {
            var response = ServedResponse.text(405, "method not allowed: this server is read-only")
            response.allow = "GET, HEAD"
            return response
        }
        guard let route = ReportRoute(target: target) else { return .text(404, "not found") }
        let folder = currentFolder()
        switch route {
        case .latest:
            return served(folder.latestHTML(), as: "text/html; charset=utf-8", missing: "no report yet")
        case .index:
            return ServedResponse(
                status: 200, contentType: "text/html; charset=utf-8", body: .bytes(Array(ReportIndexPage.render(folder.reports()).utf8)))
        case .report(let name):
            return served(folder.file(name.text), as: name.kind.contentType)
        case .chart(let report, let name):
            return served(folder.chart(report: report, name: name), as: "image/svg+xml")
        case .feed:
            return served(folder.file(RegressionFeed.fileName), as: "application/atom+xml; charset=utf-8", missing: "no feed yet")
        case .metrics:
            guard let metrics else { return .text(404, "no metrics in this process") }
            return ServedResponse(status: 200, contentType: ReportSite.metricsContentType, body: .bytes(metrics.exposition()))
        case .health:
            return .text(200, "ok")
        }
    }

    private func served(_ file: PublishedFile, as type: String, missing: String = "not found") -> ServedResponse {
        switch file {
        case .file(let file): ServedResponse(status: 200, contentType: type, body: .file(file))
        case .missing: .text(404, missing)
        // A link or a special file is as good as absent: the client learns nothing.
        case .refused: .text(404, "not found")
        case .tooLarge: .text(404, "not found: larger than the server sends")
        }
    }
}
