import Foundation
import Synchronization

/// A call that might block for good (an `open` of a FIFO), run on a thread of
/// its own and awaited with a deadline: a regression then fails its test
/// instead of hanging the suite, and no thread of the cooperative pool waits.
public enum BlockingCall {
    /// The value `body` returned, or `nil` if it had not returned after
    /// `timeout` (its thread is left blocked; unblock it to let it end).
    public static func result<Value: Sendable>(
        within timeout: Duration, _ body: @escaping @Sendable () -> Value
    ) async throws -> Value? {
        let outcome = Outcome<Value>()
        Thread {
            // Outside the lock: the waiting side must never wait on the call.
            let value = body()
            outcome.value.withLock { $0 = value }
        }.start()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = outcome.value.withLock({ $0 }) { return value }
            try await Task.sleep(for: .milliseconds(10))
        }
        return outcome.value.withLock { $0 }
    }

    /// Where the thread leaves its value.
    private final class Outcome<Value: Sendable>: Sendable {
        let value = Mutex<Value?>(nil)
    }
}
