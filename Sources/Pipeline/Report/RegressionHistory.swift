import Analysis
import Foundation
import Records
import Reporting
import Store

/// What the store's regressions of a report's scope tell its analysis,
/// read once before it: acknowledged levels (a baseline starts at them),
/// recovered and open regressions' spells (no baseline for later sessions),
/// and open regressions' own sessions (tested again where their machine
/// became known), with regressions resolved as deleted whose file is back
/// counted as open (`returned`). Their files are named as this report
/// names them: one renamed since (`mv results.csv results-1.csv`) keeps its sessions.
///
///     let history = try RegressionHistory(scope: scope, store: store)
///     var load = try DigestLoad(scope: scope, store: store, retested: history.retested)
///     history.apply(to: &policy)
struct RegressionHistory {
    var open: [Store.RegressionRow]
    var acknowledged: [Store.RegressionRow]
    var recovered: [Store.RegressionRow]
    /// Run groups' regressions resolved as deleted with their session's
    /// file within `returnWindow`, which this report reads again: the
    /// harness deleted it before writing it anew, and the store kept the
    /// session. Open again, their session stays out of the baselines it would
    /// otherwise hide a later slow night in. A file written at that path
    /// longer after is another night's, and its deleted run was discarded.
    var returned: [Store.RegressionRow]
    /// How long after its deletion a file's return reopens its regression:
    /// a harness that deletes its results, then benchmarks for hours.
    static let returnWindow: TimeInterval = 6 * 3600
    var renamed: [InputFacts.Renamed]

    init(scope: ReportScope, store: Store) throws {
        let key = DigestLoad.cacheScope(scope)
        open = try store.openRegressions(scope: key)
        acknowledged = try store.regressions(scope: key, resolvedAs: .acknowledged)
        recovered = try store.regressions(scope: key, resolvedAs: .recovered)
        renamed = scope.inputs.renamed
        let analysed = Set(scope.analysed.map(\.path))
        // ISO 8601 times in UTC compare as text.
        let since = Timestamps.iso8601(Date(timeIntervalSinceNow: -RegressionHistory.returnWindow))
        returned = try store.regressions(scope: key, resolvedAs: .deleted).filter { row in
            row.tool == nil && (row.resolvedAt ?? "") >= since && !row.currentSources.isEmpty
                && row.currentSources.allSatisfy(analysed.contains)
        }
    }

    /// The files of open run-group regressions' sessions, with their groups
    /// (see `GroupCachePlan.prepare`).
    var retested: [String: Set<String>] {
        var files: [String: Set<String>] = [:]
        for row in open where row.tool == nil {
            let group = Regression.groupKey(tool: nil, model: row.model, configuration: row.configuration)
            for source in row.currentSources { files[RegressionUpdate.path(source, after: renamed), default: []].insert(group) }
        }
        return files
    }

    func apply(to policy: inout RegressionPolicy) {
        for row in acknowledged {
            // Newest first: in each environment, the newest acknowledgement of a group and metric wins.
            if let (key, session) = keyed(row) {
                policy.acceptedFrom[key, default: []].append(.init(mark: session, environment: SessionEnvironment(parameters: row.environment)))
            }
        }
        for row in recovered {
            guard let (key, session) = keyed(row) else { continue }
            policy.setAside[key, default: []].insert(session)
            let end: RegressionPolicy.Spell.End =
                row.recoveredSessionAt.map { .recovered(at: $0) }
                ?? .recoveredBy(source: RegressionUpdate.path(row.resolutionSource ?? "", after: renamed))
            policy.spells[key, default: []].append(.init(from: session, environment: SessionEnvironment(parameters: row.environment), end: end))
        }
        for row in open + returned {
            guard let (key, session) = keyed(row) else { continue }
            let environment = SessionEnvironment(parameters: row.environment)
            policy.spells[key, default: []].append(.init(from: session, environment: environment, end: .open))
            // A benchmark's sessions are tested as they land only.
            if row.tool == nil { policy.openSessions[key, default: []].append(.init(mark: session, environment: environment)) }
        }
    }

    /// A regression's group and metric as the policy keys them, and its
    /// session as this report names it.
    private func keyed(_ row: Store.RegressionRow) -> (key: String, session: RegressionPolicy.SessionMark)? {
        guard let at = row.sessionMeasuredAt, let metric = TestedMetric(rawValue: row.metric) else { return nil }
        let configuration = Regression.currentConfiguration(tool: row.tool, row.configuration)
        let group = Regression.groupKey(tool: row.tool, model: row.model, configuration: configuration)
        let source = RegressionUpdate.path(row.currentSources.first ?? "", after: renamed)
        return (RegressionPolicy.acceptedKey(group: group, metric: metric), .init(measuredAt: at, source: source))
    }
}
