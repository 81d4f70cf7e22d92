import ArgumentParser
import Settings

/// `--fleet-url` and `--host-id`, on `run`, `report` and `fleet`: the same
/// overrides as the config file's `fleet.postgres_url` and `fleet.host_id`.
struct FleetOptions: ParsableArguments {
    @Option(
        name: .customLong("fleet-url"),
        help: "The fleet's PostgreSQL, postgres://USER@HOST:PORT/DB?sslmode=MODE, no password (default: fleet.postgres_url).")
    var fleetURL: String?

    @Option(name: .customLong("host-id"), help: "The id this host publishes under (default: fleet.host_id, else derived from /etc/machine-id).")
    var hostID: String?

    func apply(to overrides: inout Settings.Overrides) {
        overrides.set(.fleetPostgresURL, fleetURL, option: "--fleet-url")
        overrides.set(.fleetHostID, hostID, option: "--host-id")
    }
}
