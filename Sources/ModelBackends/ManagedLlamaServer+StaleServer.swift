import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

extension ManagedLlamaServer {
    /// Stops the llama-servers that chimerad processes which crashed or were
    /// killed before their `shutdown()` left running: for each other pid file
    /// in `directory`, the process it names, if it still runs this very
    /// llama-server binary and its parent is no longer the chimerad that wrote
    /// the file (an orphan is adopted by init). A server whose chimerad still
    /// runs it, and anything else under a reused pid, is left alone.
    static func stopStaleServers(in directory: String, server: String, except owner: pid_t = getpid(), logger: Logger) async {
        let ours = URL(fileURLWithPath: server).resolvingSymlinksInPath().path
        for file in LlamaServerPidFile.others(in: directory, than: owner) {
            guard let pid = file.read(), pid != owner, LlamaServerPidFile.isAlive(pid),
                let executable = LlamaServerPidFile.executable(of: pid), executable == ours
            else {
                file.remove()  // its server is gone (or the pid is another program's now)
                continue
            }
            guard LlamaServerPidFile.status(of: pid)?.parent != file.owner else { continue }  // its chimerad still runs it
            logger.warning(
                "stopping a llama-server left running by a chimerad that is gone",
                metadata: ["pid": "\(pid)", "owner_pid": "\(file.owner)", "pid_file": "\(file.path)"]
            )
            kill(pid, SIGTERM)
            if await !gone(pid, within: stopGrace) {
                logger.warning("the leftover llama-server did not stop on SIGTERM; killing it", metadata: ["pid": "\(pid)"])
                kill(pid, SIGKILL)
                _ = await gone(pid, within: .seconds(2))
            }
            file.remove()
        }
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
