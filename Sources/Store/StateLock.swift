#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a state folder, held while a report is made: two
/// chimerad processes sharing one store take turns instead of interleaving
/// their passes. Released when the process exits, however it exits.
public final class StateLock: Sendable {
    public static let fileName = "chimerad.lock"

    private let descriptor: Int32

    /// Takes the lock, calling `waiting` first if another process holds it.
    public init(directory: String, waiting: () -> Void = {}) throws(Store.Failure) {
        let path = directory + "/" + StateLock.fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Store.Failure(path: path, reason: "cannot create the lock file (\(String(cString: strerror(errno))))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let reason = String(cString: strerror(errno))
                    close(descriptor)
                    throw Store.Failure(path: path, reason: "cannot lock (\(reason))")
                }
            }
        }
        self.descriptor = descriptor
    }

    /// Takes the lock if nobody holds it; `nil` when another process does.
    /// For a caller that must keep doing other things while it waits (the
    /// daemon feeds the systemd watchdog).
    public static func attempt(directory: String) throws(Store.Failure) -> StateLock? {
        let path = directory + "/" + StateLock.fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Store.Failure(path: path, reason: "cannot create the lock file (\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return StateLock(holding: descriptor)
    }

    private init(holding descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
