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

    /// The (already started) process's exit status (the signal's number when
    /// one ended it), once it exits within `timeout`; nil when it is still
    /// running. A child that exited but that Foundation has not reaped yet
    /// (in a full run, beside dozens of other children, its notice came
    /// later than a test's 30 s) is read from the kernel without reaping it;
    /// then `terminationStatus` may not be read yet (Foundation's own check).
    public func exitStatus(within timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if !isRunning { return terminationStatus }
            if let status = Process.exitedStatus(of: processIdentifier) { return status }
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The status of child `pid` if it has exited, left for its owner to reap.
    static func exitedStatus(of pid: Int32) -> Int32? {
        var info = siginfo_t()
        guard pid > 0, waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0, info._sifields._sigchld.si_pid == pid
        else { return nil }
        return info._sifields._sigchld.si_status
    }
}
