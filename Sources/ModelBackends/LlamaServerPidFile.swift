import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `llama-server-<chimerad's pid>.pid` in the managed server's log folder:
/// the pid of the llama-server one chimerad process runs, so that a later
/// start can stop the one a crashed or killed chimerad left behind. One file
/// per chimerad: a daemon and a one-shot `chimerad report` may share a state
/// folder, each with its own server.
struct LlamaServerPidFile: Sendable {
    let directory: String
    /// The chimerad process that started the server (the server's parent while it lives).
    let owner: pid_t

    static let prefix = "llama-server-"
    static let suffix = ".pid"

    init(directory: String, owner: pid_t = getpid()) {
        self.directory = directory
        self.owner = owner
    }

    var path: String {
        (directory as NSString).appendingPathComponent("\(Self.prefix)\(owner)\(Self.suffix)")
    }

    /// Written to a temporary name and renamed, so a reader never sees half a number.
    /// The temporary is created anew (`O_EXCL|O_NOFOLLOW`): a link planted at
    /// its name in the state folder is refused, never written through.
    func write(_ pid: pid_t) {
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        let bytes = Array("\(pid)\n".utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else {
            unlink(temporary)
            return
        }
        rename(temporary, path)
    }

    /// Reads at most a pid's few bytes, without following a link or waiting
    /// on a FIFO planted at the name: only a regular file holds a pid.
    func read() -> pid_t? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= 32 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = pid_t(text), pid > 1 else { return nil }
        return pid
    }

    func remove() {
        unlink(path)
    }

    /// The pid files other chimerad processes wrote into `directory`.
    static func others(in directory: String, than owner: pid_t) -> [LlamaServerPidFile] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix(prefix), name.hasSuffix(suffix),
                let pid = pid_t(name.dropFirst(prefix.count).dropLast(suffix.count)), pid != owner
            else { return nil }
            return LlamaServerPidFile(directory: directory, owner: pid)
        }
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

    /// `pid`'s state letter and parent, from `/proc/PID/stat` ("PID (comm) STATE PPID ...").
    static func status(of pid: pid_t) -> (state: Character, parent: pid_t)? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count >= 2, let state = fields[0].first, let parent = pid_t(fields[1]) else { return nil }
        return (state, parent)
    }

    /// Whether `pid` is a live process (a zombie is not).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM, let status = status(of: pid) else { return false }
        return status.state != "Z" && status.state != "X"
    }
}
