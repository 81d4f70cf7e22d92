import Foundation
#if canImport(Glibc)
import Glibc
import ModelInterface
#endif

/// Where one run of llama-server writes its stdout and stderr, kept open so
/// the end of this run's output can quote why it failed.
///
/// With a log folder: `llama-server.log` there, appended to (moved to
/// `llama-server.log.1` once it passes 8 MiB). Without: an unnamed file in the
/// temporary folder, gone when the run's log is dropped.
final class LlamaServerLog: Sendable {
    /// The descriptor the child's stdout and stderr are duplicated from.
    let descriptor: Int32
    /// Where this run's output starts in the file.
    private let start: off_t
    /// The file's path; nil for the unnamed one.
    let path: String?

    static let fileName = "llama-server.log"
    static let rotateAt: off_t = 8 << 20

    struct OpenFailure: Error, CustomStringConvertible {
        var path: String
        var code: Int32
        var description: String { "cannot open \(path): \(String(cString: strerror(code)))" }
    }

    init(directory: String?) throws(OpenFailure) {
        if let directory {
            let path = (directory as NSString).appendingPathComponent(LlamaServerLog.fileName)
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var info = stat()
            if stat(path, &info) == 0, info.st_size > LlamaServerLog.rotateAt {
                rename(path, path + ".1")
            }
            // Never through a link planted at its name, nor blocking on a FIFO there.
            let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o640)
            guard descriptor >= 0 else { throw OpenFailure(path: path, code: errno) }
            self.descriptor = descriptor
            self.path = path
            start = lseek(descriptor, 0, SEEK_END)
        } else {
            let folder = FileManager.default.temporaryDirectory.path
            var template = Array("\(folder)/chimerad-llama-server-XXXXXX".utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else { throw OpenFailure(path: folder, code: errno) }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, O_APPEND)
            self.descriptor = descriptor
            path = nil
            start = 0
        }
    }

    deinit {
        close(descriptor)
    }

    /// This run's last lines (at most its last 16 KiB), as written.
    func rawLines() -> [String] {
        let end = lseek(descriptor, 0, SEEK_END)
        guard end > start else { return [] }
        let from = max(start, end - (16 << 10))
        var bytes = [UInt8](repeating: 0, count: Int(end - from))
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, from) }
        guard count > 0 else { return [] }
        var lines = String(decoding: bytes.prefix(count), as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        // A cut-off first line is dropped.
        if from > start, !lines.isEmpty { lines.removeFirst() }
        return lines
    }

    /// This run's last lines without llama.cpp's time and level prefix, blank ones dropped.
    func lines() -> [String] {
        rawLines().map(LlamaServerLog.withoutPrefix).filter { !$0.isEmpty }
    }

    /// `0.00.006.595 E srv  llama_server: exiting ...` → `srv llama_server: exiting ...`.
    static func withoutPrefix(_ line: String) -> String {
        var words = line.split(separator: " ", omittingEmptySubsequences: true)
        if let first = words.first, first.contains("."), first.allSatisfy({ $0.isNumber || $0 == "." }) {
            words.removeFirst()
            if let level = words.first, level.count == 1, "EWIDT".contains(level) { words.removeFirst() }
        }
        return words.joined(separator: " ")
    }

    /// Why the run ended, in one line: its last line, and the first error line
    /// before it when there is one (llama.cpp's last line says "exiting due to
    /// model loading error"; the first error says which).
    func summary() -> String {
        let raw = rawLines()
        let lines = raw.map(LlamaServerLog.withoutPrefix).filter { !$0.isEmpty }
        guard let last = lines.last else { return "(no output)" }
        let firstError = raw.first { LlamaServerLog.isError($0) }.map(LlamaServerLog.withoutPrefix)
        if let firstError, firstError != last {
            return ModelCallError.oneLine("\(last) (first error: \(firstError))", limit: 300)
        }
        return ModelCallError.oneLine(last, limit: 300)
    }

    /// llama.cpp's error lines: `0.00.006.198 E gguf_init_from_reader: ...`.
    static func isError(_ line: String) -> Bool {
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        return words.count >= 2 && words[1] == "E"
    }

    /// Whether the run failed to listen on its port (taken meanwhile by someone else).
    var couldNotBind: Bool {
        rawLines().contains { $0.contains("couldn't bind") || $0.contains("Address already in use") }
    }
}
