/// How new sessions are compared with their baseline (the `regressions.*`
/// settings, as analysis takes them).
package struct RegressionPolicy: Sendable {
    /// How many earlier sessions make a group's baseline.
    package var baselineSessions: Int
    /// The smallest change that counts, in percent of the baseline's median.
    package var minimumEffectPercent: Double
    /// The false discovery rate the report's tests are held to (Benjamini-Hochberg).
    package var falseDiscoveryRate: Double

    /// A pause longer than this (seconds) between the runs a log gathered
    /// starts a new session (`regressions.session_gap_minutes`; see
    /// `AppendedNights`).
    package var sessionGap = FileDigest.defaultSessionGap

    /// Pinned baselines (`chimerad baseline pin`) by model; the empty model
    /// pins every group without a pin of its own.
    package var pins: [String: Pin]

    /// What a pinned baseline holds: the sessions of files first stored up
    /// to the store's `sequence` when it was pinned, and of those, the ones
    /// their data dates by the pin's `time` (seconds since 1970, in the
    /// data's clock: the newest session the store had read then), so a
    /// session a harness appends to a pinned file later is no part of the
    /// baseline it is compared with, whatever time zone its clock writes. A
    /// session dated only by its file's modification time is held when that
    /// time is no later than `fileTime` (the newest modification time of the
    /// files stored then): a file the tool rewrites in place each night
    /// (`hyperfine --export-json results.json`) keeps its pinned nights, not
    /// the nights written after the pin.
    package struct Pin: Sendable, Equatable {
        package var sequence: Int64
        package var time: Double
        package var fileTime: Double

        package init(sequence: Int64, time: Double = .infinity, fileTime: Double = .infinity) {
            self.sequence = sequence
            self.time = time
            self.fileTime = fileTime
        }

        /// Whether a session of a file first stored at `sequence`, which its
        /// data dates at `startedAt` (nil: undated, its file's time `measuredAt`
        /// dates it), is in the baseline.
        package func holds(sequence: Int64, startedAt: Double?, measuredAt: Double) -> Bool {
            guard sequence <= self.sequence else { return false }
            guard let startedAt else { return measuredAt <= fileTime }
            return startedAt <= time
        }
    }

    package static let standard = RegressionPolicy(baselineSessions: 10, minimumEffectPercent: 5, falseDiscoveryRate: 0.05)

    package init(baselineSessions: Int, minimumEffectPercent: Double, falseDiscoveryRate: Double, pins: [String: Pin] = [:]) {
        self.baselineSessions = baselineSessions
        self.minimumEffectPercent = minimumEffectPercent
        self.falseDiscoveryRate = falseDiscoveryRate
        self.pins = pins
    }

    /// A session as regressions name it: when it was measured, and its file
    /// (what orders sessions measured at the same time).
    package struct SessionMark: Sendable, Hashable, Comparable {
        package var measuredAt: Double
        package var source: String

        package init(measuredAt: Double, source: String) {
            self.measuredAt = measuredAt
            self.source = source
        }

        package static func < (a: SessionMark, b: SessionMark) -> Bool {
            (a.measuredAt, a.source) < (b.measuredAt, b.source)
        }
    }

    /// Accepted levels (`chimerad regressions ack`): by group key and metric
    /// (`acceptedKey`), the acknowledged sessions, newest first, each with
    /// where it ran; the group's baseline for that metric starts at the
    /// newest one whose environment a session's does not differ from. An
    /// accepted slowdown on one host is no new level for another's nights.
    package var acceptedFrom: [String: [Acceptance]] = [:]

    package struct Acceptance: Sendable, Equatable {
        package var mark: SessionMark
        package var environment: SessionEnvironment

        package init(mark: SessionMark, environment: SessionEnvironment = .empty) {
            self.mark = mark
            self.environment = environment
        }
    }

    /// Sessions that opened a regression a later session recovered, by group
    /// key and metric: a slow night that passed is no level to judge the next
    /// nights by, and its spread would hide their next regression.
    package var setAside: [String: Set<SessionMark>] = [:]

    /// The stretches of a group's sessions its regressions covered, by
    /// group key and metric (`acceptedKey`): from the session that opened
    /// one until the session that recovered it (or on, while it is open),
    /// in the environment it ran in. They are no baseline for later
    /// sessions: the nights of a slow spell pooled with the good ones widen
    /// the spread a test must beat and hide the next regression, and a
    /// night while one is open is judged against the level before it, as
    /// its regression is.
    package var spells: [String: [Spell]] = [:]

    package struct Spell: Sendable, Equatable {
        /// The session that opened the regression.
        package var from: SessionMark
        package var environment: SessionEnvironment
        package var end: End

        package enum End: Sendable, Equatable {
            /// Still open.
            case open
            /// Recovered by the session measured then.
            case recovered(at: Double)
            /// Recovered before the store kept when the session that
            /// recovered it was measured: its file's first session after `from`.
            case recoveredBy(source: String)
        }

        package init(from: SessionMark, environment: SessionEnvironment, end: End) {
            self.from = from
            self.environment = environment
            self.end = end
        }

        /// Per session (`sessions`, with their `environments`): whether it is in the spell.
        func covers(_ sessions: [SessionMark], environments: [SessionEnvironment]) -> [Bool] {
            let until: SessionMark?
            switch end {
            case .open: until = nil
            case .recovered(let at):
                until = sessions.filter { $0.measuredAt >= at && $0 > from }.min() ?? from
            case .recoveredBy(let source):
                until = sessions.filter { $0.source == source && $0 > from }.min() ?? from
            }
            // Its own session named by a path these sessions do not use (a
            // report over other inputs): sessions measured at its time are not placed.
            let placed = sessions.contains(from)
            return sessions.indices.map { index in
                let environment = index < environments.count ? environments[index] : .empty
                guard environment.differences(from: self.environment).isEmpty else { return false }
                let mark = sessions[index]
                let started = placed ? mark >= from : mark.measuredAt > from.measuredAt
                return started && (mark == from || until.map { mark < $0 } ?? true)
            }
        }
    }

    /// Which of a group's `sessions` (with their `environments`, in the
    /// same order) may be in a baseline for `metric`: from the session
    /// acknowledged in its environment on, none set aside and none in a
    /// regression's spell (nil: all of them).
    package func baselineCandidates(
        group: String, metric: TestedMetric, sessions: [SessionMark], environments: [SessionEnvironment]
    ) -> [Bool]? {
        let key = RegressionPolicy.acceptedKey(group: group, metric: metric)
        let accepted = acceptedFrom[key] ?? []
        let aside = setAside[key] ?? []
        let spells = self.spells[key] ?? []
        guard !accepted.isEmpty || !aside.isEmpty || !spells.isEmpty else { return nil }
        var candidates = sessions.indices.map { index in
            let environment = index < environments.count ? environments[index] : .empty
            let from = accepted.first { environment.differences(from: $0.environment).isEmpty }?.mark
            return (from.map { sessions[index] >= $0 } ?? true) && !aside.contains(sessions[index])
        }
        for spell in spells {
            for (index, covered) in spell.covers(sessions, environments: environments).enumerated() where covered {
                candidates[index] = false
            }
        }
        return candidates
    }

    /// The sessions of open regressions, by group key and metric
    /// (`acceptedKey`), each with the environment it was tested in. One whose
    /// folder has since said more of where it ran (an `env.json` written
    /// after the runs) is tested again: its baseline was chosen without it.
    package var openSessions: [String: [Acceptance]] = [:]

    /// Which of a group's `sessions` (with their `environments` as now
    /// known, in the same order) are tested again for `metric`: an open
    /// regression's own session whose environment adds what was unknown when
    /// it was tested, and contradicts nothing (nil: none).
    package func retests(group: String, metric: TestedMetric, sessions: [SessionMark], environments: [SessionEnvironment]) -> [Bool]? {
        guard let open = openSessions[RegressionPolicy.acceptedKey(group: group, metric: metric)], !open.isEmpty else { return nil }
        let marked = sessions.indices.map { index in
            open.contains { tested in
                guard tested.mark == sessions[index], index < environments.count else { return false }
                let now = environments[index]
                return now != tested.environment && now.differences(from: tested.environment).isEmpty
            }
        }
        return marked.contains(true) ? marked : nil
    }

    package static func acceptedKey(group: String, metric: TestedMetric) -> String {
        group + "\u{1}" + metric.rawValue
    }

    /// The pin that applies to a model's groups, if any.
    package func pin(for model: String) -> Pin? {
        pins[model] ?? pins[""]
    }
}
