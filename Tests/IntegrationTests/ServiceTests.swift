import Foundation
import TestSupport
import Testing

/// The units as `scripts/install` installs them, run by a real systemd (PID 1
/// of a private namespace, see `SystemdNamespace`).
@Suite(
    .enabled(if: SystemdNamespace.canBoot, "\(SystemdNamespace.unavailableReason ?? "")"),
    .enabled(if: Chimerad.binary != nil, "chimerad binary not found; build it first (swift build) or set CHIMERAD_BIN")
)
struct ServiceTests {
    /// The most `systemd-analyze security` may rate a unit (0 safest, 10 least safe).
    static let highestExposure = 2.5

    @Test func theUnitsInstallVerifyAndAreHardened() async throws {
        let system = try await boot()
        defer { system.shutdown() }
        try await install(system)

        let verify = try await system.run([
            "systemd-analyze", "verify", "/etc/systemd/system/chimerad.service", "/etc/systemd/system/chimerad-report.service",
            "/etc/systemd/system/chimerad-fleet.service",
        ])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        for unit in ["chimerad.service", "chimerad-report.service", "chimerad-fleet.service"] {
            let security = try await system.run(["systemd-analyze", "security", "--no-pager", unit])
            let exposure = try #require(Self.exposure(in: security.stdout), "no rating in: \(security.stdout)\(security.stderr)")
            #expect(exposure <= Self.highestExposure, "\(unit) rated \(exposure):\n\(security.stdout)")
        }

        // A second install keeps a config the admin changed, and says so.
        let config = "/etc/chimerad/chimerad.yaml"
        try await system.run(["sh", "-c", "echo '# changed by the admin' >> \(config)"])
        let again = try await system.run([system.repository + "/scripts/install", "--binary", system.binary, "--no-model"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("kept the existing \(config)"), "\(again.stderr)")
        #expect(try await system.contents(of: config)?.hasSuffix("# changed by the admin\n") == true)
    }

    @Test func theOneShotUnitWritesAReportInsideItsSandbox() async throws {
        let system = try await boot()
        defer { system.shutdown() }
        try await install(system)
        // Seeded before the first start: systemd moves the folder into the
        // DynamicUser's private state and hands it over to that user.
        try await system.run(["mkdir", "-p", "/var/lib/chimerad/inbox"])
        for sample in ["hyperfine/gzip_levels.json", "llama-bench/gemma3-270m-q4_k_m.json"] {
            try await system.run(["cp", system.repository + "/examples/results/" + sample, "/var/lib/chimerad/inbox/"])
        }
        let start = try await system.run(["systemctl", "start", "chimerad-report.service"], timeout: 60)
        // Read now for the failure messages: an expectation's message cannot await.
        let log = await journal(system, "chimerad-report.service")
        #expect(start.status == 0, "\(start.stderr)\n\(log)")
        #expect(try await system.property("chimerad-report.service", "Result") == "success")
        let report = try await latestReport(system)
        #expect(report?["schema"] as? String == "chimerad.report/1")
        let inputs = report?["inputs"] as? [String: Any] ?? [:]
        #expect(inputs["files_seen"] as? Int == 2, "the default config's inbox was not read: \(inputs)")
        // libdispatch's nice -4 manager thread is refused to a service user; its complaint stays out of the journal.
        #expect(!log.contains("Failed to set thread priority"), "\(log)")
    }

    /// The managed llama-server is a child of the unit: it must start, load
    /// and answer inside the same sandbox (no W^X memory, a system call
    /// filter, a transient user, loopback only), and be gone with the unit.
    @Test(.modelServerTurn, .enabled(if: RealModel.installation != nil, "needs llama-server and the GGUFs in .venv: run scripts/setup-model"))
    func theOneShotUnitRunsTheManagedModelInsideItsSandbox() async throws {
        let system = try await boot()
        defer { system.shutdown() }
        // The model where the installed service finds it, put there by
        // scripts/install as for users: the repository's venv is copied in
        // first (a fresh pip install would take minutes), and the install's
        // own setup-model brings it up to date and writes its manifest. The
        // repository's own .venv would not do: a clone under /tmp is hidden
        // from the unit by PrivateTmp=.
        let venv = "/usr/local/lib/chimerad/venv"
        try await system.run(["mkdir", "-p", "/usr/local/lib/chimerad"])
        let copy = try await system.run(["cp", "-a", system.repository + "/.venv", venv], timeout: 300)
        try #require(copy.status == 0, "copying the venv failed: \(copy.stderr)")
        let install = try await system.run([system.repository + "/scripts/install", "--binary", system.binary], timeout: 600)
        try #require(install.status == 0, "scripts/install failed: \(install.stderr)")
        #expect(install.stderr.contains("installed the local model in \(venv)"), "\(install.stderr)")
        // A fixed narrative budget for a loaded machine (the shipped config
        // derives one from the model's pace): the assertions are about the
        // reply, not its speed.
        let config = "/etc/chimerad/chimerad.yaml"
        try await system.run([
            // model.timeout_seconds only: notify has a timeout_seconds of its own.
            "sed", "-i", "-e", "s|^  backend: auto$|  backend: managed|", "-e",
            "/^model:/,/^[a-z]/s|^  timeout_seconds: [0-9]*$|  timeout_seconds: 300|",
            "-e", "s|^  priority: idle$|  priority: normal|", config,
        ])
        let effective = try await system.run(["/usr/local/bin/chimerad", "check-config", "--config", config]).stdout
        try #require(effective.contains("backend: managed") && effective.contains("timeout_seconds: 300"), "config not changed:\n\(effective)")
        try await system.run(["mkdir", "-p", "/var/lib/chimerad/inbox"])
        // Runs the narrative can choose items about (a llama-bench file of one
        // build alone offers none, and the model would not be asked for any).
        try await system.run(["cp", system.repository + "/examples/results/ollama-style/gemma3-270m_runs.csv", "/var/lib/chimerad/inbox/"])
        let start = try await system.run(["systemctl", "start", "chimerad-report.service"], timeout: 420)
        // Read now for the failure messages: an expectation's message cannot await.
        let log = await journal(system, "chimerad-report.service")
        #expect(start.status == 0, "\(start.stderr)\n\(log)")
        let report = try #require(try await latestReport(system), "no report:\n\(log)")
        let call = report["model_call"] as? [String: Any] ?? [:]
        let narrative = report["narrative"] as? [String: Any] ?? [:]
        #expect(call["backend"] as? String == "managed")
        #expect((call["tokens_generated"] as? Int ?? 0) > 0, "no reply inside the sandbox: \(narrative)\n\(log)")
        #expect((narrative["items_asked"] as? Int ?? 0) > 0, "\(narrative)")
        #expect(((narrative["items_kept"] as? Int ?? 0) + (narrative["items_dropped"] as? Int ?? 0)) > 0, "\(narrative)\n\(log)")
        // The server went with the one-shot run.
        #expect(try await system.run(["pgrep", "-x", "llama-server"]).status != 0, "llama-server outlived chimerad-report.service")
    }

    /// The model backends speak HTTP to loopback: the sandbox must let that
    /// through and stop connections anywhere else.
    @Test func theSandboxReachesLoopbackOnly() async throws {
        let system = try await boot()
        defer { system.shutdown() }
        try await install(system)
        let port = Int.random(in: 20_000..<40_000)
        // A unit, not a background job: a child left running would keep
        // Foundation's Process waiting on the fd it inherited.
        let server = "[Service]\nExecStart=/usr/bin/python3 -m http.server --bind 0.0.0.0 \(port)\n"
        try await system.run(["sh", "-c", "cat > /run/systemd/system/chimerad-test-http.service"], input: server)
        try await system.run(["systemctl", "daemon-reload"])
        try await system.run(["systemctl", "start", "chimerad-test-http.service"])
        let probe = { (address: String) in "exec 3<>/dev/tcp/\(address)/\(port)" }
        try await system.waitUntil("a test server on port \(port)", within: .seconds(10)) {
            try await system.run(["bash", "-c", probe("127.0.0.1")], timeout: 5).status == 0
        }
        // The one-shot unit's sandbox, with a connection attempt for a program.
        func connects(to address: String) async throws -> Bool {
            // A blocked connection is dropped, not refused: give up after 3 s.
            let dropIn = "[Service]\nExecStart=\nExecStart=/usr/bin/timeout 3 /bin/bash -c '\(probe(address))'\n"
            try await system.run(
                [
                    "sh", "-c",
                    "mkdir -p /run/systemd/system/chimerad-report.service.d && cat > /run/systemd/system/chimerad-report.service.d/probe.conf",
                ], input: dropIn)
            try await system.run(["systemctl", "daemon-reload"])
            return try await system.run(["systemctl", "start", "chimerad-report.service"], timeout: 20).status == 0
        }
        let reachesLoopback = try await connects(to: "127.0.0.1")
        let log = await journal(system, "chimerad-report.service")  // an expectation's message cannot await
        #expect(reachesLoopback, "loopback blocked:\n\(log)")
        let global = try await system.run(["ip", "-4", "-o", "addr", "show", "scope", "global"]).stdout
        if let address = global.split(separator: " ").first(where: { $0.contains("/") && $0.contains(".") })?.split(separator: "/").first {
            #expect(
                try await system.run(["bash", "-c", probe(String(address))], timeout: 5).status == 0,
                "the server is not reachable on \(address) at all")
            #expect(try await !connects(to: String(address)), "a non-loopback address (\(address)) was reachable from the sandbox")
        }
    }

    @Test func theDaemonStartsReportsReloadsAndStops() async throws {
        let system = try await boot()
        defer { system.shutdown() }
        try await install(system)
        let unit = "chimerad.service"

        #expect(try await system.run(["systemctl", "start", "--no-block", unit]).status == 0)
        do {
            try await system.waitUntil("\(unit) active", within: .seconds(30)) {
                let state = try await system.property(unit, "ActiveState")
                if state == "failed" { throw SystemdNamespace.Failure(description: "\(unit) failed to start") }
                return state == "active"
            }
        } catch {
            Issue.record("\(error)\n\(await journal(system, unit))")
            return
        }
        #expect(try await system.property(unit, "SubState") == "running")
        #expect(try await system.property(unit, "WatchdogUSec") == "30s")
        #expect(try await !system.property(unit, "StatusText").isEmpty, "no STATUS= line")
        let mainPID = try await system.property(unit, "MainPID")

        // A new file becomes a report with trigger "change".
        let before = try await system.run(["readlink", "/var/lib/chimerad/reports/latest.json"]).trimmed
        try await system.run(["cp", system.repository + "/examples/results/pytest-benchmark/bench.json", "/var/lib/chimerad/inbox/bench.json"])
        var changeReport: [String: Any]?
        do {
            try await system.waitUntil("a report for the new file", within: .seconds(20)) {
                let latest = try await system.run(["readlink", "/var/lib/chimerad/reports/latest.json"]).trimmed
                guard !latest.isEmpty, latest != before, let report = try await latestReport(system) else { return false }
                changeReport = report
                return true
            }
        } catch {
            Issue.record("\(error)\n\(await journal(system, unit))")
        }
        if let changeReport {
            #expect(changeReport["trigger"] as? String == "change")
            let changed = (changeReport["inputs"] as? [String: Any])?["files_changed"] as? [String] ?? []
            #expect(changed.contains("bench.json"), "files_changed: \(changed)")
        }
        let entries = try await system.run(["journalctl", "-u", unit, "-o", "json", "--no-pager", "REPORT_TRIGGER=change"])
        #expect(entries.stdout.contains("\"MESSAGE_ID\":\"ff1e9520be0140eda5607100cef62de6\""), "\(entries.stdout)\(entries.stderr)")
        #expect(entries.stdout.contains("\"SYSLOG_IDENTIFIER\":\"chimerad\""))

        // Reload: RELOADING=1 then READY=1; same process, still running.
        let reload = try await system.run(["systemctl", "reload", unit], timeout: 30)
        let reloadLog = await journal(system, unit)  // an expectation's message cannot await
        #expect(reload.status == 0, "\(reload.stderr)\n\(reloadLog)")
        try await system.waitUntil("\(unit) active after the reload", within: .seconds(10)) {
            guard try await system.property(unit, "ActiveState") == "active" else { return false }
            return try await system.property(unit, "SubState") == "running"
        }
        #expect(try await system.property(unit, "MainPID") == mainPID)
        #expect(try await system.property(unit, "NRestarts") == "0")

        // Stop: SIGTERM, STOPPING=1, exit 0.
        let stop = try await system.run(["systemctl", "stop", unit], timeout: 40)
        #expect(stop.status == 0, "\(stop.stderr)")
        let stopLog = await journal(system, unit)
        #expect(try await system.property(unit, "Result") == "success", "\(stopLog)")
        #expect(try await system.property(unit, "ExecMainStatus") == "0")
        #expect(try await system.property(unit, "ActiveState") == "inactive")
    }

    /// `chimerad.socket` as users enable it: systemd holds the port, the
    /// first connection starts `chimerad.service` with the socket passed
    /// (`http.listen: systemd`), and the sandboxed daemon answers on it.
    @Test func theSocketUnitStartsTheServiceAndItServesOnThePassedSocket() async throws {
        let system = try await boot()
        defer { system.shutdown() }
        try await install(system)
        // A port of its own: the namespace shares the host's network.
        let port = Int.random(in: 20_000..<40_000)
        try await system.run(
            ["sh", "-c", "mkdir -p /run/systemd/system/chimerad.socket.d && cat > /run/systemd/system/chimerad.socket.d/port.conf"],
            input: "[Socket]\nListenStream=\nListenStream=127.0.0.1:\(port)\n")
        try await system.run(["sed", "-i", "s|^  listen: \"\"$|  listen: systemd|", "/etc/chimerad/chimerad.yaml"])
        let effective = try await system.run(["/usr/local/bin/chimerad", "check-config", "--config", "/etc/chimerad/chimerad.yaml"])
        try #require(effective.stdout.contains("listen: \"systemd\""), "\(effective.stdout)\(effective.stderr)")
        try await system.run(["mkdir", "-p", "/var/lib/chimerad/inbox"])
        try await system.run(["cp", system.repository + "/examples/results/hyperfine/gzip_levels.json", "/var/lib/chimerad/inbox/"])
        try await system.run(["systemctl", "daemon-reload"])
        let verify = try await system.run(["systemd-analyze", "verify", "/etc/systemd/system/chimerad.socket"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let listening = try await system.run(["systemctl", "start", "chimerad.socket"])
        try #require(listening.status == 0, "\(listening.stderr)")
        #expect(try await system.property("chimerad.service", "ActiveState") == "inactive")

        // The first request waits in the socket's queue while the service starts.
        let request = { (target: String) in
            "exec 3<>/dev/tcp/127.0.0.1/\(port) && printf 'GET \(target) HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n' >&3 && cat <&3"
        }
        let health = try await system.run(["timeout", "60", "bash", "-c", request("/healthz")], timeout: 70)
        let log = await journal(system, "chimerad.service")  // an expectation's message cannot await
        #expect(health.stdout.hasPrefix("HTTP/1.1 200") && health.stdout.hasSuffix("ok\n"), "\(health.stdout)\(health.stderr)\n\(log)")
        #expect(log.contains("serving reports over HTTP"), "\(log)")
        // The server answers from the start; the service is active (READY=1) once the first scan is done.
        try await system.waitUntil("chimerad.service active", within: .seconds(60)) {
            try await system.property("chimerad.service", "ActiveState") == "active"
        }

        try await system.waitUntil("the first report", within: .seconds(60)) { try await latestReport(system) != nil }
        let latest = try await system.run(["bash", "-c", request("/")], timeout: 20)
        #expect(latest.stdout.hasPrefix("HTTP/1.1 200") && latest.stdout.contains("<!DOCTYPE html>"), "\(latest.stdout.prefix(300))")
        let metrics = try await system.run(["bash", "-c", request("/metrics")], timeout: 20)
        #expect(metrics.stdout.contains("chimerad_reports_written_total{trigger=\"startup\"} 1"), "\(metrics.stdout)")

        // A stop leaves the socket with systemd; the service exits cleanly.
        let stop = try await system.run(["systemctl", "stop", "chimerad.service"], timeout: 40)
        #expect(stop.status == 0, "\(stop.stderr)")
        let stopLog = await journal(system, "chimerad.service")
        #expect(try await system.property("chimerad.service", "Result") == "success", "\(stopLog)")
        #expect(try await system.property("chimerad.socket", "ActiveState") == "active")
    }

    // MARK: Helpers

    private func boot() async throws -> SystemdNamespace {
        let binary = try #require(Chimerad.binary)
        return try await SystemdNamespace.boot(repositoryPath: Chimerad.repository.path, binaryPath: binary)
    }

    private func install(_ system: SystemdNamespace) async throws {
        let install = try await system.run([system.repository + "/scripts/install", "--binary", system.binary, "--no-model"])
        try #require(install.status == 0, "scripts/install failed: \(install.stderr)")
        #expect(install.stderr.contains("reloaded systemd"), "\(install.stderr)")
    }

    private func latestReport(_ system: SystemdNamespace) async throws -> [String: Any]? {
        guard let text = try await system.contents(of: "/var/lib/chimerad/reports/latest.json") else { return nil }
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    }

    /// The unit's last log lines, for failure messages.
    private func journal(_ system: SystemdNamespace, _ unit: String) async -> String {
        (try? await system.run(["journalctl", "-u", unit, "--no-pager", "-n", "40"]).stdout) ?? "(journalctl failed)"
    }

    /// The number in "→ Overall exposure level for x.service: 1.1 OK".
    static func exposure(in text: String) -> Double? {
        guard let range = text.range(of: #"exposure level for \S+: [0-9.]+"#, options: .regularExpression) else { return nil }
        return text[range].split(separator: " ").last.flatMap { Double($0) }
    }
}

/// The unit files as shipped, rated without a running systemd or root.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"), "needs systemd-analyze"))
struct UnitFileTests {
    @Test(arguments: ["chimerad.service", "chimerad-report.service"])
    func theUnitIsRatedAtMostTheLimitOffline(unit: String) async throws {
        let path = Chimerad.repository.appendingPathComponent("systemd/" + unit).path
        let (_, output) = try await Chimerad.shell(["systemd-analyze", "security", "--offline=yes", "--no-pager", path])
        let exposure = try #require(ServiceTests.exposure(in: output), "no rating in: \(output)")
        #expect(exposure <= ServiceTests.highestExposure, "\(unit) rated \(exposure) offline:\n\(output)")
    }
}
