import Analysis
import Foundation
import Records
import Settings
import Store

/// What one report publishes to the fleet: every session of the files it
/// read afresh (changed since the previous report over its inputs; all of
/// them in the first), their summaries and the per-run values the analysis
/// kept, the regressions it opened or resolved, the environment the files
/// record, and the report itself. Made from values only; the store queues it
/// with the report.
///
/// A session is keyed by its file's path under its watch root, the file's
/// content hash and its ordinal among the file's sessions (ordered by when
/// they were measured, then by model and configuration): a copy of a file
/// under another name is another session. A changed file is sent whole,
/// after an item that retires its earlier content's sessions: the fleet
/// holds each file as it is now, as the local store does, so a session that
/// grew by appended runs is counted once.
struct FleetPublication {
    var items: [FleetOutboxItem] = []

    /// The store's queue for this report; nil when no fleet is configured.
    static func queue(
        _ settings: Settings.Fleet, facts: Facts, scope: ReportScope, regressions: RegressionUpdate, name: String, generatedAt: Date,
        trigger: String, store: Store
    ) throws(Store.Failure) -> Store.FleetQueue? {
        guard settings.isEnabled else { return nil }
        let publication = FleetPublication(
            facts: facts, scope: scope, storedHashes: try storedHashes(scope, store: store), opened: regressions.openedRows,
            reopened: regressions.reopenedRows, resolved: regressions.resolvedRows, name: name, generatedAt: generatedAt, trigger: trigger)
        return Store.FleetQueue(items: publication.items, limit: settings.outboxLimit)
    }

    /// The content hashes of the changed files whose registry entries came
    /// without one, by path as shown. The ingest pass hashes only what it
    /// reads; a file read by an earlier process that ended before its report
    /// (killed, stopped, a report that failed) is listed from the store's
    /// light columns, without its hash, yet is changed for this report: its
    /// sessions would otherwise never reach the fleet.
    static func storedHashes(_ scope: ReportScope, store: Store) throws(Store.Failure) -> [String: String] {
        let since = scope.previous?.sequence ?? -1
        var hashes: [String: String] = [:]
        for entry in scope.analysed where entry.contentHash == nil && entry.changedSequence > since {
            hashes[entry.path] = try store.contentHash(root: entry.root, path: scope.labels.storedPath(entry.root, entry.path))
        }
        return hashes
    }

    init(
        facts: Facts, scope: ReportScope, storedHashes: [String: String] = [:], opened: [Store.RegressionRow], reopened: [Store.RegressionRow] = [],
        resolved: [Store.RegressionRow],
        name: String, generatedAt: Date, trigger: String
    ) {
        var entries: [String: RegistryEntry] = [:]
        for entry in scope.analysed {
            var entry = entry
            if entry.contentHash == nil { entry.contentHash = storedHashes[entry.path] }
            entries[entry.path] = entry
        }
        let changed = Set(scope.inputs.changed)
        var ofFile: [String: [(group: RunGroup, session: Session)]] = [:]
        for group in facts.runGroups {
            for session in group.sessions where changed.contains(session.source) {
                ofFile[session.source, default: []].append((group, session))
            }
        }
        var fileItems: [FleetOutboxItem] = []
        var sessionItems: [FleetOutboxItem] = []
        var sampleItems: [FleetOutboxItem] = []
        var newest: (measuredAt: Double, environment: FleetOutboxItem.Environment)?
        for source in ofFile.keys.sorted() {
            // A file the registry lost between the analysis and now has no hash to key on: left out.
            guard let entry = entries[source], let hash = entry.contentHash, var sessions = ofFile[source] else { continue }
            sessions.sort { a, b in
                if a.session.measuredAt != b.session.measuredAt { return a.session.measuredAt < b.session.measuredAt }
                return a.group.key < b.group.key
            }
            let path = scope.labels.storedPath(entry.root, entry.path)
            fileItems.append(.fileVersion(.init(sourcePath: path, contentHash: hash)))
            for (index, pair) in sessions.enumerated() {
                let key = FleetOutboxItem.SessionKey(sourcePath: path, contentHash: hash, sessionIndex: index)
                let environment = FleetPublication.environment(pair.session.environment.values.map { ($0.key, $0.value) })
                sessionItems.append(
                    .session(
                        .init(
                            key: key, model: pair.group.model, configuration: FleetPublication.canonical(pair.group.configuration),
                            environment: environment, startedAt: pair.session.startedAt, measuredAt: pair.session.measuredAt,
                            runsOK: pair.session.runsOK, runsFailed: pair.session.runsFailed,
                            tokensPerSecond: FleetPublication.figures(pair.session.tokensPerSecond),
                            ttftSeconds: FleetPublication.figures(pair.session.ttftSeconds))))
                // The values the analysis kept for the charts (at most `SessionFigures.runLimit`
                // a metric, spread over the session, for a group's newest sessions).
                for (metric, figures) in [
                    (FleetOutboxItem.Metric.tokensPerSecond, pair.session.tokensPerSecond), (.ttftSeconds, pair.session.ttftSeconds),
                ]
                where !figures.runs.isEmpty {
                    sampleItems.append(.samples(.init(key: key, metric: metric, values: figures.runs)))
                }
                if !environment.isEmpty, pair.session.measuredAt >= newest?.measuredAt ?? -.infinity {
                    newest = (pair.session.measuredAt, environment)
                }
            }
        }
        if let newest { items.append(.host(newest.environment)) }
        // Earlier contents retired first, sessions before their samples (a batch cut
        // between them still inserts a sample's session first); runs of one kind
        // go to PostgreSQL as one statement.
        items += fileItems
        items += sessionItems
        items += sampleItems
        // A reopening before a resolution: one reopened and recovered again in one report ends resolved.
        items += opened.map { .regression(FleetPublication.regression($0)) }
        items += reopened.map { row in
            var item = FleetPublication.regression(row)
            item.reopened = true
            return .regression(item)
        }
        items += resolved.map { .regression(FleetPublication.regression($0)) }
        items.append(
            .report(
                .init(
                    name: name, generatedAt: generatedAt.timeIntervalSince1970, trigger: trigger, filesAnalyzed: facts.inputs.filesAnalyzed,
                    sessions: sessionItems.count)))
    }

    static func figures(_ figures: SessionFigures) -> FleetOutboxItem.Figures {
        .init(n: figures.n, median: figures.median, lowerQuartile: figures.lowerQuartile, upperQuartile: figures.upperQuartile)
    }

    /// GPU, driver, backend and build from the `name=value` items files record,
    /// by the first key naming each (`gpu_info`, `backends`, `build_commit`, ...).
    static func environment(_ values: [(String, String)]) -> FleetOutboxItem.Environment {
        func first(_ words: [String]) -> String? {
            values.first { pair in words.contains { pair.0.lowercased().contains($0) } }?.1
        }
        return .init(gpu: first(["gpu"]), driver: first(["driver"]), backend: first(["backend"]), build: first(["build", "commit"]))
    }

    /// A configuration as JSON with its keys sorted: equal configurations are equal text.
    static func canonical(_ parameters: [Parameter]) -> String {
        var object: [String: String] = [:]
        for parameter in parameters { object[parameter.name] = parameter.value }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func regression(_ row: Store.RegressionRow) -> FleetOutboxItem.Regression {
        let pairs = row.environment.map { [$0.name, $0.value] }
        let environment = (try? JSONEncoder().encode(pairs)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        // The fleet schema knows two resolutions; anything else is left unsaid rather than refused.
        let resolution = row.resolution.flatMap { ["recovered", "acknowledged"].contains($0) ? $0 : nil }
        // The fleet's schema has no tool column: a benchmark's regression is
        // published under its tool and name, apart from any model of that name.
        return .init(
            localID: row.id, model: row.tool.map { "\($0): \(row.model)" } ?? row.model, configuration: canonical(row.configuration),
            environment: environment, metric: row.metric,
            openedAt: row.openedAt, resolvedAt: row.resolvedAt, resolution: resolution, changePercent: row.changePercent,
            pValue: row.pValue, qValue: row.qValue, baselineMedian: row.baselineMedian, baselineCount: row.baselineCount,
            currentMedian: row.currentMedian, currentCount: row.currentCount,
            build: FleetPublication.environment(row.environment.map { ($0.name, $0.value) }).build)
    }
}
