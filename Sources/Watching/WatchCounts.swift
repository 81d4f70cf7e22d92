import Synchronization

/// How many folders are watched and how many could not be, kept by the reader
/// thread and read by anyone (the status line): two atomics, no lock.
final class WatchCounts: Sendable {
    private let watched = Atomic<Int>(0)
    private let unwatched = Atomic<Int>(0)

    var watchedFolders: Int { watched.load(ordering: .relaxed) }
    var unwatchedFolders: Int { unwatched.load(ordering: .relaxed) }

    func update(watched: Int, unwatched: Int) {
        self.watched.store(watched, ordering: .relaxed)
        self.unwatched.store(unwatched, ordering: .relaxed)
    }
}
