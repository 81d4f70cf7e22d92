import Foundation
import Logging
import PostgresNIO

/// What `chimerad fleet status` shows: the schema's version and what the
/// fleet knows of this host. Reads only, so the read role can run it.
package struct FleetStatus: Sendable, Equatable {
    /// nil: no schema yet.
    package var schemaVersion: Int?
    package var host: HostRow?
    package var sessions = 0

    package struct HostRow: Sendable, Equatable {
        package var hostname: String
        package var firstSeen: Date
        package var lastSeen: Date
    }

    package static func read(on connection: PostgresConnection, hostID: String, logger: Logger) async throws -> FleetStatus {
        var status = FleetStatus()
        status.schemaVersion = try await FleetSchema.installedVersion(on: connection, logger: logger)
        // An older or newer schema may not have the columns below.
        guard status.schemaVersion == FleetSchema.currentVersion else { return status }
        let hosts = try await connection.query(
            "SELECT hostname, first_seen, last_seen FROM chimerad.hosts WHERE host_id = \(hostID)", logger: logger)
        for try await (hostname, first, last) in hosts.decode((String, Date, Date).self) {
            status.host = HostRow(hostname: hostname, firstSeen: first, lastSeen: last)
        }
        let counts = try await connection.query("SELECT count(*) FROM chimerad.sessions WHERE host_id = \(hostID)", logger: logger)
        for try await count in counts.decode(Int.self) { status.sessions = count }
        return status
    }
}
