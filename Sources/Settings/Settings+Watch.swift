extension Settings {
    /// `watch.*`: what the watcher watches and how patiently.
    package struct Watch: Sendable, Equatable {
        /// Folders `chimerad run` watches (and the default inputs of a report).
        package var paths: [String] = []
        /// How long a file must be quiet before it is read, in milliseconds.
        package var settleMilliseconds = 0
        /// File-name patterns never ingested (editor swap files, temporaries).
        package var ignorePatterns: [String] = []
        /// Whether symbolic links that lead out of a watch folder are followed.
        package var followExternalLinks = false
        /// How often folders that could not be watched (inotify watch limit) are
        /// rescanned instead, in seconds.
        package var rescanSeconds = 0
    }
}
