import Records

/// Opens and resolves regressions from one report's session comparisons.
///
/// Pure: the report stage loads the open regressions from the store, calls
/// `update`, and stores what it returns, in the order the sessions were
/// measured (a session that lands after a regression may recover it in the
/// same report: it is then both opened and resolved, so a slow night that
/// the next night mended still stands in the history, the journal and the feed).
///
///     let moves = RegressionLedger.update(open: stored, comparisons: facts.sessionComparisons, policy: .standard, at: now)
///     moves.opened   // new regressions, with provisional ids (-1, -2, ...) until stored
///     moves.resolved // recovered ones, with their resolution
package enum RegressionLedger {
    package struct Moves: Sendable, Equatable {
        package var open: [Regression]
        package var opened: [Regression]
        package var resolved: [Regression]
        /// Open ones whose own session grew since they opened (a harness
        /// appending a run at a time, a report after each): their figures
        /// are the whole session's now.
        package var revised: [Regression] = []
        /// Open ones whose own session, tested again where it is now known
        /// to have run, is not worse (`SessionComparison.environmentLearnt`):
        /// `withdrawWhereEnvironmentDiffers` withdraws them.
        package var clearedWhereItRan: Set<Int64> = []
        /// Recovered ones whose recovering session, grown since, is worse:
        /// open again (also in `open`), none opened in their place.
        package var reopened: [Regression] = []
    }

    /// - Parameter recovered: the scope's recovered regressions, newest first:
    ///   one whose recovering session is now worse is reopened.
    package static func update(
        open: [Regression], recovered: [Regression] = [], comparisons: [SessionComparison], policy: RegressionPolicy, at now: String
    ) -> Moves {
        var open = open
        var recovered = recovered
        var reopened: [Regression] = []
        var opened: [Regression] = []
        var resolved: [Regression] = []
        var revised: [Regression] = []
        var cleared: Set<Int64> = []
        let ordered = comparisons.sorted { a, b in
            a.measuredAt != b.measuredAt ? a.measuredAt < b.measuredAt : a.source < b.source
        }
        for comparison in ordered {
            let key = comparison.groupKey
            // A regression is of the environment its session ran in: a session
            // that ran elsewhere neither recovers it nor is hidden by it (a
            // slowdown on a second host opens a regression of its own).
            if let index = open.firstIndex(where: {
                $0.groupKey == key && $0.metric == comparison.metric
                    && comparison.environment.differences(from: SessionEnvironment(parameters: $0.environment)).isEmpty
            }) {
                let regression = open[index]
                let ownSession = comparison.measuredAt == regression.sessionMeasuredAt && regression.currentSources.contains(comparison.source)
                // Its own session, grown since: still worse, the regression
                // takes the whole session's figures; no longer, it is resolved below.
                if ownSession, comparison.verdict(policy) == .worse, let test = comparison.test {
                    open[index].revise(with: comparison, test: test)
                    // Tested again where it is now known to have run: of that environment.
                    if comparison.environmentLearnt {
                        open[index].environment = comparison.environment.values.map { Parameter($0.key, $0.value) }
                    }
                    revised.append(open[index])
                    continue
                }
                // Tested again where it ran and not worse there: the baseline it
                // opened against was partly another machine's (withdrawn below,
                // where the sessions it was tested against are known).
                if ownSession, comparison.environmentLearnt {
                    cleared.insert(regression.id)
                    continue
                }
                // Only a session that can speak for the group recovers it: enough
                // runs, and run where the regression's session ran.
                let environment = SessionEnvironment(parameters: regression.environment)
                // A session known by its tool's figure speaks for itself. One
                // measured before the regression's (an old file copied in) says
                // nothing of whether the group recovered since.
                guard regression.baseline.median > 0, comparison.current.median.isFinite, !comparison.predatesHistory,
                    comparison.measuredAt >= regression.sessionMeasuredAt ?? -.infinity,
                    comparison.current.n >= MannWhitney.minimumRuns || comparison.basis == .sessions,
                    comparison.environment.differences(from: environment).isEmpty
                else { continue }
                let change = (comparison.current.median / regression.baseline.median - 1) * 100
                // A session its own test finds worse never recovers a regression,
                // whatever its median says against the old baseline.
                let stillWorse =
                    comparison.verdict(policy) == .worse
                    || (comparison.metric.direction.isWorse(change) && abs(change) >= policy.minimumEffectPercent)
                if !stillWorse {
                    var done = open.remove(at: index)
                    done.resolvedAt = now
                    done.resolution = .recovered(source: comparison.source, changePercent: change)
                    done.recoveredSessionAt = comparison.measuredAt
                    resolved.append(done)
                }
                continue
            }
            guard comparison.verdict(policy) == .worse, let test = comparison.test else { continue }
            // A session whose regression recovered was judged: read again
            // (grown by a run), it opens none anew, or a session still being
            // written would open and resolve one at every other run.
            let mark = RegressionPolicy.SessionMark(measuredAt: comparison.measuredAt, source: comparison.source)
            if policy.setAside[RegressionPolicy.acceptedKey(group: key, metric: comparison.metric)]?.contains(mark) == true { continue }
            // The session that recovered one, read with its first runs (a
            // harness appending a run at a time), is worse now it has grown:
            // that regression never recovered. It is open again, under its
            // id, rather than a second one opened on the session that
            // "recovered" the first.
            if let index = recovered.firstIndex(where: { $0.wasRecovered(by: comparison) }) {
                var again = recovered.remove(at: index)
                again.reopen(at: now, by: comparison)
                open.append(again)
                reopened.append(again)
                continue
            }
            var regression = Regression(
                model: comparison.model, configuration: comparison.configuration, metric: comparison.metric,
                baseline: .init(median: comparison.baseline.median, n: comparison.baseline.n),
                baselineSessions: comparison.baselineSessions,
                current: .init(median: comparison.current.median, n: comparison.current.n), currentSources: [comparison.source],
                changePercent: test.changePercent,
                intervalPercent: min(test.intervalPercent.low, test.intervalPercent.high)...max(test.intervalPercent.low, test.intervalPercent.high),
                pValue: test.pValue, qValue: test.qValue, openedAt: now)
            regression.id = -Int64(opened.count + 1)
            var withEnvironment = regression
            withEnvironment.tool = comparison.tool
            withEnvironment.unit = comparison.unit
            withEnvironment.basis = comparison.basis
            withEnvironment.environment = comparison.environment.values.map { Parameter($0.key, $0.value) }
            withEnvironment.sessionMeasuredAt = comparison.measuredAt
            withEnvironment.baselineSources = comparison.baselineSources
            open.append(withEnvironment)
            opened.append(withEnvironment)
        }
        return Moves(open: open, opened: opened, resolved: resolved, revised: revised, clearedWhereItRan: cleared, reopened: reopened)
    }

    /// Resolves what opened now by a session that landed after the sessions
    /// measured after it (a night copied in late, a backlog out of order),
    /// when one of those, read before and so not tested now, shows the group
    /// recovered: the same rule as a later session landing with it (enough
    /// runs, where it ran, not worse than the baseline by the minimum
    /// effect). The first such session recovers it, not the newest: the
    /// spell it leaves out of later baselines ends there (recovered by the
    /// newest, a late file dated weeks back took every normal night between
    /// out of them). Left open, it would wait for yet another night while
    /// the nights after it are back.
    ///
    /// So is what this report reopened: a session read before, measured
    /// after the one that "recovered" it and back at the old level, shows
    /// the group recovered all the same (its slow tail landed late). And so,
    /// in any report, is one reopened because the file of the session that
    /// recovered it was deleted: that file put back (restored from a
    /// backup, a share mounted again) recovers it again, where it stayed
    /// open beside its own callout saying the latest session was back.
    package static func resolveRecoveredSince(_ moves: inout Moves, runGroups: [RunGroup], policy: RegressionPolicy, at now: String) {
        let openedNow = Set(moves.opened.map(\.id) + moves.reopened.map(\.id))
        for regression in moves.open where openedNow.contains(regression.id) || regression.reopenReason == .deleted {
            // A session new in this report had its say in `update`: its own test may find it worse.
            guard let back = regression.firstSessionBack(in: runGroups, minimumEffect: policy.minimumEffectPercent),
                let index = moves.open.firstIndex(where: { $0.id == regression.id })
            else { continue }
            // One reopened in an earlier report, only while its newest session,
            // a new one included, is not worse: a share mounted again brings the
            // restored night and the slow one written meanwhile together.
            if !openedNow.contains(regression.id), let latest = regression.latestSession(in: runGroups),
                regression.metric.direction.isWorse(latest.changePercent), abs(latest.changePercent) >= policy.minimumEffectPercent
            {
                continue
            }
            var done = moves.open.remove(at: index)
            done.resolvedAt = now
            done.resolution = .recovered(source: back.source, changePercent: back.changePercent)
            done.recoveredSessionAt = back.measuredAt
            moves.resolved.append(done)
        }
    }
}

extension RegressionLedger {
    /// Keeps open what a session recovered in this report when the group's
    /// newest session, read in an earlier report and measured after the
    /// recovering one, is still worse than the regression's baseline: a
    /// normal night's file landing late (an evening run copied in the next
    /// day) said nothing of the slow nights after it. Recovered, the spell
    /// ended at the late night, the slow nights joined later baselines, and
    /// a 14% slower night was then "unchanged" with nothing open.
    /// One that a new session opened again in this report stays resolved.
    package static func keepOpenWhileNewerSessionsAreWorse(_ moves: inout Moves, runGroups: [RunGroup], policy: RegressionPolicy) {
        let open = moves.open
        moves.resolved.removeAll { regression in
            guard case .recovered = regression.resolution, let recovered = regression.recoveredSessionAt,
                !open.contains(where: {
                    $0.groupKey == regression.groupKey && $0.metric == regression.metric && $0.environment == regression.environment
                }),
                let newest = regression.newestSessionRead(after: recovered, in: runGroups), regression.baseline.median > 0
            else { return false }
            let change = (newest.median / regression.baseline.median - 1) * 100
            guard regression.metric.direction.isWorse(change) && abs(change) >= policy.minimumEffectPercent else { return false }
            var kept = regression
            kept.resolvedAt = nil
            kept.resolution = nil
            kept.recoveredSessionAt = nil
            moves.open.append(kept)
            return true
        }
    }

    /// Withdraws the open regressions whose session is now known to have run
    /// elsewhere than every session of its baseline: the file saying where
    /// (an `env.json` naming another GPU) landed after the runs, so the
    /// session was tested as if it ran where its baseline did (a key a
    /// session lacks is no difference). Left open, such a regression would
    /// wait for a session back on the old machine, as every later one runs
    /// where the slow one did.
    ///
    /// When only some of them ran elsewhere (the night before was the new
    /// machine's first), the session was tested again against the ones that
    /// ran where it did (`RegressionPolicy.openSessions`): not worse there
    /// (`Moves.clearedWhereItRan`), it is withdrawn too, naming what the
    /// others differ in.
    ///
    /// Only what was unknown counts: a session whose environment now
    /// contradicts what it was tested with (a file rewritten with another
    /// value) withdraws nothing. Its baseline is the sessions it was tested
    /// against (`baselineSources`); a regression stored without them is
    /// left as it is. One that stays open takes the environment now known,
    /// so only sessions run where it ran recover it.
    package static func withdrawWhereEnvironmentDiffers(_ moves: inout Moves, runGroups: [RunGroup], at now: String) {
        for regression in moves.open {
            guard let opened = regression.sessionMeasuredAt, let group = regression.group(in: runGroups),
                let session = group.sessions.first(where: { $0.measuredAt == opened && regression.currentSources.contains($0.source) })
            else { continue }
            let thought = SessionEnvironment(parameters: regression.environment)
            let known = session.environment.of(regression.metric)
            guard known != thought, known.differences(from: thought).isEmpty,
                let index = moves.open.firstIndex(where: { $0.id == regression.id })
            else { continue }
            let baseline = baselineSessions(of: regression, opened: opened, in: group)
            let elsewhere = baseline.filter { !known.differences(from: $0.environment.of(regression.metric)).isEmpty }
            if !elsewhere.isEmpty, elsewhere.count == baseline.count || moves.clearedWhereItRan.contains(regression.id) {
                var differences: [String] = []
                for other in elsewhere {
                    for difference in known.differences(from: other.environment.of(regression.metric)) where !differences.contains(difference) {
                        differences.append(difference)
                    }
                }
                var done = moves.open.remove(at: index)
                done.resolvedAt = now
                done.resolution = .withdrawn(differences: differences)
                moves.resolved.append(done)
            } else {
                moves.open[index].environment = known.values.map { Parameter($0.key, $0.value) }
                moves.revised.removeAll { $0.id == regression.id }
                moves.revised.append(moves.open[index])
            }
        }
    }

    /// Re-points a regression whose session's files were all deleted since
    /// the last report to the byte copy that now counts in their place (the
    /// same session: measured then, with the same figure): it names a file
    /// that is there, and its session stays out of later baselines, where
    /// it was keyed by the dead path (a 13% slower night was then
    /// "unchanged", and a later slowdown opened nothing). Returns the ones
    /// re-pointed, changed in `regressions` too.
    package static func followToSurvivingCopy(_ regressions: inout [Regression], deleted: Set<String>, runGroups: [RunGroup]) -> [Regression] {
        guard !deleted.isEmpty else { return [] }
        var followed: [Regression] = []
        for index in regressions.indices {
            let regression = regressions[index]
            guard regression.lostItsFiles(deleted), let copy = regression.sessionCopy(in: runGroups, besides: deleted) else { continue }
            regressions[index].currentSources = [copy.source]
            followed.append(regressions[index])
        }
        return followed
    }

    /// Resolves the open regressions of run groups whose session's files
    /// were all deleted since the last report (`deleted`, paths as reports
    /// show them) and whose session is gone from the group: a run discarded
    /// by deleting its file leaves nothing to be worse, and a regression
    /// naming a file that is gone would stay open until a night recovered
    /// it. A session still there (a byte copy of the file, counting in its
    /// place) keeps it open; another benchmark's regression is left as it is.
    /// Runs before `update`, on the open regressions as stored, so a later
    /// session still as slow opens a regression of its own; returns the
    /// ones resolved, removed from `open`.
    package static func resolveWhereSessionDeleted(
        _ open: inout [Regression], deleted: Set<String>, runGroups: [RunGroup], at now: String
    ) -> [Regression] {
        guard !deleted.isEmpty else { return [] }
        var resolved: [Regression] = []
        open.removeAll { regression in
            guard regression.lostItsFiles(deleted), regression.sessionCopy(in: runGroups, besides: deleted) == nil else { return false }
            var done = regression
            done.resolvedAt = now
            done.resolution = .deleted
            resolved.append(done)
            return true
        }
        return resolved
    }

    /// The sessions a regression was tested against, newest first: of each
    /// baseline file, as many of its sessions measured before the
    /// regression's as the baseline took from it.
    static func baselineSessions(of regression: Regression, opened: Double, in group: RunGroup) -> [Session] {
        var wanted: [String: Int] = [:]
        for source in regression.baselineSources { wanted[source, default: 0] += 1 }
        var found: [Session] = []
        for session in group.sessions.sorted(by: { ($0.measuredAt, $0.source) > ($1.measuredAt, $1.source) })
        where session.measuredAt <= opened && !regression.currentSources.contains(session.source) {
            guard let left = wanted[session.source], left > 0 else { continue }
            wanted[session.source] = left - 1
            found.append(session)
        }
        return found
    }
}

extension Regression {
    /// Whether every file of its session is among `deleted` (paths as
    /// reports show them); a tool's benchmark's regression is left alone.
    func lostItsFiles(_ deleted: Set<String>) -> Bool {
        tool == nil && sessionMeasuredAt != nil && !currentSources.isEmpty && currentSources.allSatisfy(deleted.contains)
    }

    /// Its session under another name: measured then, with the same figure
    /// (a byte copy counting in its place), in a file not among `deleted`.
    func sessionCopy(in groups: [RunGroup], besides deleted: Set<String>) -> Session? {
        guard let measuredAt = sessionMeasuredAt else { return nil }
        return group(in: groups)?.sessions.first { session in
            session.measuredAt == measuredAt && !deleted.contains(session.source) && figures(of: session).median == current.median
        }
    }

    /// Takes the figures of its own session, read again grown.
    mutating func revise(with comparison: SessionComparison, test: SessionComparison.Test) {
        baseline = .init(median: comparison.baseline.median, n: comparison.baseline.n)
        baselineSessions = comparison.baselineSessions
        baselineSources = comparison.baselineSources
        current = .init(median: comparison.current.median, n: comparison.current.n)
        changePercent = test.changePercent
        intervalPercent = min(test.intervalPercent.low, test.intervalPercent.high)...max(test.intervalPercent.low, test.intervalPercent.high)
        pValue = test.pValue
        qValue = test.qValue
    }
}
