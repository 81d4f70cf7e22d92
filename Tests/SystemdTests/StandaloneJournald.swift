import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real systemd-journald for the journal tests, read back with `journalctl`.
///
/// When one already listens on `/run/systemd/journal/socket` it is used and
/// left alone. Otherwise (root only) one is started for the suite, in a mount
/// namespace of its own with tmpfs over `/run/log` and `/var/log/journal`: its
/// socket appears on the host where `sd_journal_sendv` looks for it, but its
/// journal files live and die in memory, so the host's journal folders stay
/// as they were. Reads then go through `nsenter` into that namespace.
enum Journald {
    static let socketPath = "/run/systemd/journal/socket"
    static let daemon = "/lib/systemd/systemd-journald"

    /// Whether a journal can be had: one listens, or this process may start one.
    static let canProvide: Bool =
        isListening()
        || (getuid() == 0 && ["/usr/bin/unshare", "/usr/bin/nsenter", daemon].allSatisfy(FileManager.default.isExecutableFile(atPath:)))

    /// Set for the tests of a suite marked `.standaloneJournald`.
    @TaskLocal static var current: JournalReader?

    static func isListening() -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(socketPath.utf8)) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }
}

/// Reads entries back with `journalctl -o json`, inside the mount namespace of
/// the journald started for the tests when there is one.
struct JournalReader: Sendable {
    /// A journald started here, whose journal files only its namespace sees.
    var namespaceOf: pid_t?

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Entries matching every `FIELD=value` in `matches`, polled until at least
    /// `count` are there (journald stores a datagram a moment after it is sent)
    /// or `seconds` have passed; whatever is there then is returned.
    func entries(_ matches: [String], atLeast count: Int = 1, within seconds: Double = 5) async throws -> [JournalRecord] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let found = try await read(matches)
            if found.count >= count || Date() > deadline { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// One `journalctl` run; its output goes to files, not pipes, so the wait
    /// for it suspends instead of blocking a thread of the cooperative pool.
    func read(_ matches: [String]) async throws -> [JournalRecord] {
        let journalctl = ["journalctl", "--no-pager", "-o", "json"] + matches
        let arguments = namespaceOf.map { ["nsenter", "-t", String($0), "-m", "--"] + journalctl } ?? journalctl
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-journalctl-\(UUID().uuidString)").path
        defer { for suffix in [".out", ".err"] { try? FileManager.default.removeItem(atPath: stem + suffix) } }
        for suffix in [".out", ".err"] { _ = FileManager.default.createFile(atPath: stem + suffix, contents: nil) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: stem + ".out"))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: stem + ".err"))
        defer {
            try? output.close()
            try? errors.close()
        }
        process.standardOutput = output
        process.standardError = errors
        try await process.runUntilExit()
        let data = try Data(contentsOf: URL(fileURLWithPath: stem + ".out"))
        let message = try Data(contentsOf: URL(fileURLWithPath: stem + ".err"))
        // journalctl exits 1 with "-- No entries --" on some versions when nothing matches.
        guard process.terminationStatus == 0 || data.isEmpty else {
            throw Failure(description: "journalctl \(matches): \(String(decoding: message, as: UTF8.self))")
        }
        return try data.split(separator: UInt8(ascii: "\n")).map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw Failure(description: "journalctl printed a line that is not a JSON object")
            }
            return JournalRecord(object)
        }
    }
}

/// One journal entry as `journalctl -o json` prints it: each field a string,
/// an array of byte values (a value journalctl does not print as text), or an
/// array of those (a field set more than once). Here every field is a list of strings.
struct JournalRecord: Sendable {
    var fields: [String: [String]]

    init(_ object: [String: Any]) {
        fields = object.mapValues { value in
            if let array = value as? [Any], !(array.first is NSNumber) {
                return array.map(JournalRecord.text)
            }
            return [JournalRecord.text(value)]
        }
    }

    private static func text(_ value: Any) -> String {
        if let string = value as? String { return string }
        if let bytes = value as? [NSNumber] { return String(decoding: bytes.map(\.uint8Value), as: UTF8.self) }
        return "\(value)"
    }

    subscript(_ field: String) -> String? { fields[field]?.first }
}

/// Starts or reuses a journald for one suite and stops what it started.
struct StandaloneJournaldTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let lock = try await TestLock.acquire("chimerad-journald-tests")
        defer { lock.release() }
        if Journald.isListening() {
            try await Journald.$current.withValue(JournalReader(namespaceOf: nil)) { try await function() }
            return
        }
        let server = try await StartedJournald.start()
        do {
            try await Journald.$current.withValue(JournalReader(namespaceOf: server.pid)) { try await function() }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

extension Trait where Self == StandaloneJournaldTrait {
    /// A journald for the suite's tests (``Journald/current``): the running one, or one started for it.
    static var standaloneJournald: Self { Self() }
}

/// A journald this test process started, and what it created on the host.
private final class StartedJournald {
    private let process: Process
    private let createdFolder: String?

    var pid: pid_t { process.processIdentifier }

    private init(process: Process, createdFolder: String?) {
        self.process = process
        self.createdFolder = createdFolder
    }

    static func start() async throws -> StartedJournald {
        // The socket folder is the only thing left on the host; remember which
        // level of it was missing so that stop() removes exactly that.
        let createdFolder = ["/run/systemd", "/run/systemd/journal"].first { !FileManager.default.fileExists(atPath: $0) }
        let script = """
            set -e
            mkdir -p /run/systemd/journal /run/log
            mount -t tmpfs -o mode=0755 chimerad-test-journal /run/log
            if [ -d /var/log/journal ]; then mount -t tmpfs -o mode=2755 chimerad-test-journal /var/log/journal; fi
            exec \(Journald.daemon)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", script]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = StartedJournald(process: process, createdFolder: createdFolder)
        for _ in 0..<100 where !Journald.isListening() && process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        guard Journald.isListening() else {
            await server.stop()
            throw JournalReader.Failure(description: "systemd-journald did not start listening on \(Journald.socketPath) within 5 s")
        }
        return server
    }

    /// SIGTERM, SIGKILL after 5 s; waits suspended, not blocking a pool thread.
    func stop() async {
        if process.isRunning {
            process.terminate()
            if !((try? await process.exited(within: .seconds(5))) ?? false), process.isRunning {
                kill(process.processIdentifier, SIGKILL)
            }
            try? await process.waitForExit()
        }
        if let createdFolder {
            try? FileManager.default.removeItem(atPath: createdFolder)
        } else {
            // One was started because nothing listened here, so these are its
            // sockets: left behind, they look like a journald to whoever runs
            // next (a `--log-target journal` test among them).
            for name in ["socket", "stdout", "dev-log", "io.systemd.journal"] {
                unlink("/run/systemd/journal/" + name)
            }
        }
    }
}

/// An exclusive lock between test processes (several checkouts may run their
/// tests at once on one machine) on a file in the machine's lock folder.
struct TestLock: Sendable {
    private let descriptor: Int32

    static func acquire(_ name: String, within seconds: Int = 300) async throws -> TestLock {
        let path = MachineLockFolder.path(of: name + ".lock")
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw JournalReader.Failure(description: "cannot open \(path): errno \(errno)") }
        for _ in 0..<(seconds * 10) {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return TestLock(descriptor: descriptor) }
            try await Task.sleep(for: .milliseconds(100))
        }
        close(descriptor)
        throw JournalReader.Failure(description: "\(path) stayed locked for \(seconds) s")
    }

    func release() {
        close(descriptor)
    }
}
