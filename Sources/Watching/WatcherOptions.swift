/// What a `Watcher` watches and how it settles what it sees.
package struct WatcherOptions: Sendable {
    /// Absolute, normalised folder paths (symlinks in the root itself resolved).
    /// A root inside another root is watched as its own root: its files are
    /// reported under it, not under the outer one.
    package var roots: [String]
    /// Absolute folders never watched nor reported (the daemon's output and
    /// state folders), even inside a root.
    package var excluded: [String]
    /// Gets a file's path relative to its root; `true` drops the events for it
    /// (editor swap files, `*.tmp`). Folders are always watched: ignore
    /// patterns name files, as in the pipeline. A rename from an ignored name
    /// to a kept one (an atomic writer's temporary file) counts as a write.
    package var isIgnored: @Sendable (String) -> Bool
    /// How long the tree must be quiet before a change set goes out.
    package var settle: Duration
    /// A change set goes out at the latest this long after its first event, even
    /// under constant activity (files touched within `settle` stay pending).
    package var maxDelay: Duration
    /// How often folders that could not be watched (watch limit reached, or a
    /// failed `inotify_add_watch`) are rescanned and their watches retried.
    package var rescanInterval: Duration
    /// Watch folders reached through symbolic links that lead out of a root,
    /// reporting their files under the link's name.
    package var followExternalLinks: Bool
    /// Where the configured watch paths lead now, for paths that pass
    /// through a symbolic link (`current -> run-42`). inotify says nothing
    /// when such a link is switched, so it is asked every 2 s (or every
    /// `rescanInterval`, if shorter); when the folders it names change, a
    /// change set asking for a full rescan goes out, and its owner watches
    /// the new folders. While they still differ from the roots watched, it
    /// is asked for again each `rescanInterval`.
    package var currentRoots: (@Sendable () -> [String])?

    package init(
        roots: [String], excluded: [String] = [], isIgnored: @escaping @Sendable (String) -> Bool = { _ in false },
        settle: Duration = .milliseconds(300), maxDelay: Duration = .seconds(5), rescanInterval: Duration = .seconds(60),
        followExternalLinks: Bool = false, currentRoots: (@Sendable () -> [String])? = nil
    ) {
        self.roots = roots
        self.excluded = excluded
        self.isIgnored = isIgnored
        self.settle = settle
        self.maxDelay = maxDelay
        self.rescanInterval = rescanInterval
        self.followExternalLinks = followExternalLinks
        self.currentRoots = currentRoots
    }
}
