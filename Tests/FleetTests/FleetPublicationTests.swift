import Foundation
import Logging
import Testing
import TestSupport

@testable import Fleet
@testable import Settings
@testable import Store

#if canImport(Glibc)
import Glibc
#endif

/// The fleet outbox and its publisher against a real PostgreSQL started for
/// each test (Debian's package; see `PostgresServer`): what lands, what a
/// resend does, and what a refusing or missing database leaves behind.
@Suite(
    "Publishing the fleet outbox to a real PostgreSQL", .serialized,
    .enabled(if: PostgresServer.isAvailable, "needs Debian's postgresql: apt-get install postgresql (scripts/setup-test-tools)"))
struct FleetPublicationTests {
    static let logger = Logger(label: "test.fleet") { _ in SwiftLogNoOpLogHandler() }
    static let sender = FleetBatchWriter.Sender(hostID: "bench-h100-01", hostname: "h100-01", version: "test")

    /// A store in a temporary folder, removed after `body`.
    static func withStore<T>(_ body: (Store, String) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-fleet-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        return try await body(try Store(directory: folder), folder)
    }

    /// Where to publish: `url` with the password in a file (`password`, default the server's).
    static func target(_ url: String, password: String, store: Store, folder: String) throws -> FleetPublisher.Target {
        let file = folder + "/fleet-password-\(UUID().uuidString)"
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o600)
        var fleet = Settings.Fleet()
        fleet.database = try Settings.Fleet.parseDatabase(url).get()
        fleet.passwordFile = file
        let connection = try FleetConnection(settings: fleet, environment: [:], connectTimeout: .seconds(60))
        return .init(connection: connection, sender: sender, store: store)
    }

    /// One report's items: `sessions` sessions of file `path`, each with 10
    /// throughput and 10 TTFT samples, one regression, and the report.
    static func reportItems(path: String, hash: String, sessions: Int, report: String, resolved: Bool = false) -> [FleetOutboxItem] {
        var items: [FleetOutboxItem] = [.host(.init(gpu: "NVIDIA H100", driver: "550.54", backend: "CUDA", build: "b4521"))]
        for index in 0..<sessions {
            let key = FleetOutboxItem.SessionKey(sourcePath: path, contentHash: hash, sessionIndex: index)
            let figures = FleetOutboxItem.Figures(n: 10, median: 100 + Double(index), lowerQuartile: 99, upperQuartile: 101)
            items.append(
                .session(
                    .init(
                        key: key, model: "gemma3:270m", configuration: "{\"num_ctx\":\"4096\"}", environment: .init(gpu: "NVIDIA H100"),
                        startedAt: 1_790_000_000 + Double(index) * 3600, measuredAt: 1_790_000_000 + Double(index) * 3600, runsOK: 10,
                        runsFailed: 1, tokensPerSecond: figures, ttftSeconds: .init(n: 10, median: 0.1, lowerQuartile: 0.09, upperQuartile: 0.11))))
            items.append(.samples(.init(key: key, metric: .tokensPerSecond, values: (0..<10).map { 95 + Double($0) })))
            items.append(.samples(.init(key: key, metric: .ttftSeconds, values: (0..<10).map { 0.05 + Double($0) / 100 })))
        }
        items.append(
            .regression(
                .init(
                    localID: 7, model: "gemma3:270m", configuration: "{}", environment: "[]", metric: "tokens_per_second",
                    openedAt: "2026-12-02T10:00:00Z", resolvedAt: resolved ? "2026-12-02T12:00:00Z" : nil,
                    resolution: resolved ? "recovered" : nil, changePercent: -12.5, pValue: 0.001, qValue: 0.004, baselineMedian: 100,
                    baselineCount: 50, currentMedian: 87.5, currentCount: 10, build: "b4521")))
        items.append(.report(.init(name: report, generatedAt: 1_790_100_000, trigger: "manual", filesAnalyzed: 1, sessions: sessions)))
        return items
    }

    /// `SELECT count(*)` of each published table, and the sum of `runs_ok`.
    static func counts(_ server: PostgresServer) async throws -> [String: Int] {
        let (status, output) = try await server.psql(
            """
            SELECT (SELECT count(*) FROM chimerad.hosts) || ',' || (SELECT count(*) FROM chimerad.sessions) || ',' ||
                (SELECT count(*) FROM chimerad.session_samples) || ',' || (SELECT count(*) FROM chimerad.regressions) || ',' ||
                (SELECT count(*) FROM chimerad.reports) || ',' || (SELECT coalesce(sum(runs_ok), 0) FROM chimerad.sessions)
            """, database: "bench")
        #expect(status == 0, "\(output)")
        let numbers = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
        guard numbers.count == 6 else { return [:] }
        return [
            "hosts": numbers[0], "sessions": numbers[1], "samples": numbers[2], "regressions": numbers[3], "reports": numbers[4],
            "runs_ok": numbers[5],
        ]
    }

    @Test("a batch lands in one transaction, creating the schema; a resend after a commit duplicates nothing", .timeLimit(.minutes(10)))
    func resendDuplicatesNothing() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            try await Self.withStore { store, folder in
                let target = try Self.target(server.url(database: "bench"), password: server.password, store: store, folder: folder)
                try store.queueFleetItems(.init(items: Self.reportItems(path: "runs/a.csv", hash: "h1", sessions: 3, report: "r1"), limit: 1000))
                // A crash after PostgreSQL committed and before the outbox forgot the batch: the
                // same batch is written twice (the schema is created on the way), then sent by the publisher.
                let pending = try store.pendingFleetItems(limit: FleetPublisher.batchSize).compactMap(\.item)
                let connection = try await target.connection.connect(logger: Self.logger)
                _ = try await FleetSchema.migrate(on: connection, appliedBy: "test", logger: Self.logger)
                try await FleetBatchWriter.write(pending, from: Self.sender, on: connection, logger: Self.logger)
                try await FleetBatchWriter.write(pending, from: Self.sender, on: connection, logger: Self.logger)
                try await connection.close()
                let outcome = await FleetPublisher.publishPending(target, budget: .seconds(120), logger: Self.logger)
                #expect(outcome.problem == nil && outcome.sent == pending.count && outcome.backlog.items == 0)
                let counts = try await Self.counts(server)
                #expect(counts == ["hosts": 1, "sessions": 3, "samples": 60, "regressions": 1, "reports": 1, "runs_ok": 30])
                let (_, host) = try await server.psql("SELECT hostname, gpu, build FROM chimerad.hosts", database: "bench")
                #expect(host.trimmingCharacters(in: .whitespacesAndNewlines) == "h100-01|NVIDIA H100|b4521")

                // The next report resolves the regression: the same row, resolved; and a copy of
                // the file under another name is other sessions.
                try store.queueFleetItems(
                    .init(items: Self.reportItems(path: "runs/copy.csv", hash: "h1", sessions: 3, report: "r2", resolved: true), limit: 1000))
                let again = await FleetPublisher.publishPending(target, budget: .seconds(120), logger: Self.logger)
                #expect(again.problem == nil && again.backlog.items == 0)
                #expect(try await Self.counts(server) == ["hosts": 1, "sessions": 6, "samples": 120, "regressions": 1, "reports": 2, "runs_ok": 60])
                let (_, resolution) = try await server.psql("SELECT resolution FROM chimerad.regressions", database: "bench")
                #expect(resolution.trimmingCharacters(in: .whitespacesAndNewlines) == "recovered")

                // Its recovering session turned out as slow: reopened, the row is open again
                // (a resent opening alone would leave it resolved).
                guard case .regression(var reopened) = Self.reportItems(path: "runs/a.csv", hash: "h1", sessions: 0, report: "r3")[1] else {
                    Issue.record("no regression item")
                    return
                }
                reopened.reopened = true
                try store.queueFleetItems(.init(items: [.regression(reopened)], limit: 1000))
                #expect(await FleetPublisher.publishPending(target, budget: .seconds(120), logger: Self.logger).problem == nil)
                let (_, state) = try await server.psql(
                    "SELECT coalesce(resolution, 'open') || ',' || (resolved_at IS NULL) FROM chimerad.regressions", database: "bench")
                #expect(state.trimmingCharacters(in: .whitespacesAndNewlines) == "open,true", "\(state)")
            }
        }
    }

    @Test("an unreachable database keeps items queued; when it answers, every item arrives once", .timeLimit(.minutes(10)))
    func unreachableThenBack() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            try await Self.withStore { store, folder in
                // Nothing listens on the port of a socket bound and closed just now.
                let closed = try Self.target(
                    "postgres://\(PostgresServer.superuser)@127.0.0.1:\(try Self.closedPort())/bench?sslmode=disable", password: server.password,
                    store: store, folder: folder)
                for report in 0..<3 {
                    try store.queueFleetItems(
                        .init(items: Self.reportItems(path: "runs/\(report).csv", hash: "h\(report)", sessions: 2, report: "r\(report)"), limit: 1000)
                    )
                    let outcome = await FleetPublisher.publishPending(closed, budget: .seconds(120), logger: Self.logger)
                    #expect(outcome.problem?.contains("cannot reach the fleet database") == true, "\(outcome.problem ?? "no problem")")
                    #expect(outcome.sent == 0 && outcome.backlog.items == (report + 1) * 9 && outcome.backlog.oldestQueuedAt != nil)
                }
                let back = try Self.target(server.url(database: "bench"), password: server.password, store: store, folder: folder)
                let outcome = await FleetPublisher.publishPending(back, budget: .seconds(120), logger: Self.logger)
                #expect(outcome.problem == nil && outcome.sent == 27 && outcome.backlog == .none)
                // Three reports' regression share one local id: one row.
                #expect(try await Self.counts(server) == ["hosts": 1, "sessions": 6, "samples": 120, "regressions": 1, "reports": 3, "runs_ok": 60])
            }
        }
    }

    @Test("a wrong password and a role without rights: a clear error, no credential, items kept", .timeLimit(.minutes(10)))
    func refusals() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            try await Self.withStore { store, folder in
                try store.queueFleetItems(.init(items: Self.reportItems(path: "a.csv", hash: "h", sessions: 1, report: "r"), limit: 1000))
                let wrong = "not-the-password-\(UUID().uuidString)"
                let refused = await FleetPublisher.publishPending(
                    try Self.target(server.url(database: "bench"), password: wrong, store: store, folder: folder), budget: .seconds(120),
                    logger: Self.logger)
                let login = try #require(refused.problem)
                #expect(login.contains("refused the login") && !login.contains(wrong) && !login.contains(server.password), "\(login)")
                #expect(refused.backlog.items == 6)

                // A login role with no right on the database: it cannot create the schema.
                let rolePassword = "role-\(UUID().uuidString)"
                let (created, output) = try await server.psql(
                    "CREATE ROLE no_rights LOGIN PASSWORD '\(rolePassword)'; REVOKE CREATE ON SCHEMA public FROM PUBLIC", database: "bench")
                #expect(created == 0, "\(output)")
                let url = "postgres://no_rights@127.0.0.1:\(server.port)/bench?sslmode=disable"
                let denied = await FleetPublisher.publishPending(
                    try Self.target(url, password: rolePassword, store: store, folder: folder), budget: .seconds(120), logger: Self.logger)
                let rights = try #require(denied.problem)
                #expect(rights.contains("denied") && !rights.contains(rolePassword), "\(rights)")
                #expect(denied.backlog.items == 6)
                // Once the schema exists, the role still may not write to it.
                let owner = try Self.target(server.url(database: "bench"), password: server.password, store: store, folder: folder)
                let connection = try await owner.connection.connect(logger: Self.logger)
                _ = try await FleetSchema.migrate(on: connection, appliedBy: "test", logger: Self.logger)
                try await connection.close()
                let (granted, grantOutput) = try await server.psql("GRANT USAGE ON SCHEMA chimerad TO no_rights", database: "bench")
                #expect(granted == 0, "\(grantOutput)")
                let stillDenied = await FleetPublisher.publishPending(
                    try Self.target(url, password: rolePassword, store: store, folder: folder), budget: .seconds(120), logger: Self.logger)
                #expect(stillDenied.problem?.contains("denied") == true, "\(stillDenied.problem ?? "no problem")")
                #expect(stillDenied.backlog.items == 6)
                #expect(try await Self.counts(server)["sessions"] == 0)
                // The owner then sends it all.
                let sent = await FleetPublisher.publishPending(owner, budget: .seconds(120), logger: Self.logger)
                #expect(sent.problem == nil && sent.sent == 6)
            }
        }
    }

    @Test("a host's role from the roles script publishes its rows, a changed file's included, and no other host's", .timeLimit(.minutes(10)))
    func leastPrivilegeRolePublishes() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            try await Self.withStore { store, folder in
                let owner = try Self.target(server.url(database: "bench"), password: server.password, store: store, folder: folder)
                let connection = try await owner.connection.connect(logger: Self.logger)
                _ = try await FleetSchema.migrate(on: connection, appliedBy: "test", logger: Self.logger)
                try await connection.close()
                let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("etc/chimerad/fleet-roles.sql").path
                let (applied, output) = try await server.psql("", database: "bench", file: script)
                #expect(applied == 0, "\(output)")
                let (created, setup) = try await server.psql(
                    """
                    CREATE ROLE host_a LOGIN PASSWORD 'pa' IN ROLE chimerad_publisher;
                    INSERT INTO chimerad.host_roles VALUES ('bench-h100-01', 'host_a');
                    """, database: "bench")
                #expect(created == 0, "\(setup)")
                var role = try Self.target(
                    "postgres://host_a@127.0.0.1:\(server.port)/bench?sslmode=disable", password: "pa", store: store, folder: folder)
                try store.queueFleetItems(.init(items: Self.reportItems(path: "a.csv", hash: "h1", sessions: 2, report: "r1"), limit: 1000))
                let first = await FleetPublisher.publishPending(role, budget: .seconds(120), logger: Self.logger)
                #expect(first.problem == nil && first.backlog.items == 0, "\(first.problem ?? "")")
                // The file changed: its earlier content's sessions are retired by the same role.
                let changed =
                    [FleetOutboxItem.fileVersion(.init(sourcePath: "a.csv", contentHash: "h2"))]
                    + Self.reportItems(path: "a.csv", hash: "h2", sessions: 1, report: "r2")
                try store.queueFleetItems(.init(items: changed, limit: 1000))
                let second = await FleetPublisher.publishPending(role, budget: .seconds(120), logger: Self.logger)
                #expect(second.problem == nil && second.backlog.items == 0, "\(second.problem ?? "")")
                #expect(try await Self.counts(server) == ["hosts": 1, "sessions": 1, "samples": 20, "regressions": 1, "reports": 2, "runs_ok": 10])
                // Under a host id its role is not mapped to: refused by row-level security, items kept.
                role.sender.hostID = "someone-else"
                try store.queueFleetItems(.init(items: Self.reportItems(path: "b.csv", hash: "h", sessions: 1, report: "r3"), limit: 1000))
                let spoof = await FleetPublisher.publishPending(role, budget: .seconds(120), logger: Self.logger)
                #expect(spoof.problem?.contains("row-level security") == true && spoof.backlog.items == 6, "\(spoof.problem ?? "")")
            }
        }
    }

    /// A loopback port nothing listens on (bound, then closed).
    static func closedPort() throws -> Int {
        // Bound and never listening for the life of the test process (see
        // `LoopbackServer.closedPort`): refused, and never another server's.
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #expect(socketFD >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0 }
        }
        #expect(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
