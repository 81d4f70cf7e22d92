import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import Fleet
@testable import Settings

/// What needs no server: the derived host id, libpq's fallbacks, the TLS
/// each sslmode asks for, and the login's own bound.
@Suite struct FleetConnectionTests {
    static func fleet(_ url: String, passwordFile: String = "", hostID: String = "") throws -> Settings.Fleet {
        var fleet = Settings.Fleet()
        fleet.database = try Settings.Fleet.parseDatabase(url).get()
        fleet.passwordFile = passwordFile
        fleet.hostID = hostID
        return fleet
    }

    @Test func derivedHostIDIsStableAndHidesTheMachineID() {
        let machineID = "0123456789abcdef0123456789abcdef"
        let id = FleetHostIdentity.derive(from: machineID)
        #expect(id == FleetHostIdentity.derive(from: machineID))
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit) && id != machineID)
        #expect(id != FleetHostIdentity.derive(from: "fedcba9876543210fedcba9876543210"))
    }

    @Test func hostIDSources() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-fleet-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "0123456789abcdef0123456789abcdef\n".write(toFile: folder + "/machine-id", atomically: true, encoding: .utf8)
        let derived = FleetHostIdentity.resolve(Settings.Fleet(), machineIDFile: folder + "/machine-id")
        #expect(derived.source == .machineID && derived.hostID == FleetHostIdentity.derive(from: "0123456789abcdef0123456789abcdef"))
        let fallback = FleetHostIdentity.resolve(Settings.Fleet(), machineIDFile: folder + "/missing")
        #expect(fallback.source == .hostname && fallback.hostID == FleetHostIdentity.derive(from: fallback.hostname))
        var configured = Settings.Fleet()
        configured.hostID = "bench-01"
        #expect(FleetHostIdentity.resolve(configured, machineIDFile: folder + "/machine-id").hostID == "bench-01")
    }

    @Test func libpqFallbacks() throws {
        let connection = try FleetConnection(
            settings: Self.fleet("postgres://db.example.com/bench"), environment: ["PGUSER": "ci", "PGPASSWORD": "pw"])
        #expect(connection.user == "ci" && connection.passwordSource == .environment)
        #expect(connection.target == "ci@db.example.com:5432/bench")
        #expect(try connection.password(environment: ["PGPASSWORD": "pw"]) == "pw")
        let explicit = try FleetConnection(settings: Self.fleet("postgres://bench@db/x"), environment: ["PGUSER": "ci"])
        #expect(explicit.user == "bench" && explicit.passwordSource == .none)
        #expect(throws: FleetError.notConfigured) { try FleetConnection(settings: Settings.Fleet(), environment: [:]) }
    }

    @Test func passwordFileWinsAndIsReadAtConnection() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-fleet-pw-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let connection = try FleetConnection(settings: Self.fleet("postgres://u@db/x", passwordFile: path), environment: ["PGPASSWORD": "env"])
        // Missing now: the error names the key, and the file is read again next time.
        #expect(throws: FleetError.self) { try connection.password(environment: [:]) }
        try "rotated\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try connection.password(environment: [:]) == "rotated")
    }

    @Test(
        "sslmode maps to postgres-nio's TLS: disable off, prefer allowed, the rest enforced",
        arguments: [
            ("disable", false, false), ("prefer", true, false), ("require", true, true), ("verify-ca", true, true), ("verify-full", true, true),
        ])
    func tlsModes(mode: String, allowed: Bool, enforced: Bool) throws {
        let connection = try FleetConnection(settings: Self.fleet("postgres://u@db.example.com/x?sslmode=\(mode)"), environment: [:])
        let tls = try connection.tlsMode()
        #expect(tls.isAllowed == allowed && tls.isEnforced == enforced)
    }

    @Test func unreadableRootCertificateIsAConfigurationError() throws {
        let connection = try FleetConnection(
            settings: Self.fleet("postgres://u@db/x?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem"), environment: [:])
        #expect(throws: FleetError.self) { try connection.tlsMode() }
    }

    /// The login is bounded on this side as well as by postgres-nio's connect
    /// timeout: here that timeout is out of reach (10 min), and the bound
    /// still ends a login a listener never answers.
    @Test("a login that does not end is cut at its own bound", .timeLimit(.minutes(2)))
    func aLoginIsBoundedOnThisSide() async throws {
        // The TCP handshake completes, the PostgreSQL startup never gets an answer.
        let (listener, port) = try LoopbackServer.silentListener()
        defer { close(listener) }
        let connection = try FleetConnection(
            settings: Self.fleet("postgres://bench@127.0.0.1:\(port)/bench?sslmode=disable"), environment: ["PGPASSWORD": "x"],
            connectTimeout: .seconds(600))
        let configuration = try connection.configuration(environment: ["PGPASSWORD": "x"])
        await #expect(throws: FleetError.unreachable(target: connection.target, reason: "the login did not finish within 1 sec")) {
            try await FleetLogin.open(configuration, target: connection.target, within: .seconds(1))
        }
    }
}
