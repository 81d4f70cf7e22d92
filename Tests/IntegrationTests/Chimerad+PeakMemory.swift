import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Chimerad {
    /// Runs the binary and returns its exit status and peak resident set
    /// size in bytes, as GNU time measures it (`%M`: the child's `ru_maxrss`).
    /// Not this process's own `wait4`: `posix_spawn` starts the child in the
    /// parent's memory (`CLONE_VM`), and exec folds the parent's high-water
    /// mark into the child's, so a test process grown to 345 MB measured every
    /// child at 345 MB. GNU time is a small process whose child starts small.
    /// The wait polls (suspending), so no thread of the cooperative pool blocks.
    static func runMeasuringPeakMemory(_ arguments: [String]) async throws -> (status: Int32, peakBytes: Int, stderr: String) {
        let binary = try #require(binary, "chimerad binary not found; build it first (swift build) or set CHIMERAD_BIN")
        let folder = try temporaryFolder("io")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let errorPath = folder + "/stderr"
        var environment = ProcessInfo.processInfo.environment
        environment["CHIMERAD_CONFIG"] = try neutralConfig()
        let maxRSSPath = folder + "/maxrss"
        let time = "/usr/bin/time"
        try #require(FileManager.default.isExecutableFile(atPath: time), "needs GNU time (Debian's time package; scripts/setup installs it)")
        let argv = ([time, "-f", "%M", "-o", maxRSSPath, binary] + arguments).map { strdup($0) } + [nil]
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
        let spawned = posix_spawn(&pid, time, &actions, nil, argv, envp)
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
        // The last line is the figure in KiB (a line before it says when the child failed).
        let measured = (try? String(contentsOfFile: maxRSSPath, encoding: .utf8))?
            .split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let kibibytes = try #require(measured, "GNU time wrote no peak memory")
        return (exitStatus, kibibytes * 1024, stderr)
    }
}
