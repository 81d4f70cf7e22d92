/// How long to wait before posting again after failures: 5 s, doubling up to
/// 10 minutes, each wait drawn between half and all of that (jitter, so
/// several chimerads behind one receiver that came back do not post in step).
/// The receiver as a whole backs off, not one event: while it is down,
/// nothing is posted but the one retry.
package struct DeliveryBackoff: Sendable, Equatable {
    package var first: Duration
    package var limit: Duration
    /// Failures in a row; 0 after a success.
    package private(set) var failures = 0

    package init(first: Duration = .seconds(5), limit: Duration = .seconds(600)) {
        self.first = first
        self.limit = limit
    }

    /// The ceiling of the wait after `failures` failures in a row: `first`
    /// doubled for each failure after the first, at most `limit`.
    package func ceiling(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var wait = first
        for _ in 1..<min(failures, 32) where wait < limit { wait = wait * 2 }
        return min(wait, limit)
    }

    /// Records a failure and returns the wait before the next post; `unit`
    /// is a random number in [0, 1] (injected, so tests can pin it).
    package mutating func failed(unit: Double = Double.random(in: 0...1)) -> Duration {
        failures += 1
        let ceiling = ceiling(afterFailures: failures)
        return ceiling * (0.5 + 0.5 * min(max(unit, 0), 1))
    }

    package mutating func succeeded() {
        failures = 0
    }

    /// Carries on from `failures` recorded before (an event's attempts kept
    /// in the store across a restart), when more than this run has seen:
    /// a receiver down for an hour is not tried again every 5 s because the
    /// daemon restarted.
    package mutating func resume(afterFailures failures: Int) {
        self.failures = max(self.failures, failures)
    }
}
