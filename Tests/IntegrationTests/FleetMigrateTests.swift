import Foundation
import TestSupport
import Testing

/// `chimerad fleet migrate` and `fleet status`, as built, against a real
/// PostgreSQL started for each test (Debian's package; see PostgresServer).
@Suite(
    "The fleet schema on a real PostgreSQL", .serialized,
    .enabled(if: PostgresServer.isAvailable, "needs Debian's postgresql: apt-get install postgresql (scripts/setup-test-tools)"))
struct FleetMigrateTests {
    /// Every table schema version 1 creates, by name.
    static let tables: Set<String> = ["chimerad_schema", "host_roles", "hosts", "sessions", "session_samples", "regressions", "reports"]

    /// `fleet SUBCOMMAND` against `url`, with the password in a file unless `environment` says otherwise.
    static func fleet(
        _ subcommand: String, url: String, passwordFile: String? = nil, environment: [String: String] = [:], extra: [String] = []
    ) async throws -> Chimerad.Result {
        var env = ["PGPASSWORD": "", "PGUSER": ""]
        for (key, value) in environment { env[key] = value }
        let arguments = ["fleet", subcommand, "--fleet-url", url, "--connect-timeout", "60"] + extra
        if let passwordFile {
            // The password file is a config key with no flag: a small config file sets it.
            let folder = try Chimerad.temporaryFolder("fleet-config")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try Data("model:\n  backend: none\nfleet:\n  password_file: \"\(passwordFile)\"\n".utf8).write(
                to: URL(fileURLWithPath: folder + "/chimerad.yaml"))
            return try await Chimerad.run(arguments + ["--config", folder + "/chimerad.yaml"], environment: env, timeout: .seconds(300))
        }
        return try await Chimerad.run(arguments, environment: env, timeout: .seconds(300))
    }

    static func passwordFile(_ server: PostgresServer) throws -> String {
        // In the server's folder, removed with it.
        let path = server.folder + "/client-password"
        try Data((server.password + "\n").utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        return path
    }

    @Test("migrate creates every table once; a second run changes nothing", .timeLimit(.minutes(10)))
    func createsThenNoOp() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            let url = server.url(database: "bench")
            let password = try Self.passwordFile(server)
            let first = try await Self.fleet("migrate", url: url, passwordFile: password)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "schema created at version 1")
            let (_, tableList) = try await server.psql(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'chimerad' ORDER BY 1", database: "bench")
            #expect(Set(tableList.split(separator: "\n").map(String.init)) == Self.tables)
            let (_, indexes) = try await server.psql("SELECT indexname FROM pg_indexes WHERE schemaname = 'chimerad'", database: "bench")
            #expect(indexes.contains("sessions_by_model") && indexes.contains("sessions_by_host") && indexes.contains("regressions_by_model"))

            let second = try await Self.fleet("migrate", url: url, passwordFile: password)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "already at version 1")
            let (_, versions) = try await server.psql("SELECT count(*), max(version) FROM chimerad.chimerad_schema", database: "bench")
            #expect(versions.trimmingCharacters(in: .whitespacesAndNewlines) == "1|1")

            // status reads it back, by the environment's password this time.
            let status = try await Self.fleet(
                "status", url: url, environment: ["PGPASSWORD": server.password], extra: ["--host-id", "bench-h100-01"])
            #expect(status.status == 0, "\(status.stderr)")
            #expect(status.stdout.contains("schema: version 1"))
            #expect(status.stdout.contains("host_id: bench-h100-01 (fleet.host_id)"))
            #expect(!status.stdout.contains(server.password) && !status.stderr.contains(server.password))
        }
    }

    @Test("two migrates at once both succeed and leave one schema", .timeLimit(.minutes(10)))
    func concurrentMigrates() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            let url = server.url(database: "bench")
            let password = try Self.passwordFile(server)
            async let one = Self.fleet("migrate", url: url, passwordFile: password)
            async let two = Self.fleet("migrate", url: url, passwordFile: password)
            let results = try await [one, two]
            for result in results { #expect(result.status == 0, "\(result.stderr)") }
            let outputs = results.map { $0.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }.sorted()
            #expect(outputs == ["already at version 1", "schema created at version 1"])
            let (_, versions) = try await server.psql("SELECT count(*) FROM chimerad.chimerad_schema", database: "bench")
            #expect(versions.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        }
    }

    @Test("a schema newer than this chimerad is refused, never downgraded", .timeLimit(.minutes(10)))
    func newerSchemaRefused() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            let url = server.url(database: "bench")
            let password = try Self.passwordFile(server)
            #expect(try await Self.fleet("migrate", url: url, passwordFile: password).status == 0)
            let (inserted, output) = try await server.psql(
                "INSERT INTO chimerad.chimerad_schema (version, applied_by) VALUES (7, 'a future chimerad')", database: "bench")
            #expect(inserted == 0, "\(output)")
            let refused = try await Self.fleet("migrate", url: url, passwordFile: password)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("schema is at version 7, newer than this chimerad understands (1)"), "\(refused.stderr)")
            let (_, versions) = try await server.psql(
                "SELECT string_agg(version::text, ',' ORDER BY version) FROM chimerad.chimerad_schema", database: "bench")
            #expect(versions.trimmingCharacters(in: .whitespacesAndNewlines) == "1,7")
        }
    }

    @Test("a wrong password fails clearly and is never printed; sslmode=require needs a TLS server", .timeLimit(.minutes(10)))
    func loginAndTLSFailures() async throws {
        try await PostgresServer.with { server in
            let wrong = "not-the-password-\(UUID().uuidString)"
            let refused = try await Self.fleet("migrate", url: server.url(), environment: ["PGPASSWORD": wrong])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("refused the login"), "\(refused.stderr)")
            #expect(refused.stderr.contains("chimerad_test@127.0.0.1:\(server.port)/postgres"))
            #expect(!refused.stderr.contains(wrong) && !refused.stdout.contains(wrong))

            let noPassword = try await Self.fleet("migrate", url: server.url())
            #expect(noPassword.status == 1)
            #expect(noPassword.stderr.contains("fleet.password_file"), "\(noPassword.stderr)")

            let tls = try await Self.fleet("migrate", url: server.url(sslMode: "require"), environment: ["PGPASSWORD": server.password])
            #expect(tls.status == 1)
            #expect(tls.stderr.contains("does not offer TLS"), "\(tls.stderr)")
            #expect(!tls.stderr.contains(server.password))

            // `prefer` falls back to plain text on a server without TLS, as libpq does.
            let prefer = try await Self.fleet("migrate", url: server.url(sslMode: "prefer"), environment: ["PGPASSWORD": server.password])
            #expect(prefer.status == 0, "\(prefer.stderr)")
        }
    }
}

extension FleetMigrateTests {
    @Test("the roles script: a host writes only its own rows, the reader reads all and writes none", .timeLimit(.minutes(10)))
    func rolesKeepHostsToTheirRows() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            #expect(try await Self.fleet("migrate", url: server.url(database: "bench"), environment: ["PGPASSWORD": server.password]).status == 0)
            let script = Chimerad.repository.path + "/etc/chimerad/fleet-roles.sql"
            let (applied, output) = try await server.psql("", database: "bench", file: script)
            #expect(applied == 0, "\(output)")
            // Twice: the script may be run again after an upgrade.
            #expect(try await server.psql("", database: "bench", file: script).status == 0)
            let setup = try await server.psql(
                """
                CREATE ROLE host_a LOGIN PASSWORD 'pa' IN ROLE chimerad_publisher;
                CREATE ROLE host_b LOGIN PASSWORD 'pb' IN ROLE chimerad_publisher;
                CREATE ROLE report_reader LOGIN PASSWORD 'pr' IN ROLE chimerad_reader;
                INSERT INTO chimerad.host_roles VALUES ('host-a', 'host_a'), ('host-b', 'host_b');
                """, database: "bench")
            #expect(setup.status == 0, "\(setup.output)")
            let upsert = "INSERT INTO chimerad.hosts (host_id, hostname) VALUES ('host-a', 'a') ON CONFLICT (host_id) DO UPDATE SET last_seen = now()"
            #expect(try await server.psql(upsert, database: "bench", user: "host_a", password: "pa").status == 0)
            #expect(try await server.psql(upsert, database: "bench", user: "host_a", password: "pa").status == 0)
            let spoof = try await server.psql(
                "INSERT INTO chimerad.hosts (host_id, hostname) VALUES ('host-b', 'spoof')", database: "bench", user: "host_a", password: "pa")
            #expect(spoof.status != 0 && spoof.output.contains("row-level security"), "\(spoof.output)")
            let foreign = try await server.psql(
                "UPDATE chimerad.hosts SET hostname = 'x' WHERE host_id = 'host-a' RETURNING host_id", database: "bench", user: "host_b",
                password: "pb")
            #expect(foreign.status == 0 && foreign.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(foreign.output)")
            let read = try await server.psql(
                "SELECT host_id || ':' || hostname FROM chimerad.hosts", database: "bench", user: "report_reader", password: "pr")
            #expect(read.output.trimmingCharacters(in: .whitespacesAndNewlines) == "host-a:a")
            let readerWrite = try await server.psql(
                "INSERT INTO chimerad.hosts (host_id, hostname) VALUES ('r', 'r')", database: "bench", user: "report_reader", password: "pr")
            #expect(readerWrite.status != 0)
            let ddl = try await server.psql("CREATE TABLE chimerad.other (x int)", database: "bench", user: "host_a", password: "pa")
            #expect(ddl.status != 0)
        }
    }
}

extension FleetMigrateTests {
    /// A private CA and a server certificate it signed for `localhost` only
    /// (no IP address), made with openssl; the folder holding them.
    static func certificates() async throws -> String {
        let folder = try Chimerad.temporaryFolder("fleet-tls")
        let steps: [[String]] = [
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=chimerad test CA", "-keyout",
                folder + "/ca.key",
                "-out", folder + "/ca.pem", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ],
            [
                "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", folder + "/server.key", "-out",
                folder + "/server.csr",
            ],
            ["sh", "-c", "printf 'subjectAltName=DNS:localhost\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > \(folder)/ext.cnf"],
            [
                "openssl", "x509", "-req", "-in", folder + "/server.csr", "-CA", folder + "/ca.pem", "-CAkey", folder + "/ca.key", "-CAcreateserial",
                "-days", "2",
                "-extfile", folder + "/ext.cnf", "-out", folder + "/server.crt",
            ],
        ]
        for step in steps {
            let (status, output) = try await Chimerad.shell(step)
            try #require(status == 0, "\(step.joined(separator: " ")): \(output)")
        }
        return folder
    }

    @Test(
        "sslmode against a TLS server: verify-full checks the chain and the host name, verify-ca the chain only", .timeLimit(.minutes(10)),
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "needs openssl to make certificates"))
    func verifiedTLS() async throws {
        let certificates = try await Self.certificates()
        defer { try? FileManager.default.removeItem(atPath: certificates) }
        let tls = PostgresServer.TLSFiles(certificate: certificates + "/server.crt", key: certificates + "/server.key")
        try await PostgresServer.with(tls: tls) { server in
            let password = ["PGPASSWORD": server.password]
            let root = "&sslrootcert=" + certificates + "/ca.pem"
            let full = try await Self.fleet("migrate", url: server.url(sslMode: "verify-full", host: "localhost") + root, environment: password)
            #expect(full.status == 0, "\(full.stderr)")
            #expect(full.stdout.contains("schema created at version 1"))
            // The certificate names localhost, not 127.0.0.1: verify-full refuses, verify-ca does not look.
            let wrongName = try await Self.fleet("migrate", url: server.url(sslMode: "verify-full") + root, environment: password)
            #expect(wrongName.status == 1)
            #expect(wrongName.stderr.contains("TLS with the fleet database"), "\(wrongName.stderr)")
            let chainOnly = try await Self.fleet("status", url: server.url(sslMode: "verify-ca") + root, environment: password)
            #expect(chainOnly.status == 0, "\(chainOnly.stderr)")
            // Without the private CA, the system's trust store does not know it.
            let untrusted = try await Self.fleet("migrate", url: server.url(sslMode: "verify-full", host: "localhost"), environment: password)
            #expect(untrusted.status == 1)
            #expect(untrusted.stderr.contains("TLS with the fleet database"), "\(untrusted.stderr)")
            // require encrypts without verifying, as libpq does without a root certificate.
            let required = try await Self.fleet("status", url: server.url(sslMode: "require"), environment: password)
            #expect(required.status == 0, "\(required.stderr)")
        }
    }
}

/// What needs no database: configuration mistakes and an unreachable server.
@Suite("The fleet's configuration errors")
struct FleetConfigurationTests {
    @Test("a password inside the URL is refused without being repeated")
    func passwordInURL() async throws {
        let secret = "s3cret-\(UUID().uuidString)"
        let result = try await Chimerad.run(["fleet", "migrate", "--fleet-url", "postgres://bench:\(secret)@127.0.0.1:5432/bench"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("fleet.postgres_url") && result.stderr.contains("fleet.password_file"), "\(result.stderr)")
        #expect(!result.stderr.contains(secret))
    }

    @Test("no fleet configured: migrate says so")
    func notConfigured() async throws {
        let result = try await Chimerad.run(["fleet", "migrate"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("no fleet is configured"), "\(result.stderr)")
    }

    @Test("nothing listening: a clear error, quickly")
    func unreachable() async throws {
        // Port 1 on loopback: nothing listens there.
        let result = try await Chimerad.run(
            ["fleet", "migrate", "--fleet-url", "postgres://bench@127.0.0.1:1/bench?sslmode=disable"], environment: ["PGPASSWORD": "x"],
            timeout: .seconds(120))
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot reach the fleet database bench@127.0.0.1:1/bench"), "\(result.stderr)")
    }

    @Test("a server that accepts and never answers: the connect timeout still ends it")
    func silentServer() async throws {
        // The TCP handshake completes, the PostgreSQL startup never gets an answer.
        let (listener, port) = try LoopbackServer.silentListener()
        defer { close(listener) }
        let started = ContinuousClock.now
        let result = try await Chimerad.run(
            ["fleet", "migrate", "--connect-timeout", "2", "--fleet-url", "postgres://bench@127.0.0.1:\(port)/bench?sslmode=disable"],
            environment: ["PGPASSWORD": "x"], timeout: .seconds(120))
        #expect(result.status == 1)
        #expect(result.stderr.contains("no answer within"), "\(result.stderr)")
        // Far inside the 120 s it is given (a hang would reach it): a process
        // started on a loaded machine beside the whole suite took 61 s once.
        #expect(ContinuousClock.now - started < .seconds(110))
    }

    @Test("check-config shows the fleet URL and the host id setting")
    func checkConfig() async throws {
        let result = try await Chimerad.run(["check-config"], environment: [:])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("fleet:") && result.stdout.contains("postgres_url: \"\"  # no fleet"), "\(result.stdout)")
    }
}
