import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `llama-server.pid` in the managed server's log folder: the pid of the
/// llama-server a chimerad runs, so that the next start can stop one that a
/// crashed or killed chimerad left behind.
struct LlamaServerPidFile: Sendable {
    let path: String

    static let fileName = "llama-server.pid"

    init(directory: String) {
        path = (directory as NSString).appendingPathComponent(LlamaServerPidFile.fileName)
    }

    /// Written to a temporary name and renamed, so a reader never sees half a number.
    func write(_ pid: pid_t) {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data("\(pid)\n".utf8)) else { return }
        rename(temporary, path)
    }

    func read() -> pid_t? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = pid_t(text), pid > 1 else { return nil }
        return pid
    }

    func remove() {
        unlink(path)
    }

    /// The program `pid` runs (`/proc/PID/exe`, without the ` (deleted)` of a
    /// replaced binary); nil when it is gone, a zombie, or not readable.
    static func executable(of pid: pid_t) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/\(pid)/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let path = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path.hasSuffix(" (deleted)") ? String(path.dropLast(" (deleted)".count)) : path
    }

    /// Whether `pid` is a live process (a zombie is not).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return false }
        // "PID (comm) STATE ...": the state follows the last ')'.
        let text = String(decoding: stat, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return true }
        let state = text[text.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }
}
