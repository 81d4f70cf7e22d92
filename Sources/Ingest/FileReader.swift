#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto

/// Reads a file whole, within a size limit, and hashes it.
package enum FileReader {
    package enum Reading: Sendable {
        /// The bytes and their SHA-256.
        case contents([UInt8], hash: String)
        case failed(SkipReason)
        /// The file was removed after it was found (a benchmark's temporary file).
        case vanished
    }

    /// Reads `path`, which the scan found as a regular file with identity
    /// `scanned` (when given).
    package static func read(_ path: String, limit: Int64, scanned: FileIdentity? = nil) -> Reading {
        // Non-blocking: opening a FIFO otherwise waits for a writer, for good.
        // No following: the scan decided about links (a followed one is read
        // by its target's path), so a name swapped for a link since is refused.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return refusal(path, errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failed(.unreadable(errno: errno)) }
        let kind = FileKind(mode: info.st_mode)
        guard kind == .regular else { return .failed(.notRegularFile(kind)) }
        // O_NOFOLLOW guards the last name only: a folder on the path swapped
        // for a link since the scan would lead elsewhere. Another file than the
        // scan's is read only when it really sits at `path` (a benchmark that
        // replaced its file by a rename).
        if let scanned, FileIdentity(info) != scanned, openedPath(descriptor) != path {
            return .failed(.becameSymbolicLink)
        }
        // Local file systems ignore O_NONBLOCK for regular files; cleared so
        // that none (FUSE) answers a read with EAGAIN.
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        let size = Int64(info.st_size)
        if size > limit {
            return .failed(.tooLarge(size: size, limit: limit))
        }
        // The file may grow while we read (a benchmark still writing): read what
        // is there up to the limit, never past it.
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(descriptor, base + total, buffer.count - total)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failed(.unreadable(errno: errno))
            }
            if count == 0 { break }
            total += count
        }
        if total < bytes.count { bytes.removeSubrange(total...) }
        return .contents(bytes, hash: hash(bytes))
    }

    /// Why `path` could not be opened, `code` being the `errno` of `open`.
    private static func refusal(_ path: String, _ code: Int32) -> Reading {
        if code == ENOENT { return .vanished }
        // ELOOP: a link where O_NOFOLLOW allows none. ENXIO: a socket. Either
        // way, what is there now says it best.
        var info = stat()
        if code == ELOOP || code == ENXIO, lstat(path, &info) == 0 {
            let kind = FileKind(mode: info.st_mode)
            if kind == .symbolicLink { return .failed(.becameSymbolicLink) }
            if kind != .regular { return .failed(.notRegularFile(kind)) }
        }
        return .failed(.unreadable(errno: code))
    }

    /// Where an open file really is (`nil` when /proc does not say).
    private static func openedPath(_ descriptor: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
        #else
        Darwin.read(descriptor, buffer, count)
        #endif
    }

    /// Whether `bytes` begin with the content `hash` and `size` describe (a
    /// results file appended to, as against one rewritten with other content).
    package static func begins(_ bytes: [UInt8], withContentOf size: Int64, hash: String) -> Bool {
        guard size >= 0, size <= Int64(bytes.count) else { return false }
        return Self.hash(bytes[..<Int(size)]) == hash
    }

    package static func hash(_ bytes: [UInt8]) -> String {
        hash(bytes[...])
    }

    package static func hash(_ bytes: ArraySlice<UInt8>) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    package static func megabytes(_ bytes: Int64) -> String {
        if bytes < 1_048_576 { return bytes < 1024 ? "\(bytes) bytes" : "\(bytes / 1024) KiB" }
        let value = Double(bytes) / 1_048_576
        return value >= 10 ? "\(Int64(value.rounded())) MiB" : "\((value * 10).rounded(.down) / 10) MiB"
    }
}
