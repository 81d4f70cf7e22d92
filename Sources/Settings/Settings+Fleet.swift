extension Settings {
    /// `fleet.*`: the shared PostgreSQL store many hosts publish to (issue 13).
    /// Off unless `fleet.postgres_url` is set: a stray `PGHOST` in a shell
    /// never makes a host start publishing, the URL is the one switch.
    package struct Fleet: Sendable, Equatable {
        /// The database; `.off` by default. Never holds a password (refused at load).
        package var database = Database.off
        /// A file whose first line is the database password; empty: `PGPASSWORD`,
        /// else none (trust, peer or certificate authentication).
        /// Read when the configuration loads and again at each connection; its
        /// content is never logged nor shown.
        package var passwordFile = ""
        /// The name this host publishes under; empty: derived from
        /// `/etc/machine-id`, else from the host name (see `FleetHostIdentity`).
        package var hostID = ""
        /// The most unsent items the local outbox keeps: past it, the oldest
        /// per-run samples are dropped (summaries never are).
        package var outboxLimit = 100_000
        /// The fleet report calls a host silent for longer than this "stopped
        /// publishing" (a lab whose hosts run weekly sets a week).
        package var stoppedAfterHours = 48

        /// Whether a fleet is configured at all.
        package var isEnabled: Bool { database != .off }
    }
}
