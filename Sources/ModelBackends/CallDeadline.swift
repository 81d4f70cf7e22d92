import ModelInterface

/// The point by which a whole call must be over. Each HTTP exchange gets
/// what is left of it, and `run` races the call against it so a server that
/// goes quiet mid-stream still ends the call on time.
struct CallDeadline: Sendable {
    let budget: Duration
    let instant: ContinuousClock.Instant

    init(budget: Duration) {
        self.budget = budget
        instant = ContinuousClock.now + budget
    }

    /// What is left, at least a millisecond (a zero timeout means "none" to some APIs).
    var remaining: Duration {
        max(instant - ContinuousClock.now, .milliseconds(1))
    }

    var hasPassed: Bool { ContinuousClock.now >= instant }

    /// Nanoseconds of `duration`, for NIO's `TimeAmount`.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// `body`'s result, or `.timedOut(after: budget)` when the deadline comes
    /// first; the loser is cancelled (AsyncHTTPClient then closes its connection).
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws(ModelCallError) -> T) async throws(ModelCallError) -> T {
        let budget = budget
        let instant = instant
        let outcome = await withTaskGroup(of: Result<T, ModelCallError>?.self) { group in
            group.addTask {
                do throws(ModelCallError) {
                    return .success(try await body())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                do {
                    try await Task.sleep(until: instant, clock: .continuous)
                } catch {
                    return nil  // Cancelled: the call finished first.
                }
                return .failure(.timedOut(after: budget))
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let outcome else { throw .timedOut(after: budget) }
        return try outcome.get()
    }
}
