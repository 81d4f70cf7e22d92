import GRDB

extension Store {
    /// A report being published: its files go into the output folder before
    /// the store records it (a report is on disk before anyone is told of
    /// it), so a process killed in between leaves a published report the
    /// store never heard of. Marked once its files are on disk and before
    /// they get their names, cleared with the record (`recordReport`); a mark
    /// found by a later report names what to withdraw, and stays until it is.
    package struct Publication: Sendable, Equatable {
        /// The output folder and the report's name in it (`chimera-report-...Z`).
        package var directory: String
        package var base: String
        /// What its files are on disk, as its writer gives them (opaque here):
        /// only those are withdrawn, never what another writer put at the name.
        package var files: [String]

        package init(directory: String, base: String, files: [String]) {
            self.directory = directory
            self.base = base
            self.files = files
        }

        /// One mark per report: the key names its Markdown file as the record will.
        var key: String { Publication.key(markdownPath: directory + "/" + base + ".md") }

        static func key(markdownPath: String) -> String { "publishing:" + markdownPath }
    }

    /// The reports processes began to publish and never recorded.
    package func publicationsUnderWay() throws(Failure) -> [Publication] {
        let values = try read { db in
            try String.fetchAll(db, sql: "SELECT value FROM meta WHERE substr(key, 1, 11) = 'publishing:' ORDER BY key")
        }
        return values.compactMap { value in
            let parts = Store.strings(value)
            guard parts.count >= 2 else { return nil }
            return Publication(directory: parts[0], base: parts[1], files: Array(parts.dropFirst(2)))
        }
    }

    package func beginPublication(_ publication: Publication) throws(Failure) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [publication.key, Store.text([publication.directory, publication.base] + publication.files)])
        }
    }

    /// Clears a mark: its report was withdrawn, or never published.
    package func endPublication(_ publication: Publication) throws(Failure) {
        try write { db in try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [publication.key]) }
    }

    /// Clears the mark of the report `markdownPath` names, as it is recorded.
    static func clearPublication(markdownPath: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [Publication.key(markdownPath: markdownPath)])
    }
}
