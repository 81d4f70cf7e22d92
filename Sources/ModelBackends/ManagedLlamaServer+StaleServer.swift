import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

extension ManagedLlamaServer {
    /// Stops the llama-server a previous chimerad left running (it crashed or
    /// was killed before its `shutdown()`): the process named by the pid file,
    /// if it still runs and runs this very llama-server binary. Anything else
    /// under that pid (a reused one) is left alone. The pid file goes either way.
    static func stopStaleServer(pidFile: LlamaServerPidFile, server: String, logger: Logger) async {
        guard let pid = pidFile.read() else { return }
        defer { pidFile.remove() }
        guard pid != getpid(), LlamaServerPidFile.isAlive(pid), let executable = LlamaServerPidFile.executable(of: pid) else { return }
        let ours = URL(fileURLWithPath: server).resolvingSymlinksInPath().path
        guard executable == ours else {
            logger.debug("the llama-server pid file names another program; left alone", metadata: ["pid": "\(pid)", "executable": "\(executable)"])
            return
        }
        logger.warning("stopping a llama-server left running by a previous chimerad", metadata: ["pid": "\(pid)", "pid_file": "\(pidFile.path)"])
        kill(pid, SIGTERM)
        if await gone(pid, within: stopGrace) { return }
        logger.warning("the stale llama-server did not stop on SIGTERM; killing it", metadata: ["pid": "\(pid)"])
        kill(pid, SIGKILL)
        _ = await gone(pid, within: .seconds(2))
    }

    /// Not a child of ours, so it cannot be waited for: looked at every 50 ms.
    private static func gone(_ pid: pid_t, within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while LlamaServerPidFile.isAlive(pid) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}
