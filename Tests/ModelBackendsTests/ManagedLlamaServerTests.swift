import Foundation
@testable import ModelBackends
import Narration
import Testing
#if canImport(Glibc)
import Glibc
import CIOPriority
import ModelInterface
#endif

extension RealLlamaServer {
    /// What chimerad relies on to leave a llama-server neither dead when it is
    /// needed nor running when chimerad is gone.
    @Suite("Managed llama-server lifecycle")
    struct Lifecycle {
        static func server(_ installation: LlamaInstallation, logDirectory: String? = nil) -> ManagedLlamaServer {
            ManagedLlamaServer(
                installation: installation, contextSize: 2048, options: ModelOptions(temperature: 0, seed: 1),
                startTimeout: .seconds(30), priority: .normal, logDirectory: logDirectory
            )
        }

        @Test("A llama-server killed between calls is restarted in the background; the next call succeeds on the new one", .timeLimit(.minutes(4)))
        func restartsAfterKill() async throws {
            let server = Self.server(try #require(LlamaServer.gemma))
            try await server.start()
            let first = try #require(await server.processID)

            let killed = ContinuousClock.now
            #expect(kill(first, SIGKILL) == 0)
            // A model's load on 2 cores beside a test run's compiler or other
            // servers can take most of the 30 s start budget: the restart is
            // given that and a minute more, whatever the machine's load.
            let restarted = await LlamaServer.eventually(within: .seconds(90)) {
                guard await server.isReady, let pid = await server.processID else { return false }
                return pid != first
            }
            #expect(restarted, "no new llama-server within 90 s of the kill")
            print("managed llama-server: ready again \(LlamaServer.seconds(ContinuousClock.now - killed)) after SIGKILL")
            #expect(LlamaServer.isGone(first), "the killed llama-server was not reaped (a zombie)")

            do throws(ModelCallError) {
                let reply = try await server.generate(LlamaServer.narrativeRequest(maxTokens: 16))
                #expect(!reply.text.isEmpty)
            } catch {
                Issue.record("the call after the restart failed: \(error)")
            }
            let second = try #require(await server.processID)
            #expect(second != first)
            await server.shutdown()
            #expect(LlamaServer.isGone(second))
        }

        @Test("Killed 3 times within 60 s, it is left down and calls say why, until the next start()", .timeLimit(.minutes(5)))
        func givesUp() async throws {
            let server = Self.server(try #require(LlamaServer.gemma))
            try await server.start()
            for round in 1...3 {
                let pid = try #require(await server.processID, "no llama-server before kill \(round)")
                #expect(kill(pid, SIGKILL) == 0)
                if round < 3 {
                    let back = await LlamaServer.eventually(within: .seconds(20)) {
                        guard await server.isReady, let now = await server.processID else { return false }
                        return now != pid
                    }
                    #expect(back, "not restarted after kill \(round)")
                } else {
                    #expect(await LlamaServer.eventually(within: .seconds(5)) { await server.processID == nil })
                }
            }
            do throws(ModelCallError) {
                _ = try await server.generate(LlamaServer.narrativeRequest(maxTokens: 8))
                Issue.record("a call succeeded after the server failed 3 times")
            } catch {
                guard case .unreachable(_, let reason, _) = error else {
                    Issue.record("expected .unreachable, got \(error)")
                    return
                }
                #expect(reason.contains("failed 3 times within 60 s"), "\(reason)")
                #expect(reason.contains("signal 9"), "\(reason)")
            }
            #expect(await server.processID == nil, "a call must not restart it")

            try await server.start()
            #expect(await server.isReady)
            await server.shutdown()
        }

        @Test("shutdown() stops it with SIGTERM, well within the grace period, reaped; a second shutdown() is harmless", .timeLimit(.minutes(4)))
        func shutdownStopsIt() async throws {
            let server = Self.server(try #require(LlamaServer.gemma))
            try await server.start()
            let pid = try #require(await server.processID)
            let began = ContinuousClock.now
            await server.shutdown()
            let took = ContinuousClock.now - began
            print("managed llama-server: stopped in \(LlamaServer.seconds(took))")
            #expect(LlamaServer.isGone(pid), "llama-server \(pid) is still there (or a zombie) after shutdown()")
            // Under SIGKILL after the grace period it would have taken 5 s.
            #expect(took < ManagedLlamaServer.stopGrace, "SIGTERM did not stop llama-server")
            await server.shutdown()
            #expect(await server.processID == nil)
            do throws(ModelCallError) {
                _ = try await server.generate(LlamaServer.narrativeRequest(maxTokens: 8))
                Issue.record("a call succeeded after shutdown()")
            } catch {
                #expect("\(error)".contains("shut down"))
            }
        }

        /// A llama-server of the real binary on a free port, our child, output thrown away.
        static func leftover(_ installation: LlamaInstallation) throws -> LlamaServerProcess {
            let output = open("/dev/null", O_WRONLY | O_CLOEXEC)
            defer { close(output) }
            return try LlamaServerProcess.spawn(
                executable: installation.server,
                arguments: ["-m", installation.model, "--host", "127.0.0.1", "--port", String(try LoopbackPort.free()), "-c", "512", "-t", "1"],
                environment: ["LD_LIBRARY_PATH": installation.libraries], output: output
            ) { _, _ in }
        }

        /// The pid of a process that has ended: a chimerad that crashed.
        static func endedProcess() async throws -> pid_t {
            let output = open("/dev/null", O_WRONLY | O_CLOEXEC)
            defer { close(output) }
            let process = try LlamaServerProcess.spawn(executable: "/bin/true", arguments: [], environment: [:], output: output) { _, _ in }
            _ = await process.wait()
            return process.pid
        }

        @Test(
            "start() stops a llama-server a crashed chimerad left behind (named by its pid file), and writes its own pid file",
            .timeLimit(.minutes(4)))
        func stopsStaleServer() async throws {
            let installation = try #require(LlamaServer.gemma)
            let folder = try LlamaServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }

            // The leftover: a llama-server of the same binary whose chimerad is gone.
            let stale = try Self.leftover(installation)
            let staleFile = LlamaServerPidFile(directory: folder, owner: try await Self.endedProcess())
            staleFile.write(stale.pid)

            let server = Self.server(installation, logDirectory: folder)
            try await server.start()
            let ended = await stale.wait(timeout: .seconds(8))
            // SIGTERM ends it: status 0 once its handler is installed, the signal itself before.
            #expect(
                ended == .exited(status: 0) || ended == .signalled(SIGTERM), "the stale llama-server: \(ended.map { "\($0)" } ?? "still running")")
            #expect(staleFile.read() == nil, "the stale pid file is still there")
            let pid = try #require(await server.processID)
            let ownFile = LlamaServerPidFile(directory: folder)
            #expect(ownFile.path.hasSuffix("/llama-server-\(getpid()).pid"))
            #expect(ownFile.read() == pid)
            let log = try String(contentsOfFile: folder + "/llama-server.log", encoding: .utf8)
            #expect(log.contains("listening on http://127.0.0.1:"))

            await server.shutdown()
            #expect(ownFile.read() == nil, "the pid file outlived shutdown()")
            stale.signal(SIGKILL)
        }

        @Test("A llama-server whose chimerad still runs it is left alone, and so is another program under a recorded pid", .timeLimit(.minutes(4)))
        func leavesOthersAlone() async throws {
            let installation = try #require(LlamaServer.gemma)
            let folder = try LlamaServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }

            // Another chimerad's server, its parent (this process) alive; seen from a third chimerad.
            let running = try Self.leftover(installation)
            let runningFile = LlamaServerPidFile(directory: folder, owner: getpid())
            runningFile.write(running.pid)
            // A pid file of a crashed chimerad whose pid now runs something else.
            let output = open("/dev/null", O_WRONLY | O_CLOEXEC)
            defer { close(output) }
            let sleeper = try LlamaServerProcess.spawn(executable: "/bin/sleep", arguments: ["30"], environment: [:], output: output) { _, _ in }
            let reusedFile = LlamaServerPidFile(directory: folder, owner: try await Self.endedProcess())
            reusedFile.write(sleeper.pid)

            let third = try await Self.endedProcess()
            await ManagedLlamaServer.stopStaleServers(in: folder, server: installation.server, except: third, logger: .init(label: "test"))
            #expect(running.termination == nil, "a live chimerad's llama-server was stopped")
            #expect(runningFile.read() == running.pid, "a live chimerad's pid file was removed")
            #expect(sleeper.termination == nil, "an unrelated program was killed")
            #expect(reusedFile.read() == nil, "a pid file naming another program was kept")

            running.signal(SIGKILL)
            sleeper.signal(SIGKILL)
            #expect(await running.wait(timeout: .seconds(5)) == .signalled(SIGKILL))
            #expect(await sleeper.wait(timeout: .seconds(5)) == .signalled(SIGKILL))
        }

        @Test("A broken GGUF fails start() at once, quoting llama-server's last log line and its first error", .timeLimit(.minutes(4)))
        func brokenModel() async throws {
            let real = try #require(LlamaServer.gemma)
            let folder = try LlamaServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let broken = folder + "/broken.gguf"
            try Data("this is not a GGUF file\n".utf8).write(to: URL(fileURLWithPath: broken))
            let installation = LlamaInstallation(server: real.server, libraries: real.libraries, model: broken, modelName: "broken")
            let server = Self.server(installation, logDirectory: folder)

            let began = ContinuousClock.now
            do throws(ModelCallError) {
                try await server.start()
                Issue.record("a broken GGUF started")
            } catch {
                let took = ContinuousClock.now - began
                print("managed llama-server, broken GGUF: \(error) (after \(LlamaServer.seconds(took)))")
                // Ended by the process's exit (the reason says so), well
                // before the start timeout; how soon is the machine's load.
                #expect(took < server.startTimeout)
                guard case .unreachable(_, let reason, _) = error else {
                    Issue.record("expected .unreachable, got \(error)")
                    return
                }
                #expect(reason.hasPrefix("llama-server exited with status 1: "), "\(reason)")
                #expect(reason.contains("exiting due to model loading error"), "\(reason)")
                #expect(reason.contains("invalid magic characters"), "\(reason)")
                #expect(!reason.contains("\n"))
            }
            #expect(await server.processID == nil)
            #expect(server.identity.baseURL == ManagedLlamaServer.notStarted)
            #expect(LlamaServerPidFile(directory: folder).read() == nil)
            #expect(FileManager.default.fileExists(atPath: folder + "/llama-server.log"))
            await server.shutdown()
        }
    }
}

/// The managed server's share of the CPU: by default it starts under
/// `SCHED_IDLE` and the idle I/O class (set before its first instruction, so
/// its threads inherit them), and `.normal` leaves the scheduler's defaults.
@Suite struct ManagedLlamaServerPriorityTests {
    /// The scheduling policy of each thread of `pid` (field 41 of /proc/PID/task/TID/stat).
    private static func policies(_ pid: pid_t) throws -> [Int] {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        return try tasks.map { task in
            let stat = try String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8)
            // Fields after the command name, which may hold spaces, closed by the last ')'.
            let fields = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
            return try #require(Int(fields[38]))
        }
    }

    @Test func anIdleChildRunsUnderSCHEDIDLEAndANormalOneDoesNot() throws {
        let output = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(output) }
        let idle = try LlamaServerProcess.spawn(executable: "/bin/sleep", arguments: ["30"], environment: [:], output: output, idle: true) { _, _ in }
        let normal = try LlamaServerProcess.spawn(executable: "/bin/sleep", arguments: ["30"], environment: [:], output: output) { _, _ in }
        defer {
            idle.signal(SIGKILL)
            normal.signal(SIGKILL)
        }
        #expect(sched_getscheduler(idle.pid) == LlamaServerProcess.idleSchedulingPolicy)
        #expect(try Self.policies(idle.pid) == [Int(LlamaServerProcess.idleSchedulingPolicy)])
        #expect(sched_getscheduler(normal.pid) == SCHED_OTHER)
        // The idle I/O class too: reading the model file never delays a benchmark's disk.
        #expect(chimerad_ioprio_class(idle.pid) == 3)
        #expect(chimerad_ioprio_class(normal.pid) != 3)
    }

    /// What the child gets of the daemon: stdio and nothing else, no blocked
    /// or ignored signal; and a spawn that cannot exec says why.
    @Test func aChildGetsStdioOnlyNoBlockedSignalsAndAFailedExecSaysWhy() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(getpid())-\(UInt64.random(in: 0...UInt64.max))").path
        let output = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        try #require(output >= 0)
        defer {
            close(output)
            unlink(path)
        }
        // A descriptor the daemon opened without O_CLOEXEC, and a signal
        // ignored as a daemon's signal handling may (SIGUSR2: the test process
        // is shared, and nothing in it sends or waits for that one).
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        let previous = signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, previous) }
        let child = try LlamaServerProcess.spawn(
            executable: "/bin/sh", arguments: ["-c", "ls /proc/$$/fd; exec grep -E '^Sig(Blk|Ign)' /proc/self/status"], environment: [:],
            output: output
        ) { _, _ in }
        #expect(await child.wait(timeout: .seconds(30)) == .exited(status: 0))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.filter { $0.allSatisfy(\.isNumber) }.sorted() == ["0", "1", "2"], "\(text)")
        #expect(lines.contains("SigBlk:\t0000000000000000"), "\(text)")
        #expect(lines.contains("SigIgn:\t0000000000000000"), "\(text)")

        #expect(throws: LlamaServerProcess.SpawnFailure.self) {
            try LlamaServerProcess.spawn(executable: "/nonexistent/llama-server", arguments: [], environment: [:], output: output) { _, _ in }
        }
        do {
            _ = try LlamaServerProcess.spawn(executable: "/nonexistent/llama-server", arguments: [], environment: [:], output: output) { _, _ in }
        } catch {
            #expect(error.code == ENOENT && "\(error)".contains("No such file"), "\(error)")
        }
    }

    @Test func theManagedServerIsIdleByDefaultAndNeverPolls() throws {
        let installation = LlamaInstallation(server: "/bin/true", libraries: "", model: "/nonexistent.gguf", modelName: "none")
        #expect(ManagedLlamaServer(installation: installation).priority == .idle)
        #expect(ManagedLlamaServer(installation: installation, priority: .normal).priority == .normal)
    }
}

/// A pid file is read only as what chimerad wrote: a regular file of a few bytes.
@Suite struct LlamaServerPidFileTests {
    static func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "pidfile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("a link planted at a pid file's name (to /dev/zero, or to a pid elsewhere) is no pid, read without following it")
    func linkIsNoPid() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let zero = LlamaServerPidFile(directory: folder, owner: 4_000_001)
        try FileManager.default.createSymbolicLink(atPath: zero.path, withDestinationPath: "/dev/zero")
        #expect(zero.read() == nil)
        let elsewhere = folder + "/elsewhere.pid"
        try "1234\n".write(toFile: elsewhere, atomically: true, encoding: .utf8)
        let linked = LlamaServerPidFile(directory: folder, owner: 4_000_002)
        try FileManager.default.createSymbolicLink(atPath: linked.path, withDestinationPath: elsewhere)
        #expect(linked.read() == nil)
    }

    @Test("a FIFO at a pid file's name is no pid, and reading it does not wait for a writer")
    func fifoIsNoPid() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = LlamaServerPidFile(directory: folder, owner: 4_000_003)
        #expect(mkfifo(file.path, 0o600) == 0)
        #expect(file.read() == nil)
    }

    @Test("a written pid reads back; a huge file reads as no pid (only its first bytes are read)")
    func writtenPidReadsBack() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = LlamaServerPidFile(directory: folder, owner: 4_000_004)
        file.write(4321)
        #expect(file.read() == 4321)
        try String(repeating: "9", count: 1 << 20).write(toFile: file.path, atomically: true, encoding: .utf8)
        #expect(file.read() == nil)
        // A pid followed by more than a pid file holds is no pid file.
        try ("4321" + String(repeating: " ", count: 40) + "junk").write(toFile: file.path, atomically: true, encoding: .utf8)
        #expect(file.read() == nil)
    }
}
