import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Tests that run a real llama-server take turns, across test targets (one
/// process runs them all side by side): on two cores, two servers loading and
/// generating at once make each other's timeouts and timings meaningless.
/// Apply `.modelServerTurn` to a suite; each of its tests holds the turn (a
/// file lock under the temporary folder) while it runs.
public struct ModelServerTurn: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // The suite itself takes no turn: its tests would wait for it.
        guard !test.isSuite else { return try await function() }
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
        try await function()
    }

    private static var path: String {
        FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-tests-model-server.lock").path
    }
}

extension Trait where Self == ModelServerTurn {
    /// Each test of the suite runs alone among real-model tests.
    public static var modelServerTurn: Self { ModelServerTurn() }
}
