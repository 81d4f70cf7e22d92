#if canImport(Glibc)
import Glibc
#endif

/// A detached POSIX thread for blocking work (a disk sync, a spawn under
/// another scheduling class), started only when the system creates it.
/// Foundation's `Thread.start()` does not say when `pthread_create` fails
/// (a pids limit such as systemd's `TasksMax=`, or memory), and a caller
/// waiting for a thread that never ran waited for good; here the caller is
/// told, and does the work itself or gives up.
///
///     let work: @Sendable () -> Void = { sync() }
///     if DetachedThread.start(name: "store checkpoint", work) != 0 { work() }
///
/// The body is `sending`: whatever it captures is handed over whole (the
/// inotify reader's state), so the thread may be its only owner without a lock.
package enum DetachedThread {
    private final class Body {
        let name: String
        let run: () -> Void

        init(name: String, _ run: @escaping () -> Void) {
            self.name = name
            self.run = run
        }
    }

    /// Runs `body` on a new thread named `name` (its first 15 bytes, as
    /// `top -H` shows it), with `stackSize` bytes of stack when given.
    /// Returns 0, or `pthread_create`'s error when no thread could be
    /// created; `body` then never runs.
    @discardableResult
    package static func start(name: String, stackSize: Int? = nil, _ body: sending @escaping () -> Void) -> Int32 {
        var attributes = pthread_attr_t()
        let initialised = pthread_attr_init(&attributes)
        guard initialised == 0 else { return initialised }
        defer { pthread_attr_destroy(&attributes) }
        if let stackSize { _ = pthread_attr_setstacksize(&attributes, max(stackSize, Int(PTHREAD_STACK_MIN))) }
        let context = Unmanaged.passRetained(Body(name: name, body)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, &attributes,
            { context in
                guard let context else { return nil }
                let body = Unmanaged<Body>.fromOpaque(context).takeRetainedValue()
                DetachedThread.nameCurrentThread(body.name)
                body.run()
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return created
        }
        pthread_detach(thread)
        return 0
    }

    /// Names the calling thread, best effort (`pthread_setname_np` is not in
    /// Glibc's Swift module; the kernel reads the same name from this file).
    private static func nameCurrentThread(_ name: String) {
        let file = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard file >= 0 else { return }
        defer { _ = close(file) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
    }
}
