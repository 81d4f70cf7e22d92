import ArgumentParser
import Fleet
import Foundation
import Logging
import Pipeline
import PostgresNIO
import Settings

/// `chimerad fleet`: the shared PostgreSQL store's schema, for operators.
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "The fleet store on PostgreSQL: create or upgrade its schema, show its state, write the fleet report as hosts publish.",
        subcommands: [FleetMigrateCommand.self, FleetStatusCommand.self, FleetWatchCommand.self]
    )
}

/// Flags and the connection both `fleet` subcommands share.
struct FleetCommandOptions: ParsableArguments {
    @OptionGroup var options: ConfigOptions
    @OptionGroup var fleet: FleetOptions

    @Option(name: .customLong("connect-timeout"), help: "Seconds to wait for the database to answer (default: 10).")
    var connectTimeout: Double = 10

    /// A value out of range is a usage error (64), as `fleet watch`'s are.
    func validate() throws {
        guard connectTimeout > 0, connectTimeout <= 600 else {
            throw ValidationError("--connect-timeout must be above 0 and at most 600 seconds, got \(connectTimeout)")
        }
    }

    /// The settings and a connection configuration, or exit 78 when there is no fleet.
    func connection() async throws -> (Settings, FleetConnection) {
        var overrides = Settings.Overrides()
        fleet.apply(to: &overrides)
        let settings = try await options.settings(overrides)
        do {
            let connection = try FleetConnection(
                settings: settings.fleet, environment: ProcessInfo.processInfo.environment, connectTimeout: .seconds(connectTimeout))
            return (settings, connection)
        } catch {
            throw fail(error.description, ExitStatus.configuration)
        }
    }

    /// Runs `body` on one open connection, closed after; a fleet problem exits 1 with its text.
    func withConnection<Result: Sendable>(
        _ body: (Settings, FleetConnection, PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let (settings, fleet) = try await connection()
        bootstrapLogging(settings)
        let logger = Logger(label: "chimerad")
        let result: Swift.Result<Result, FleetError>
        do {
            let connection = try await fleet.connect(logger: logger)
            do {
                result = .success(try await body(settings, fleet, connection))
            } catch {
                result = .failure(FleetError.classify(error, target: fleet.target))
            }
            try? await connection.close()
        } catch {
            result = .failure(FleetError.classify(error, target: fleet.target))
        }
        switch result {
        case .success(let value): return value
        case .failure(let error):
            let code = if case .passwordFile = error { ExitStatus.configuration } else { ExitStatus.failure }
            throw fail(error.description, code)
        }
    }
}

struct FleetMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the fleet schema, or upgrade it to this release's version (never downgrades).",
        discussion: "Prints what it did: 'schema created at version N', 'schema upgraded ...' or 'already at version N'."
    )

    @OptionGroup var shared: FleetCommandOptions

    func run() async throws {
        let outcome = try await shared.withConnection { _, fleet, connection in
            try await FleetSchema.migrate(on: connection, appliedBy: "chimerad \(ReportJob.version)", logger: FleetConnection.quietLogger)
        }
        print(outcome.description)
    }
}

struct FleetStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the fleet schema's version and what the fleet holds for this host (reads only)."
    )

    @OptionGroup var shared: FleetCommandOptions

    func run() async throws {
        let lines = try await shared.withConnection { settings, fleet, connection in
            let identity = FleetHostIdentity.resolve(settings.fleet)
            let status = try await FleetStatus.read(on: connection, hostID: identity.hostID, logger: FleetConnection.quietLogger)
            var lines = ["database: \(fleet.target) (sslmode=\(fleet.url.sslMode.rawValue))"]
            switch status.schemaVersion {
            case nil: lines.append("schema: none (run chimerad fleet migrate)")
            case let version? where version > FleetSchema.currentVersion:
                lines.append("schema: version \(version), newer than this chimerad understands (\(FleetSchema.currentVersion))")
            case let version?: lines.append("schema: version \(version) (this chimerad: \(FleetSchema.currentVersion))")
            }
            lines.append("host_id: \(identity.hostID) (\(identity.source.rawValue)); hostname: \(identity.hostname)")
            if let host = status.host {
                let format = Date.ISO8601FormatStyle()
                lines.append(
                    "host row: first seen \(host.firstSeen.formatted(format)), last seen \(host.lastSeen.formatted(format)); \(status.sessions) sessions"
                )
            } else {
                lines.append("host row: none yet (this host has not published)")
            }
            return lines
        }
        print(lines.joined(separator: "\n"))
    }
}
