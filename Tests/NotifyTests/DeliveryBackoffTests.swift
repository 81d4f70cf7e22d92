import Notify
import Testing

@Suite struct DeliveryBackoffTests {
    @Test func doublesFromFiveSecondsToTenMinutes() {
        let backoff = DeliveryBackoff()
        let ceilings = (1...10).map { backoff.ceiling(afterFailures: $0) }
        #expect(ceilings == [5, 10, 20, 40, 80, 160, 320, 600, 600, 600].map { Duration.seconds($0) })
        #expect(backoff.ceiling(afterFailures: 0) == .zero)
        #expect(backoff.ceiling(afterFailures: 10_000) == .seconds(600))
    }

    @Test("each wait lies between half its ceiling and the ceiling", arguments: [0.0, 0.25, 0.5, 1.0, -3, 7])
    func jitter(unit: Double) {
        var backoff = DeliveryBackoff()
        for failures in 1...12 {
            let wait = backoff.failed(unit: unit)
            let ceiling = backoff.ceiling(afterFailures: failures)
            #expect(wait >= ceiling / 2 && wait <= ceiling, "\(failures): \(wait)")
        }
    }

    @Test func aSuccessStartsAgainFromTheFirstWait() {
        var backoff = DeliveryBackoff()
        _ = backoff.failed(unit: 1)
        _ = backoff.failed(unit: 1)
        backoff.succeeded()
        #expect(backoff.failures == 0)
        #expect(backoff.failed(unit: 1) == .seconds(5))
    }

    /// An event's failures kept across a restart carry the schedule on; a
    /// count below this run's own changes nothing.
    @Test func resumingCarriesOnFromTheStoredFailures() {
        var backoff = DeliveryBackoff()
        backoff.resume(afterFailures: 2)
        #expect(backoff.failed(unit: 1) == .seconds(20))
        backoff.resume(afterFailures: 1)
        #expect(backoff.failures == 3 && backoff.failed(unit: 1) == .seconds(40))
    }
}
