import Analysis
import Foundation
import Records

/// The fleet report's report.json: the `chimerad.fleet-report/1` contract
/// (README, "The fleet report"). `hosts[]` names every host; every
/// `llm_runs[]` item is one host's sessions of one model and configuration
/// in one environment and carries its `host_id`; `fleet_runs[]` pools them.
package enum FleetJSONReport {
    package static let schema = "chimerad.fleet-report/1"

    package static func render(_ facts: FleetFacts, generatedAt: Date, figures: [(link: String, figure: ReportFigure)]) -> String {
        document(facts, generatedAt: generatedAt, figures: figures).rendered(endingLine: true)
    }

    package static func document(_ facts: FleetFacts, generatedAt: Date, figures: [(link: String, figure: ReportFigure)]) -> JSONValue {
        let snapshot = facts.snapshot
        let stopped = Set(facts.stoppedHosts.map(\.hostID))
        return .object([
            ("schema", .string(schema)),
            ("generated_at", .string(Timestamps.iso8601(generatedAt))),
            ("database", .string(snapshot.database)),
            // A publishing host's role sees its own rows only: then this is not the fleet.
            ("own_rows_only", .bool(snapshot.ownRowsOnly)),
            ("stopped_after_hours", .number(Double(facts.policy.stoppedAfter / .seconds(1)) / 3600)),
            (
                "hosts",
                .array(
                    snapshot.hosts.map { host in
                        .object([
                            ("host_id", .string(host.hostID)), ("hostname", .string(host.hostname)),
                            ("environment", environment(host.environment)), ("first_seen", .string(Timestamps.iso8601(host.firstSeen))),
                            ("last_seen", .string(Timestamps.iso8601(host.lastSeen))), ("sessions", .int(host.sessions)),
                            ("runs_ok", .int(host.runsOK)), ("runs_failed", .int(host.runsFailed)),
                            ("dead_sessions", .int(host.deadSessions)), ("stopped", .bool(stopped.contains(host.hostID))),
                        ])
                    })
            ),
            ("regressions", .array(facts.regressions.map(regression))),
            (
                "harness_failures",
                .array(
                    facts.failingHarnesses.map { failing in
                        .object([
                            ("host_id", .string(failing.host.hostID)), ("dead_sessions", .int(failing.host.deadSessions)),
                            ("sessions", .int(failing.host.sessions)),
                            ("latest_dead_session_at", .string(failing.host.latestDeadSessionAt.map(Timestamps.iso8601))),
                            ("failing_now", .bool(failing.failingNow)),
                        ])
                    })
            ),
            ("stopped_hosts", .strings(facts.stoppedHosts.map(\.hostID))),
            (
                "charts",
                .array(
                    figures.map {
                        .object([("kind", .string($0.figure.kind.rawValue)), ("path", .string($0.link)), ("title", .string($0.figure.title))])
                    })
            ),
            ("fleet_runs", .array(facts.groups.map { total($0.total) })),
            ("llm_runs", .array(facts.groups.flatMap { $0.rows.map(row) })),
        ])
    }

    static func environment(_ environment: FleetSnapshot.Environment) -> JSONValue {
        .object([
            ("gpu", .string(environment.gpu)), ("driver", .string(environment.driver)), ("backend", .string(environment.backend)),
            ("build", .string(environment.build)),
        ])
    }

    static func configuration(_ group: FleetSnapshot.GroupKey) -> JSONValue {
        group.configuration.isEmpty ? .null : .object(group.configuration.map { ($0.name, .string($0.value)) })
    }

    static func figures(_ figures: FleetSnapshot.Figures) -> JSONValue {
        .object([
            ("n", .int(figures.n)), ("median", .number(figures.median)), ("p25", .number(figures.lowerQuartile)),
            ("p75", .number(figures.upperQuartile)), ("basis", .string(figures.basis.rawValue)),
        ])
    }

    static func row(_ row: FleetSnapshot.GroupRow) -> JSONValue {
        .object([
            ("model", .string(row.group.model)), ("config", configuration(row.group)), ("host_id", .string(row.hostID)),
            ("environment", environment(row.environment)), ("sessions", .int(row.sessions)), ("runs_ok", .int(row.runsOK)),
            ("runs_failed", .int(row.runsFailed)), ("latest_measured_at", .string(Timestamps.iso8601(row.latestMeasuredAt))),
            ("tokens_per_second", figures(row.tokensPerSecond)), ("ttft_seconds", figures(row.ttftSeconds)),
        ])
    }

    static func total(_ total: FleetSnapshot.GroupTotal) -> JSONValue {
        .object([
            ("model", .string(total.group.model)), ("config", configuration(total.group)), ("hosts", .int(total.hosts)),
            ("sessions", .int(total.sessions)), ("runs_ok", .int(total.runsOK)), ("runs_failed", .int(total.runsFailed)),
            ("tokens_per_second", figures(total.tokensPerSecond)), ("ttft_seconds", figures(total.ttftSeconds)),
        ])
    }

    static func regression(_ finding: FleetFacts.CrossHostRegression) -> JSONValue {
        .object([
            ("model", .string(finding.group.model)), ("config", configuration(finding.group)), ("metric", .string(finding.metric)),
            ("gpu", .string(finding.gpu)), ("hosts", .strings(finding.hosts)), ("hosts_of_kind", .int(finding.hostsOfKind)),
            ("builds", .strings(finding.builds)), ("since", .string(Timestamps.iso8601(finding.since))),
            ("median_change_percent", .number(finding.medianChangePercent)), ("text", .string(finding.sentence)),
        ])
    }
}
