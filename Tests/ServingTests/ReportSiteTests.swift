import Foundation
import Synchronization
import Testing

@testable import Serving

/// What the site answers: types, 404s that say nothing about what is
/// there, 405 for anything that is not a read.
@Suite struct ReportSiteTests {
    struct FixedMetrics: MetricsExposition {
        func exposition() -> [UInt8] { Array("# TYPE x counter\nx 1\n".utf8) }
    }

    @Test func answersEachRouteWithItsType() throws {
        let path = try PublishedFolderTests.publishedFolder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let site = ReportSite(folder: PublishedFolder(path: path), metrics: FixedMetrics())
        let base = PublishedFolderTests.base
        let expected: [(String, Int, String)] = [
            ("/", 200, "text/html; charset=utf-8"),
            ("/reports/", 200, "text/html; charset=utf-8"),
            ("/reports/\(base).md", 200, "text/markdown; charset=utf-8"),
            ("/reports/\(base).json", 200, "application/json"),
            ("/charts/\(base)/leaderboard.svg", 200, "image/svg+xml"),
            ("/regressions.atom", 200, "application/atom+xml; charset=utf-8"),
            ("/metrics", 200, "text/plain; version=0.0.4; charset=utf-8"),
            ("/healthz", 200, "text/plain; charset=utf-8"),
            ("/reports/../chimerad.sqlite", 404, "text/plain; charset=utf-8"),
            ("/state", 404, "text/plain; charset=utf-8"),
        ]
        for (target, status, type) in expected {
            let response = site.response(method: "GET", target: target)
            #expect(response.status == status && response.contentType == type, "\(target): \(response.status) \(response.contentType)")
        }
        #expect(site.response(method: "HEAD", target: "/").status == 200)
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
            let response = site.response(method: method, target: "/")
            #expect(response.status == 405 && response.allow == "GET, HEAD", "\(method)")
        }
        // A planted link answers like a missing file.
        try FileManager.default.createSymbolicLink(atPath: "\(path)/chimera-report-20261202T130000Z.md", withDestinationPath: "/etc/passwd")
        let planted = site.response(method: "GET", target: "/reports/chimera-report-20261202T130000Z.md")
        #expect(planted.status == 404)
        #expect(!String(decoding: (try? planted.body.contents()) ?? [], as: UTF8.self).contains("root:"))
    }

    @Test func withoutMetricsOrReportsSaysSo() throws {
        let site = ReportSite(folder: PublishedFolder(path: "/nonexistent-\(UUID().uuidString)"), metrics: nil)
        #expect(site.response(method: "GET", target: "/metrics").status == 404)
        #expect(site.response(method: "GET", target: "/").status == 404)
        #expect(
            String(decoding: (try? site.response(method: "GET", target: "/reports/").body.contents()) ?? [], as: UTF8.self).contains("No report yet"))
    }

    /// A reload may move `output.directory`: the site reads the folder in force at each request.
    @Test func followsTheOutputFolderInForce() throws {
        let first = try PublishedFolderTests.publishedFolder()
        defer { try? FileManager.default.removeItem(atPath: first) }
        let second = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-served-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: second) }
        let current = Mutex(first)
        let site = ReportSite(folder: { current.withLock { $0 } }, metrics: nil)
        #expect(site.response(method: "GET", target: "/").status == 200)
        current.withLock { $0 = second }
        #expect(site.response(method: "GET", target: "/").status == 404)
    }

    @Test func everyResponseCarriesThePolicyHeaders() {
        let names = ServedResponse.commonHeaders.map(\.name)
        #expect(names.contains("X-Content-Type-Options") && names.contains("Cache-Control"))
        let policy = ServedResponse.commonHeaders.first { $0.name == "Content-Security-Policy" }?.value ?? ""
        #expect(policy.hasPrefix("default-src 'none'; style-src 'unsafe-inline'; img-src data:"))
    }
}
