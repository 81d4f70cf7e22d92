import Foundation

// Waiting without holding a thread of Swift's cooperative pool. On a two-core
// machine the pool has two threads; two tests blocked in `waitUntilExit()` or
// `usleep` at once starve every async test in the process (a 300 ms timer
// once fired after 12 s). These helpers suspend instead.

extension Process {
    /// Starts the process and suspends until it exits. The termination handler
    /// is set before `run()`, so an exit can never be missed.
    public func runUntilExit() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            terminationHandler = { _ in continuation.resume() }
            do {
                try run()
            } catch {
                terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }

    /// Suspends until the (already started) process exits, polling every 20 ms.
    public func waitForExit() async throws {
        while isRunning { try await Task.sleep(for: .milliseconds(20)) }
    }

    /// Suspends until the (already started) process exits or `timeout` passes,
    /// polling every 20 ms; whether it exited.
    public func exited(within timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return !isRunning
    }
}
