import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `chimerad report` with a fleet configured, as built, against a real
/// PostgreSQL started for the test: the report's sessions, runs, samples and
/// record land in the fleet's tables (the schema created on the way); with
/// the database unreachable the report is still written (exit 0, a line on
/// stderr), and the next report sends what was left, once.
@Suite(
    "chimerad report publishes to a real PostgreSQL", .serialized,
    .enabled(if: PostgresServer.isAvailable, "needs Debian's postgresql: apt-get install postgresql (scripts/setup-test-tools)"))
struct FleetPublishTests {
    private static func runFile(_ throughputs: [Double], day: Int, model: String = "m") -> String {
        var text =
            "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options\n"
        for (index, tps) in throughputs.enumerated() {
            text +=
                "2026-11-\(10 + day)T10:00:\(String(format: "%02d", index * 5 % 60))Z,\(model),\(index),prompt \(index),0.1,\(tps),0.0,0.01,1.0,20,48,100,,\n"
        }
        return text
    }

    /// `SELECT` output, trimmed.
    private static func query(_ server: PostgresServer, _ sql: String) async throws -> String {
        let (status, output) = try await server.psql(sql, database: "bench")
        #expect(status == 0, "\(output)")
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The runs every `llm_runs[]` item of a report.json counts.
    private static func localRuns(_ json: String) throws -> Int {
        try Chimerad.json(json).list("llm_runs").reduce(0) { $0 + ($1.int("runs_ok") ?? 0) }
    }

    @Test("a report's sessions land once; an unreachable fleet costs nothing locally and is caught up", .timeLimit(.minutes(10)))
    func reportPublishes() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            let folder = try Chimerad.temporaryFolder("fleet-publish")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let (input, output, state) = (folder + "/in", folder + "/out", folder + "/state")
            try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
            let passwordFile = folder + "/fleet-password"
            try Data((server.password + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
            chmod(passwordFile, 0o600)
            let config = folder + "/chimerad.yaml"
            try Data("model:\n  backend: none\nfleet:\n  password_file: \"\(passwordFile)\"\n".utf8).write(to: URL(fileURLWithPath: config))
            try Data(Self.runFile((0..<10).map { 100 + Double($0) }, day: 1).utf8).write(to: URL(fileURLWithPath: input + "/a.csv"))
            try Data(Self.runFile((0..<12).map { 50 + Double($0) }, day: 2, model: "n").utf8).write(to: URL(fileURLWithPath: input + "/b.csv"))
            func report(url: String) async throws -> Chimerad.Result {
                try await Chimerad.run(
                    [
                        "report", "--config", config, "--input", input, "--output", output, "--state", state, "--fleet-url", url, "--host-id",
                        "bench-01",
                    ],
                    environment: ["PGPASSWORD": "", "PGUSER": ""], timeout: .seconds(300))
            }
            let url = server.url(database: "bench")

            let first = try await report(url: url)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(!first.stderr.contains("fleet publication did not finish"), "\(first.stderr)")
            let json = try #require(first.stdout.split(separator: "\n").map(String.init).first { $0.hasSuffix(".json") })
            let runs = try Self.localRuns(json)
            #expect(runs == 22)
            let landed = try await Self.query(server, "SELECT count(*), sum(runs_ok) FROM chimerad.sessions WHERE host_id = 'bench-01'")
            #expect(landed == "2|\(runs)", "stderr:\n\(first.stderr)")
            #expect(try await Self.query(server, "SELECT host_id FROM chimerad.hosts") == "bench-01")
            let name = URL(fileURLWithPath: json).deletingPathExtension().lastPathComponent
            #expect(try await Self.query(server, "SELECT report_name, trigger, sessions FROM chimerad.reports") == "\(name)|manual|2")
            // Per session, as many throughput samples as values behind its median (under 40 runs: all of them).
            #expect(
                try await Self.query(
                    server,
                    """
                    SELECT count(*) FROM chimerad.sessions s WHERE tokens_per_second_n = (SELECT count(*) FROM chimerad.session_samples p
                        WHERE p.host_id = s.host_id AND p.source_path = s.source_path AND p.content_hash = s.content_hash
                        AND p.session_index = s.session_index AND p.metric = 'tokens_per_second')
                    """) == "2")
            #expect(try await Self.query(server, "SELECT string_agg(source_path, ',' ORDER BY source_path) FROM chimerad.sessions") == "a.csv,b.csv")

            // The database unreachable: two more files, two reports, each written (exit 0) and saying so on stderr.
            let closed = "postgres://\(PostgresServer.superuser)@127.0.0.1:\(try HTTPProbe.freePort())/bench?sslmode=disable"
            for (index, file) in ["c.csv", "d.csv"].enumerated() {
                try Data(Self.runFile((0..<10).map { 100 + Double($0) }, day: 3 + index).utf8).write(to: URL(fileURLWithPath: input + "/" + file))
                let down = try await report(url: closed)
                #expect(down.status == 0, "\(down.stderr)")
                #expect(down.stderr.contains("fleet publication did not finish"), "\(down.stderr)")
                // Found by the same journal query as the daemon's failed rounds.
                #expect(down.stderr.contains("message_id=b81255b2258244eeaa839742bc0ddccc"), "\(down.stderr)")
                #expect(!down.stderr.contains(server.password))
            }
            #expect(try await Self.query(server, "SELECT count(*) FROM chimerad.sessions") == "2")

            // Back: the next report sends what was left, and adds nothing of its own but its record.
            let back = try await report(url: url)
            #expect(back.status == 0, "\(back.stderr)")
            let backJSON = try #require(back.stdout.split(separator: "\n").map(String.init).first { $0.hasSuffix(".json") })
            let allRuns = try Self.localRuns(backJSON)
            #expect(try await Self.query(server, "SELECT count(*), sum(runs_ok) FROM chimerad.sessions") == "4|\(allRuns)")
            #expect(try await Self.query(server, "SELECT count(*) FROM chimerad.reports") == "4")

            // A session that grew (runs appended within the session gap): still one session, its runs counted once.
            let grown =
                Self.runFile((0..<10).map { 100 + Double($0) }, day: 1)
                + Self.runFile([110, 111], day: 1).split(separator: "\n").dropFirst()
                .map { $0.replacingOccurrences(of: "10:00:0", with: "10:01:0") + "\n" }.joined()
            try Data(grown.utf8).write(to: URL(fileURLWithPath: input + "/a.csv"))
            let appended = try await report(url: url)
            #expect(appended.status == 0, "\(appended.stderr)")
            let appendedJSON = try #require(appended.stdout.split(separator: "\n").map(String.init).first { $0.hasSuffix(".json") })
            let grownRuns = try Self.localRuns(appendedJSON)
            #expect(grownRuns == allRuns + 2)
            #expect(try await Self.query(server, "SELECT count(*), sum(runs_ok) FROM chimerad.sessions") == "4|\(grownRuns)")
            #expect(try await Self.query(server, "SELECT runs_ok FROM chimerad.sessions WHERE source_path = 'a.csv'") == "12")
        }
    }

    @Test("the daemon: STATUS= says the fleet is behind while it is unreachable; after a reload to it, the sessions land", .timeLimit(.minutes(10)))
    func daemonPublishesBeside() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            let folder = try Chimerad.temporaryFolder("fleet-daemon")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let passwordFile = folder + "/fleet-password"
            try Data((server.password + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
            chmod(passwordFile, 0o600)
            let config = folder + "/chimerad.yaml"
            func configure(_ url: String) throws {
                try Data(
                    "model:\n  backend: none\nfleet:\n  postgres_url: \"\(url)\"\n  password_file: \"\(passwordFile)\"\n  host_id: daemon-01\n".utf8
                ).write(to: URL(fileURLWithPath: config), options: .atomic)
            }
            try configure("postgres://\(PostgresServer.superuser)@127.0.0.1:\(try HTTPProbe.freePort())/bench?sslmode=disable")
            let notify = try NotifySocket()
            let daemon = try await RunCommandTests.RunningDaemon(folder: folder, notify: notify, extraArguments: ["--config", config])
            #expect(await notify.wait(timeout: .seconds(60)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
            let before = daemon.reports().count
            try Data(Self.runFile((0..<10).map { 100 + Double($0) }, day: 1).utf8).write(to: URL(fileURLWithPath: daemon.watch + "/a.csv"))
            _ = try #require(try await daemon.nextReport(after: before, within: .seconds(60)), "no report; log:\n\(daemon.logText)")
            #expect(
                await notify.wait(timeout: .seconds(60)) { $0.contains("fleet behind: ") && $0.contains(" items unsent since ") } != nil,
                "STATUS= names the backlog; log:\n\(daemon.logText)")
            #expect(try await daemon.logContains("fleet publication failed", within: .seconds(30)))
            #expect(daemon.logText.contains("items_behind") && !daemon.logText.contains(server.password))

            // The database named by a reload: the publisher tries at once, and the backlog clears.
            try configure(server.url(database: "bench"))
            daemon.signal(SIGHUP)
            let deadline = ContinuousClock.now + .seconds(120)
            var sessions = ""
            while ContinuousClock.now < deadline {
                // The schema may not be there yet: the publisher creates it.
                let (_, output) = try await server.psql("SELECT count(*) FROM chimerad.sessions WHERE host_id = 'daemon-01'", database: "bench")
                sessions = output.trimmingCharacters(in: .whitespacesAndNewlines)
                if sessions == "1" { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(sessions == "1", "log:\n\(daemon.logText)")
            #expect(try await daemon.logContains("fleet publication recovered", within: .seconds(30)), "log:\n\(daemon.logText)")
            daemon.signal(SIGTERM)
            #expect(try await daemon.exitStatus(within: .seconds(60)) == 0)
        }
    }

    @Test("PostgreSQL stopped while the daemon reports, then started: every session arrives once", .timeLimit(.minutes(10)))
    func daemonAcrossAStoppedServer() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            let folder = try Chimerad.temporaryFolder("fleet-restart")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let passwordFile = folder + "/fleet-password"
            try Data((server.password + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
            chmod(passwordFile, 0o600)
            let config = folder + "/chimerad.yaml"
            try Data(
                "model:\n  backend: none\nfleet:\n  postgres_url: \"\(server.url(database: "bench"))\"\n  password_file: \"\(passwordFile)\"\n  host_id: daemon-02\n"
                    .utf8
            ).write(to: URL(fileURLWithPath: config))
            let notify = try NotifySocket()
            let daemon = try await RunCommandTests.RunningDaemon(folder: folder, notify: notify, extraArguments: ["--config", config])
            #expect(await notify.wait(timeout: .seconds(60)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
            func land(_ name: String, day: Int) async throws -> [String: Any] {
                let before = daemon.reports().count
                try Data(Self.runFile((0..<10).map { 100 + Double($0) + Double(day) }, day: day).utf8).write(
                    to: URL(fileURLWithPath: daemon.watch + "/" + name))
                return try #require(try await daemon.nextReport(after: before, within: .seconds(60)), "no report; log:\n\(daemon.logText)")
            }
            func sessions() async throws -> String {
                let (_, output) = try await server.psql(
                    "SELECT count(*) || '|' || coalesce(sum(runs_ok), 0) FROM chimerad.sessions WHERE host_id = 'daemon-02'", database: "bench")
                return output.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            func eventually(_ expected: String) async throws -> String {
                let deadline = ContinuousClock.now + .seconds(180)
                var found = try await sessions()
                while found != expected, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(250))
                    found = try await sessions()
                }
                return found
            }
            _ = try await land("a.csv", day: 1)
            #expect(try await eventually("1|10") == "1|10", "log:\n\(daemon.logText)")

            try await server.stopKeepingData()
            _ = try await land("b.csv", day: 2)
            let last = try await land("c.csv", day: 3)
            #expect(
                await notify.wait(timeout: .seconds(60)) { $0.contains("fleet behind: ") } != nil,
                "STATUS= names the backlog; log:\n\(daemon.logText)")
            let localRuns = last.list("llm_runs").reduce(0) { $0 + ($1.int("runs_ok") ?? 0) }
            #expect(localRuns == 30)

            try await server.startAgain()
            #expect(try await eventually("3|\(localRuns)") == "3|\(localRuns)", "log:\n\(daemon.logText)")
            #expect(try await daemon.logContains("fleet publication recovered", within: .seconds(30)))
            let (_, reports) = try await server.psql("SELECT count(*) FROM chimerad.reports WHERE host_id = 'daemon-02'", database: "bench")
            #expect(Int(reports.trimmingCharacters(in: .whitespacesAndNewlines)) == daemon.reports().count)
            daemon.signal(SIGTERM)
            #expect(try await daemon.exitStatus(within: .seconds(60)) == 0)
        }
    }
}
