import Foundation
import GRDB

extension Store {
    /// The WAL size from which a checkpoint beside the report pays: 4 MiB,
    /// a few hundred files' digests.
    package static let besideTheReportThreshold: Int64 = 4 << 20

    /// Copies the WAL into the store on a thread of its own, and returns
    /// when it is done.
    ///
    /// After a pass that wrote much (a cold report writes the whole store
    /// into the WAL), the copy and its two disk syncs would otherwise come
    /// when the store closes, after the report: a fifth of a cold report's
    /// time on one core. Started when the pass ends, they overlap the report
    /// stage. Passive: it never waits for the report's readers, and the
    /// report's own writes wait for it. A failure is left to the close (which
    /// checkpoints again), so it is not reported.
    /// Below `besideTheReportThreshold` bytes of WAL (a pass that read a
    /// few files) it does nothing: the close copies so little that a
    /// thread of its own, and its two syncs on top of the close's, cost
    /// more than they save.
    package func checkpointBesideTheReport() async {
        var info = stat()
        guard stat(path + "-wal", &info) == 0, Int64(info.st_size) >= Store.besideTheReportThreshold else { return }
        let pool = self.pool
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
                done.resume()
            }
            thread.name = "store checkpoint"
            thread.start()
        }
    }
}

extension Store {
    /// The WAL size up to which the WAL is left as it is when the store
    /// closes: 4 MiB, about fifteen one-changed-file reports over 2,000 files.
    package static let logKeptAtClose: Int64 = 4 << 20

    /// What closing does with the WAL: a large one is copied into the store
    /// and cut to nothing (the state folder stays the size of the store); a
    /// small one is left for the next opening.
    ///
    /// SQLite's own close copies any WAL into the store, syncing the disk
    /// twice, and deletes it; GRDB's next opening then commits a write to
    /// make one again, syncing twice more: a tenth of a one-changed-file
    /// report went on those four syncs. Each connection is told not to
    /// checkpoint at close (`chimerad_sqlite_no_checkpoint_on_close`), and
    /// this decides instead. Nothing is lost either way: what the WAL holds
    /// is committed, and the next opening reads it.
    func closeLog() {
        guard !pool.configuration.readonly else { return }
        var info = stat()
        guard stat(path + "-wal", &info) == 0, Int64(info.st_size) > Store.logKeptAtClose else { return }
        // Waits (within the busy timeout) for another process's readers; one
        // that outlasts it leaves the WAL for the next close.
        _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }
}
