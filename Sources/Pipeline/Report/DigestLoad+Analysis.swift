import Analysis
import Foundation
import Ingest
import Records
import Store

extension DigestLoad {
    /// The third stage of a report: the facts. Digests that did not decode
    /// stop it (`ReportJob.DamagedRecords`: the caller reads those files
    /// again), unless `tolerateDamage`, when they are listed as skipped. The
    /// run groups computed afresh go to the cache, whether or not the report
    /// that computed them lands.
    mutating func analyse(scope: ReportScope, store: Store, tolerateDamage: Bool, policy: RegressionPolicy) throws -> Facts {
        if !damaged.isEmpty && !tolerateDamage {
            throw ReportJob.DamagedRecords(files: damaged.map { ($0.root, $0.storedPath) })
        }
        var inputs = scope.inputs
        if !damaged.isEmpty {
            inputs.filesAnalyzed -= damaged.count
            inputs.skipped += damaged.map {
                InputFacts.Skipped(path: $0.shownPath, reason: SkipReason.storedRecordsUnreadable($0.reason).text)
            }
            inputs.skipped.sort { $0.path < $1.path }
        }
        let previous = scope.previous
        let previousDigest = previous.flatMap { try? JSONDecoder().decode(ReportDigest.self, from: Data($0.digest.utf8)) }
        let facts = analyzer.finish(inputs: inputs, previous: previousDigest, previousAt: previous?.generatedAt, policy: policy)
        let cacheScope = DigestLoad.cacheScope(scope)
        if damaged.isEmpty {
            let updates = plan.updates(for: analyzer.results)
            try store.updateCachedGroups(scope: cacheScope, changed: updates.changed, keep: updates.keep)
        } else {
            // Figures may be missing the damaged files: keep nothing of this report.
            try store.updateCachedGroups(scope: cacheScope, changed: [], keep: [])
        }
        return facts
    }
}
