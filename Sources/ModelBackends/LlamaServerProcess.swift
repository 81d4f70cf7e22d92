import Foundation
import Records
import Synchronization
#if canImport(Glibc)
import Glibc
import CIOPriority
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

/// A child started with `posix_spawn` and reaped by a thread of its own that
/// blocks in `waitid` until it ends: no zombie, no polling.
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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var code = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if code == 0 { code = posix_spawn_file_actions_adddup2(&actions, output, 1) }
        if code == 0 { code = posix_spawn_file_actions_adddup2(&actions, output, 2) }
        if code == 0, let closeFrom = closeFrom { code = closeFrom(&actions, 3) }
        guard code == 0 else { throw SpawnFailure(call: "posix_spawn_file_actions", code: code) }

        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        sigdelset(&allSignals, SIGKILL)
        sigdelset(&allSignals, SIGSTOP)
        code = posix_spawnattr_setsigmask(&attributes, &noSignals)
        if code == 0 { code = posix_spawnattr_setsigdefault(&attributes, &allSignals) }
        if code == 0 { code = posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)) }
        guard code == 0 else { throw SpawnFailure(call: "posix_spawnattr", code: code) }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        if idle {
            code = LlamaServerProcess.onIdleThread { posix_spawn(&pid, executable, &actions, &attributes, argv, envp) }
        } else {
            code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        }
        guard code == 0 else { throw SpawnFailure(call: "posix_spawn \(executable)", code: code) }

        let process = LlamaServerProcess(pid: pid)
        let thread = Thread { process.reap(onExit: onExit) }
        thread.name = "llama-server-reaper"
        thread.stackSize = 256 * 1024
        thread.start()
        return process
    }

    /// Runs `body` (a `posix_spawn`) on a thread of its own under
    /// `SCHED_IDLE` and the idle I/O class, which the child inherits from it:
    /// glibc's spawn attributes take neither, and a thread of the daemon's
    /// own, once idle, could not return to its normal policy unprivileged.
    /// The thread ends with `body`.
    private static func onIdleThread(_ body: @escaping () -> Int32) -> Int32 {
        final class Outcome: @unchecked Sendable {
            var code: Int32 = 0
            let done = DispatchSemaphore(value: 0)
        }
        let outcome = Outcome()
        nonisolated(unsafe) let body = body
        let spawn: @Sendable () -> Void = {
            var parameters = sched_param()
            parameters.sched_priority = 0
            if sched_setscheduler(0, idleSchedulingPolicy, &parameters) != 0 {
                outcome.code = errno
            } else {
                // Unprivileged since Linux 2.6.25; where a filter refuses it,
                // the model still waits for the CPU, only not for the disk.
                _ = chimerad_ioprio_set_idle()
                outcome.code = body()
            }
            outcome.done.signal()
        }
        // No thread, no spawn: waiting for one that never ran held the daemon for good.
        let started = DetachedThread.start(name: "llama-server-spawn", stackSize: 256 * 1024, spawn)
        guard started == 0 else { return started }
        outcome.done.wait()
        return outcome.code
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), looked up at
    /// run time as Swift's Glibc module does not declare it: the child gets no
    /// descriptor of the daemon's beyond stdio, even one opened without O_CLOEXEC.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32)? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32).self)
    }()

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
