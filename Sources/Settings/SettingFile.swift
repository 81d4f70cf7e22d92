#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file a setting names, read whole without ever waiting for good.
///
/// It is opened non-blocking (opening a FIFO nobody writes to would wait
/// forever) and judged by the descriptor, not by a `stat` of its path taken
/// before: what was checked is what is read. A regular file is read to its
/// end; a stream (a pipe such as `--config <(...)`, `/dev/null`, `/dev/zero`,
/// a terminal), where the reader allows one, is read as it comes, for at most
/// `streamWait`; more than `limit` bytes is refused either way.
///
///     switch SettingFile.contents(of: "/etc/chimerad/chimerad.yaml", limit: 1 << 20, streams: .allowed(seconds: 10)) {
///     case .success(let bytes): ...
///     case .failure(let problem): print(problem.reason)  // "is not a regular file (FIFO)"
///     }
enum SettingFile {
    /// Whether a stream may stand for the file, and how long its writer gets.
    enum Streams {
        case refused
        case allowed(seconds: Int)
        /// Read again (a reload): a pipe that gives nothing is refused, not
        /// read as an empty file. `--config <(...)` names the daemon's end
        /// of a pipe its writer has long closed, and read again it gave
        /// nothing, which reloaded the built-in defaults (other watch paths,
        /// output and state folders).
        case reread(seconds: Int)
    }

    /// Why the file cannot be used.
    enum Problem: Error, Equatable {
        case missing
        case notReadable
        case notRegular(kind: String)
        case tooLarge
        case readFailed(errno: Int32)
        /// A stream that did not end within the time it was given.
        case streamDidNotEnd(seconds: Int, fifo: Bool)
        /// A pipe read again that gave nothing (`Streams.reread`): a shell's
        /// `<(...)`, or a FIFO with a name (`named`).
        case pipeGaveNothing(named: Bool)

        /// As a config error says it, after the file's name.
        var reason: String {
            switch self {
            case .missing: "does not exist"
            case .notReadable: "is not readable (permission denied)"
            case .notRegular(let kind): "is not a regular file (\(kind))"
            case .tooLarge: "is too large"
            case .readFailed(let code): "cannot be read (\(String(cString: strerror(code))))"
            case .streamDidNotEnd(let seconds, let fifo):
                fifo
                    ? "is a FIFO that did not end within \(seconds) s (does anything write to it?)"
                    : "is a device that did not end within \(seconds) s"
            case .pipeGaveNothing(let named):
                named
                    ? "is a FIFO that gave nothing this time (its writer closed it without writing a config)"
                    : "is a pipe that gave nothing this time (a pipe such as --config <(...) is read once, at start: give a file to reload from)"
            }
        }
    }

    static func contents(of path: String, limit: Int, streams: Streams) -> Result<[UInt8], Problem> {
        if case .refused = streams {
            // Not even opened unless it is a regular file: opening a device
            // can act (a tape rewinds). The descriptor is checked again below.
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG { return .failure(.notRegular(kind: describe(info.st_mode & S_IFMT))) }
        }
        // O_NOCTTY: a terminal named here never becomes the daemon's
        // controlling terminal (whose hangup would be a SIGHUP, a reload).
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: return .failure(.missing)
            case EACCES, EPERM: return .failure(.notReadable)
            case ENXIO:
                // A socket cannot be opened at all; a device that is not there neither.
                let code = errno
                var info = stat()
                guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return .failure(.readFailed(errno: code)) }
                return .failure(.notRegular(kind: "socket"))
            default: return .failure(.readFailed(errno: errno))
            }
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.readFailed(errno: errno)) }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFREG { return readAll(descriptor, limit: limit, stream: nil) }
        let seconds: Int
        switch streams {
        case .refused: return .failure(.notRegular(kind: describe(kind)))
        case .allowed(let allowed), .reread(let allowed): seconds = allowed
        }
        guard kind == S_IFIFO || kind == S_IFCHR else { return .failure(.notRegular(kind: describe(kind))) }
        let read = readAll(descriptor, limit: limit, stream: (isFIFO: kind == S_IFIFO, seconds: seconds))
        // `/dev/null` gives nothing every time: that is what it was given for.
        guard case .reread = streams, kind == S_IFIFO, case .success(let bytes) = read, bytes.isEmpty else {
            return read
        }
        // A shell's `<(...)` is `/dev/fd/N`, which leads to no path (`pipe:[...]`); a FIFO made with mkfifo has one.
        let resolved = realpath(path, nil)
        defer { free(resolved) }
        return .failure(.pipeGaveNothing(named: resolved != nil))
    }

    /// Reads to the end, at most `limit` bytes. A regular file (`stream`
    /// nil) never waits. A stream is waited for with `poll` (the descriptor
    /// stays non-blocking) until its writer closes it, within `seconds` in
    /// all; a FIFO no writer has opened yet reads as ended at once, so it has
    /// ended only once it gave data or `poll` saw it ready (data, or a writer gone).
    private static func readAll(_ descriptor: Int32, limit: Int, stream: (isFIFO: Bool, seconds: Int)?) -> Result<[UInt8], Problem> {
        let end = stream.map { monotonicMilliseconds() + Int64($0.seconds) * 1000 }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var ready = false
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += chunk[..<count]
                continue
            }
            if count == 0 && (stream?.isFIFO != true || ready || !bytes.isEmpty) { return .success(bytes) }
            if count < 0 && errno == EINTR { continue }
            guard let stream, let end, count == 0 || errno == EAGAIN else { return .failure(.readFailed(errno: errno)) }
            let left = end - monotonicMilliseconds()
            guard left > 0 else { return .failure(.streamDidNotEnd(seconds: stream.seconds, fifo: stream.isFIFO)) }
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            ready = poll(&waiting, 1, Int32(min(left, 1000))) > 0 && waiting.revents != 0
        }
        return .failure(.tooLarge)
    }

    private static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    private static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: "folder"
        case S_IFIFO: "FIFO"
        case S_IFSOCK: "socket"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        case S_IFLNK: "symbolic link"
        default: "unknown kind"
        }
    }
}
