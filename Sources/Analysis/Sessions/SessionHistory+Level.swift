/// Nights better than the nights before them, in a baseline.
///
/// A slow night is kept out of later baselines by its regression (its spell);
/// a fast one had nothing to keep it out. One night 20% faster stayed in the
/// next ten baselines and widened them until a 12% slowdown could not be
/// seen; and a lasting improvement left every later night tested against a
/// mix of the old level and the new, so neither the new level nor its loss
/// was ever seen. Here, a faster night that did not hold is left out, and
/// one that held for `heldNights` nights starts the baseline:
///
///     let level = SessionHistory.Level.find(nights: candidates, ...)
///     baseline.filter(level.keeps)
extension SessionHistory {
    struct Level {
        /// The chronological position from which nights are the group's level, if it rose and held.
        var start: Int?
        /// Nights before the level that were better than the nights before them: they did not hold (or have not yet).
        var oneOff: Set<Int> = []
        /// Per session, its chronological position.
        var positions: [Int]

        /// How many nights in a row an improvement holds to become the level.
        static let heldNights = 3

        /// Whether `session` may serve in the baseline.
        func keeps(_ session: Int) -> Bool {
            !oneOff.contains(session) && start.map { positions[session] >= $0 } ?? true
        }

        /// - Parameters:
        ///   - nights: the baseline's candidate nights, oldest first.
        ///   - positions: per session, its chronological position.
        ///   - nightsBefore: the nights a night at a chronological position is tested against, oldest first.
        ///   - medians: per session, its median.
        ///   - improves: whether a night's test against its nights shows an improvement that counts.
        static func find(
            nights: [Int], positions: [Int], medians: [Double?], nightsBefore: (Int) -> [Int],
            improves: (SessionComparison.Test) -> Bool
        ) -> Level {
            var level = Level(positions: positions)
            func better(_ night: Int, than baseline: [Int]) -> Bool {
                guard let median = medians[night] else { return false }
                let figures = baseline.compactMap { medians[$0] }
                guard figures.count == baseline.count, let test = SessionComparison.testAgainstSessions(current: median, baseline: figures)
                else { return false }
                return improves(test)
            }
            // Oldest first: the earliest night from which every night is
            // better than the nights before that one is where the level rose
            // and held; a better night before it did not hold, and is no
            // baseline of the nights after it either (a fast night among them
            // widened their spread until the next fast night was no change).
            for (index, night) in nights.enumerated() {
                let before = nightsBefore(positions[night]).filter { !level.oneOff.contains($0) }
                if nights.count - index >= heldNights, nights[index...].allSatisfy({ better($0, than: before) }) {
                    level.start = positions[night]
                    break
                }
                if better(night, than: before) { level.oneOff.insert(night) }
            }
            return level
        }
    }
}
