import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
import ModelInterface
#endif

/// chimerad's own model server: a llama-server it starts, watches and stops,
/// speaking to it as an `OpenAICompatibleBackend` on a loopback port.
///
/// - It starts on `start()` or on the first `generate`, on a free port of
///   127.0.0.1, and is ready once `/health` says the model is loaded.
/// - When it dies between calls it is started again at once, in the
///   background, so the next report does not wait for the model to load; when
///   it fails 3 times within 60 s it is left down, and every call says why,
///   until the next `start()`.
/// - `shutdown()` sends SIGTERM, then SIGKILL after 5 s.
/// - With a `logDirectory`, its output goes to `llama-server.log` there and
///   its pid to `llama-server-<chimerad's pid>.pid`, so that a start after a
///   crash of chimerad stops the llama-server the crashed one left running.
package actor ManagedLlamaServer: ModelBackend {
    package nonisolated let installation: LlamaInstallation
    /// The context window llama-server is started with (`-c`).
    package nonisolated let contextSize: Int
    /// Threads for generation and prompt processing (`-t`).
    package nonisolated let threads: Int
    /// The options every call starts from (`contextSize` included).
    package nonisolated let options: ModelOptions
    /// How long the server may take to load its model.
    package nonisolated let startTimeout: Duration
    /// At idle priority the server gets no CPU while a benchmark keeps every
    /// core busy, and may not even load until it ends: it is given this
    /// long (the narrative's own budget, from the model's pace, ends the
    /// wait sooner when it is shorter).
    package static let idleStartTimeout = Duration.seconds(900)
    /// Whether the server runs at idle CPU priority (see `Priority`).
    package nonisolated let priority: Priority
    package nonisolated let logDirectory: String?
    private nonisolated let logger: Logger
    private nonisolated let pidFile: LlamaServerPidFile?
    private nonisolated let identityState: Mutex<ModelIdentity>

    /// The address shown before the server has a port.
    package static let notStarted = "(not started)"
    /// Failures within this window count towards giving up.
    static let restartWindow: Duration = .seconds(60)
    static let failuresBeforeGivingUp = 3
    /// How long SIGTERM has before SIGKILL.
    static let stopGrace: Duration = .seconds(5)
    /// Threads when the caller names none: half the cores, 1 to 4. chimerad
    /// shares its machine with the benchmarks it reports on, and llama.cpp's
    /// threads spin while they wait for each other: with as many threads as
    /// cores, one other busy process slows generation from ~95 to ~4 tokens/s
    /// (Gemma 3 270M, 2 cores), while one thread keeps ~50; a model this small
    /// gains little from more.
    package static var defaultThreads: Int {
        max(1, min(4, ProcessInfo.processInfo.activeProcessorCount / 2))
    }

    /// The CPU the server may take from the benchmarks beside it.
    package enum Priority: Sendable {
        /// `SCHED_IDLE`: it runs only on cores nothing else wants, so a
        /// benchmark running beside it is not slowed, and the narrative waits
        /// (the default).
        case idle
        /// The scheduler's usual share: for a machine with nothing to protect,
        /// or tests that run beside a CPU-bound process.
        case normal
    }

    /// Threads for prompt evaluation: every core, at most 8.
    package static var batchThreads: Int {
        max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Attempts when the free port is taken before llama-server binds it.
    static let portAttempts = 3

    /// The running (or starting) server.
    private struct Running: Sendable {
        var process: LlamaServerProcess
        var port: Int
        var log: LlamaServerLog
        /// Set once the server is ready.
        var client: OpenAICompatibleBackend?
        var url: String { "http://127.0.0.1:\(port)" }
    }

    private var current: Running?
    private var starting: Task<Result<Running, ModelCallError>, Never>?
    /// When the server died or failed to start, within the restart window.
    private var failures: [ContinuousClock.Instant] = []
    /// Set when it failed too often: why calls fail until the next `start()`.
    private var gaveUp: String?
    private var shutdownTask: Task<Void, Never>?

    package init(
        installation: LlamaInstallation, contextSize: Int = 4096, threads: Int? = nil,
        options: ModelOptions = ModelOptions(), startTimeout: Duration? = nil, priority: Priority = .idle,
        logDirectory: String? = nil, logger: Logger = Logger(label: "chimerad.model.managed")
    ) {
        self.priority = priority
        self.installation = installation
        self.contextSize = contextSize
        let threads = threads ?? Self.defaultThreads
        self.threads = threads
        var options = options
        options.contextSize = contextSize
        self.options = options
        // 60 s at normal priority: a server that loads no faster is broken.
        self.startTimeout = startTimeout ?? (priority == .idle ? Self.idleStartTimeout : .seconds(60))
        self.logDirectory = logDirectory
        self.logger = logger
        pidFile = logDirectory.map { LlamaServerPidFile(directory: $0) }
        let summary = options.summary + ", num_thread=\(threads)"
        identityState = Mutex(
            ModelIdentity(backend: "managed", baseURL: ManagedLlamaServer.notStarted, model: installation.modelName, options: summary))
    }

    /// Dropped without `shutdown()`: the server must not outlive its owner.
    deinit {
        if let process = current?.process, process.signal(SIGKILL) {
            pidFile?.remove()
        }
    }

    /// Backend `managed`, the server's address once it has one, the model's name, the options.
    package nonisolated var identity: ModelIdentity {
        identityState.withLock { $0 }
    }

    /// The server's port while it runs or starts.
    package var port: Int? { current?.port }

    /// The server's pid while it runs or starts.
    package var processID: Int32? { current?.process.pid }

    /// Whether the server is up with its model loaded.
    package var isReady: Bool { current?.client != nil }

    // MARK: - ModelBackend

    /// Starts the server if it is not running and waits until its model is
    /// loaded. Also the way back after it failed too often.
    package func start() async throws(ModelCallError) {
        if shutdownTask != nil { throw shutDownError }
        gaveUp = nil
        failures = []
        _ = try await ready()
    }

    /// The reply's `loadMilliseconds` is how long the call waited for the
    /// server to start and load its model: 0 when it was already running (a
    /// warm server), the point of keeping it between reports. The wait is in
    /// `totalMilliseconds` too.
    package func generate(_ request: ModelRequest) async throws(ModelCallError) -> ModelReply {
        let asked = ContinuousClock.now
        let running = try await ready()
        let waited = ContinuousClock.now - asked
        guard let client = running.client else { throw shutDownError }
        var reply: ModelReply
        do {
            var rest = request
            rest.timeout = request.timeout - waited
            reply = try await client.generate(rest)
        } catch {
            throw await explained(error, by: running)
        }
        // Under a millisecond is an actor hop, not a load.
        let load = waited < .milliseconds(1) ? 0 : CallDeadline.milliseconds(waited)
        reply.metrics.loadMilliseconds = load
        reply.metrics.totalMilliseconds = reply.metrics.totalMilliseconds.map { $0 + load }
        return reply
    }

    /// Starts the server ahead of the first call, so that call pays no load
    /// time. A failure is logged here and reported by the next call.
    package func warmUp() async {
        _ = try? await ready()
    }

    /// Stops the server (SIGTERM, SIGKILL after 5 s) and closes the connections.
    /// Calls after it fail; a second call waits for the first.
    package func shutdown() async {
        if let shutdownTask {
            await shutdownTask.value
            return
        }
        let task = Task { await self.stopEverything() }
        shutdownTask = task
        await task.value
    }

    // MARK: - Starting

    /// The ready server: the running one, the one starting, or a new one.
    private func ready() async throws(ModelCallError) -> Running {
        while true {
            if shutdownTask != nil { throw shutDownError }
            if let gaveUp { throw ModelCallError.unreachable(url: identity.baseURL, reason: gaveUp) }
            if let starting {
                _ = try await starting.value.get()
                continue  // still the current one? (it may have died meanwhile)
            }
            if let running = current, running.client != nil {
                if let termination = running.process.termination {
                    // Died, and the reaper's word has not arrived yet.
                    died(running, termination)
                    continue
                }
                return running
            }
            beginLaunch()
        }
    }

    private func beginLaunch() {
        starting = Task { await self.launch() }
    }

    private enum Attempt {
        case ready(Running)
        case portTaken(ModelCallError)
        case failed(ModelCallError)
    }

    /// Starts a server, retrying on another port when the one picked was taken meanwhile.
    private func launch() async -> Result<Running, ModelCallError> {
        defer { starting = nil }
        if let logDirectory {
            await Self.stopStaleServers(in: logDirectory, server: installation.server, logger: logger)
        }
        var attempt = 0
        while true {
            attempt += 1
            if shutdownTask != nil { return .failure(shutDownError) }
            switch await launchOnce() {
            case .ready(let running):
                return .success(running)
            case .portTaken(let error) where attempt < Self.portAttempts:
                logger.notice("llama-server's port was taken before it could listen; trying another", metadata: ["reason": "\(error)"])
            case .portTaken(let error), .failed(let error):
                if shutdownTask != nil { return .failure(shutDownError) }
                logger.error(
                    "llama-server did not start",
                    metadata: ["model": "\(installation.modelName)", "server": "\(installation.server)", "reason": "\(error)"]
                )
                recordFailure(error.description)
                return .failure(error)
            }
        }
    }

    private func launchOnce() async -> Attempt {
        let port: Int
        do {
            port = try LoopbackPort.free()
        } catch {
            return .failed(.unreachable(url: "http://127.0.0.1", reason: "no free loopback port for llama-server (\(error))"))
        }
        let url = "http://127.0.0.1:\(port)"
        let log: LlamaServerLog
        let process: LlamaServerProcess
        do {
            log = try LlamaServerLog(directory: logDirectory)
            process = try LlamaServerProcess.spawn(
                executable: installation.server, arguments: arguments(port: port), environment: environment(), output: log.descriptor,
                idle: priority == .idle
            ) { [weak self] pid, termination in
                guard let self else { return }
                Task { await self.processEnded(pid, termination) }
            }
        } catch {
            return .failed(.unreachable(url: url, reason: "cannot start llama-server \(installation.server): \(error)"))
        }
        pidFile?.write(process.pid)
        current = Running(process: process, port: port, log: log, client: nil)
        setBaseURL(url)
        logger.info(
            "starting llama-server",
            metadata: metadata(process.pid, port).merging(["log": "\(log.path ?? "(unnamed temporary file)")", "gguf": "\(installation.model)"]) {
                $1
            }
        )

        let began = ContinuousClock.now
        let client = OpenAICompatibleBackend(baseURL: url, model: installation.modelName, options: options, logger: logger)
        let readiness = await Self.readiness(of: process, client: client, timeout: startTimeout)
        if case .ready = readiness, shutdownTask == nil, current?.process === process {
            let running = Running(process: process, port: port, log: log, client: client)
            current = running
            let milliseconds = Int(CallDeadline.milliseconds(ContinuousClock.now - began))
            logger.info("llama-server ready", metadata: metadata(process.pid, port).merging(["start_ms": "\(milliseconds)"]) { $1 })
            return .ready(running)
        }

        // Not ready: make sure it is gone, then say why.
        await stop(process)
        await client.shutdown()
        if current?.process === process {
            current = nil
            pidFile?.remove()
            setBaseURL(Self.notStarted)
        }
        switch readiness {
        case .ready:
            return .failed(shutDownError)
        case .exited(let termination):
            let error = ModelCallError.unreachable(url: url, reason: "llama-server \(termination): \(log.summary())")
            return log.couldNotBind ? .portTaken(error) : .failed(error)
        case .timedOut:
            let seconds = ModelCallError.seconds(startTimeout)
            return .failed(.unreachable(url: url, reason: "llama-server was not ready within \(seconds) s: \(log.summary())"))
        case .failed(let error):
            return .failed(error)
        }
    }

    private enum Readiness: Sendable {
        case ready
        case exited(ProcessTermination)
        case timedOut
        case failed(ModelCallError)
    }

    /// `/health` OK, or the process's end, whichever comes first, within `timeout`.
    private static func readiness(of process: LlamaServerProcess, client: OpenAICompatibleBackend, timeout: Duration) async -> Readiness {
        await withTaskGroup(of: Readiness?.self) { group in
            group.addTask { await process.wait().map { .exited($0) } }
            group.addTask { await healthy(client, within: timeout) }
            var outcome = Readiness.timedOut
            for await result in group {
                if let result {
                    outcome = result
                    break
                }
            }
            group.cancelAll()
            return outcome
        }
    }

    /// llama-server listens at once and answers 503 while its model loads;
    /// before it listens, connections are refused.
    private static func healthy(_ client: OpenAICompatibleBackend, within timeout: Duration) async -> Readiness {
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero, !Task.isCancelled else { return .timedOut }
            do throws(ModelCallError) {
                try await client.waitUntilHealthy(timeout: remaining)
                return .ready
            } catch {
                switch error {
                case .unreachable, .streamClosedEarly:
                    try? await Task.sleep(for: .milliseconds(50))
                case .timedOut:
                    return .timedOut
                default:
                    return .failed(error)
                }
            }
        }
    }

    private func arguments(port: Int) -> [String] {
        var arguments = [
            "-m", installation.model, "--host", "127.0.0.1", "--port", String(port), "-c", String(contextSize),
            // One call at a time: one slot with the whole context.
            "--parallel", "1",
            "--no-webui", "--offline", "--log-colors", "off",
        ]
        arguments += ["-t", String(threads)]
        // The prompt is evaluated in one batch on every core: it is the larger
        // part of a narrative's time and over in seconds, while generation's
        // token-by-token spinning threads are what a busy machine punishes.
        arguments += ["-tb", String(ManagedLlamaServer.batchThreads)]
        // Threads waiting for work sleep instead of spinning (llama.cpp polls
        // by default): a spinning thread takes a core from the benchmarks.
        arguments += ["--poll", "0"]
        return arguments
    }

    /// chimerad's environment, with the server's libraries first on `LD_LIBRARY_PATH`.
    private func environment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        if let existing = environment["LD_LIBRARY_PATH"], !existing.isEmpty {
            environment["LD_LIBRARY_PATH"] = installation.libraries + ":" + existing
        } else {
            environment["LD_LIBRARY_PATH"] = installation.libraries
        }
        return environment
    }

    // MARK: - Supervising

    /// From the reaper: a ready server that ends unexpectedly is restarted.
    /// Ends this actor caused (shutdown, a failed start) are handled where they are caused.
    private func processEnded(_ pid: pid_t, _ termination: ProcessTermination) {
        guard shutdownTask == nil, let running = current, running.process.pid == pid, running.client != nil else { return }
        died(running, termination)
    }

    /// The ready server `running` has died: restart it in the background, or give up.
    private func died(_ running: Running, _ termination: ProcessTermination) {
        current = nil
        pidFile?.remove()
        setBaseURL(Self.notStarted)
        if let client = running.client {
            Task { await client.shutdown() }
        }
        let reason = "llama-server \(termination): \(running.log.summary())"
        logger.warning(
            "llama-server ended unexpectedly",
            metadata: metadata(running.process.pid, running.port).merging(["status": "\(termination.status)", "reason": "\(reason)"]) { $1 }
        )
        guard !recordFailure(reason) else { return }
        logger.notice("restarting llama-server", metadata: ["model": "\(installation.modelName)"])
        beginLaunch()
    }

    /// Counts a death or failed start; true (and calls fail from now on) at the third within the window.
    @discardableResult
    private func recordFailure(_ reason: String) -> Bool {
        let now = ContinuousClock.now
        failures = failures.filter { now - $0 < Self.restartWindow } + [now]
        guard failures.count >= Self.failuresBeforeGivingUp else { return false }
        let seconds = ModelCallError.seconds(Self.restartWindow)
        gaveUp =
            "llama-server failed \(failures.count) times within \(seconds) s, so it is not restarted until chimerad starts it again; last: \(reason)"
        logger.error(
            "llama-server keeps failing; not restarting it",
            metadata: ["model": "\(installation.modelName)", "failures": "\(failures.count)", "reason": "\(reason)"]
        )
        return true
    }

    /// A call that failed because the server died under it says so.
    private func explained(_ error: ModelCallError, by running: Running) async -> ModelCallError {
        switch error {
        case .unreachable, .streamClosedEarly: break
        default: return error
        }
        guard let termination = await running.process.wait(timeout: .milliseconds(500)) else { return error }
        return .unreachable(url: running.url, reason: "llama-server \(termination) during the call: \(running.log.summary())")
    }

    // MARK: - Stopping

    private func stopEverything() async {
        if let running = current {
            await stop(running.process)
            await running.client?.shutdown()
            logger.info(
                "llama-server stopped",
                metadata: metadata(running.process.pid, running.port).merging(["status": "\(running.process.termination?.status ?? "running")"]) {
                    $1
                }
            )
        }
        // A start under way sees its process end (or never spawns one) and cleans up.
        if let starting { _ = await starting.value }
        current = nil
        pidFile?.remove()
    }

    /// SIGTERM, then SIGKILL if it is still there after the grace period.
    private func stop(_ process: LlamaServerProcess) async {
        guard process.signal(SIGTERM) else { return }
        if await process.wait(timeout: Self.stopGrace) != nil { return }
        logger.warning(
            "llama-server did not stop within \(ModelCallError.seconds(Self.stopGrace)) s of SIGTERM; killing it",
            metadata: ["pid": "\(process.pid)"]
        )
        process.signal(SIGKILL)
        _ = await process.wait(timeout: .seconds(5))
    }

    // MARK: - Helpers

    private var shutDownError: ModelCallError {
        .unreachable(url: identity.baseURL, reason: "the managed llama-server has been shut down")
    }

    private nonisolated func setBaseURL(_ url: String) {
        identityState.withLock { $0.baseURL = url }
    }

    private nonisolated func metadata(_ pid: pid_t, _ port: Int) -> Logger.Metadata {
        ["pid": "\(pid)", "port": "\(port)", "model": "\(installation.modelName)"]
    }
}
