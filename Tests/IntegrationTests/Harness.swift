import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `chimerad` binary the way a user would, with files for its
/// output (a pipe could fill up and stall a large report).
struct Chimerad {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Killed for running past the `timeout` it was given.
        var timedOut = false
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `$CHIMERAD_BIN`, else the binary built beside this test bundle.
    static let binary: String? = {
        if let path = ProcessInfo.processInfo.environment["CHIMERAD_BIN"] { return path }
        let candidates =
            CommandLine.arguments.prefix(1).map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
            + [repository.appendingPathComponent(".build/debug")]
        return candidates.map { $0.appendingPathComponent("chimerad").path }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    static var sharedCorpus: URL { repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/chimeraforge") }
    static var hasSharedCorpus: Bool { FileManager.default.fileExists(atPath: sharedCorpus.path) }

    /// Suspends (never blocks) until the binary exits, or is killed after
    /// `timeout` if one is given. `user`: run as that user (`runuser`, root only).
    static func run(
        _ arguments: [String], environment: [String: String] = [:], timeout: Duration? = nil, as user: String? = nil
    ) async throws -> Result {
        let binary = try #require(binary, "chimerad binary not found; build it first (swift build) or set CHIMERAD_BIN")
        let folder = try temporaryFolder("io")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--", binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env["CHIMERAD_CONFIG"] = try neutralConfig()  // never pick up a host's /etc/chimerad config
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = folder + "/stdout"
        let err = folder + "/stderr"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        var timedOut = false
        if let timeout {
            try process.run()
            if try await !process.exited(within: timeout) {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                try await process.waitForExit()
            }
        } else {
            try await process.runUntilExit()
        }
        return Result(
            status: process.terminationStatus, stdout: try String(contentsOfFile: out, encoding: .utf8),
            stderr: try String(contentsOfFile: err, encoding: .utf8), timedOut: timedOut)
    }

    /// A config file that sets nothing beyond the defaults but the model: off,
    /// unless a test asks for one with `--model` (the default `auto` would start
    /// the repository's llama-server for every report).
    static func neutralConfig() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-neutral.yaml").path
        let text = "log:\n  level: info\nmodel:\n  backend: none\n"
        if (try? String(contentsOfFile: path, encoding: .utf8)) != text {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        return path
    }

    static func temporaryFolder(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Runs a helper program (python3, cp) and returns its exit status and
    /// output (stdout and stderr together). Output goes to a file, not a pipe,
    /// so nothing has to be read while the program runs, and the wait suspends.
    @discardableResult
    static func shell(_ arguments: [String]) async throws -> (Int32, String) {
        let folder = try temporaryFolder("shell")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/output"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try await process.runUntilExit()
        try handle.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: URL(fileURLWithPath: output)), as: UTF8.self))
    }
}

extension Dictionary where Key == String, Value == Any {
    func object(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
    func list(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
    func strings(_ key: String) -> [String] { self[key] as? [String] ?? [] }
    func int(_ key: String) -> Int? { self[key] as? Int }
}
