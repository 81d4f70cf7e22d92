import Glibc

/// The process's mount table (`/proc/self/mountinfo`), polled for changes.
///
/// inotify raises nothing when a file system is mounted over a watched
/// folder (its watch stays on the folder underneath), nor when a bind mount
/// over one goes: the mount table does. `poll(2)` reports `POLLPRI` on this
/// descriptor once per change (proc(5)), and the loop then checks which
/// watched folders are not the ones it watches any more.
///
///     let mounts = MountTable.open()
///     var entry = pollfd(fd: mounts?.descriptor ?? -1, events: Int16(POLLPRI), revents: 0)
struct MountTable {
    let descriptor: Int32

    /// Nil where the file cannot be opened (no /proc): mounts are then
    /// noticed at the next reconcile only.
    static func open() -> MountTable? {
        let descriptor = Glibc.open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)
        return descriptor >= 0 ? MountTable(descriptor: descriptor) : nil
    }

    /// Whether `revents` of a poll on `descriptor` say the table changed.
    static func changed(_ revents: Int16) -> Bool {
        revents & Int16(POLLPRI | POLLERR) != 0
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}
