import Glibc
import Records

/// A detached POSIX thread for the blocking inotify reader, so `poll()` never
/// holds one of Swift concurrency's few cooperative threads.
///
/// The body is `sending`: the compiler checks that whatever it captures (the
/// reader's state) is handed over whole and not touched again by the caller,
/// which is what makes the thread the only owner of that state without a lock.
enum ReaderThread {
    static func spawn(name: String, _ body: sending @escaping () -> Void) throws(SystemCallError) {
        let created = DetachedThread.start(name: name, body)
        guard created == 0 else { throw SystemCallError(call: "pthread_create", code: created) }
    }
}
