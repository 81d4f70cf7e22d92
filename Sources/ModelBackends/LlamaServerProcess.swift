import Foundation
import Records
import Synchronization
#if canImport(Glibc)
import Glibc
import CIOPriority
import CProcessSpawn
#endif

/// How a child process ended.
enum ProcessTermination: Sendable, Equatable, CustomStringConvertible {
    case exited(status: Int32)
    case signalled(Int32)
    /// Someone else reaped it (the status is lost).
    case unknown

    var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signalled(let signal): "was killed by signal \(signal)\(ProcessTermination.signalName(signal).map { " (\($0))" } ?? "")"
        case .unknown: "exited"
        }
    }

    /// The metadata's short form: `1`, `SIGKILL`.
    var status: String {
        switch self {
        case .exited(let status): "\(status)"
        case .signalled(let signal): ProcessTermination.signalName(signal) ?? "signal \(signal)"
        case .unknown: "unknown"
        }
    }

    static func signalName(_ signal: Int32) -> String? {
        switch signal {
        case SIGKILL: "SIGKILL"
        case SIGTERM: "SIGTERM"
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGINT: "SIGINT"
        case SIGBUS: "SIGBUS"
        case SIGILL: "SIGILL"
        case SIGFPE: "SIGFPE"
        case SIGHUP: "SIGHUP"
        case SIGPIPE: "SIGPIPE"
        default: nil
        }
    }

    /// A `waitpid` status word (the `WIFEXITED` / `WTERMSIG` macros, which Swift does not import).
    init(waitStatus status: Int32) {
        let signal = status & 0x7f
        self = signal == 0 ? .exited(status: (status >> 8) & 0xff) : .signalled(signal)
    }
}

/// A child started from a thread of its own and reaped by another that
/// blocks in `waitid` until it ends: no zombie, no polling.
///
/// It ends with chimerad, however chimerad ends: it sets SIGTERM as its
/// parent-death signal before it execs (`chimerad_spawn_tied`), so the kernel
/// stops it when its parent goes, a `chimerad report` killed with SIGKILL
/// included (outside systemd no cgroup is stopped with it, and a model left
/// loaded would hold its memory beside the benchmarks until the next start).
/// The kernel's "parent" is the thread that spawned it, so that thread is
/// one of its own, parked until the child has ended.
///
/// Not Foundation's `Process`: a child started from a Swift concurrency thread
/// inherits that thread's blocked signals, and one started by a daemon whose
/// signal handling ignores SIGTERM inherits the ignoring; either way SIGTERM
/// never reaches it. Here the child starts with an empty signal mask and every
/// signal at its default action.
final class LlamaServerProcess: Sendable {
    let pid: pid_t
    private let state = Mutex(State())

    private struct State {
        var termination: ProcessTermination?
        var waiters: [UInt64: CheckedContinuation<ProcessTermination?, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    struct SpawnFailure: Error, CustomStringConvertible {
        var call: String
        var code: Int32
        var description: String { "\(call): \(String(cString: strerror(code)))" }
    }

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Linux's `SCHED_IDLE` (Swift's Glibc module leaves it out): a thread
    /// under it runs only on a core nothing else wants.
    static let idleSchedulingPolicy: Int32 = 5

    /// Starts `executable` with `arguments`, stdin from /dev/null and stdout and
    /// stderr into `output` (a descriptor of the caller's, left open).
    /// `onExit` is called once, from the reaping thread, after the child is
    /// reaped. With `idle`, the child starts under `SCHED_IDLE`, before its
    /// first instruction, so every thread it makes inherits it.
    static func spawn(
        executable: String, arguments: [String], environment: [String: String], output: Int32, idle: Bool = false,
        onExit: @escaping @Sendable (pid_t, ProcessTermination) -> Void
    ) throws(SpawnFailure) -> LlamaServerProcess {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let parent = ParentThread()
        let code = parent.spawn(idle: idle) { chimerad_spawn_tied(executable, argv, envp, output, SIGTERM, &pid) }
        guard code == 0 else { throw SpawnFailure(call: "spawn \(executable)", code: code) }

        let process = LlamaServerProcess(pid: pid)
        let thread = Thread {
            process.reap(onExit: onExit)
            parent.childEnded()
        }
        thread.name = "llama-server-reaper"
        thread.stackSize = 256 * 1024
        thread.start()
        return process
    }

    /// The thread a child is spawned from: the kernel sends the child its
    /// parent-death signal when this thread ends, so it stays, parked, until
    /// the child has ended. With `idle` it runs under `SCHED_IDLE` and the idle
    /// I/O class, which the child inherits from it: a thread of the daemon's
    /// own, once idle, could not return to its normal policy unprivileged.
    private final class ParentThread: @unchecked Sendable {
        // Written by the thread before `spawned` is signalled, read after.
        private var code: Int32 = 0
        private let spawned = DispatchSemaphore(value: 0)
        private let ended = DispatchSemaphore(value: 0)

        /// Runs `body` (the spawn) on the thread; its result, or why no thread ran it.
        func spawn(idle: Bool, _ body: @escaping () -> Int32) -> Int32 {
            nonisolated(unsafe) let body = body
            let run: @Sendable () -> Void = {
                var parameters = sched_param()
                parameters.sched_priority = 0
                if idle && sched_setscheduler(0, LlamaServerProcess.idleSchedulingPolicy, &parameters) != 0 {
                    self.code = errno
                } else {
                    // Unprivileged since Linux 2.6.25; where a filter refuses it,
                    // the model still waits for the CPU, only not for the disk.
                    if idle { _ = chimerad_ioprio_set_idle() }
                    self.code = body()
                }
                let child = self.code == 0
                self.spawned.signal()
                if child { self.ended.wait() }
            }
            // No thread, no spawn: waiting for one that never ran held the daemon for good.
            let started = DetachedThread.start(name: "llama-server-parent", stackSize: 256 * 1024, run)
            guard started == 0 else { return started }
            spawned.wait()
            return code
        }

        /// Lets the thread end: its child has been reaped.
        func childEnded() {
            ended.signal()
        }
    }

    /// Blocks until the child ends. `WNOWAIT` leaves it unreaped until its end
    /// is recorded under the lock, so `signal` never reaches a reused pid.
    private func reap(onExit: @Sendable (pid_t, ProcessTermination) -> Void) {
        var info = siginfo_t()
        var ended = false
        while !ended {
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == 0 { break }
            if errno != EINTR { ended = true }
        }
        let pid = pid
        let (termination, waiters) = state.withLock { state in
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, 0)
            let termination = reaped == pid ? ProcessTermination(waitStatus: status) : .unknown
            state.termination = termination
            let waiters = state.waiters
            state.waiters = [:]
            return (termination, waiters)
        }
        for waiter in waiters.values { waiter.resume(returning: termination) }
        onExit(pid, termination)
    }

    /// How it ended; nil while it runs.
    var termination: ProcessTermination? {
        state.withLock { $0.termination }
    }

    /// Sends `signal` unless the child has ended; true when sent.
    @discardableResult
    func signal(_ signal: Int32) -> Bool {
        let pid = pid
        return state.withLock { state in
            state.termination == nil && kill(pid, signal) == 0
        }
    }

    /// How it ended, once it has; nil if the waiting task is cancelled first.
    func wait() async -> ProcessTermination? {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ProcessTermination?, Never>) in
                let now: ProcessTermination?? = state.withLock { state in
                    if let termination = state.termination { return .some(termination) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return .none
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    /// How it ended, if it does within `timeout`.
    func wait(timeout: Duration) async -> ProcessTermination? {
        if let termination { return termination }
        let first = await withTaskGroup(of: ProcessTermination?.self) { group in
            group.addTask { await self.wait() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        return first ?? termination
    }
}
