/// Sessions in which every run failed, in files where nothing ran at all, by
/// cause: nothing was measured, which says more about the harness (a server
/// that was not running, a wrong address) than about the model, so these runs
/// are kept out of the models' failure rates and reported once, with the
/// environment the files recorded. (A sweep's one failed configuration among
/// working ones is the model's failure, not the harness's.)
package struct HarnessFailure: Sendable, Equatable {
    package var cause: FailureCause
    package var sessions: Int
    package var runs: Int
    package var models: [String]
    package var sources: [String]
    /// The distinct messages behind the cause (at most `messageLimit`).
    package var messages: [String]
    /// What the files of those sessions' folders record about the run
    /// (`ollama_host=http://0.0.0.0:11434`, ...).
    package var environment: [SourceDetail]

    package static let messageLimit = 3

    /// The dead sessions of `groups`, by cause (most runs first). `environment`
    /// is every file's recorded environment; a session's folder picks its own.
    package static func collect(_ groups: [RunGroup], environment: [SourceDetail]) -> [HarnessFailure] {
        let dead = deadSources(groups)
        var byCause: [FailureCause: HarnessFailure] = [:]
        // Membership beside the ordered lists: a tree of thousands of dead
        // files must not search a list once per file.
        var listed: [FailureCause: (models: Set<String>, sources: Set<String>)] = [:]
        for group in groups {
            for session in group.sessions where session.isDead && dead.contains(session.source) {
                let cause = session.failureMessages.first.map(FailureCause.init(message:)) ?? .noOutput
                var failure =
                    byCause[cause]
                    ?? HarnessFailure(cause: cause, sessions: 0, runs: 0, models: [], sources: [], messages: [], environment: [])
                failure.sessions += 1
                failure.runs += session.runsFailed
                var seen = listed[cause] ?? ([], [])
                if seen.models.insert(group.model).inserted { failure.models.append(group.model) }
                if seen.sources.insert(session.source).inserted { failure.sources.append(session.source) }
                listed[cause] = seen
                for message in session.failureMessages
                where failure.messages.count < messageLimit && !failure.messages.contains(message) {
                    failure.messages.append(message)
                }
                byCause[cause] = failure
            }
        }
        return byCause.values.map { failure in
            var failure = failure
            let folders = Set(failure.sources.map(HarnessFailure.folder))
            failure.environment = environment.filter { folders.contains(HarnessFailure.folder($0.source)) }
            return failure
        }.sorted { ($1.runs, $0.cause) < ($0.runs, $1.cause) }
    }

    /// Files with failed runs and not one successful run, in any group.
    package static func deadSources(_ groups: [RunGroup]) -> Set<String> {
        // Only a dead session can name a dead file: the thousands of working
        // sessions of a large tree are hashed only when there is one.
        var candidates: Set<String> = []
        for group in groups {
            for session in group.sessions where session.isDead { candidates.insert(session.source) }
        }
        guard !candidates.isEmpty else { return [] }
        for group in groups {
            for session in group.sessions where session.runsOK > 0 && candidates.contains(session.source) {
                candidates.remove(session.source)
            }
        }
        return candidates
    }

    /// Each group with its harness failures' runs and sessions counted apart.
    package static func mark(_ groups: inout [RunGroup]) {
        let dead = deadSources(groups)
        guard !dead.isEmpty else { return }
        for index in groups.indices {
            let harness = groups[index].sessions.filter { $0.isDead && dead.contains($0.source) }
            groups[index].runsFailedHarness = harness.reduce(0) { $0 + $1.runsFailed }
            groups[index].failedSessionsHarness = harness.count
        }
    }

    package static func folder(_ path: String) -> Substring {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return path[..<slash]
    }
}
