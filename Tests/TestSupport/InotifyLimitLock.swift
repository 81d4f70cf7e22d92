import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Test suites run side by side, and some briefly lower the kernel's inotify
/// limits (`fs.inotify.max_user_instances`, `max_user_watches`) to check how
/// the watcher copes. Those hold this lock exclusively for the few
/// milliseconds the limit is low; tests that start watchers of their own (a
/// `chimerad run`) hold it shared while they set up, so neither sees the
/// other's limits.
public final class InotifyLimitLock {
    private let descriptor: Int32

    public enum Mode {
        /// Lowering a limit.
        case exclusive
        /// Starting watchers under the normal limits.
        case shared
    }

    private static var path: String {
        MachineLockFolder.path(of: "chimerad-tests-inotify.lock")
    }

    private init(holding descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Waits for the lock without blocking a thread of the shared pool (other
    /// suites' tests run on it meanwhile): a daemon test may hold the lock
    /// shared for half a minute, a limit test exclusively for milliseconds.
    public static func acquire(_ mode: Mode) async -> InotifyLimitLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { return InotifyLimitLock(holding: -1) }
        while flock(descriptor, (mode == .exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return InotifyLimitLock(holding: descriptor)
    }

    /// ``acquire(_:)`` of the exclusive lock, for lowering a limit.
    public static func exclusive() async -> InotifyLimitLock {
        await acquire(.exclusive)
    }

    deinit {
        if descriptor >= 0 {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }
}
