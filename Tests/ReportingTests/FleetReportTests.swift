import Analysis
import Foundation
import Records
import Testing

@testable import Reporting

/// The fleet report's files from a snapshot: every host and row in
/// report.json with its `host_id`, and names from the database (host ids,
/// hostnames, models, builds) unable to add structure to the Markdown.
@Suite("Fleet report")
struct FleetReportTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func facts(_ name: (Int) -> String) -> FleetFacts {
        let group = FleetSnapshot.GroupKey(model: name(0), configurationText: "{}", configuration: [.init(name(1), name(2))])
        let hosts = (0..<3).map { index in
            FleetSnapshot.Host(
                hostID: "host-\(index)", hostname: name(3 + index), firstSeen: now.addingTimeInterval(-86400 * 9),
                lastSeen: now.addingTimeInterval(index == 2 ? -86400 * 4 : -60), environment: .init(gpu: name(6), build: name(7)), sessions: 4,
                runsOK: 40, runsFailed: index == 1 ? 5 : 0, deadSessions: index == 1 ? 1 : 0, latestSessionAt: now,
                latestDeadSessionAt: index == 1 ? now : nil)
        }
        let rows = hosts.map { host in
            FleetSnapshot.GroupRow(
                group: group, hostID: host.hostID, environment: host.environment, sessions: 4, runsOK: 40, runsFailed: 0, latestMeasuredAt: now,
                tokensPerSecond: .init(
                    n: 40, median: 70, lowerQuartile: 69, upperQuartile: 71, basis: host.hostID == "host-0" ? .runs : .sessionMedians),
                ttftSeconds: .init(n: 40, median: 0.2, lowerQuartile: 0.1, upperQuartile: 0.3, basis: .runs))
        }
        let total = FleetSnapshot.GroupTotal(
            group: group, hosts: 3, sessions: 12, runsOK: 120, runsFailed: 0,
            tokensPerSecond: .init(n: 120, median: 70, lowerQuartile: 69, upperQuartile: 71, basis: .sessionMedians), ttftSeconds: .empty)
        let regressions = hosts.prefix(2).map {
            FleetSnapshot.Regression(
                hostID: $0.hostID, group: group, metric: "tokens_per_second", openedAt: now, changePercent: -15, baselineMedian: 80,
                currentMedian: 68, build: name(8))
        }
        let snapshot = FleetSnapshot(
            database: "reader@db:5432/bench", readAt: now, hosts: hosts, rows: rows, totals: [total], openRegressions: regressions)
        return FleetFacts(snapshot, policy: .init(stoppedAfter: .seconds(48 * 3600)))
    }

    static func markdown(_ name: (Int) -> String) -> String {
        let facts = facts(name)
        let figures = FleetReportFigures.figures(facts).map { (link: "charts/r/" + $0.name, figure: $0) }
        return FleetMarkdownReport.render(facts, generatedAt: now, figures: figures)
    }

    @Test("report.json lists every host and carries host_id on every llm_runs item")
    func jsonContract() throws {
        let facts = Self.facts { "name\($0)" }
        let text = FleetJSONReport.render(facts, generatedAt: Self.now, figures: [])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["schema"] as? String == "chimerad.fleet-report/1")
        let hosts = try #require(document["hosts"] as? [[String: Any]])
        #expect(hosts.map { $0["host_id"] as? String } == ["host-0", "host-1", "host-2"])
        #expect(hosts.allSatisfy { $0["hostname"] is String && $0["environment"] is [String: Any] && $0["last_seen"] is String })
        let runs = try #require(document["llm_runs"] as? [[String: Any]])
        #expect(runs.count == 3 && runs.allSatisfy { $0["host_id"] is String })
        #expect(
            runs.compactMap { ($0["tokens_per_second"] as? [String: Any])?["basis"] as? String } == ["runs", "session_medians", "session_medians"])
        #expect((document["stopped_hosts"] as? [String]) == ["host-2"])
        let regressions = try #require(document["regressions"] as? [[String: Any]])
        #expect(regressions.count == 1 && (regressions[0]["hosts"] as? [String]) == ["host-0", "host-1"])
        #expect((regressions[0]["text"] as? String)?.contains("is worse on 2 of 3 name6 hosts since build name8") == true)
    }

    @Test("sections, findings and a chart: the Markdown says what the facts say")
    func markdownSections() {
        let markdown = Self.markdown { "name\($0)" }
        for heading in [
            "# chimerad Fleet Report", "## Regressions Across Hosts", "## Hosts", "## Hosts Whose Harness Fails", "## Hosts That Stopped Publishing",
            "## LLM Runs by Model and Host", "### name0 (name1=name2)",
        ] {
            #expect(markdown.contains("\n" + heading + "\n") || markdown.hasPrefix(heading + "\n"), "no \(heading)")
        }
        #expect(markdown.contains("host-1 (name4): 1 of 4 sessions ran nothing; its latest session"))
        #expect(markdown.contains("host-2 (name5): last published"))
        #expect(markdown.contains("| host-1 | gpu name6, build name7 | 4 | 40 | 0 | 70.00\\* | 69.00–71.00 | 0.200 |"))
        #expect(markdown.contains("](charts/r/fleet-group-1.svg)"))
    }

    @Test("hostile names from the database add no element and no raw HTML")
    func hostileNames() throws {
        let hostile = try CommonMark.html(Self.markdown(HostileNamesReportTests.hostile))
        let benign = try CommonMark.html(Self.markdown(HostileNamesReportTests.benign))
        #expect(HostileNamesReportTests.structure(hostile) == HostileNamesReportTests.structure(benign))
        for raw in ["<script", "<img src=x", "<!--", "<div", "<?php"] {
            #expect(!hostile.contains(raw), "the HTML holds \(raw)")
        }
        let page = HTMLReport.render(markdown: Self.markdown(HostileNamesReportTests.hostile), title: "fleet")
        #expect(!page.contains("<script"))
    }
}
