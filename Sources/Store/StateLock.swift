#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a state folder, held while a report is made: two
/// chimerad processes sharing one store take turns instead of interleaving
/// their passes. Released when the process exits, however it exits.
package final class StateLock: Sendable {
    package static let fileName = "chimerad.lock"
    /// Held by `chimerad run` as long as it runs: a second daemon on the same
    /// state folder would report every change twice (and post its webhooks
    /// twice), so it is refused; one-shot commands take turns as before.
    package static let daemonFileName = "chimerad.daemon.lock"

    private let descriptor: Int32

    /// Takes the lock, waiting while another process holds it: `waiting` is
    /// called once when the wait starts, `whileWaiting` every 100 ms of it (the
    /// daemon feeds the systemd watchdog), and the wait ends with
    /// `CancellationError` when `shouldStop` says so (SIGTERM).
    package static func acquire(
        directory: String, waiting: () -> Void = {}, whileWaiting: () -> Void = {}, shouldStop: () -> Bool = { false }
    ) async throws -> StateLock {
        if let lock = try attempt(directory: directory) { return lock }
        waiting()
        while true {
            if shouldStop() { throw CancellationError() }
            whileWaiting()
            try? await Task.sleep(for: .milliseconds(100))
            if let lock = try attempt(directory: directory) { return lock }
        }
    }

    /// Takes the lock if nobody holds it; `nil` when another process does.
    /// For a caller that must keep doing other things while it waits (the
    /// daemon feeds the systemd watchdog).
    package static func attempt(directory: String, name: String = StateLock.fileName) throws(Store.Failure) -> StateLock? {
        let path = directory + "/" + name
        let descriptor = try StateLock.openLockFile(path)
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return StateLock(holding: descriptor)
    }

    /// Opens (creating) the lock file, never through a link planted at its name.
    private static func openLockFile(_ path: String) throws(Store.Failure) -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            try Store.refuseUnlessRegularOrAbsent(path)
            let kind = Store.kind(errno: code)
            throw Store.Failure(
                path: path, kind: kind == .other ? .cannotLock : kind,
                reason: "cannot create the lock file (\(String(cString: strerror(code))))")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw Store.Failure(path: path, kind: .notARegularFile, reason: "is not a regular file (remove it)")
        }
        return descriptor
    }

    private init(holding descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
