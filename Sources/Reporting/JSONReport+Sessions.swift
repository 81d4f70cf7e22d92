import Analysis
import Foundation
import Records

/// report.json's sessions, session tests and regressions (README, "report.json").
extension JSONReport {
    /// Most sessions listed per group, the latest kept: a group fed by
    /// thousands of files would otherwise make the report grow with its history.
    static let sessionsListed = 100

    static func sessions(_ group: RunGroup) -> [(String, JSONValue)] {
        let listed = group.sessions.suffix(sessionsListed)
        return [
            ("sessions_total", .int(group.sessions.count)),
            ("sessions", .array(listed.map(session))),
            ("latest_session", group.sessions.last.map(session) ?? .null),
        ]
    }

    static func session(_ session: Session) -> JSONValue {
        .object([
            ("sources", .strings([session.source])),
            ("started_at", .string(session.startedAt.map(time))),
            ("measured_at", .string(time(session.measuredAt))),
            ("time_from", .string(session.startedAt == nil ? "file modification time" : "data")),
            ("runs_ok", .int(session.runsOK)),
            ("runs_failed", .int(session.runsFailed)),
            ("new", .bool(session.isNew)),
            ("tokens_per_second", figures(session.tokensPerSecond)),
            ("ttft_seconds", figures(session.ttftSeconds)),
            ("environment", .object(session.environment.values.map { ($0.key, .string($0.value)) })),
        ])
    }

    static func figures(_ figures: SessionFigures) -> JSONValue {
        .object([
            ("n", .int(figures.n)), ("median", .number(figures.median)), ("p25", .number(figures.lowerQuartile)),
            ("p75", .number(figures.upperQuartile)),
        ])
    }

    /// Seconds since 1970 as reports show times (ISO 8601, UTC).
    static func time(_ seconds: Double) -> String {
        Timestamps.iso8601(Date(timeIntervalSince1970: seconds))
    }

    static func sessionTests(_ comparisons: [SessionComparison], policy: RegressionPolicy) -> JSONValue {
        .object([
            (
                "method",
                .object([
                    ("test", .string("mann-whitney-u")), ("effect", .string("hodges-lehmann ratio")),
                    ("confidence", .number(0.95)), ("false_discovery_control", .string("benjamini-hochberg")),
                    ("false_discovery_rate", .number(policy.falseDiscoveryRate)),
                    ("min_effect_percent", .number(policy.minimumEffectPercent)),
                    ("baseline_sessions", .int(policy.baselineSessions)),
                    // A session known by one figure, against earlier sessions' figures.
                    ("sessions_test", .string("student-t prediction interval")),
                    ("min_sessions", .int(SessionComparison.minimumSessions)),
                ])
            ),
            ("tests", .array(comparisons.map { sessionTest($0, policy: policy) })),
        ])
    }

    static func sessionTest(_ comparison: SessionComparison, policy: RegressionPolicy) -> JSONValue {
        let test = comparison.test
        return .object([
            ("model", .string(comparison.model)), ("config", parameters(comparison.configuration)),
            ("metric", .string(comparison.metric.rawValue)), ("direction", .string(comparison.metric.direction.rawValue)),
            ("tool", .string(comparison.tool)), ("unit", .string(comparison.unit ?? comparison.metric.unit)),
            ("basis", .string(comparison.basis.rawValue)),
            ("source", .string(comparison.source)), ("started_at", .string(comparison.startedAt.map(time))),
            (
                "baseline",
                .object([
                    ("median", .number(comparison.baseline.median)), ("n", .int(comparison.baseline.n)),
                    ("sessions", .int(comparison.baselineSessions)), ("sources", .strings(comparison.baselineSources)),
                ])
            ),
            ("current", .object([("median", .number(comparison.current.median)), ("n", .int(comparison.current.n))])),
            ("change_percent", .number(test?.changePercent)),
            ("ci_percent", test.map { .array([.number($0.intervalPercent.low), .number($0.intervalPercent.high)]) } ?? .null),
            ("p_value", .number(test?.pValue)), ("q_value", .number(test?.qValue)),
            ("detectable_percent", .number(test?.detectablePercent)),
            ("environment", .object(comparison.environment.values.map { ($0.key, .string($0.value)) })),
            ("environment_differences", .strings(comparison.environmentDifferences)),
            ("pinned_baseline_empty", .bool(comparison.pinnedBaselineEmpty)),
            ("predates_history", .bool(comparison.predatesHistory)),
            ("verdict", .string(comparison.verdict(policy).rawValue)),
        ])
    }

    static func regressions(_ state: RegressionState) -> JSONValue {
        .object([
            ("open", .array(state.open.map(regression))), ("resolved", .array(state.resolved.map(regression))),
            // Reopened by this report (also among the open ones).
            ("reopened", .array(state.reopened.map { .number(Double($0.id)) })),
        ])
    }

    static func regression(_ regression: Regression) -> JSONValue {
        var resolution: JSONValue = .null
        var note: String? = nil
        switch regression.resolution {
        case .recovered(let source, let change):
            resolution = .object([
                ("kind", .string("recovered")), ("source", .string(source)), ("change_percent", .number(change)),
            ])
        case .acknowledged(let text):
            resolution = .object([("kind", .string("acknowledged"))])
            note = text
        case .withdrawn(let differences):
            resolution = .object([("kind", .string("withdrawn")), ("environment_differences", .strings(differences))])
        case .deleted:
            resolution = .object([("kind", .string("deleted"))])
        case nil: break
        }
        return .object([
            ("id", .number(Double(regression.id))),
            ("model", .string(regression.model)), ("config", parameters(regression.configuration)),
            ("environment", .object(regression.environment.map { ($0.name, .string($0.value)) })),
            ("metric", .string(regression.metric.rawValue)), ("direction", .string(regression.metric.direction.rawValue)),
            ("tool", .string(regression.tool)), ("unit", .string(regression.unit ?? regression.metric.unit)),
            ("basis", .string(regression.basis.rawValue)),
            (
                "baseline",
                .object([
                    ("median", .number(regression.baseline.median)), ("n", .int(regression.baseline.n)),
                    ("sessions", .int(regression.baselineSessions)),
                ])
            ),
            (
                "current",
                .object([
                    ("median", .number(regression.current.median)), ("n", .int(regression.current.n)),
                    ("sources", .strings(regression.currentSources)),
                ])
            ),
            ("change_percent", .number(regression.changePercent)),
            ("ci_percent", .array([.number(regression.intervalPercent.lowerBound), .number(regression.intervalPercent.upperBound)])),
            ("p_value", .number(regression.pValue)), ("q_value", .number(regression.qValue)),
            ("measured_at", .string(Regression.measured(regression.sessionMeasuredAt))),
            ("opened_at", .string(regression.openedAt)), ("resolved_at", .string(regression.resolvedAt)),
            ("reopened_at", .string(regression.reopenedAt)), ("reopen_count", .int(regression.reopenCount)),
            ("acknowledged", .bool(regression.isAcknowledged)), ("note", .string(note)), ("resolution", resolution),
            (
                "latest",
                regression.latest.map { latest in
                    .object([
                        ("median", .number(latest.median)), ("source", .string(latest.source)),
                        ("change_percent", .number(latest.changePercent)),
                    ])
                } ?? .null
            ),
        ])
    }

    static func harnessFailure(_ failure: HarnessFailure) -> JSONValue {
        .object([
            ("cause", .string(failure.cause.rawValue)), ("label", .string(failure.cause.label)),
            ("sessions", .int(failure.sessions)), ("runs", .int(failure.runs)), ("models", .strings(failure.models)),
            ("sources", .strings(failure.sources)), ("messages", .strings(failure.messages)),
            ("environment", details(failure.environment)),
        ])
    }

    /// Every group's change points, per metric, in group order, then the
    /// other benchmarks' (`tool` names theirs; `model` is the benchmark's
    /// name, as in `regressions`).
    static func changePoints(_ groups: [RunGroup], benchmarks: [BenchmarkChangePoint]) -> JSONValue {
        var points: [JSONValue] = []
        for group in groups {
            for point in group.changePoints where point.session < group.sessions.count {
                let session = group.sessions[point.session]
                points.append(
                    changePoint(
                        point, model: group.model, configuration: group.configuration, tool: nil, unit: nil,
                        session: (session.source, session.startedAt, session.measuredAt)))
            }
        }
        for benchmark in benchmarks {
            points.append(
                changePoint(
                    benchmark.point, model: benchmark.name, configuration: benchmark.parameters, tool: benchmark.tool, unit: benchmark.unit,
                    session: (benchmark.source, benchmark.startedAt, benchmark.measuredAt)))
        }
        return .array(points)
    }

    private static func changePoint(
        _ point: GroupChangePoint, model: String, configuration: [Parameter], tool: String?, unit: String?,
        session: (source: String, startedAt: Double?, measuredAt: Double)
    ) -> JSONValue {
        .object([
            ("model", .string(model)), ("config", parameters(configuration)),
            ("metric", .string(point.metric.rawValue)), ("direction", .string(point.metric.direction.rawValue)),
            ("tool", .string(tool)), ("unit", .string(unit ?? point.metric.unit)),
            ("session_index", .int(point.session)),
            (
                "session",
                .object([
                    ("sources", .strings([session.source])), ("started_at", .string(session.startedAt.map(time))),
                    ("measured_at", .string(time(session.measuredAt))),
                ])
            ),
            ("before_median", .number(point.before)), ("after_median", .number(point.after)),
            ("change_percent", .number(point.changePercent)), ("p_value", .number(point.pValue)),
            ("method", .string("e-divisive means")),
        ])
    }
}
