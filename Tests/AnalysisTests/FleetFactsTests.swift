import Foundation
import Records
import Testing

@testable import Analysis

/// What the fleet report concludes from the hosts' rows: a regression on
/// several hosts of one kind is one finding, hosts whose sessions ran nothing
/// and hosts gone silent are named.
@Suite("Fleet facts")
struct FleetFactsTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let group = FleetSnapshot.GroupKey(
        model: "llama3.1:8b", configurationText: #"{"num_ctx":"4096"}"#, configuration: [.init("num_ctx", "4096")])

    static func host(_ id: String, gpu: String?, lastSeenHoursAgo: Double = 1, dead: Int = 0, latestDead: Bool = false) -> FleetSnapshot.Host {
        let latest = now.addingTimeInterval(-7200)
        return .init(
            hostID: id, hostname: id + ".lab", firstSeen: now.addingTimeInterval(-86400 * 30),
            lastSeen: now.addingTimeInterval(-lastSeenHoursAgo * 3600),
            environment: .init(gpu: gpu), sessions: 10, runsOK: 100, runsFailed: dead * 5, deadSessions: dead, latestSessionAt: latest,
            latestDeadSessionAt: dead == 0 ? nil : latestDead ? latest : latest.addingTimeInterval(-86400))
    }

    static func row(_ hostID: String, gpu: String?, median: Double) -> FleetSnapshot.GroupRow {
        .init(
            group: group, hostID: hostID, environment: .init(gpu: gpu), sessions: 3, runsOK: 30, runsFailed: 0, latestMeasuredAt: now,
            tokensPerSecond: .init(n: 30, median: median, lowerQuartile: median - 1, upperQuartile: median + 1, basis: .runs),
            ttftSeconds: .empty)
    }

    static func regression(_ hostID: String, change: Double, build: String?, daysAgo: Double) -> FleetSnapshot.Regression {
        .init(
            hostID: hostID, group: group, metric: "tokens_per_second", openedAt: now.addingTimeInterval(-daysAgo * 86400), changePercent: change,
            baselineMedian: 100, currentMedian: 100 + change, build: build)
    }

    static func snapshot(hosts: [FleetSnapshot.Host], rows: [FleetSnapshot.GroupRow], regressions: [FleetSnapshot.Regression]) -> FleetSnapshot {
        let total = FleetSnapshot.GroupTotal(
            group: group, hosts: Set(rows.map(\.hostID)).count, sessions: rows.count * 3, runsOK: rows.count * 30, runsFailed: 0,
            tokensPerSecond: .empty, ttftSeconds: .empty)
        return .init(database: "u@db:5432/bench", readAt: now, hosts: hosts, rows: rows, totals: [total], openRegressions: regressions)
    }

    @Test("four H100 hosts regressing on one build are one finding, counted against the H100 hosts that ran the group")
    func crossHostRegressionIsOneFinding() {
        let h100 = (1...4).map { "h100-0\($0)" }
        let hosts = h100.map { Self.host($0, gpu: "H100") } + [Self.host("l4-01", gpu: "L4")]
        let rows = h100.map { Self.row($0, gpu: "H100", median: 80) } + [Self.row("l4-01", gpu: "L4", median: 30)]
        let regressions = [
            Self.regression("h100-01", change: -18, build: "b4521", daysAgo: 2), Self.regression("h100-02", change: -20, build: "b4521", daysAgo: 1),
            Self.regression("h100-03", change: -19, build: "b4521", daysAgo: 1), Self.regression("h100-04", change: -22, build: "b4521", daysAgo: 1),
            Self.regression("l4-01", change: -6, build: nil, daysAgo: 3),
        ]
        let facts = FleetFacts(Self.snapshot(hosts: hosts, rows: rows, regressions: regressions), policy: .init(stoppedAfter: .seconds(48 * 3600)))
        #expect(facts.regressions.count == 2)
        let first = facts.regressions[0]
        #expect(first.hosts == h100 && first.hostsOfKind == 4 && first.gpu == "H100" && first.builds == ["b4521"])
        #expect(first.since == Self.now.addingTimeInterval(-2 * 86400))
        // Median of -18, -19, -20, -22.
        #expect(first.medianChangePercent == -19.5)
        #expect(first.sentence == "tok/s of llama3.1:8b (num_ctx=4096) is worse on 4 of 4 H100 hosts since build b4521 (median change -19.5%)")
        #expect(facts.regressions[1].sentence == "tok/s of llama3.1:8b (num_ctx=4096) is worse on 1 of 1 L4 hosts (median change -6.0%)")
    }

    @Test("one host of three regressing says so: 1 of 3, the builds listed when they differ")
    func oneHostOfSeveral() {
        let hosts = ["a", "b", "c"].map { Self.host($0, gpu: nil) }
        let rows = ["a", "b", "c"].map { Self.row($0, gpu: nil, median: 50) }
        let regressions = [
            Self.regression("b", change: -10, build: "b1", daysAgo: 1), Self.regression("b", change: -12, build: "b2", daysAgo: 0.5),
        ]
        let facts = FleetFacts(Self.snapshot(hosts: hosts, rows: rows, regressions: regressions), policy: .init(stoppedAfter: .seconds(3600)))
        #expect(facts.regressions.count == 1)
        #expect(facts.regressions[0].sentence.contains("is worse on 1 of 3 hosts with no GPU recorded on builds b1, b2"))
    }

    @Test("silent hosts and failing harnesses are named; a host whose latest session ran nothing is failing now")
    func stoppedAndFailing() {
        let hosts = [
            Self.host("quiet", gpu: "H100", lastSeenHoursAgo: 72), Self.host("busy", gpu: "H100", lastSeenHoursAgo: 1),
            Self.host("broken", gpu: "L4", dead: 3, latestDead: true), Self.host("flaky", gpu: "L4", dead: 1, latestDead: false),
        ]
        let facts = FleetFacts(Self.snapshot(hosts: hosts, rows: [], regressions: []), policy: .init(stoppedAfter: .seconds(48 * 3600)))
        #expect(facts.stoppedHosts.map(\.hostID) == ["quiet"])
        #expect(facts.failingHarnesses.map(\.host.hostID) == ["broken", "flaky"])
        #expect(facts.failingHarnesses.map(\.failingNow) == [true, false])
        let longer = FleetFacts(Self.snapshot(hosts: hosts, rows: [], regressions: []), policy: .init(stoppedAfter: .seconds(168 * 3600)))
        #expect(longer.stoppedHosts.isEmpty)
    }
}
