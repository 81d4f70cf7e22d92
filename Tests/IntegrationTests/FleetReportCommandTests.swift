import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `chimerad report --fleet` over what real hosts published to a real
/// PostgreSQL: two daemons and a one-shot host, with different host ids,
/// GPUs and trees. The fleet report's per-host runs and medians are the
/// local reports', its pooled counts their sum, a regression both H100 hosts
/// opened is one finding, and a host whose harness broke and went silent is named.
@Suite(
    "chimerad report --fleet reads a real PostgreSQL", .serialized,
    .enabled(if: PostgresServer.isAvailable, "needs Debian's postgresql: apt-get install postgresql (scripts/setup-test-tools)"))
struct FleetReportCommandTests {
    static func runFile(_ throughputs: [Double], day: Int, model: String = "m", error: String = "") -> String {
        var text =
            "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options\n"
        for (index, tps) in throughputs.enumerated() {
            let value = error.isEmpty ? String(tps) : ""
            text +=
                "2026-11-\(10 + day)T10:00:\(String(format: "%02d", index * 5 % 60))Z,\(model),\(index),prompt \(index),0.1,\(value),0.0,0.01,1.0,20,48,100,\(error),\n"
        }
        return text
    }

    /// A llama-bench CSV beside the runs: what records the folder's GPU and build.
    static func environmentFile(gpu: String, build: String) -> String {
        "build_commit,build_number,gpu_info,model_type,n_prompt,n_gen,avg_ts,stddev_ts\n\(build),4521,\(gpu),llama 8B Q4_0,0,128,50.5,0.4\n"
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func query(_ server: PostgresServer, _ sql: String) async throws -> String {
        let (status, output) = try await server.psql(sql, database: "bench")
        #expect(status == 0, "\(output)")
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until `host` has `sessions` sessions in the fleet.
    static func published(_ server: PostgresServer, host: String, sessions: Int) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(180)
        while true {
            let (_, output) = try await server.psql("SELECT count(*) FROM chimerad.sessions WHERE host_id = '\(host)'", database: "bench")
            if output.trimmingCharacters(in: .whitespacesAndNewlines) == String(sessions) { return true }
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Per model, the runs and the pooled decode median a local report.json gives.
    static func localGroups(_ report: [String: Any]) -> [String: (runs: Int, median: Double?)] {
        var groups: [String: (runs: Int, median: Double?)] = [:]
        for item in report.list("llm_runs") {
            guard let model = item["model"] as? String else { continue }
            groups[model] = (item.int("runs_ok") ?? 0, item.object("tokens_per_second")["median"] as? Double)
        }
        return groups
    }

    @Test(
        "two daemons and a one-shot host publish; the fleet report agrees with each local report and gathers their regression",
        .timeLimit(.minutes(15)))
    func fleetReportAgreesWithHosts() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            let folder = try Chimerad.temporaryFolder("fleet-report")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let passwordFile = folder + "/fleet-password"
            try Self.write(server.password + "\n", to: passwordFile)
            chmod(passwordFile, 0o600)
            let url = server.url(database: "bench")
            func config(_ host: String) throws -> String {
                let path = folder + "/\(host).yaml"
                try Self.write(
                    "model:\n  backend: none\nfleet:\n  postgres_url: \"\(url)\"\n  password_file: \"\(passwordFile)\"\n  host_id: \(host)\n",
                    to: path)
                return path
            }

            // Two H100 hosts as daemons: two sessions at about 100 tok/s, then one at about 80.
            var localReports: [String: [String: Any]] = [:]
            var daemons: [RunCommandTests.RunningDaemon] = []
            for host in ["fleet-a", "fleet-b"] {
                let hostFolder = folder + "/" + host
                try FileManager.default.createDirectory(atPath: hostFolder, withIntermediateDirectories: true)
                let notify = try NotifySocket()
                let daemon = try await RunCommandTests.RunningDaemon(
                    folder: hostFolder, notify: notify, extraArguments: ["--config", try config(host)])
                daemons.append(daemon)
                #expect(await notify.wait(timeout: .seconds(60)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
                func land(_ text: String, as name: String) async throws -> [String: Any] {
                    let before = daemon.reports().count
                    try Self.write(text, to: daemon.watch + "/" + name)
                    return try #require(try await daemon.nextReport(after: before, within: .seconds(60)), "no report; log:\n\(daemon.logText)")
                }
                _ = try await land(Self.environmentFile(gpu: "NVIDIA H100", build: "b4521"), as: "llama-bench.csv")
                _ = try await land(Self.runFile((0..<10).map { 100 + Double($0) / 10 }, day: 1), as: "a.csv")
                _ = try await land(Self.runFile((0..<10).map { 100.3 + Double($0) / 10 }, day: 2), as: "b.csv")
                let last = try await land(Self.runFile((0..<10).map { 80 + Double($0) / 10 }, day: 3), as: "c.csv")
                #expect(!last.object("regressions").list("open").isEmpty, "\(host) should open a regression; log:\n\(daemon.logText)")
                localReports[host] = last
                #expect(try await Self.published(server, host: host, sessions: 3), "log:\n\(daemon.logText)")
            }
            for daemon in daemons {
                daemon.signal(SIGTERM)
                #expect(try await daemon.exitStatus(within: .seconds(60)) == 0)
            }

            // An L4 host reporting once: a model of its own, then a session in which nothing ran.
            let input = folder + "/fleet-c/in"
            try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
            try Self.write(Self.environmentFile(gpu: "NVIDIA L4", build: "b4400"), to: input + "/llama-bench.csv")
            try Self.write(Self.runFile((0..<8).map { 40 + Double($0) }, day: 1), to: input + "/m.csv")
            try Self.write(Self.runFile((0..<6).map { 20 + Double($0) }, day: 2, model: "small"), to: input + "/small.csv")
            try Self.write(Self.runFile(Array(repeating: 0, count: 5), day: 5, error: "connection refused"), to: input + "/dead.csv")
            let oneShot = try await Chimerad.run(
                [
                    "report", "--config", try config("fleet-c"), "--input", input, "--output", folder + "/fleet-c/out", "--state",
                    folder + "/fleet-c/state",
                ], environment: ["PGPASSWORD": "", "PGUSER": ""], timeout: .seconds(300))
            #expect(oneShot.status == 0, "\(oneShot.stderr)")
            let localJSON = try #require(oneShot.stdout.split(separator: "\n").map(String.init).first { $0.hasSuffix(".json") })
            localReports["fleet-c"] = try Chimerad.json(localJSON)
            #expect(try await Self.published(server, host: "fleet-c", sessions: 3))
            // fleet-c went quiet three days ago, as far as the fleet can tell.
            _ = try await Self.query(server, "UPDATE chimerad.hosts SET last_seen = now() - interval '3 days' WHERE host_id = 'fleet-c'")

            // The README's query for Apache Otava: one host's sessions of a model, in time order.
            let otava = try await Self.query(
                server,
                """
                SELECT measured_at, host_id, build, source_path, tokens_per_second_median, ttft_seconds_median
                FROM chimerad.sessions
                WHERE host_id = 'fleet-a' AND model = 'm' AND configuration = '{}'
                  AND runs_ok > 0
                ORDER BY measured_at
                """)
            #expect(otava.split(separator: "\n").count == 3 && otava.contains("|b4521|"), "\(otava)")

            // Read as the roles script's reader: SELECT on every table suffices.
            let script = Chimerad.repository.path + "/etc/chimerad/fleet-roles.sql"
            #expect(try await server.psql("", database: "bench", file: script).status == 0)
            #expect(
                try await server.psql("CREATE ROLE fleetview LOGIN PASSWORD 'pv' IN ROLE chimerad_reader", database: "bench").status == 0)
            let output = folder + "/fleet-out"
            let readerURL = url.replacingOccurrences(of: "//\(PostgresServer.superuser)@", with: "//fleetview@")
            #expect(readerURL != url)
            let fleet = try await Chimerad.run(
                ["report", "--fleet", "--config", try Chimerad.neutralConfig(), "--fleet-url", readerURL, "--output", output],
                environment: ["PGPASSWORD": "pv", "PGUSER": ""], timeout: .seconds(300))
            #expect(fleet.status == 0, "\(fleet.stderr)")
            let paths = fleet.stdout.split(separator: "\n").map(String.init)
            let json = try Chimerad.json(try #require(paths.first { $0.hasSuffix(".json") }))
            #expect(json["schema"] as? String == "chimerad.fleet-report/1")
            #expect(json["own_rows_only"] as? Bool == false)
            let hosts = json.list("hosts")
            #expect(hosts.compactMap { $0["host_id"] as? String } == ["fleet-a", "fleet-b", "fleet-c"])
            #expect(hosts.allSatisfy { ($0["hostname"] as? String)?.isEmpty == false && $0["last_seen"] is String })
            #expect(hosts.map { $0.object("environment")["gpu"] as? String } == ["NVIDIA H100", "NVIDIA H100", "NVIDIA L4"])

            // Per host and model: the local report's runs and pooled median, exactly.
            let fleetRuns = json.list("llm_runs")
            #expect(fleetRuns.allSatisfy { $0["host_id"] is String })
            var pooledRuns: [String: Int] = [:]
            for (host, report) in localReports {
                for (model, local) in Self.localGroups(report) {
                    let rows = fleetRuns.filter { $0["host_id"] as? String == host && $0["model"] as? String == model }
                    #expect(rows.count == 1, "\(host) \(model): \(rows)")
                    guard let row = rows.first else { continue }
                    #expect(row.int("runs_ok") == local.runs, "\(host) \(model)")
                    let figures = row.object("tokens_per_second")
                    #expect(figures["basis"] as? String == "runs")
                    if let median = local.median {
                        #expect(abs((figures["median"] as? Double ?? .nan) - median) < 1e-9, "\(host) \(model): \(figures) against \(median)")
                    }
                    pooledRuns[model, default: 0] += local.runs
                }
            }
            for total in json.list("fleet_runs") {
                let model = try #require(total["model"] as? String)
                #expect(total.int("runs_ok") == pooledRuns[model], "\(model)")
            }
            #expect(pooledRuns["m"] == 68)

            // One finding for the regression both H100 hosts opened; fleet-c's broken harness and silence.
            let regressions = json.list("regressions")
            #expect(regressions.count == 1, "\(regressions)")
            let finding = try #require(regressions.first)
            #expect(finding.strings("hosts") == ["fleet-a", "fleet-b"] && finding.int("hosts_of_kind") == 2)
            #expect((finding["text"] as? String)?.contains("is worse on 2 of 2 NVIDIA H100 hosts") == true, "\(finding)")
            #expect(json.list("harness_failures").map { $0["host_id"] as? String } == ["fleet-c"])
            #expect(json.list("harness_failures").first?["failing_now"] as? Bool == true)
            #expect(json.strings("stopped_hosts") == ["fleet-c"])

            // The page and its chart, with the Markdown's sections.
            let markdown = try String(contentsOfFile: try #require(paths.first { $0.hasSuffix(".md") }), encoding: .utf8)
            #expect(markdown.contains("## Regressions Across Hosts") && markdown.contains("### m\n"))
            let html = try String(contentsOfFile: try #require(paths.first { $0.hasSuffix(".html") }), encoding: .utf8)
            #expect(html.contains("<svg") && !html.contains("<script"))
            let charts = json.list("charts")
            #expect(!charts.isEmpty)
            for chart in charts {
                #expect(FileManager.default.fileExists(atPath: output + "/" + (chart["path"] as? String ?? "")))
            }
            #expect(FileManager.default.fileExists(atPath: output + "/latest.md"))
            // In a real browser without a network: nothing logged, a page drawn.
            if HTMLBrowserTests.canRun {
                let (console, ink) = try await HTMLBrowserTests.load(output + "/latest.html", in: folder)
                #expect(console.isEmpty, "\(console)")
                #expect(ink.drawn > 0.03, "\(ink)")
            } else {
                print("skipped the fleet page in chromium: needs chromium, unshare and .venv-test (scripts/setup-test-tools)")
            }

            // Read with a publishing host's role: row-level security shows it its own rows, and the report says so.
            #expect(
                try await server.psql(
                    "CREATE ROLE pub_a LOGIN PASSWORD 'pa' IN ROLE chimerad_publisher; INSERT INTO chimerad.host_roles VALUES ('fleet-a', 'pub_a')",
                    database: "bench"
                ).status == 0)
            // Without --output: fleet/ under the host's output folder, never beside its own reports.
            let hostConfig = folder + "/host-output.yaml"
            try Self.write("model:\n  backend: none\noutput:\n  directory: \"\(folder)/own-out\"\n", to: hostConfig)
            let own = try await Chimerad.run(
                [
                    "report", "--fleet", "--config", hostConfig, "--fleet-url",
                    url.replacingOccurrences(of: "//\(PostgresServer.superuser)@", with: "//pub_a@"),
                ], environment: ["PGPASSWORD": "pa", "PGUSER": ""], timeout: .seconds(300))
            #expect(own.status == 0, "\(own.stderr)")
            let ownPath = try #require(own.stdout.split(separator: "\n").map(String.init).first { $0.hasSuffix(".json") })
            #expect(ownPath.hasPrefix(folder + "/own-out/fleet/chimera-report-"), "\(ownPath)")
            let ownJSON = try Chimerad.json(ownPath)
            #expect(ownJSON["own_rows_only"] as? Bool == true)
            #expect(ownJSON.list("hosts").compactMap { $0["host_id"] as? String } == ["fleet-a"])
            #expect(own.stderr.contains("sees only its own rows"), "\(own.stderr)")
        }
    }

    @Test("a database without the schema, and one that is not there: a clear error, exit 1, no report", .timeLimit(.minutes(10)))
    func failsClearly() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("empty")
            let folder = try Chimerad.temporaryFolder("fleet-report-errors")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let output = folder + "/out"
            let environment = ["PGPASSWORD": server.password, "PGUSER": ""]
            let empty = try await Chimerad.run(
                ["report", "--fleet", "--config", try Chimerad.neutralConfig(), "--fleet-url", server.url(database: "empty"), "--output", output],
                environment: environment, timeout: .seconds(120))
            #expect(empty.status == 1 && empty.stderr.contains("has no chimerad schema"), "\(empty.stderr)")
            #expect(!empty.stderr.contains(server.password))
            let closed = "postgres://\(PostgresServer.superuser)@127.0.0.1:\(try HTTPProbe.freePort())/bench?sslmode=disable"
            let down = try await Chimerad.run(
                ["report", "--fleet", "--config", try Chimerad.neutralConfig(), "--fleet-url", closed, "--output", output],
                environment: environment, timeout: .seconds(120))
            #expect(down.status == 1 && down.stderr.contains("cannot reach the fleet database"), "\(down.stderr)")
            let none = try await Chimerad.run(
                ["report", "--fleet", "--config", try Chimerad.neutralConfig(), "--output", output], environment: environment, timeout: .seconds(60))
            #expect(none.status == 78 && none.stderr.contains("no fleet is configured"), "\(none.stderr)")
            let written = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
            #expect(!written.contains { $0.hasSuffix(".md") }, "\(written)")
        }
    }

    @Test(
        "fleet watch: a report at start, the next soon after a host publishes (not the hourly schedule), again after PostgreSQL restarts; SIGTERM stops it",
        .timeLimit(.minutes(10)))
    func watchReportsWhenAHostPublishes() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            let folder = try Chimerad.temporaryFolder("fleet-watch")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let url = server.url(database: "bench")
            let environment = ["PGPASSWORD": server.password, "PGUSER": ""]
            let neutral = try Chimerad.neutralConfig()
            let migrate = try await Chimerad.run(["fleet", "migrate", "--config", neutral, "--fleet-url", url], environment: environment)
            #expect(migrate.status == 0, "\(migrate.stderr)")

            let output = folder + "/fleet-out"
            let notify = try NotifySocket()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Chimerad.binary))
            process.arguments = [
                "fleet", "watch", "--config", neutral, "--fleet-url", url, "--output", output, "--settle-seconds", "1", "--min-interval-seconds", "0",
                "--every-minutes", "60", "--log-target", "console",
            ]
            var processEnvironment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            processEnvironment["NOTIFY_SOCKET"] = notify.path
            process.environment = processEnvironment
            let log = folder + "/watch.log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            defer {
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                }
            }
            func logText() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
            #expect(await notify.wait(timeout: .seconds(60)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(logText())")

            /// The hosts of the newest fleet report, once it lists `expected` (nil when none did within a minute).
            func hosts(becoming expected: [String]) async throws -> [String]? {
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline {
                    if let json = try? Chimerad.json(output + "/latest.json") {
                        let hosts = json.list("hosts").compactMap { $0["host_id"] as? String }
                        if hosts == expected { return hosts }
                    }
                    try await Task.sleep(for: .milliseconds(200))
                }
                return nil
            }
            #expect(try await hosts(becoming: []) == [], "the first report, at start; log:\n\(logText())")

            func publish(as host: String) async throws {
                let input = folder + "/" + host
                try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
                try Self.write(Self.runFile((0..<5).map { 60 + Double($0) }, day: 1), to: input + "/m.csv")
                let report = try await Chimerad.run(
                    [
                        "report", "--config", neutral, "--input", input, "--output", input + "-out", "--state", input + "-state", "--fleet-url", url,
                        "--host-id", host,
                    ], environment: environment, timeout: .seconds(300))
                #expect(report.status == 0 && !report.stderr.contains("did not finish"), "\(report.stderr)")
            }
            try await publish(as: "watched-1")
            #expect(try await hosts(becoming: ["watched-1"]) == ["watched-1"], "log:\n\(logText())")

            // The listening connection dies with the server; the next publication is still heard.
            try await server.stopKeepingData()
            try await server.startAgain()
            try await publish(as: "watched-2")
            #expect(try await hosts(becoming: ["watched-1", "watched-2"]) == ["watched-1", "watched-2"], "log:\n\(logText())")
            #expect(logText().contains("fleet report written"))

            kill(process.processIdentifier, SIGTERM)
            #expect(try await process.exited(within: .seconds(60)), "log:\n\(logText())")
            #expect(process.terminationStatus == 0, "log:\n\(logText())")
        }
    }
}
