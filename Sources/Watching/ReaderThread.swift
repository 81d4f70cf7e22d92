import Glibc

/// A detached POSIX thread for the blocking inotify reader, so `poll()` never
/// holds one of Swift concurrency's few cooperative threads.
///
/// The body is `sending`: the compiler checks that whatever it captures (the
/// reader's state) is handed over whole and not touched again by the caller,
/// which is what makes the thread the only owner of that state without a lock.
enum ReaderThread {
    private final class Body {
        let name: String
        let run: () -> Void
        init(name: String, _ run: @escaping () -> Void) {
            self.name = name
            self.run = run
        }
    }

    static func spawn(name: String, _ body: sending @escaping () -> Void) throws(SystemCallError) {
        let context = Unmanaged.passRetained(Body(name: name, body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                let body = Unmanaged<Body>.fromOpaque(context).takeRetainedValue()
                ReaderThread.nameCurrentThread(body.name)
                body.run()
                return nil
            }, context)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw SystemCallError(call: "pthread_create", code: result)
        }
        pthread_detach(thread)
    }

    /// Names the calling thread for `top -H`, `ps -L` and gdb, best effort.
    /// (`pthread_setname_np` is not in Glibc's Swift module; the kernel reads
    /// the same name from this file. It keeps the first 15 bytes.)
    private static func nameCurrentThread(_ name: String) {
        let file = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard file >= 0 else { return }
        defer { _ = close(file) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
    }
}
