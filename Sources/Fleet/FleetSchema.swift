import Logging
import PostgresNIO

/// The fleet's tables in PostgreSQL, versioned so that hosts running
/// different chimerad releases can share one database.
///
/// Everything lives in the schema `chimerad`; `chimerad.chimerad_schema`
/// holds one row per version applied. A migration runs in one transaction
/// while its connection holds an advisory lock, so two hosts migrating at
/// once take turns and the second finds the work done. A database at a newer
/// version than this release knows is refused, never downgraded.
package enum FleetSchema {
    /// The version this release creates and understands.
    package static let currentVersion = 1

    /// The advisory lock every chimerad takes to migrate: "chimerad" in ASCII,
    /// documented so that other tools can avoid it.
    package static let migrationLockKey: Int64 = 0x6368_696D_6572_6164

    /// What `migrate` did.
    package enum Outcome: Sendable, Equatable, CustomStringConvertible {
        case created(version: Int)
        case upgraded(from: Int, to: Int)
        case alreadyCurrent(version: Int)

        package var description: String {
            switch self {
            case .created(let version): "schema created at version \(version)"
            case .upgraded(let from, let to): "schema upgraded from version \(from) to \(to)"
            case .alreadyCurrent(let version): "already at version \(version)"
            }
        }
    }

    /// One step from the version before it; `statements` run in order (the
    /// extended query protocol takes one statement per query).
    struct Migration: Sendable {
        let version: Int
        let statements: [String]
    }

    /// Every step, oldest first; the last one's version is `currentVersion`.
    static let migrations: [Migration] = [version1]

    /// The version installed, nil when there is no schema yet. Reads only:
    /// a role without DDL rights can use it.
    package static func installedVersion(on connection: PostgresConnection, logger: Logger) async throws -> Int? {
        let rows = try await connection.query("SELECT to_regclass('chimerad.chimerad_schema') IS NOT NULL", logger: logger)
        var exists = false
        for try await flag in rows.decode(Bool.self) { exists = flag }
        guard exists else { return nil }
        let versions = try await connection.query("SELECT max(version) FROM chimerad.chimerad_schema", logger: logger)
        var version: Int?
        for try await found in versions.decode(Int?.self) { version = found }
        return version
    }

    /// Creates or upgrades the schema to `currentVersion`. A current schema
    /// is recognised without a lock or any DDL right (the common case for a
    /// publishing role); otherwise one transaction under the advisory lock.
    package static func migrate(on connection: PostgresConnection, appliedBy: String, logger: Logger) async throws -> Outcome {
        if let version = try await installedVersion(on: connection, logger: logger) {
            if version > currentVersion { throw FleetError.schemaTooNew(found: version, understood: currentVersion) }
            if version == currentVersion { return .alreadyCurrent(version: version) }
        }
        // A session-level lock taken before the transaction begins, not a
        // transaction-level one inside it: a transaction that waited for the
        // lock inside may still see the catalog as it was when it began
        // (PostgreSQL refreshes its catalog cache at a transaction's start),
        // miss the tables the other host just committed, and create them again.
        try await connection.query("SELECT pg_advisory_lock(\(migrationLockKey))", logger: logger)
        do {
            let outcome = try await migrateHoldingLock(on: connection, appliedBy: appliedBy, logger: logger)
            try await connection.query("SELECT pg_advisory_unlock(\(migrationLockKey))", logger: logger)
            return outcome
        } catch {
            // Closing the connection would release it too; a failed unlock changes nothing.
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(migrationLockKey))", logger: logger)
            throw error
        }
    }

    /// The migration itself, in one transaction, with the lock held.
    private static func migrateHoldingLock(on connection: PostgresConnection, appliedBy: String, logger: Logger) async throws -> Outcome {
        try await connection.withTransaction(logger: logger) { connection in
            // Read again under the lock: another host may have just finished.
            let before = try await installedVersion(on: connection, logger: logger)
            if let before, before > currentVersion { throw FleetError.schemaTooNew(found: before, understood: currentVersion) }
            if before == currentVersion { return Outcome.alreadyCurrent(version: currentVersion) }
            try await connection.query("CREATE SCHEMA IF NOT EXISTS chimerad", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS chimerad.chimerad_schema (
                    version integer PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    applied_by text NOT NULL
                )
                """, logger: logger)
            for migration in migrations where migration.version > (before ?? 0) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO chimerad.chimerad_schema (version, applied_by) VALUES (\(migration.version), \(appliedBy))", logger: logger)
            }
            return before.map { Outcome.upgraded(from: $0, to: currentVersion) } ?? .created(version: currentVersion)
        }
    }
}
