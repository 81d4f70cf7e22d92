import Foundation
import GRDB

extension Store {
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
    package func checkpointBesideTheReport() async {
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
