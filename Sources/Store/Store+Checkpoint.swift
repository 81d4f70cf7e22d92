import Foundation
import GRDB
import Records

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
            let copy: @Sendable () -> Void = {
                _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
                done.resume()
            }
            // Without a thread of its own (a pids limit), the copy is made here.
            if DetachedThread.start(name: "store checkpoint", copy) != 0 { copy() }
        }
    }
}
