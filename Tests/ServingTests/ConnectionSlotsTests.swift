import Testing

@testable import Serving

/// The server's bound on connections held at once.
@Suite struct ConnectionSlotsTests {
    @Test func aTakerWaitsForASlotGivenBack() async throws {
        let slots = ConnectionSlots(1)
        #expect(await slots.take())
        let waiting = Task { await slots.take() }
        try await Task.sleep(for: .milliseconds(50))
        slots.give()
        #expect(await waiting.value)
    }

    @Test func closingAnswersEveryWaiterAndLaterTaker() async throws {
        let slots = ConnectionSlots(1)
        #expect(await slots.take())
        let waiting = Task { await slots.take() }
        try await Task.sleep(for: .milliseconds(50))
        slots.close()
        #expect(await waiting.value == false)
        #expect(await slots.take() == false)
    }
}
