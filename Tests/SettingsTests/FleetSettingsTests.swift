import Foundation
import Testing

@testable import Settings

/// `fleet.*`: a libpq URL that never holds a password, a password file named
/// by key and never by content, and a host id that is safe to publish.
@Suite struct FleetSettingsTests {
    @Test func offByDefault() async throws {
        let settings = try await Settings.load(file: nil, environment: ConfigFolder.environment)
        #expect(!settings.fleet.isEnabled && settings.fleet.passwordFile.isEmpty && settings.fleet.hostID.isEmpty)
    }

    @Test func parsesALibpqURL() throws {
        let parsed = try Settings.Fleet.parseDatabase("postgresql://bench@db.example.com:6432/fleet?sslmode=verify-full&sslrootcert=/etc/ca.pem")
            .get()
        guard case .postgres(let url) = parsed else {
            Issue.record("expected a database")
            return
        }
        #expect(url.user == "bench" && url.host == "db.example.com" && url.port == 6432 && url.database == "fleet")
        #expect(url.sslMode == .verifyFull && url.sslRootCertificate == "/etc/ca.pem")
        #expect(url.target == "bench@db.example.com:6432/fleet")
    }

    @Test func defaultsFollowLibpq() throws {
        guard case .postgres(let url) = try Settings.Fleet.parseDatabase("postgres://[::1]/bench").get() else {
            Issue.record("expected a database")
            return
        }
        #expect(url.user == nil && url.host == "::1" && url.port == 5432 && url.sslMode == .prefer)
        #expect(url.target == "[::1]:5432/bench")
    }

    @Test(
        "a URL that is not one, or holds a password, fails naming the key without echoing the URL",
        arguments: [
            "https://db.example.com/bench", "postgres://bench:hunter2-secret@db.example.com/bench", "postgres://db/bench?sslmode=maybe",
            "postgres://db/bench?sslmod=require", "postgres://db:99999/bench",
        ])
    func badURL(url: String) async throws {
        try await ConfigFolder.with { folder in
            let error = try await #require(throws: SettingsError.self) {
                try await ConfigFolder.load("fleet:\n  postgres_url: \"\(url)\"\n", in: folder)
            }
            #expect(error.key == "fleet.postgres_url")
            #expect(!error.description.contains("hunter2"))
            #expect(!error.description.contains(url))
            if url.contains("hunter2") { #expect(error.reason.contains("fleet.password_file") && error.reason.contains("PGPASSWORD")) }
        }
    }

    @Test func passwordFileIsReadButNeverShown() async throws {
        try await ConfigFolder.with { folder in
            let secret = "correct horse battery staple"
            try "\(secret)\n".write(toFile: folder + "/pw", atomically: true, encoding: .utf8)
            let settings = try await ConfigFolder.load("fleet:\n  password_file: \(folder)/pw\n", in: folder)
            #expect(FleetPasswordFile.read(settings.fleet.passwordFile) == .success(secret))
            #expect(!settings.renderedYAML().contains(secret))
            // A file from Windows: "\r\n" ends the first line as "\n" does.
            try "\(secret)\r\nsecond line\r\n".write(toFile: folder + "/pw-crlf", atomically: true, encoding: .utf8)
            #expect(FleetPasswordFile.read(folder + "/pw-crlf") == .success(secret))

            try "".write(toFile: folder + "/empty", atomically: true, encoding: .utf8)
            for path in [folder + "/missing", folder, folder + "/empty"] {
                let error = try await #require(throws: SettingsError.self) {
                    try await ConfigFolder.load("fleet:\n  password_file: \(path)\n", in: folder)
                }
                #expect(error.key == "fleet.password_file", "\(path)")
            }
        }
    }

    @Test(arguments: ["", "bench-h100-01", "a.b_c-9"])
    func goodHostIDs(id: String) async throws {
        try await ConfigFolder.with { folder in
            let settings = try await ConfigFolder.load("fleet:\n  host_id: \"\(id)\"\n", in: folder)
            #expect(settings.fleet.hostID == id)
        }
    }

    @Test(arguments: ["has space", "semi;colon", String(repeating: "x", count: 65), "ünïcode"])
    func badHostIDs(id: String) async throws {
        try await ConfigFolder.with { folder in
            let error = try await #require(throws: SettingsError.self) { try await ConfigFolder.load("fleet:\n  host_id: \"\(id)\"\n", in: folder) }
            #expect(error.key == "fleet.host_id")
        }
    }

    /// A CA file that is not there fails the load, as a missing password file
    /// does: found at the first connection, it was a failure the unit retried forever.
    @Test func anSSLRootCertificateThatIsNotThereIsAConfigurationError() async throws {
        try await ConfigFolder.with { folder in
            let url = "postgres://bench@db/fleet?sslmode=verify-full&sslrootcert=\(folder)/missing.pem"
            let error = try await #require(throws: SettingsError.self) {
                try await ConfigFolder.load("fleet:\n  postgres_url: \"\(url)\"\n", in: folder)
            }
            #expect(error.key == "fleet.postgres_url" && error.reason == "sslrootcert: '\(folder)/missing.pem' does not exist", "\(error)")
            try "-----BEGIN CERTIFICATE-----\n".write(toFile: folder + "/ca.pem", atomically: true, encoding: .utf8)
            let there = "postgres://bench@db/fleet?sslmode=verify-full&sslrootcert=\(folder)/ca.pem"
            let settings = try await ConfigFolder.load("fleet:\n  postgres_url: \"\(there)\"\n", in: folder)
            #expect(settings.fleet.isEnabled)
            // libpq ignores it without TLS; a relative one names nothing for a service that runs in /.
            let disabled = "postgres://bench@db/fleet?sslmode=disable&sslrootcert=\(folder)/missing.pem"
            #expect(try await ConfigFolder.load("fleet:\n  postgres_url: \"\(disabled)\"\n", in: folder).fleet.isEnabled)
            let relative = "postgres://bench@db/fleet?sslmode=verify-full&sslrootcert=ca.pem"
            let notAbsolute = try await #require(throws: SettingsError.self) {
                try await ConfigFolder.load("fleet:\n  postgres_url: \"\(relative)\"\n", in: folder)
            }
            #expect(notAbsolute.reason == "sslrootcert: 'ca.pem' must be an absolute path", "\(notAbsolute)")
        }
    }

    @Test func flagsOverrideTheFile() async throws {
        try await ConfigFolder.with { folder in
            let file = folder + "/chimerad.yaml"
            try "fleet:\n  host_id: from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
            var overrides = Settings.Overrides()
            overrides.set(.fleetPostgresURL, "postgres://bench@127.0.0.1/bench", option: "--fleet-url")
            overrides.set(.fleetHostID, "from-flag", option: "--host-id")
            let settings = try await Settings.load(file: file, overrides: overrides, environment: ConfigFolder.environment)
            #expect(settings.fleet.isEnabled && settings.fleet.hostID == "from-flag")
            #expect(settings.fleet.database.text == "postgres://bench@127.0.0.1/bench")
        }
    }
}
