import Foundation
import Synchronization

extension Store {
    /// A store opened once, by whoever needs it first, on any thread: a
    /// one-shot report opens its store while the tree is stat'ed (opening
    /// takes several milliseconds, most of them waiting on the disk), and
    /// then hands the same store to every later stage.
    ///
    ///     let opening = Store.Opening(directory: "/var/lib/chimerad")
    ///     async let registry = try opening.store().lightEntries(roots: roots)
    ///     // ... stat the tree meanwhile ...
    ///     let store = try opening.store()  // the same store, or the same failure
    package final class Opening: Sendable {
        package let directory: String
        private let outcome = Mutex<Result<Store, Failure>?>(nil)

        package init(directory: String) {
            self.directory = directory
        }

        /// A store already open (the daemon's).
        package init(opened store: Store) {
            directory = (store.path as NSString).deletingLastPathComponent
            outcome.withLock { $0 = .success(store) }
        }

        /// The store, opened at the first call; every call gets the same
        /// store, or the same failure.
        package func store() throws(Failure) -> Store {
            let outcome = self.outcome.withLock { outcome in
                if let outcome { return outcome }
                let opened: Result<Store, Failure>
                do throws(Failure) {
                    opened = .success(try Store(directory: directory))
                } catch {
                    opened = .failure(error)
                }
                outcome = opened
                return opened
            }
            return try outcome.get()
        }

        /// The store if it was opened, without opening it.
        package var opened: Store? {
            outcome.withLock { outcome in
                if case .success(let store) = outcome { return store }
                return nil
            }
        }
    }
}
