/// What a request asks for, decided from its raw path alone: a closed list of
/// things the server can serve, each with names that passed a strict
/// pattern. Anything else (`..`, `/` or a NUL in a name, percent-encoding,
/// a name that is no report's) is no route, so no request can name a file
/// outside the output folder or one chimerad did not publish.
package enum ReportRoute: Sendable, Equatable {
    /// `/` and `/latest.html`: the newest report's HTML.
    case latest
    /// `/reports/`: the list of reports, newest first.
    case index
    /// `/reports/<name>`: one report file (`chimera-report-….md|json|html`).
    case report(ReportFileName)
    /// `/charts/<report>/<name>.svg` (and under `/reports/`, where a
    /// report's relative links lead): one chart of a report.
    case chart(report: String, name: String)
    /// `/regressions.atom`: the regressions feed.
    case feed
    /// `/metrics`: the daemon's metrics, Prometheus text format.
    case metrics
    /// `/healthz`: the server answers.
    case health

    /// The route of a request target (`/reports/x.md?a=b`: the query is
    /// ignored); nil when it names nothing served.
    package init?(target: String) {
        let path = target.prefix { $0 != "?" && $0 != "#" }
        // Names served never need escaping: an encoded byte is only ever a
        // way around the checks (`%2F`, `%2e%2e`, `%00`).
        guard path.hasPrefix("/"), !path.contains("%"), !path.contains("\\"), !path.utf8.contains(0), path.count <= 512 else {
            return nil
        }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch (parts.count, parts.first ?? "") {
        case (1, ""), (1, "latest.html"): self = .latest
        case (1, "reports"): self = .index
        case (2, "reports") where parts[1].isEmpty: self = .index
        case (2, "reports"):
            guard let file = ReportFileName(parts[1]) else { return nil }
            self = .report(file)
        case (3, "charts"):
            guard ReportFileName.isBase(parts[1]), ReportRoute.isChartName(parts[2]) else { return nil }
            self = .chart(report: parts[1], name: parts[2])
        case (4, "reports") where parts[1] == "charts":
            // Where a report's own relative links lead from `/reports/<name>.md`.
            guard ReportFileName.isBase(parts[2]), ReportRoute.isChartName(parts[3]) else { return nil }
            self = .chart(report: parts[2], name: parts[3])
        case (1, "regressions.atom"): self = .feed
        case (1, "metrics"): self = .metrics
        case (1, "healthz"): self = .health
        default: return nil
        }
    }

    /// A chart's file name as the writer makes them (`leaderboard.svg`,
    /// `history-1f2e.svg`): letters, digits, `-` and `_`, then `.svg`.
    static func isChartName(_ name: String) -> Bool {
        guard name.hasSuffix(".svg"), name.utf8.count <= 128 else { return false }
        let stem = name.utf8.dropLast(4)
        guard let first = stem.first, ReportFileName.isAlphanumeric(first) else { return false }
        return stem.allSatisfy { ReportFileName.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }
}
