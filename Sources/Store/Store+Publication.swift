import GRDB

extension Store {
    /// A report being published: its files go into the output folder before
    /// the store records it (a report is on disk before anyone is told of
    /// it), so a process killed in between leaves a published report the
    /// store never heard of. Marked before publishing, cleared with the
    /// record (`recordReport`); a mark found by the next report names what to
    /// withdraw.
    package struct Publication: Sendable, Equatable {
        /// The output folder and the report's name in it (`chimera-report-...Z`).
        package var directory: String
        package var base: String

        package init(directory: String, base: String) {
            self.directory = directory
            self.base = base
        }
    }

    static let publicationKey = "publishing"

    /// The report a process began to publish and never recorded; nil when none.
    package func publicationUnderWay() throws(Failure) -> Publication? {
        let value = try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [Store.publicationKey]) }
        guard let value, let split = value.lastIndex(of: "\n") else { return nil }
        return Publication(directory: String(value[..<split]), base: String(value[value.index(after: split)...]))
    }

    package func beginPublication(_ publication: Publication) throws(Failure) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [Store.publicationKey, publication.directory + "\n" + publication.base])
        }
    }

    /// Clears the mark: the report was withdrawn, or never published.
    package func endPublication() throws(Failure) {
        try write { db in try Store.clearPublication(in: db) }
    }

    static func clearPublication(in db: Database) throws {
        try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [publicationKey])
    }
}
