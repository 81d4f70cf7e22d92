import Foundation
import ModelBackends
import Narration
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
import ModelInterface
#endif

/// The real llama-server and models that `scripts/setup-model` installs into
/// the repository's `.venv` (or the venv `$CHIMERAD_VENV` names), found the
/// way chimerad finds them (`LlamaInstallation.locate`), and what the tests
/// that run them share.
enum LlamaServer {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var venvs: [String] {
        var venvs: [String] = []
        if let chosen = ProcessInfo.processInfo.environment["CHIMERAD_VENV"], !chosen.isEmpty { venvs.append(chosen) }
        venvs.append(repository.appendingPathComponent(".venv").path)
        return venvs
    }

    static let gemma = try? LlamaInstallation.locate(model: .gemma3_270m, venvs: venvs)
    static let smollm = try? LlamaInstallation.locate(model: .smollm2_135m, venvs: venvs)
    static var isInstalled: Bool { gemma != nil && smollm != nil }

    /// Why the real-server tests were skipped, and the fix.
    static let missing: Comment =
        "needs llama-server and the Gemma 3 270M and SmolLM2 GGUFs in .venv: run scripts/setup-model (a 7-11 min build the first time)"

    /// A short narrative request: the fixture's two-row fact table and the
    /// schema chimerad sends with it, small enough to answer in a second or two.
    static func narrativeRequest(maxTokens: Int = 48) -> ModelRequest {
        ModelRequest(prompt: NarrativeFixture.prompt, options: ModelOptions(maxTokens: maxTokens), timeout: .seconds(120))
    }

    /// True when no process has `pid`, not even a zombie waiting to be reaped.
    static func isGone(_ pid: Int32) -> Bool {
        kill(pid, 0) == -1 && errno == ESRCH
    }

    /// A new empty folder under the temporary folder.
    static func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-managed-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Waits until `condition` holds, looking every 50 ms; false if it did not within `timeout`.
    static func eventually(within timeout: Duration, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    /// `1.234 s`.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f s", Double(seconds) + Double(attoseconds) / 1e18)
    }
}

/// Every test that runs a real llama-server, one at a time: on two cores,
/// servers loading side by side would make each test's timings meaningless.
@Suite("Real llama-server", .serialized, .modelServerTurn, .enabled(if: LlamaServer.isInstalled, LlamaServer.missing))
struct RealLlamaServer {}
