import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Chimerad {
    /// Runs the binary and returns its exit status and peak resident set
    /// size in bytes: the kernel's `ru_maxrss` of that one child, from
    /// `wait4`, which no other test's processes can touch. The wait polls
    /// (suspending), so no thread of the cooperative pool blocks.
    static func runMeasuringPeakMemory(_ arguments: [String]) async throws -> (status: Int32, peakBytes: Int, stderr: String) {
        let binary = try #require(binary, "chimerad binary not found; build it first (swift build) or set CHIMERAD_BIN")
        let folder = try temporaryFolder("io")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let errorPath = folder + "/stderr"
        var environment = ProcessInfo.processInfo.environment
        environment["CHIMERAD_CONFIG"] = try neutralConfig()
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        try #require(spawned == 0, "posix_spawn failed: \(spawned)")
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let waited = wait4(pid, &status, WNOHANG, &usage)
            if waited == pid { break }
            if waited < 0 && errno != EINTR { throw POSIXError(.ECHILD) }
            try await Task.sleep(for: .milliseconds(20))
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        let exitStatus: Int32 = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return (exitStatus, Int(usage.ru_maxrss) * 1024, stderr)
    }
}
