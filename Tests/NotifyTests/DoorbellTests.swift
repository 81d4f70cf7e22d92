import Testing

@testable import Notify

/// The loop's wake-up: rings while it is busy are one, a deadline wakes it
/// without a ring, and closing ends every wait.
@Suite("Doorbell")
struct DoorbellTests {
    @Test func ringsWhileBusyAreOneAndCloseEndsTheWait() async {
        let doorbell = Doorbell()
        let waiter = doorbell.waiter()
        doorbell.ring()
        doorbell.ring()
        doorbell.ring()
        #expect(await waiter.wait(until: nil))
        // The three rings were one: the next wait needs a new ring (or the end).
        doorbell.close()
        #expect(await !waiter.wait(until: nil))
        #expect(await !waiter.wait(until: .now + .seconds(3600)))
    }

    @Test func aDeadlineWakesTheWaitWithoutARing() async {
        let doorbell = Doorbell()
        let waiter = doorbell.waiter()
        let started = ContinuousClock.now
        #expect(await waiter.wait(until: started + .milliseconds(50)))
        // Not before its time (however late a busy machine wakes it).
        #expect(ContinuousClock.now - started >= .milliseconds(50))
    }

    @Test func aRingWakesTheWaitBeforeItsDeadline() async {
        let doorbell = Doorbell()
        let waiter = doorbell.waiter()
        let ringer = Task {
            try? await Task.sleep(for: .milliseconds(20))
            doorbell.ring()
        }
        let started = ContinuousClock.now
        #expect(await waiter.wait(until: started + .seconds(3600)))
        #expect(ContinuousClock.now - started < .seconds(3000))
        await ringer.value
    }
}
