import Foundation

/// Nights better than the nights before them, in a baseline.
///
/// A slow night is kept out of later baselines by its regression (its spell);
/// a fast one had nothing to keep it out. One night 20% faster stayed in the
/// next ten baselines and widened them until a 12% slowdown could not be
/// seen; and a lasting improvement left every later night tested against a
/// mix of the old level and the new, so neither the new level nor its loss
/// was ever seen. Here:
/// - a faster night most nights after it went back from is left out (a
///   one-off), looked for over twice the baseline's window (one just out of
///   it is still in the nights its later nights were tested against);
/// - nights each better than the nights before the first of them, up to the
///   night tested, are a rise not yet held: left out, so the night tested is
///   judged against the level before them;
/// - once such a rise has held for `heldNights` nights, it is the level: the
///   baseline is the nights from it on (as many as a test night against
///   night needs, so drift between them is never read as a change).
/// Whole stretches are kept or left out, never single nights by their luck: a
/// modest gain whose nights straddle the threshold stays a mix, as before.
///
///     let level = SessionHistory.Level.find(nights: candidates, ...)
///     baseline.filter(level.keeps)
extension SessionHistory {
    struct Level {
        /// The chronological position from which nights are the group's level, if it rose and held.
        var start: Int?
        /// Nights left out: one-offs, and a rise not yet held.
        var leftOut: Set<Int> = []
        /// Per session, its chronological position.
        var positions: [Int]

        /// How many nights in a row an improvement holds to become the level:
        /// as many as a test night against night needs.
        static let heldNights = SessionComparison.minimumSessions

        /// Whether `session` may serve in the baseline.
        func keeps(_ session: Int) -> Bool {
            !leftOut.contains(session) && start.map { positions[session] >= $0 } ?? true
        }

        /// - Parameters:
        ///   - nights: the nights before the one tested, oldest first (more than its baseline's window).
        ///   - positions: per session, its chronological position.
        ///   - nightsBefore: the nights a night at a chronological position is tested against, oldest first.
        ///   - medians: per session, its median.
        ///   - improves: whether a night's test against its nights shows an improvement that counts.
        static func find(
            nights: [Int], positions: [Int], medians: [Double?], nightsBefore: (Int) -> [Int],
            improves: (SessionComparison.Test) -> Bool
        ) -> Level {
            var level = Level(positions: positions)
            func figures(_ sessions: [Int]) -> [Double]? {
                let figures = sessions.compactMap { medians[$0] }
                return figures.count == sessions.count ? figures : nil
            }
            func better(_ night: Int, than baseline: [Double]) -> Bool {
                guard let median = medians[night], let test = SessionComparison.testAgainstSessions(current: median, baseline: baseline)
                else { return false }
                return improves(test)
            }
            for (index, night) in nights.enumerated() where level.keeps(night) {
                // The nights before it as the level stands so far.
                guard let before = figures(nightsBefore(positions[night]).filter(level.keeps)), let centre = SessionComparison.sessionsCentre(before),
                    let median = medians[night]
                else { continue }
                let after = nights[(index + 1)...].filter(level.keeps)
                if better(night, than: before) && after.allSatisfy({ better($0, than: before) }) {
                    // A rise from here to the night tested: held, the level; else not yet.
                    if after.count + 1 >= heldNights {
                        level.start = positions[night]
                    } else {
                        level.leftOut.formUnion([night] + after)
                        break
                    }
                } else if better(night, than: before), !after.isEmpty,
                    2 * after.count(where: { medians[$0].map { abs(log($0 / centre)) < abs(log(median / centre)) / 2 } ?? true })
                        > after.count
                {
                    // Better, and most nights after it back nearer the level
                    // before it than to it: a one-off (another one-off later,
                    // as fast, kept this one in when every night had to be back).
                    level.leftOut.insert(night)
                }
            }
            return level
        }
    }
}
