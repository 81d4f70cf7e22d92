import Foundation
@testable import ModelBackends
import Narration
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension RealLlamaServer {
    /// What chimerad relies on to leave a llama-server neither dead when it is
    /// needed nor running when chimerad is gone.
    @Suite("Managed llama-server lifecycle")
    struct Lifecycle {
        static func server(_ installation: LlamaInstallation, logDirectory: String? = nil) -> ManagedLlamaServer {
            ManagedLlamaServer(
                installation: installation, contextSize: 2048, options: ModelOptions(temperature: 0, seed: 1),
                startTimeout: .seconds(30), logDirectory: logDirectory
            )
        }

        @Test("A llama-server killed between calls is restarted in the background; the next call succeeds on the new one", .timeLimit(.minutes(1)))
        func restartsAfterKill() async throws {
            let server = Self.server(try #require(LlamaServer.gemma))
            try await server.start()
            let first = try #require(await server.processID)

            let killed = ContinuousClock.now
            #expect(kill(first, SIGKILL) == 0)
            let restarted = await LlamaServer.eventually(within: .seconds(20)) {
                guard await server.isReady, let pid = await server.processID else { return false }
                return pid != first
            }
            #expect(restarted, "no new llama-server within 20 s of the kill")
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

        @Test("Killed 3 times within 60 s, it is left down and calls say why, until the next start()", .timeLimit(.minutes(2)))
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
                guard case .unreachable(_, let reason) = error else {
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

        @Test("shutdown() stops it with SIGTERM, well within the grace period, reaped; a second shutdown() is harmless", .timeLimit(.minutes(1)))
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

        @Test("start() stops a llama-server a crashed chimerad left behind (named by the pid file), and writes its own pid", .timeLimit(.minutes(1)))
        func stopsStaleServer() async throws {
            let installation = try #require(LlamaServer.gemma)
            let folder = try LlamaServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }

            // The leftover: a llama-server of the same binary, its pid in the file.
            let port = try LoopbackPort.free()
            let output = open("/dev/null", O_WRONLY | O_CLOEXEC)
            defer { close(output) }
            let stale = try LlamaServerProcess.spawn(
                executable: installation.server,
                arguments: ["-m", installation.model, "--host", "127.0.0.1", "--port", String(port), "-c", "512"],
                environment: ["LD_LIBRARY_PATH": installation.libraries], output: output
            ) { _, _ in }
            let pidFile = LlamaServerPidFile(directory: folder)
            pidFile.write(stale.pid)

            let server = Self.server(installation, logDirectory: folder)
            try await server.start()
            let ended = await stale.wait(timeout: .seconds(8))
            // llama-server handles SIGTERM and exits 0.
            #expect(ended != nil, "the stale llama-server still runs")
            let pid = try #require(await server.processID)
            #expect(pidFile.read() == pid)
            let log = try String(contentsOfFile: folder + "/llama-server.log", encoding: .utf8)
            #expect(log.contains("listening on http://127.0.0.1:"))

            await server.shutdown()
            #expect(pidFile.read() == nil, "the pid file outlived shutdown()")
            stale.signal(SIGKILL)
        }

        @Test("A pid file naming some other program leaves that program alone")
        func leavesOtherProgramsAlone() async throws {
            let installation = try #require(LlamaServer.gemma)
            let folder = try LlamaServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let output = open("/dev/null", O_WRONLY | O_CLOEXEC)
            defer { close(output) }
            let sleeper = try LlamaServerProcess.spawn(executable: "/bin/sleep", arguments: ["30"], environment: [:], output: output) { _, _ in }
            let pidFile = LlamaServerPidFile(directory: folder)
            pidFile.write(sleeper.pid)

            await ManagedLlamaServer.stopStaleServer(pidFile: pidFile, server: installation.server, logger: .init(label: "test"))
            #expect(sleeper.termination == nil, "an unrelated process was killed")
            #expect(pidFile.read() == nil)
            sleeper.signal(SIGKILL)
            #expect(await sleeper.wait(timeout: .seconds(5)) == .signalled(SIGKILL))
        }

        @Test("A broken GGUF fails start() at once, quoting llama-server's last log line and its first error", .timeLimit(.minutes(1)))
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
                #expect(took < .seconds(5))
                guard case .unreachable(_, let reason) = error else {
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
            await server.shutdown()
        }
    }
}
