import Foundation
import TestSupport
import Testing

@testable import Settings

#if canImport(Glibc)
import Glibc
#endif

/// Files settings name (the config, secrets) are read without ever waiting
/// for good: a FIFO nothing writes to fails the load with a reason.
@Suite struct SettingFileTests {
    @Test func aFIFONothingWritesToEndsWithAReasonNotAHang() async throws {
        try await ConfigFolder.with { folder in
            let fifo = folder + "/chimerad.yaml"
            #expect(mkfifo(fifo, 0o600) == 0)
            // Refused where only regular files will do, at once.
            #expect(SettingFile.contents(of: fifo, limit: 1024, streams: .refused) == .failure(.notRegular(kind: "FIFO")))
            // Allowed as a stream: waited for, then given up with a reason.
            let started = ContinuousClock.now
            let outcome = SettingFile.contents(of: fifo, limit: 1024, streams: .allowed(seconds: 1))
            #expect(outcome == .failure(.streamDidNotEnd(seconds: 1, fifo: true)))
            #expect(ContinuousClock.now - started >= .milliseconds(900))
            #expect(
                SettingFile.Problem.streamDidNotEnd(seconds: 1, fifo: true).reason
                    == "is a FIFO that did not end within 1 s (does anything write to it?)")
        }
    }

    @Test func aConfigWrittenThroughAFIFOIsRead() async throws {
        try await ConfigFolder.with { folder in
            let fifo = folder + "/chimerad.yaml"
            #expect(mkfifo(fifo, 0o600) == 0)
            // A writer that comes a little later, as a shell's `<(...)` may.
            let writer = Process()
            writer.executableURL = URL(fileURLWithPath: "/bin/sh")
            writer.arguments = ["-c", "sleep 0.3; printf 'log:\\n  level: debug\\n' > \"$1\"", "sh", fifo]
            try writer.run()
            // A writer whose reader never came must not hang the test.
            defer {
                if writer.isRunning { writer.terminate() }
                writer.waitUntilExit()
            }
            let settings = try await Settings.load(file: fifo, environment: ConfigFolder.environment)
            #expect(settings.log.level == .debug)
        }
    }

    @Test func aFolderOrASocketIsNamedForWhatItIs() async throws {
        try await ConfigFolder.with { folder in
            let error = try await #require(throws: SettingsError.self) {
                try await Settings.load(file: folder, environment: ConfigFolder.environment)
            }
            #expect(error.reason == "is not a regular file (folder)")
            let socket = try SpecialFiles.bindSocket(at: folder + "/control.sock")
            defer { close(socket) }
            #expect(
                SettingFile.contents(of: folder + "/control.sock", limit: 10, streams: .allowed(seconds: 1)) == .failure(.notRegular(kind: "socket")))
            #expect(SettingFile.contents(of: folder + "/missing", limit: 10, streams: .refused) == .failure(.missing))
        }
    }

    /// `--config <(...)`: the daemon holds its end of a pipe whose writer
    /// is gone. Read again on a reload it gave nothing, and the daemon
    /// reloaded the built-in defaults (watch paths, output, state, model).
    @Test func aPipeReadAgainThatGivesNothingFailsTheReload() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let text = "log:\n  level: debug\n"
        #expect(text.utf8.withContiguousStorageIfAvailable { write(ends[1], $0.baseAddress, $0.count) } == text.utf8.count)
        close(ends[1])
        // As the shell names it: the reader's own descriptor.
        let path = "/proc/self/fd/\(ends[0])"
        let first = try await Settings.load(file: path, environment: ConfigFolder.environment)
        #expect(first.log.level == .debug)
        let started = ContinuousClock.now
        let error = try await #require(throws: SettingsError.self) {
            try await Settings.load(file: path, environment: ConfigFolder.environment, reloading: true)
        }
        #expect(error.reason == SettingFile.Problem.pipeGaveNothing(named: false).reason && error.reason.contains("give a file to reload from"))
        #expect(ContinuousClock.now - started < .seconds(Settings.configRereadSeconds), "a writer gone ends the pipe at once")
        // At start, the same empty pipe is an empty config, as `--config <(true)` means.
        let defaults = try await Settings.load(file: nil, environment: ConfigFolder.environment)
        #expect(defaults.log.level != .debug)
        #expect(try await Settings.load(file: path, environment: ConfigFolder.environment).log.level == defaults.log.level)
        // `/dev/null` gives nothing on every read: reloaded, it still means "no config file".
        #expect(try await Settings.load(file: "/dev/null", environment: ConfigFolder.environment, reloading: true).log.level == defaults.log.level)
    }

    /// A FIFO nothing writes to holds a reload for `configRereadSeconds`, not the start's ten.
    @Test func aFIFONothingWritesToFailsAReloadSooner() async throws {
        try await ConfigFolder.with { folder in
            let fifo = folder + "/chimerad.yaml"
            #expect(mkfifo(fifo, 0o600) == 0)
            let started = ContinuousClock.now
            let error = try await #require(throws: SettingsError.self) {
                try await Settings.load(file: fifo, environment: ConfigFolder.environment, reloading: true)
            }
            #expect(error.reason == SettingFile.Problem.streamDidNotEnd(seconds: Settings.configRereadSeconds, fifo: true).reason)
            #expect(ContinuousClock.now - started >= .seconds(Settings.configRereadSeconds) - .milliseconds(100))
        }
    }

    /// A FIFO whose writer serves the config at every open reloads; one
    /// closed without a config fails the reload with its own reason.
    @Test func aFIFOThatWritesTheConfigAgainReloads() async throws {
        try await ConfigFolder.with { folder in
            let fifo = folder + "/chimerad.yaml"
            #expect(mkfifo(fifo, 0o600) == 0)
            // The writer on a thread of its own (not a process, nor a task a
            // busy pool may start late): it waits in `open` for the reader.
            func serve(_ text: String) -> Thread {
                let writer = Thread {
                    let descriptor = open(fifo, O_WRONLY | O_CLOEXEC)
                    guard descriptor >= 0 else { return }
                    _ = text.utf8.withContiguousStorageIfAvailable { write(descriptor, $0.baseAddress, $0.count) }
                    close(descriptor)
                }
                writer.start()
                return writer
            }
            _ = serve("log:\n  level: debug\n")
            let reloaded = try await Settings.load(file: fifo, environment: ConfigFolder.environment, reloading: true)
            #expect(reloaded.log.level == .debug)
            _ = serve("")
            let error = try await #require(throws: SettingsError.self) {
                try await Settings.load(file: fifo, environment: ConfigFolder.environment, reloading: true)
            }
            #expect(error.reason == SettingFile.Problem.pipeGaveNothing(named: true).reason, "\(error.reason)")
        }
    }

    @Test func aRegularFileOverItsLimitIsRefused() async throws {
        try await ConfigFolder.with { folder in
            let file = folder + "/big"
            try String(repeating: "x", count: 2048).write(toFile: file, atomically: true, encoding: .utf8)
            #expect(SettingFile.contents(of: file, limit: 1024, streams: .refused) == .failure(.tooLarge))
            #expect(SettingFile.contents(of: file, limit: 4096, streams: .refused).map(\.count) == .success(2048))
        }
    }
}
