import Glibc

/// A connected socket pair that `Watcher.stop()` writes to so the reader
/// thread's `poll()` returns at once. (An eventfd would do with one
/// descriptor, but Glibc's Swift module does not export `eventfd`, and
/// `socketpair` is the one call that makes both ends close-on-exec and
/// non-blocking atomically, which matters in a daemon that spawns processes.)
///
/// Shared by the watcher and its reader thread; the descriptors are closed
/// when the last of them lets go, so a late `signal()` never writes to a
/// number the process has since reused for something else.
final class Wakeup: Sendable {
    /// The end the reader polls.
    let descriptor: Int32
    private let signalling: Int32

    init() throws(SystemCallError) {
        var ends: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        guard socketpair(AF_UNIX, type, 0, &ends) == 0 else { throw SystemCallError(call: "socketpair", code: errno) }
        descriptor = ends[0]
        signalling = ends[1]
    }

    deinit {
        _ = close(descriptor)
        _ = close(signalling)
    }

    func signal() {
        var byte: UInt8 = 1
        // EAGAIN means the buffer is full of earlier signals: the reader wakes anyway.
        _ = send(signalling, &byte, 1, Int32(MSG_NOSIGNAL))
    }
}
