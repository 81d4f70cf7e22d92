import Synchronization
import Testing

@testable import Fleet

/// The first of a piece of work's end and its deadline, with work that does
/// not heed cancellation (as postgres-nio's queries do not): the caller is
/// answered all the same, and what the work returns later is handed over.
@Suite struct FleetDeadlineTests {
    /// Holds whoever waits on it until it is opened; cancellation does not end the wait.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { continuation in
                let open = state.withLock { state in
                    if !state.open { state.waiting.append(continuation) }
                    return state.open
                }
                if open { continuation.resume() }
            }
        }

        func open() {
            let waiting = state.withLock { state in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume() }
        }
    }

    struct TimedOut: Error {}

    /// A value set from another task.
    final class Box<Value: Sendable>: Sendable {
        private let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
        func set(_ new: Value) { value.withLock { $0 = new } }
        var current: Value { value.withLock { $0 } }
    }

    @Test("work that ends in time gives its value")
    func inTime() async throws {
        let value = try await FleetDeadline.first(within: .seconds(600), timedOut: { TimedOut() }) { 42 }
        #expect(value == 42)
    }

    @Test("the deadline answers while the work goes on; the work is abandoned, and its late value handed over", .timeLimit(.minutes(2)))
    func theDeadlineAnswers() async throws {
        let gate = Gate()
        let abandoned = Box(false)
        let late = Box(0)
        await #expect(throws: TimedOut.self) {
            try await FleetDeadline.first(
                within: .milliseconds(200), timedOut: { TimedOut() }, abandon: { abandoned.set(true) },
                late: { late.set($0) }
            ) {
                await gate.wait()
                return 7
            }
        }
        // The abandon runs in the deadline's task, just after it answered.
        for _ in 0..<600 where !abandoned.current { try await Task.sleep(for: .milliseconds(100)) }
        #expect(abandoned.current)
        gate.open()
        for _ in 0..<600 where late.current == 0 { try await Task.sleep(for: .milliseconds(100)) }
        #expect(late.current == 7)
    }

    @Test("a cancelled caller is answered at once, before or while it waits", .timeLimit(.minutes(2)))
    func cancellationAnswers() async throws {
        let gate = Gate()
        defer { gate.open() }
        let waiting = Task {
            try await FleetDeadline.first(within: .seconds(600), timedOut: { TimedOut() }) {
                await gate.wait()
                return 1
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        // Cancelled before it began.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await FleetDeadline.first(within: .seconds(600), timedOut: { TimedOut() }) {
                await gate.wait()
                return 1
            }
        }
        await #expect(throws: CancellationError.self) { try await early.value }
    }
}
