import Testing

@testable import Serving

/// Which targets name something served: the published names only, by a
/// strict pattern; every way around it (`..`, encoded bytes, extra folders)
/// is no route at all.
@Suite struct ReportRouteTests {
    @Test(
        "routes",
        arguments: [
            ("/", ReportRoute.latest),
            ("/latest.html", .latest),
            ("/?refresh=1", .latest),
            ("/reports", .index),
            ("/reports/", .index),
            ("/regressions.atom", .feed),
            ("/metrics", .metrics),
            ("/healthz", .health),
            ("/charts/chimera-report-20261202T120000Z/leaderboard.svg", .chart(report: "chimera-report-20261202T120000Z", name: "leaderboard.svg")),
            (
                "/reports/charts/chimera-report-20261202T120000Z/leaderboard.svg",
                .chart(report: "chimera-report-20261202T120000Z", name: "leaderboard.svg")
            ),
            (
                "/charts/chimera-report-20261202T120000Z-2/history-1f2e.svg",
                .chart(report: "chimera-report-20261202T120000Z-2", name: "history-1f2e.svg")
            ),
        ])
    func routes(target: String, expected: ReportRoute) {
        #expect(ReportRoute(target: target) == expected)
    }

    @Test("report files: md, json and html of a report's name")
    func reportFiles() throws {
        for kind in ["md", "json", "html"] {
            let route = try #require(ReportRoute(target: "/reports/chimera-report-20261202T120000Z-12.\(kind)"))
            guard case .report(let name) = route else {
                Issue.record("\(route)")
                continue
            }
            #expect(name.text == "chimera-report-20261202T120000Z-12.\(kind)")
        }
    }

    @Test(
        "refused targets",
        arguments: [
            "", "reports/", "/latest.md", "/..", "/reports/..", "/reports/../etc/passwd",
            "/reports/chimera-report-20261202T120000Z.md/..", "/reports/%2e%2e", "/reports/chimera-report-20261202T120000Z%2Emd",
            "/reports/..%2Fetc%2Fpasswd", "/charts/chimera-report-20261202T120000Z/..%2F..%2Fpasswd.svg",
            "/charts/..%2F/leaderboard.svg", "/charts/chimera-report-20261202T120000Z/../leaderboard.svg",
            "/charts/chimera-report-20261202T120000Z/.svg", "/charts/chimera-report-20261202T120000Z/a.b.svg",
            "/charts/x/leaderboard.svg", "/charts/chimera-report-20261202T120000Z/leaderboard.png",
            "/reports/chimera-report-20261202T120000Z.txt", "/reports/chimera-report-2026120T120000Z.md",
            "/reports/chimera-report-20261202T120000Z-0.md", "/reports/chimera-report-20261202T120000Z-.md",
            "/reports/chimera-report-20261202T120000Zx.md", "/reports/.chimera-report-20261202T120000Z.md.tmp-1-2",
            "/reports/latest.md", "/reports/passwd", "/etc/passwd", "//etc/passwd", "/reports//chimera-report-20261202T120000Z.md",
            "/reports/chimera-report-20261202T120000Z.md\u{0}", "/reports\\chimera-report-20261202T120000Z.md",
            "/state/chimerad.sqlite", "/regressions.atom/", "/metrics/x", "/reports/charts/../leaderboard.svg",
            "/reports/x/chimera-report-20261202T120000Z/leaderboard.svg",
        ])
    func refused(target: String) {
        #expect(ReportRoute(target: target) == nil, "\(target)")
    }

    @Test("report names sort by time stamp, then by suffix")
    func order() throws {
        let names = [
            "chimera-report-20261202T120000Z-10.md", "chimera-report-20261202T120000Z.md", "chimera-report-20261202T120000Z-2.md",
            "chimera-report-20261201T235959Z.md",
        ]
        let sorted = try names.map { try #require(ReportFileName($0)) }.sorted().map(\.text)
        #expect(
            sorted == [
                "chimera-report-20261201T235959Z.md", "chimera-report-20261202T120000Z.md", "chimera-report-20261202T120000Z-2.md",
                "chimera-report-20261202T120000Z-10.md",
            ])
    }
}
