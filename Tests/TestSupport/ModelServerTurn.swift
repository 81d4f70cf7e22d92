import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Tests that run a real llama-server take turns, across test targets (one
/// process runs them all side by side): on two cores, two servers loading and
/// generating at once make each other's timeouts and timings meaningless.
/// Apply `.modelServerTurn` to a suite or a test; each of its tests holds the
/// turn (a file lock under the temporary folder) while it runs.
///
/// A `.serialized` suite takes the turn once, for all its tests: a test's
/// `.timeLimit` also runs while its scope waits, so a test queued behind
/// other real-model tests would otherwise spend its limit waiting for a turn.
public struct ModelServerTurn: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// Set while a serialized suite holds the turn for its tests.
    @TaskLocal private static var heldBySuite = false

    /// Each test case, and a serialized suite as a whole (a recursive trait's
    /// scope is otherwise never asked of a suite).
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        if test.isSuite { return test.traits.contains { $0 is ParallelizationTrait } ? self : nil }
        return testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        if ModelServerTurn.heldBySuite { return try await function() }
        let descriptor = open(ModelServerTurn.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        defer {
            if descriptor >= 0 {
                flock(descriptor, LOCK_UN)
                close(descriptor)
            }
        }
        // Waits without holding a thread of the shared pool.
        while descriptor >= 0 && flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if test.isSuite {
            try await ModelServerTurn.$heldBySuite.withValue(true) { try await function() }
        } else {
            try await function()
        }
    }

    private static var path: String {
        MachineLockFolder.path(of: "chimerad-tests-model-server.lock")
    }
}

extension Trait where Self == ModelServerTurn {
    /// Each test of the suite runs alone among real-model tests.
    public static var modelServerTurn: Self { ModelServerTurn() }
}
