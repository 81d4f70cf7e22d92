import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `http.listen` with the built binary: `chimerad run` over a small folder
/// serves the latest report, the index, a report file, a chart, the feed and
/// `/metrics`, read-only, and refuses what it did not publish. `/metrics` is
/// read by the prometheus-client package's own parser, as a scraper would.
@Suite("The reports served over HTTP", .serialized)
struct HTTPServingTests {
    static let python = Chimerad.repository.path + "/.venv-test/bin/python"
    /// Whether `.venv-test` has the prometheus-client parser (scripts/setup-test-tools installs it).
    static let hasMetricsParser: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import prometheus_client.parser"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// A daemon serving on a free loopback port over a copy of
    /// `examples/results` (reports with charts); the number of files copied.
    static func startServing(
        _ folder: String, model: String = "model:\n  backend: none\n"
    ) async throws -> (
        RunCommandTests.RunningDaemon, HTTPProbe, files: Int
    ) {
        let examples = Chimerad.repository.appendingPathComponent("examples/results").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: examples, toPath: folder + "/watch")
        let files = (FileManager.default.enumerator(atPath: folder + "/watch")?.allObjects as? [String] ?? []).filter {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/watch/" + $0, isDirectory: &isFolder) && !isFolder.boolValue
        }.count
        let port = try HTTPProbe.freePort()
        let config = folder + "/chimerad.yaml"
        try "log:\n  level: info\n\(model)http:\n  listen: 127.0.0.1:\(port)\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let daemon = try await RunCommandTests.RunningDaemon(folder: folder, notify: nil, environment: ["CHIMERAD_CONFIG": config])
        return (daemon, HTTPProbe(port: port), files)
    }

    /// Waits for the first report and for the server to answer.
    static func waitUntilServing(_ daemon: RunCommandTests.RunningDaemon, _ probe: HTTPProbe) async throws {
        try #require(
            try await daemon.nextReport(after: 0, within: .seconds(120)) != nil, "no first report; log:\n\(daemon.logText)")
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            if let answer = try? await probe.get("/healthz"), answer.status == 200 { return }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the server never answered /healthz; log:\n\(daemon.logText)")
    }

    @Test(
        "serves the latest report, the index, a report, a chart and the feed; refuses the rest",
        .enabled(if: Chimerad.binary != nil, "chimerad binary not found; build it first (swift build) or set CHIMERAD_BIN"))
    func servesThePublishedReports() async throws {
        let folder = try Chimerad.temporaryFolder("http")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (daemon, probe, _) = try await Self.startServing(folder)
        try await Self.waitUntilServing(daemon, probe)
        let output = daemon.output

        let latest = try await probe.get("/")
        #expect(latest.status == 200, "\(latest.body)")
        #expect(latest.headers["content-type"] == "text/html; charset=utf-8")
        #expect(latest.headers["content-security-policy"]?.hasPrefix("default-src 'none'; style-src 'unsafe-inline'; img-src data:") == true)
        #expect(latest.headers["x-content-type-options"] == "nosniff")
        #expect(latest.headers["cache-control"] == "no-cache")
        // What latest.html points at, byte for byte (unless a newer report landed meanwhile).
        let onDisk = try String(contentsOfFile: output + "/latest.html", encoding: .utf8)
        #expect(latest.body == onDisk || latest.body.hasPrefix("<!DOCTYPE html>"))
        #expect((try await probe.request("HEAD", "/")).body.isEmpty)

        let base = try FileManager.default.destinationOfSymbolicLink(atPath: output + "/latest.md").replacingOccurrences(of: ".md", with: "")
        let index = try await probe.get("/reports/")
        #expect(index.status == 200 && index.body.contains("href=\"/reports/\(base).md\""), "\(index.body)")
        let markdown = try await probe.get("/reports/\(base).md")
        #expect(markdown.status == 200 && markdown.headers["content-type"] == "text/markdown; charset=utf-8")
        #expect(markdown.body == (try String(contentsOfFile: output + "/\(base).md", encoding: .utf8)))
        let json = try await probe.get("/reports/\(base).json")
        #expect(json.status == 200 && json.headers["content-type"] == "application/json")

        let charts = try FileManager.default.contentsOfDirectory(atPath: output + "/charts/" + base).filter { $0.hasSuffix(".svg") }
        let chart = try #require(charts.first, "the report has no chart")
        let svg = try await probe.get("/charts/\(base)/\(chart)")
        #expect(svg.status == 200 && svg.headers["content-type"] == "image/svg+xml" && svg.body.contains("<svg"))

        let feed = try await probe.get("/regressions.atom")
        #expect(feed.status == 200 && feed.headers["content-type"] == "application/atom+xml; charset=utf-8", "\(feed.status)")
        #expect(feed.body.contains("<feed"))

        // What it did not publish: a link planted at a report's name, the
        // store, a way up, encoded or not, and anything but a read.
        // The link points at a secret of the test's own, outside the output
        // folder, never at a system file a writing bug would destroy.
        let planted = "chimera-report-20990101T000000Z"
        let secret = folder + "/secret.txt"
        let secretText = "root:not-to-be-served\n"
        try secretText.write(toFile: secret, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: "\(output)/\(planted).md", withDestinationPath: secret)
        for target in [
            "/reports/\(planted).md", "/reports/../state/chimerad.sqlite", "/..", "/reports/..%2F..%2Fetc%2Fpasswd",
            "/charts/\(base)/..%2F..%2F..%2Fetc%2Fpasswd", "/%2e%2e/%2e%2e/etc/passwd", "/latest.md", "/chimerad.yaml",
        ] {
            let answer = try await probe.get(target)
            #expect(answer.status == 404 || answer.status == 400, "\(target): \(answer.status)")
            #expect(!answer.body.contains("root:"), "\(target) served a secret")
        }
        let index2 = try await probe.get("/reports/")
        #expect(!index2.body.contains(planted), "a planted link is listed as a report")
        for method in ["POST", "PUT", "DELETE"] {
            let answer = try await probe.request(method, "/reports/\(base).md")
            #expect(answer.status == 405 && answer.headers["allow"] == "GET, HEAD", "\(method): \(answer.status)")
        }
        #expect(FileManager.default.fileExists(atPath: "\(output)/\(base).md"), "a DELETE removed a report")
        #expect((try? String(contentsOfFile: secret, encoding: .utf8)) == secretText, "something wrote through the planted link")

        // A reload that moves the server says it waits for a restart, and
        // the server stays where it is.
        let config = folder + "/chimerad.yaml"
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try text.replacingOccurrences(of: "127.0.0.1:\(probe.port)", with: "127.0.0.1:\(try HTTPProbe.freePort())").write(
            toFile: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(
            try await daemon.logContains("a changed key applies only when chimerad restarts", within: .seconds(60)), "\(daemon.logText)")
        #expect(try await probe.get("/healthz").status == 200)

        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(60)) == 0, "\(daemon.logText)")
    }

    /// The resident memory of process `pid`, in bytes (`VmRSS`).
    static func residentBytes(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    @Test(
        "a large report goes out a chunk at a time: clients that stop reading hold a chunk each, not the file",
        .enabled(if: Chimerad.binary != nil, "chimerad binary not found; build it first (swift build) or set CHIMERAD_BIN"))
    func largeFilesAreStreamed() async throws {
        let folder = try Chimerad.temporaryFolder("http-large")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (daemon, probe, _) = try await Self.startServing(folder)
        try await Self.waitUntilServing(daemon, probe)
        // A report page of 40 MB (the server sends up to 64 MB), dated after
        // every real one so no pruning takes it.
        let name = "chimera-report-20990101T000000Z.html"
        let size = 40 << 20
        var page = Array("<!DOCTYPE html>\n".utf8)
        page += [UInt8](repeating: UInt8(ascii: "x"), count: size - page.count)
        try Data(page).write(to: URL(fileURLWithPath: daemon.output + "/" + name))

        let pid = daemon.process.processIdentifier
        let before = try #require(Self.residentBytes(pid))
        let clients = 8
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        for _ in 0..<clients { sockets.append(try probe.requestWithoutReading("/reports/\(name)")) }
        // Every client's request is taken and its response started: the
        // server still answers, and has had time to fill what it would buffer.
        #expect(try await probe.get("/healthz").status == 200)
        try await Task.sleep(for: .seconds(2))
        let during = try #require(Self.residentBytes(pid))
        // Whole-file responses hold a copy per client (8 x 40 MB, and more);
        // chunks hold what the socket and a chunk take. The bound is half the
        // copies, not one file: on a machine loaded beside a fresh clone's CI
        // the daemon's own first report was still growing it (by 58 MB once).
        #expect(
            during - before < clients * size / 2, "resident memory grew by \(during - before) bytes with \(clients) clients not reading")

        let whole = try await probe.get("/reports/\(name)")
        #expect(whole.status == 200 && whole.headers["content-length"] == "\(size)")
        #expect(whole.body.utf8.count == size && whole.body.hasPrefix("<!DOCTYPE html>") && whole.body.hasSuffix("xxxx"))

        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(60)) == 0, "\(daemon.logText)")
    }

    @Test(
        "clients that trickle their requests (slowloris) into every slot lose them: the next client is answered",
        .enabled(if: Chimerad.binary != nil, "chimerad binary not found; build it first (swift build) or set CHIMERAD_BIN"))
    func tricklingClientsDoNotHoldTheServer() async throws {
        let folder = try Chimerad.temporaryFolder("http-slow")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (daemon, probe, _) = try await Self.startServing(folder)
        try await Self.waitUntilServing(daemon, probe)
        var sockets: [Int32] = []
        // More than the server's slots, each sending a byte a second: never
        // idle, never done.
        for _ in 0..<20 { sockets.append(try probe.unfinishedRequest()) }
        let trickle = Task.detached { [sockets] in
            while !Task.isCancelled {
                for socket in sockets { _ = send(socket, "x", 1, Int32(MSG_NOSIGNAL)) }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        // The sockets are closed only once the trickle has stopped writing to
        // them (a closed descriptor's number may be another test's by then).
        func stopTrickling() async {
            trickle.cancel()
            await trickle.value
            for socket in sockets { close(socket) }
        }
        do {
            try await Task.sleep(for: .seconds(1))
            // Answered once the trickling clients' time is up (10 s), not never.
            let started = ContinuousClock.now
            let answer = try await probe.request("GET", "/healthz", timeout: .seconds(40))
            #expect(answer.status == 200)
            #expect(ContinuousClock.now - started < .seconds(30))
        } catch {
            await stopTrickling()
            throw error
        }
        await stopTrickling()
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(60)) == 0, "\(daemon.logText)")
    }

    /// A server that cannot run is a configuration error: chimerad stops
    /// before its first scan with the key and the reason, as for a bad value.
    @Test(
        "a port already taken, or systemd with no socket passed, stops chimerad at start with the reason",
        .enabled(if: Chimerad.binary != nil, "chimerad binary not found; build it first (swift build) or set CHIMERAD_BIN"))
    func aServerThatCannotListenStopsTheStart() async throws {
        let folder = try Chimerad.temporaryFolder("http-taken")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/watch", withIntermediateDirectories: true)
        let (taken, port) = try HTTPProbe.listeningSocket()
        defer { close(taken) }
        for (listen, reason) in [
            ("127.0.0.1:\(port)", "http.listen 127.0.0.1:\(port): cannot listen there: Address already in use (errno 98)"),
            ("systemd", "passed no socket"),
        ] {
            let config = folder + "/chimerad.yaml"
            try "model:\n  backend: none\nhttp:\n  listen: \"\(listen)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
            let result = try await Chimerad.run(
                [
                    "run", "--watch", folder + "/watch", "--output", folder + "/out", "--state", folder + "/state", "--log-target",
                    "console",
                ], environment: ["CHIMERAD_CONFIG": config], timeout: .seconds(120))
            // 78: EX_CONFIG, as for a bad value; before any report.
            #expect(!result.timedOut && result.status == 78, "\(listen): \(result.status)\n\(result.stderr)")
            #expect(result.stderr.contains(reason), "\(listen):\n\(result.stderr)")
            let reports = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/out")) ?? []
            #expect(!reports.contains { $0.hasPrefix("chimera-report-") }, "a report was written before the failure: \(reports)")
        }
    }

    struct Scrape: Decodable {
        struct Family: Decodable {
            var type: String
            var samples: [Sample]
        }

        /// `[name, labels, value]`.
        struct Sample: Decodable {
            var name: String
            var labels: [String: String]
            var value: Double

            init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                name = try container.decode(String.self)
                labels = try container.decode([String: String].self)
                value = try container.decode(Double.self)
            }
        }

        var problems: [String]
        var families: [String: Family]

        func value(_ family: String, _ sample: String, _ labels: [String: String] = [:]) -> Double? {
            families[family]?.samples.first { $0.name == sample && $0.labels == labels }?.value
        }
    }

    /// `/metrics` read by prometheus-client's parser, once `until` holds (or
    /// after a minute: the caller's expectations then say what is missing).
    static func scrape(_ probe: HTTPProbe, folder: String, until: (Scrape) -> Bool) async throws -> Scrape {
        var scrape: Scrape? = nil
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let answer = try await probe.get("/metrics")
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            let path = folder + "/metrics.txt"
            try answer.body.write(toFile: path, atomically: true, encoding: .utf8)
            let (status, output) = try await Chimerad.shell([python, Chimerad.repository.path + "/Tests/Tools/check_metrics.py", path])
            try #require(status == 0, "\(output)")
            let json = try #require(output.split(separator: "\n").last.map(String.init))
            let parsed = try JSONDecoder().decode(Scrape.self, from: Data(json.utf8))
            scrape = parsed
            if until(parsed) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try #require(scrape)
    }

    /// The narrative's timings and outcome, from a scripted model server on
    /// loopback whose replies are prose instead of the JSON asked for.
    @Test(
        "/metrics counts a narrative, its time and the model's first token",
        .enabled(if: Chimerad.binary != nil, "chimerad binary not found; build it first (swift build) or set CHIMERAD_BIN"),
        .enabled(if: hasMetricsParser, "needs .venv-test with prometheus-client (scripts/setup-test-tools installs it)"))
    func metricsOfANarrative() async throws {
        let model = try ModelFaultTests.server { _ in (try? ModelFaultTests.reply("The results look fine overall.")) ?? .bytes("") }
        defer { model.stop() }
        let folder = try Chimerad.temporaryFolder("http-narrative")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (daemon, probe, _) = try await Self.startServing(
            folder, model: "model:\n  backend: openai\n  url: \"\(model.url)\"\n  timeout_seconds: 60\n")
        try await Self.waitUntilServing(daemon, probe)
        let metrics = try await Self.scrape(probe, folder: folder) { scrape in
            (scrape.value("chimerad_narrative_duration_seconds", "chimerad_narrative_duration_seconds_count") ?? 0) >= 1
        }
        #expect(metrics.problems.isEmpty, "\(metrics.problems)")
        let narratives = ["written", "unavailable", "superseded"].compactMap {
            metrics.value("chimerad_narratives", "chimerad_narratives_total", ["result": $0])
        }
        #expect(narratives.reduce(0, +) >= 1, "\(daemon.logText)")
        #expect((metrics.value("chimerad_narratives", "chimerad_narratives_total", ["result": "unavailable"]) ?? 0) >= 1)
        #expect((metrics.value("chimerad_narrative_duration_seconds", "chimerad_narrative_duration_seconds_count") ?? 0) >= 1)
        #expect(
            (metrics.value("chimerad_narrative_first_token_seconds", "chimerad_narrative_first_token_seconds_count") ?? 0) >= 1,
            "no first-token time from a streamed reply")
        // The model's name is no label.
        let labelValues = metrics.families.values.flatMap(\.samples).flatMap { $0.labels.values }
        #expect(!labelValues.contains { $0.contains("127.0.0.1") }, "\(labelValues)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(60)) == 0, "\(daemon.logText)")
    }

    @Test(
        "/metrics parses with prometheus-client's parser and counts the report and the files",
        .enabled(if: Chimerad.binary != nil, "chimerad binary not found; build it first (swift build) or set CHIMERAD_BIN"),
        .enabled(if: hasMetricsParser, "needs .venv-test with prometheus-client (scripts/setup-test-tools installs it)"))
    func metricsParse() async throws {
        let folder = try Chimerad.temporaryFolder("http-metrics")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (daemon, probe, files) = try await Self.startServing(folder)
        try await Self.waitUntilServing(daemon, probe)
        // The report's metrics are recorded right after it is published: poll.
        let metrics = try await Self.scrape(probe, folder: folder) { scrape in
            (scrape.value("chimerad_reports_written", "chimerad_reports_written_total", ["trigger": "startup"]) ?? 0) >= 1
        }
        #expect(metrics.problems.isEmpty, "\(metrics.problems)")
        let written = Self.triggers.compactMap { metrics.value("chimerad_reports_written", "chimerad_reports_written_total", ["trigger": $0]) }
        #expect(written.reduce(0, +) >= 1, "reports written: \(metrics.families["chimerad_reports_written"].map { "\($0.samples)" } ?? "none")")
        #expect(metrics.families["chimerad_reports_written"]?.type == "counter")
        let analysed = metrics.value("chimerad_files_tracked", "chimerad_files_tracked", ["status": "analysed"]) ?? -1
        let skipped = metrics.value("chimerad_files_tracked", "chimerad_files_tracked", ["status": "skipped"]) ?? -1
        #expect(analysed + skipped == Double(files), "files tracked: \(analysed) analysed + \(skipped) skipped, \(files) landed")
        #expect(analysed >= 1)
        #expect(metrics.families["chimerad_files_tracked"]?.type == "gauge")
        for histogram in ["chimerad_report_duration_seconds", "chimerad_ingest_duration_seconds"] {
            #expect(metrics.families[histogram]?.type == "histogram", "\(histogram)")
            #expect((metrics.value(histogram, histogram + "_count") ?? 0) >= 1, "\(histogram) observed nothing")
            #expect((metrics.value(histogram, histogram + "_sum") ?? -1) >= 0, "\(histogram)")
        }
        #expect(metrics.families["chimerad_narrative_duration_seconds"]?.type == "histogram")
        #expect(metrics.value("chimerad_open_regressions", "chimerad_open_regressions") == 0)
        #expect((metrics.value("chimerad_last_report_timestamp_seconds", "chimerad_last_report_timestamp_seconds") ?? 0) > 1_700_000_000)
        #expect(metrics.value("chimerad_last_error_timestamp_seconds", "chimerad_last_error_timestamp_seconds") == 0)
        #expect(metrics.value("chimerad_errors", "chimerad_errors_total", ["stage": "report"]) == 0)
        #expect(metrics.value("chimerad_narratives", "chimerad_narratives_total", ["result": "written"]) == 0)
        #expect(metrics.value("chimerad_build_info", "chimerad_build_info", ["version": "0.1.0"]) == 1)
        // No file or model name ever becomes a label.
        let labelValues = metrics.families.values.flatMap(\.samples).flatMap { $0.labels.values }
        #expect(!labelValues.contains { $0.contains("/") || $0.contains(".json") || $0.contains(".csv") }, "\(labelValues)")

        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(60)) == 0, "\(daemon.logText)")
    }

    /// The daemon's report triggers (`manual` is `chimerad report`'s).
    static let triggers = ["startup", "change", "reload"]
}
