import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13's faults, with the built binary and a real PostgreSQL: the
/// daemon killed with SIGKILL at random points of its publication, a TLS
/// mismatch between `sslmode` and the server, and a server that stops
/// answering in the middle of a batch. In each, reports go on locally,
/// nothing is lost and nothing lands twice.
@Suite(
    "Fleet publication under faults", .serialized,
    .enabled(if: PostgresServer.isAvailable, "needs Debian's postgresql: apt-get install postgresql (scripts/setup-test-tools)"))
struct FleetFaultTests {
    /// A run CSV of `sessions` sessions, one hour apart, each of `runs`
    /// successful runs 5 s apart and one failed run; every session's
    /// measurements start at `start` (seconds since 1970) plus its hour.
    static func sessionsFile(model: String, start: Int, sessions: Int, runs: Int) -> String {
        var text =
            "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options\n"
        for session in 0..<sessions {
            for run in 0...runs {
                let time = Date(timeIntervalSince1970: Double(start + session * 3600 + run * 5)).formatted(.iso8601)
                if run == runs {
                    text += "\(time),\(model),\(run),prompt \(run),0,0,0,0,0,0,0,0,model runner stopped,\n"
                } else {
                    let tps = 100 + Double((run * 7 + session) % 11) / 10
                    text += "\(time),\(model),\(run),prompt \(run),0.\(10 + run % 9),\(tps),0.0,0.01,1.0,20,48,100,,\n"
                }
            }
        }
        return text
    }

    /// A folder with a config file that publishes to `url` as `hostID`, the
    /// password in a file beside it.
    struct Host {
        let folder: String
        let config: String
        let hostID: String

        init(label: String, url: String, password: String, hostID: String) throws {
            folder = try Chimerad.temporaryFolder(label)
            self.hostID = hostID
            let passwordFile = folder + "/fleet-password"
            try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
            chmod(passwordFile, 0o600)
            config = folder + "/chimerad.yaml"
            try Data(
                "model:\n  backend: none\nfleet:\n  postgres_url: \"\(url)\"\n  password_file: \"\(passwordFile)\"\n  host_id: \(hostID)\n".utf8
            ).write(to: URL(fileURLWithPath: config))
        }

        var state: String { folder + "/state" }
        var watch: String { folder + "/watch" }

        /// The local store's unsent fleet items, read with sqlite3.
        func outboxItems() async throws -> Int? {
            let (status, output) = try await Chimerad.shell(["sqlite3", state + "/chimerad.sqlite", "SELECT count(*) FROM fleet_outbox"])
            return status == 0 ? Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) : nil
        }
    }

    /// `SELECT` output, trimmed ("" when the query failed: the schema may not be there yet).
    static func query(_ server: PostgresServer, _ sql: String) async throws -> String {
        let (status, output) = try await server.psql(sql, database: "bench")
        return status == 0 ? output.trimmingCharacters(in: .whitespacesAndNewlines) : ""
    }

    /// Polls `condition` every 100 ms until it holds or `timeout` passes.
    static func eventually(within timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    /// Whether `host`'s outbox is empty and the fleet holds `sessions` of its sessions.
    static func drained(_ host: Host, server: PostgresServer, sessions: Int) async throws -> Bool {
        guard try await host.outboxItems() == 0 else { return false }
        return try await fleetCounts(server, host: host.hostID).hasPrefix("\(sessions)|")
    }

    /// The names of the reports the local store recorded (its last 100), sorted.
    static func localReports(_ host: Host) async throws -> [String] {
        let (status, output) = try await Chimerad.shell(["sqlite3", host.state + "/chimerad.sqlite", "SELECT json_path FROM report"])
        #expect(status == 0, "\(output)")
        return output.split(separator: "\n").map { URL(fileURLWithPath: String($0)).deletingPathExtension().lastPathComponent }.sorted()
    }

    /// The names of the reports in the fleet, sorted.
    static func publishedReports(_ server: PostgresServer) async throws -> [String] {
        try await query(server, "SELECT report_name FROM chimerad.reports ORDER BY 1").split(separator: "\n").map(String.init).sorted()
    }

    /// The local report's sessions, successful and failed runs (every `llm_runs[]` item summed).
    static func localCounts(_ report: [String: Any]) -> String {
        let groups = report.list("llm_runs")
        let sum = { (key: String) in groups.reduce(0) { $0 + ($1.int(key) ?? 0) } }
        return "\(sum("sessions_total"))|\(sum("runs_ok"))|\(sum("runs_failed"))"
    }

    /// The fleet's sessions, successful and failed runs of one host, in the same form.
    static func fleetCounts(_ server: PostgresServer, host: String) async throws -> String {
        try await query(
            server,
            "SELECT count(*) || '|' || coalesce(sum(runs_ok), 0) || '|' || coalesce(sum(runs_failed), 0) FROM chimerad.sessions WHERE host_id = '\(host)'"
        )
    }
}

/// A small, seedable generator (SplitMix64): the kill points of one run can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension FleetFaultTests {
    @Test(
        "kill -9 of the daemon at 20 random points of its publication: afterwards every session once, runs and samples exact, the store intact",
        .timeLimit(.minutes(10)), .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs sqlite3"))
    func killedTwentyTimes() async throws {
        let seed = ProcessInfo.processInfo.environment["CHIMERAD_KILL_SEED"].flatMap(UInt64.init) ?? UInt64(Date().timeIntervalSince1970 * 1000)
        var random = SplitMix64(seed: seed)
        let (kills, filesPerRound, sessionsPerFile, runs) = (20, 16, 6, 40)
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            let host = try Host(label: "fleet-kill", url: server.url(database: "bench"), password: server.password, hostID: "kill-01")
            defer { try? FileManager.default.removeItem(atPath: host.folder) }
            try FileManager.default.createDirectory(atPath: host.watch, withIntermediateDirectories: true)
            let serverLog = server.folder + "/server.log"
            func abortedTransactions() -> Int {
                let text = (try? String(contentsOfFile: serverLog, encoding: .utf8)) ?? ""
                return text.components(separatedBy: "unexpected EOF on client connection with an open transaction").count - 1
                    + text.components(separatedBy: "could not receive data from client").count - 1
                    + text.components(separatedBy: "could not send data to client").count - 1
            }
            var seenPublishing = 0
            var midTransaction = 0
            var progress: [Int] = []
            let started = ContinuousClock.now
            for round in 0..<kills {
                // New files each round, so that every daemon has a publication to be killed in.
                for file in 0..<filesPerRound {
                    let text = Self.sessionsFile(
                        model: "model-\(file)", start: 1_780_000_000 + round * 86_400 * 2, sessions: sessionsPerFile, runs: runs)
                    try Data(text.utf8).write(to: URL(fileURLWithPath: host.watch + "/round-\(round)/file-\(file).csv").creatingFolder())
                }
                let daemon = try await RunCommandTests.RunningDaemon(folder: host.folder, notify: nil, extraArguments: ["--config", host.config])
                // Publishing: a transaction of this host's connection is open. Then a random moment later.
                let queued = (round + 1) * filesPerRound * sessionsPerFile
                var publishing = false
                _ = try await Self.eventually(within: .seconds(90)) {
                    publishing =
                        try await Self.query(
                            server, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'chimerad' AND xact_start IS NOT NULL") == "1"
                    if publishing { return true }
                    // Missed: all of it went between two looks.
                    return try await Self.drained(host, server: server, sessions: queued)
                }
                if publishing { seenPublishing += 1 }
                let before = abortedTransactions()
                // Half the kills come soon (often before the round's own report: the publisher starts
                // at once with what the last daemon left), half later (batches commit in between).
                let soon = Bool.random(using: &random)
                try await Task.sleep(for: .milliseconds(soon ? Int.random(in: 0..<150, using: &random) : Int.random(in: 150..<1500, using: &random)))
                daemon.signal(SIGKILL)
                #expect(try await daemon.exitStatus(within: .seconds(60)) != nil)
                // The server notices the connection's end (and rolls the batch back) within a moment.
                _ = try await Self.eventually(within: .seconds(2)) { abortedTransactions() > before }
                if abortedTransactions() > before { midTransaction += 1 }
                progress.append(Int(try await Self.query(server, "SELECT count(*) FROM chimerad.sessions")) ?? 0)
            }
            let killing = ContinuousClock.now - started

            // Once more, left to drain.
            let daemon = try await RunCommandTests.RunningDaemon(folder: host.folder, notify: nil, extraArguments: ["--config", host.config])
            let expectedSessions = kills * filesPerRound * sessionsPerFile
            let drained = try await Self.eventually(within: .seconds(180)) {
                try await Self.drained(host, server: server, sessions: expectedSessions)
            }
            let left = try await host.outboxItems() ?? -1
            #expect(drained, "seed \(seed); outbox \(left); log:\n\(daemon.logText.suffix(3000))")
            // The daemons before it may have drained it all: this one is stopped once it is up, not
            // while a busy machine still starts it (a SIGTERM before its handler is installed ends it
            // by the signal, which systemd counts as a clean stop but is no exit status 0).
            #expect(try await daemon.logContains("chimerad: watching", within: .seconds(60)), "log:\n\(daemon.logText.suffix(3000))")
            daemon.signal(SIGTERM)
            let status = try await daemon.exitStatus(within: .seconds(60))
            #expect(status == 0, "exit status \(status.map(String.init) ?? "none"); log:\n\(daemon.logText.suffix(3000))")

            // Every session of the tree once, with the local report's runs.
            let latest = try Chimerad.json(daemon.output + "/latest.json")
            let local = Self.localCounts(latest)
            #expect(local == "\(expectedSessions)|\(expectedSessions * runs)|\(expectedSessions)", "seed \(seed)")
            #expect(try await Self.fleetCounts(server, host: "kill-01") == local, "seed \(seed)")
            #expect(
                try await Self.query(
                    server, "SELECT count(*) FROM (SELECT source_path, session_index FROM chimerad.sessions GROUP BY 1, 2 HAVING count(*) > 1) d")
                    == "0", "one row per session of a file")
            // Samples: per session and metric, all the values behind its median or none (a group's 12
            // newest sessions at the report that queued them get them); never a part, never more.
            let partial = try await Self.query(
                server,
                """
                SELECT count(*) FROM chimerad.sessions s, LATERAL (
                    SELECT count(*) FILTER (WHERE metric = 'tokens_per_second') AS tps, count(*) FILTER (WHERE metric = 'ttft_seconds') AS ttft
                    FROM chimerad.session_samples p WHERE p.host_id = s.host_id AND p.source_path = s.source_path
                        AND p.content_hash = s.content_hash AND p.session_index = s.session_index) c
                WHERE c.tps NOT IN (0, s.tokens_per_second_n) OR c.ttft NOT IN (0, s.ttft_seconds_n)
                """)
            #expect(partial == "0", "sessions with a part of their samples, or more; seed \(seed)")
            let withSamples =
                Int(
                    try await Self.query(
                        server,
                        "SELECT count(*) FROM chimerad.sessions s WHERE EXISTS (SELECT 1 FROM chimerad.session_samples p WHERE p.source_path = s.source_path AND p.session_index = s.session_index AND p.content_hash = s.content_hash)"
                    )) ?? 0
            // How many depends on where the kills fell (a report that covers several rounds gives its
            // group's 12 newest sessions samples, not all of them): some, at least.
            #expect(withSamples > 0)
            // Every report recorded locally reached the fleet once.
            let reports = try await Self.localReports(host)
            #expect(!reports.isEmpty && reports.count < 100, "the store keeps its last 100")
            #expect(try await Self.publishedReports(server) == reports)
            // The local store survived twenty SIGKILLs.
            let (checked, integrity) = try await Chimerad.shell(["sqlite3", host.state + "/chimerad.sqlite", "PRAGMA integrity_check"])
            #expect(checked == 0 && integrity.trimmingCharacters(in: .whitespacesAndNewlines) == "ok", "\(integrity)")
            // The kills were mostly where they were meant to be: with a publication under way (a look
            // that misses one, all of it between two polls of a busy machine, kills after it: 19 of 20 in CI).
            #expect(seenPublishing >= kills / 2, "a publication was under way at \(seenPublishing) of \(kills) kills")
            // And some inside a batch's transaction (the server rolled it back): 11 to 18 of 20 in the runs measured here.
            #expect(midTransaction > 0, "no kill landed inside a batch; seed \(seed)")
            print(
                "fleet kill test: seed \(seed), \(kills) kills in \(killing), \(midTransaction) with a batch's transaction open,"
                    + " sessions in the fleet after each kill \(progress), \(expectedSessions) sessions, \(withSamples) with samples")
        }
    }
}

extension URL {
    /// This file's URL, its folder created first.
    fileprivate func creatingFolder() throws -> URL {
        try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
        return self
    }
}

extension FleetFaultTests {
    /// `chimerad report` over `input` with `host`'s config and state, and `extra` flags.
    static func report(_ host: Host, input: String, extra: [String] = []) async throws -> (result: Chimerad.Result, json: [String: Any]?) {
        let result = try await Chimerad.run(
            ["report", "--config", host.config, "--input", input, "--output", host.folder + "/out", "--state", host.state] + extra,
            environment: ["PGPASSWORD": "", "PGUSER": ""], timeout: .seconds(300))
        let json = result.stdout.split(separator: "\n").map(String.init).first { $0.hasSuffix(".json") }.flatMap { try? Chimerad.json($0) }
        return (result, json)
    }

    /// What `chimerad status` says of the fleet's backlog ("" when nothing waits).
    static func statusLine(_ host: Host) async throws -> String {
        let status = try await Chimerad.run(["status", "--config", host.config, "--state", host.state], timeout: .seconds(120))
        return status.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("fleet: ") } ?? ""
    }

    @Test(
        "a TLS mismatch: report and daemon name it without the password, the report is written, items stay queued and go once it fits",
        .timeLimit(.minutes(10)), .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "needs openssl to make certificates")
    )
    func tlsMismatch() async throws {
        // sslmode=require against a server without TLS.
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            let host = try Host(
                label: "fleet-tls-plain", url: server.url(database: "bench", sslMode: "require"), password: server.password, hostID: "tls-01")
            defer { try? FileManager.default.removeItem(atPath: host.folder) }
            let input = host.folder + "/in"
            try Data(Self.sessionsFile(model: "m", start: 1_780_000_000, sessions: 2, runs: 10).utf8).write(
                to: URL(fileURLWithPath: input + "/a.csv").creatingFolder())
            let (plain, json) = try await Self.report(host, input: input)
            #expect(plain.status == 0, "\(plain.stderr)")
            #expect(json.map(Self.localCounts) == "2|20|2", "the local report is written")
            #expect(plain.stderr.contains("fleet publication did not finish"), "\(plain.stderr)")
            #expect(
                plain.stderr.contains("the fleet database chimerad_test@127.0.0.1:\(server.port)/bench does not offer TLS, which sslmode asks for"),
                "\(plain.stderr)")
            #expect(!plain.stderr.contains(server.password) && !plain.stdout.contains(server.password))
            let queued = try #require(try await host.outboxItems())
            #expect(queued > 0)
            #expect(try await Self.statusLine(host).hasPrefix("fleet: \(queued) items not yet published since "))
            #expect(try await Self.fleetCounts(server, host: "tls-01") == "", "nothing reached the database (not even the schema)")
        }

        // verify-full against a TLS server: a certificate signed by another CA than sslrootcert's, and a name that does not match.
        let certificates = try await FleetMigrateTests.certificates()
        let otherCA = try await FleetMigrateTests.certificates()
        defer {
            try? FileManager.default.removeItem(atPath: certificates)
            try? FileManager.default.removeItem(atPath: otherCA)
        }
        let tls = PostgresServer.TLSFiles(certificate: certificates + "/server.crt", key: certificates + "/server.key")
        try await PostgresServer.with(tls: tls) { server in
            try await server.createDatabase("bench")
            let right = server.url(database: "bench", sslMode: "verify-full", host: "localhost") + "&sslrootcert=" + certificates + "/ca.pem"
            let wrongRoot = server.url(database: "bench", sslMode: "verify-full", host: "localhost") + "&sslrootcert=" + otherCA + "/ca.pem"
            let wrongName = server.url(database: "bench", sslMode: "verify-full") + "&sslrootcert=" + certificates + "/ca.pem"
            let host = try Host(label: "fleet-tls", url: wrongRoot, password: server.password, hostID: "tls-02")
            defer { try? FileManager.default.removeItem(atPath: host.folder) }
            let input = host.folder + "/in"
            try Data(Self.sessionsFile(model: "m", start: 1_780_000_000, sessions: 2, runs: 10).utf8).write(
                to: URL(fileURLWithPath: input + "/a.csv").creatingFolder())

            let (untrusted, json) = try await Self.report(host, input: input)
            #expect(untrusted.status == 0 && json != nil, "\(untrusted.stderr)")
            #expect(untrusted.stderr.contains("fleet publication did not finish"), "\(untrusted.stderr)")
            #expect(
                untrusted.stderr.contains("TLS with the fleet database chimerad_test@localhost:\(server.port)/bench failed"), "\(untrusted.stderr)")
            #expect(untrusted.stderr.contains("the server's certificate could not be verified"), "\(untrusted.stderr)")
            #expect(!untrusted.stderr.contains("handshake.cc"), "no library internals: \(untrusted.stderr)")
            #expect(!untrusted.stderr.contains(server.password))

            let (misnamed, _) = try await Self.report(host, input: input, extra: ["--fleet-url", wrongName])
            #expect(misnamed.status == 0, "\(misnamed.stderr)")
            #expect(misnamed.stderr.contains("the server's certificate is not for the host in the URL"), "\(misnamed.stderr)")
            #expect(!misnamed.stderr.contains(server.password))
            let queued = try #require(try await host.outboxItems())
            #expect(queued > 0)

            // The daemon, with the untrusted root: it says so in the journal and STATUS=, and reports on locally.
            let notify = try NotifySocket()
            let daemon = try await RunCommandTests.RunningDaemon(
                folder: host.folder, notify: notify, watchFlag: false, extraArguments: ["--config", host.config, "--watch", input])
            #expect(await notify.wait(timeout: .seconds(60)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
            #expect(try await daemon.logContains("fleet publication failed", within: .seconds(60)), "log:\n\(daemon.logText)")
            #expect(await notify.wait(timeout: .seconds(60)) { $0.contains("fleet behind: ") } != nil, "log:\n\(daemon.logText)")
            let log = daemon.logText
            #expect(log.contains("message_id=b81255b2258244eeaa839742bc0ddccc") && log.contains("TLS with the fleet database"), "\(log)")
            #expect(!log.contains(server.password))
            let before = daemon.reports().count
            try Data(Self.sessionsFile(model: "m", start: 1_780_100_000, sessions: 1, runs: 10).utf8).write(
                to: URL(fileURLWithPath: input + "/b.csv"))
            #expect(try await daemon.nextReport(after: before, within: .seconds(60)) != nil, "reports go on; log:\n\(daemon.logText)")
            daemon.signal(SIGTERM)
            #expect(try await daemon.exitStatus(within: .seconds(60)) == 0)
            #expect(try await Self.fleetCounts(server, host: "tls-02") == "")

            // TLS that fits: everything queued goes, each session once.
            let (fits, last) = try await Self.report(host, input: input, extra: ["--fleet-url", right])
            #expect(fits.status == 0 && !fits.stderr.contains("did not finish"), "\(fits.stderr)")
            let local = try #require(last.map(Self.localCounts))
            #expect(local == "3|30|3")
            #expect(try await Self.fleetCounts(server, host: "tls-02") == local)
            #expect(try await host.outboxItems() == 0)
            #expect(try await Self.statusLine(host) == "")
            #expect(try await Self.publishedReports(server) == Self.localReports(host))
            #expect(try await Self.localReports(host).count == 4, "two reports before the daemon, one by it, one after")
        }
    }

    @Test(
        "a database that stops answering mid-batch: the daemon cuts the batch at its bound, reports on, says the fleet is behind, catches up",
        .timeLimit(.minutes(10)))
    func deadNetworkMidBatch() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            let host = try Host(label: "fleet-stall", url: server.url(database: "bench"), password: server.password, hostID: "stall-01")
            defer { try? FileManager.default.removeItem(atPath: host.folder) }
            let notify = try NotifySocket()
            let daemon = try await RunCommandTests.RunningDaemon(folder: host.folder, notify: notify, extraArguments: ["--config", host.config])
            #expect(await notify.wait(timeout: .seconds(60)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
            func land(_ name: String, start: Int) async throws -> [String: Any] {
                let before = daemon.reports().count
                try Data(Self.sessionsFile(model: "m", start: start, sessions: 2, runs: 10).utf8).write(
                    to: URL(fileURLWithPath: daemon.watch + "/" + name))
                return try #require(try await daemon.nextReport(after: before, within: .seconds(60)), "no report; log:\n\(daemon.logText)")
            }
            _ = try await land("a.csv", start: 1_780_000_000)
            #expect(try await Self.eventually(within: .seconds(120)) { try await Self.fleetCounts(server, host: "stall-01") == "2|20|2" })

            // The connection the daemon keeps between rounds: its server process stops, mid-conversation.
            let pids = try await Self.query(server, "SELECT pid FROM pg_stat_activity WHERE application_name = 'chimerad'")
            let backend = try #require(pid_t(pids), "one connection of the daemon: \(pids)")
            #expect(kill(backend, SIGSTOP) == 0)
            var resumed = false
            defer { if !resumed { kill(backend, SIGCONT) } }
            let stopped = ContinuousClock.now
            _ = try await land("b.csv", start: 1_780_100_000)
            let last = try await land("c.csv", start: 1_780_200_000)
            let reportsGoOn = ContinuousClock.now - stopped
            // STATUS= says the fleet is behind while the batch still waits (a round past 10 s), before the
            // batch's bound of 90 s ends it, which is itself well before TCP's own timeout (about 15 minutes).
            #expect(
                await notify.wait(timeout: .seconds(240)) { $0.contains("fleet behind: ") } != nil,
                "STATUS= says the fleet is behind; log:\n\(daemon.logText)")
            let behind = ContinuousClock.now - stopped
            #expect(!daemon.logText.contains("fleet publication failed"), "STATUS= came first; log:\n\(daemon.logText)")
            #expect(try await daemon.logContains("stopped answering: no reply within 90 s", within: .seconds(200)), "log:\n\(daemon.logText)")
            let failed = ContinuousClock.now - stopped
            #expect(daemon.logText.contains("message_id=b81255b2258244eeaa839742bc0ddccc"))

            // After the backoff, a new connection (the stopped process still holds the old one): all of it, once.
            #expect(try await daemon.logContains("fleet publication recovered", within: .seconds(120)), "log:\n\(daemon.logText)")
            #expect(daemon.logText.contains("message_id=0030b52f08bf49119b70d28394f3cd8e"))
            #expect(try await Self.fleetCounts(server, host: "stall-01") == Self.localCounts(last))
            #expect(Self.localCounts(last) == "6|60|6")
            #expect(await notify.wait(timeout: .seconds(60)) { $0.contains("STATUS=") && !$0.contains("fleet behind") } != nil)
            kill(backend, SIGCONT)
            resumed = true
            daemon.signal(SIGTERM)
            #expect(try await daemon.exitStatus(within: .seconds(60)) == 0, "log:\n\(daemon.logText)")
            print(
                "fleet stall test: reports b and c written \(reportsGoOn) after the stop; STATUS= behind after \(behind); the batch cut after \(failed)"
            )
        }
    }
}
