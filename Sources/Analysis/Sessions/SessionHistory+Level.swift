import Foundation

/// Nights better than the nights before them, in a baseline.
///
/// A slow night is kept out of later baselines by its regression (its spell);
/// a fast one had nothing to keep it out. One night 20% faster stayed in the
/// next ten baselines and widened them until a 12% slowdown could not be
/// seen; and a lasting improvement left every later night tested against a
/// mix of the old level and the new, so neither the new level nor its loss
/// was ever seen. Here:
/// - a spell of faster nights (one night, a fast weekend, up to
///   `heldNights`) that most nights after it went back from is left out
///   whole, looked for over twice the baseline's window (one just out of it
///   is still in the nights its later nights were tested against);
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
            var index = 0
            while index < nights.count {
                let first = index
                let night = nights[index]
                index += 1
                // The nights before it as the level stands so far.
                guard level.keeps(night), let before = figures(nightsBefore(positions[night]).filter(level.keeps)),
                    let centre = SessionComparison.sessionsCentre(before), better(night, than: before)
                else { continue }
                // A spell: this night and the ones after it each better than the nights before this one.
                var spell = [night]
                while index < nights.count, !level.keeps(nights[index]) || better(nights[index], than: before) {
                    if level.keeps(nights[index]) { spell.append(nights[index]) }
                    index += 1
                }
                let after = nights[index...].filter(level.keeps)
                if after.isEmpty {
                    // A rise up to the night tested: held, the level; else not yet, and left out.
                    if spell.count >= heldNights {
                        // The level's own nights are looked at again, against
                        // it: a faster night on top of it is a one-off too.
                        level.start = positions[night]
                        index = first + 1
                    } else {
                        level.leftOut.formUnion(spell)
                    }
                    continue
                }
                // A spell that ended, most nights after it back nearer the
                // level before it than to it (a one-off night, a fast weekend):
                // left out whole. Later nights still up (a modest gain whose
                // nights straddle the threshold) keep it in.
                let spellFigures = spell.compactMap { medians[$0] }.map { abs(log($0 / centre)) }.sorted()
                guard spell.count < heldNights, let distance = spellFigures.isEmpty ? nil : spellFigures[spellFigures.count / 2] else { continue }
                let back = after.count { medians[$0].map { abs(log($0 / centre)) < distance / 2 } ?? true }
                if 2 * back > after.count { level.leftOut.formUnion(spell) }
            }
            return level
        }
    }
}
