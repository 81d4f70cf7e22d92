import Foundation
import Records

extension FleetFacts {
    package init(_ snapshot: FleetSnapshot, policy: Policy) {
        self.snapshot = snapshot
        self.policy = policy
        let rowsByGroup = Dictionary(grouping: snapshot.rows, by: \.group)
        // The most comparable first: groups many hosts ran, then many runs (a
        // sweep's one-run points last), so a long list starts with what matters.
        groups = snapshot.totals.sorted { a, b in
            if a.hosts != b.hosts { return a.hosts > b.hosts }
            if a.runsOK != b.runsOK { return a.runsOK > b.runsOK }
            return a.group < b.group
        }
        .map { total in
            Group(
                total: total,
                rows: (rowsByGroup[total.group] ?? []).sorted { ($0.hostID, $0.environment) < ($1.hostID, $1.environment) })
        }
        regressions = Self.crossHost(snapshot)
        failingHarnesses = snapshot.hosts.filter { $0.deadSessions > 0 }.map { host in
            FailingHarness(host: host, failingNow: host.latestDeadSessionAt != nil && host.latestDeadSessionAt == host.latestSessionAt)
        }
        .sorted { ($0.failingNow ? 0 : 1, $0.host.hostID) < ($1.failingNow ? 0 : 1, $1.host.hostID) }
        let stoppedBefore = snapshot.readAt.addingTimeInterval(-Double(policy.stoppedAfter / .milliseconds(1)) / 1000)
        stoppedHosts = snapshot.hosts.filter { $0.lastSeen < stoppedBefore }.sorted { ($0.lastSeen, $0.hostID) < ($1.lastSeen, $1.hostID) }
    }

    /// Open regressions gathered by group, metric and the hosts' GPU; the
    /// widest first (a regression on every host of a kind says more about a
    /// build or a driver than one host's does).
    static func crossHost(_ snapshot: FleetSnapshot) -> [CrossHostRegression] {
        struct Kind: Hashable {
            var group: FleetSnapshot.GroupKey
            var metric: String
            var gpu: String?
        }
        var gpuOf: [String: String] = [:]
        for host in snapshot.hosts { gpuOf[host.hostID] = host.environment.gpu }
        // Which hosts ran each group: the denominator of "n of m hosts".
        var runners: [FleetSnapshot.GroupKey: Set<String>] = [:]
        for row in snapshot.rows { runners[row.group, default: []].insert(row.hostID) }
        let byKind = Dictionary(grouping: snapshot.openRegressions) { Kind(group: $0.group, metric: $0.metric, gpu: gpuOf[$0.hostID]) }
        return byKind.map { kind, regressions in
            let hosts = Set(regressions.map(\.hostID))
            let ofKind = (runners[kind.group] ?? []).filter { gpuOf[$0] == kind.gpu }
            var changes = regressions.map(\.changePercent).filter(\.isFinite)
            return CrossHostRegression(
                group: kind.group, metric: kind.metric, gpu: kind.gpu, hosts: hosts.sorted(), hostsOfKind: max(ofKind.union(hosts).count, 1),
                builds: Set(regressions.compactMap(\.build)).sorted(), since: regressions.map(\.openedAt).min() ?? snapshot.readAt,
                medianChangePercent: changes.isEmpty ? .nan : Summary.quantile(&changes, 0.5) ?? .nan)
        }
        .sorted { a, b in
            if a.hosts.count != b.hosts.count { return a.hosts.count > b.hosts.count }
            return (a.group, a.metric, a.gpu ?? "") < (b.group, b.metric, b.gpu ?? "")
        }
    }
}

extension FleetFacts.CrossHostRegression {
    /// "tok/s of llama3.1:8b (num_ctx=4096) is worse on 4 of 4 H100 hosts
    /// since build b4521 (median change -19.2%), from 2026-11-30".
    package var sentence: String {
        let label = TestedMetric(rawValue: metric)?.label ?? metric
        let configuration = group.configuration.isEmpty ? "" : " (\(group.configuration.rendered))"
        let kind = gpu.map { "\($0) hosts" } ?? "hosts with no GPU recorded"
        let build =
            switch builds.count {
            case 0: ""
            case 1: " since build \(builds[0])"
            default: " on builds \(builds.joined(separator: ", "))"
            }
        let change = medianChangePercent.isFinite ? " (median change \(Figures.signedPercent(medianChangePercent)))" : ""
        return "\(label) of \(group.model)\(configuration) is worse on \(hosts.count) of \(hostsOfKind) \(kind)\(build)\(change)"
    }
}
