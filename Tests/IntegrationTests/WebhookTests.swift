import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `notify.webhook_url` through the built binary and a real loopback
/// receiver that fails (HTTP 500) the first two posts: a regression opens,
/// the daemon is stopped with its event undelivered, and after a restart the
/// opening and then the resolution arrive, each accepted exactly once (the
/// resolution with the token a reload read from the rotated headers file).
@Suite(.serialized) struct WebhookTests {
    private func runFile(_ throughputs: [Double], day: Int) -> String {
        var text =
            "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options\n"
        for (index, tps) in throughputs.enumerated() {
            text +=
                "2026-11-\(10 + day)T10:00:\(String(format: "%02d", index * 5 % 60))Z,m,\(index),prompt \(index),0.1,\(tps),0.0,0.01,1.0,20,48,100,,\n"
        }
        return text
    }

    /// Polls `condition` every 50 ms until it holds or `timeout` passes.
    private func eventually(within timeout: Duration, _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    private static func body(_ request: LoopbackServer.Request) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any]) ?? [:]
    }

    @Test func openedAndResolvedArriveOnceEachAcrossARestartAfterTwoFailedPosts() async throws {
        let folder = try Chimerad.temporaryFolder("webhook")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try LoopbackServer { _, index in
            index < 2
                ? LoopbackServer.http("500 Internal Server Error", json: "{\"error\":\"down for maintenance\"}")
                : LoopbackServer.http("200 OK", json: "{}")
        }
        defer { server.stop() }
        let token = "Bearer test-token-8c1f"
        let headers = folder + "/webhook-headers"
        try "# sent with every post\nAuthorization: \(token)\n".write(toFile: headers, atomically: true, encoding: .utf8)
        let config = folder + "/chimerad.yaml"
        try """
        model:
          backend: none
        notify:
          webhook_url: \(server.url)/hooks/chimerad
          headers_file: \(headers)
          timeout_seconds: 20

        """.write(toFile: config, atomically: true, encoding: .utf8)

        // The first run: a regression opens, and the receiver fails both posts of it.
        let notify = try NotifySocket()
        let first = try await RunCommandTests.RunningDaemon(folder: folder, notify: notify, extraArguments: ["--config", config])
        #expect(await notify.wait(timeout: .seconds(30)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(first.logText)")
        _ = try await first.nextReport(after: 0, within: .seconds(20))
        func land(_ daemon: RunCommandTests.RunningDaemon, _ text: String, as name: String) async throws -> [String: Any] {
            let before = daemon.reports().count
            try Data(text.utf8).write(to: URL(fileURLWithPath: daemon.watch + "/" + name))
            return try #require(try await daemon.nextReport(after: before, within: .seconds(30)), "no report; log:\n\(daemon.logText)")
        }
        _ = try await land(first, runFile((0..<10).map { 100 + Double($0) / 10 }, day: 1), as: "a.csv")
        let slow = try await land(first, runFile((0..<10).map { 80 + Double($0) / 10 }, day: 4), as: "d.csv")
        let opened = try #require(slow.object("regressions").list("open").first, "no regression opened; log:\n\(first.logText)")
        let regressionID = try #require(opened.int("id"))
        // Two posts, both failed; the next waits for its backoff (5 s and more).
        #expect(try await eventually(within: .seconds(60)) { server.requests.count >= 2 }, "log:\n\(first.logText)")
        #expect(
            await notify.wait(timeout: .seconds(30)) { $0.contains("1 webhook event undelivered") } != nil,
            "STATUS= names the undelivered event")
        first.signal(SIGTERM)
        #expect(try await first.exitStatus(within: .seconds(30)) == 0, "log:\n\(first.logText)")
        #expect(server.requests.count == 2, "stopped with the event undelivered")
        #expect(first.logText.contains("webhook delivery failed; will retry"), "log:\n\(first.logText)")
        #expect(first.logText.contains("HTTP 500") && first.logText.contains("message_id=6b6160cbdb37475797f7d1277737c8c7"))
        #expect(!first.logText.contains("test-token-8c1f"), "a header value reached the log")

        // The second run posts what the first left, then the resolution.
        let second = try await RunCommandTests.RunningDaemon(folder: folder, notify: nil, extraArguments: ["--config", config])
        #expect(try await eventually(within: .seconds(60)) { server.requests.count >= 3 }, "log:\n\(second.logText)")
        // A rotated token needs only a reload: the headers file is read again.
        let rotated = "Bearer rotated-token-5d2e"
        try "Authorization: \(rotated)\n".write(toFile: headers, atomically: true, encoding: .utf8)
        second.signal(SIGHUP)
        #expect(try await second.logContains("configuration reloaded", within: .seconds(30)), "log:\n\(second.logText)")
        let recovered = try await land(second, runFile((0..<10).map { 100 + Double($0) / 10 }, day: 5), as: "e.csv")
        #expect(recovered.object("regressions").list("open").isEmpty, "log:\n\(second.logText)")
        #expect(try await eventually(within: .seconds(60)) { server.requests.count >= 4 }, "log:\n\(second.logText)")
        second.signal(SIGTERM)
        #expect(try await second.exitStatus(within: .seconds(30)) == 0, "log:\n\(second.logText)")
        #expect(!second.logText.contains("test-token-8c1f") && !second.logText.contains("rotated-token-5d2e"))

        // What the receiver saw: every post authorised and keyed by its event;
        // accepted (the posts after the two failures), exactly the opening and
        // the resolution, each once.
        let requests = server.requests
        #expect(requests.count == 4, "\(requests.map(\.body))")
        #expect(requests.map { $0.headers["authorization"] } == [token, token, token, rotated])
        for request in requests {
            #expect(request.method == "POST" && request.path == "/hooks/chimerad")
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["idempotency-key"] == Self.body(request)["id"] as? String)
        }
        let accepted = requests.dropFirst(2).map(Self.body)
        #expect(accepted.map { $0["event"] as? String } == ["regression.opened", "regression.resolved"])
        let ids = accepted.compactMap { $0["id"] as? String }
        #expect(Set(ids).count == 2 && ids.count == 2)
        #expect(requests.prefix(2).allSatisfy { Self.body($0)["id"] as? String == ids.first }, "the failed posts were the opening")
        #expect(ids.first?.hasSuffix(":\(regressionID):opened") == true && ids.last?.hasSuffix(":\(regressionID):resolved") == true)
        // The same ids as the Atom feed's entries.
        let feed = try String(contentsOfFile: second.output + "/regressions.atom", encoding: .utf8)
        for id in ids { #expect(feed.contains("<id>\(id)</id>"), "\(id)") }

        // The documented fields.
        for event in accepted {
            #expect(event["schema"] as? String == "chimerad.webhook/1")
            #expect((event["time"] as? String)?.hasSuffix("Z") == true && (event["title"] as? String)?.isEmpty == false)
            #expect(event.strings("inputs").count == 1)
            let path = try #require(event["report_path"] as? String)
            #expect(path.hasSuffix(".md") && FileManager.default.fileExists(atPath: path))
            let regression = event.object("regression")
            #expect(regression.int("id") == regressionID && regression["model"] as? String == "m")
            #expect(regression["metric"] as? String == "tokens_per_second" && regression["direction"] as? String == "higher_is_better")
            let baseline = try #require(regression["baseline_median"] as? Double)
            let current = try #require(regression["current_median"] as? Double)
            #expect(baseline > 100 && current < 81)
            #expect((regression["change_percent"] as? Double ?? 0) < -15)
            #expect((regression["p_value"] as? Double).map { $0 > 0 && $0 < 0.05 } == true)
            #expect(regression.strings("sources") == ["d.csv"])
            #expect(regression["configuration"] is [String: Any] && regression["opened_at"] is String)
        }
        #expect(accepted.first?.object("regression")["resolution"] == nil, "an opening has no resolution")
        let resolution = accepted.last?.object("regression").object("resolution") ?? [:]
        #expect(resolution["kind"] as? String == "recovered" && resolution["source"] as? String == "e.csv", "\(resolution)")
        #expect(accepted.last?.object("regression")["resolved_at"] is String)
    }

    /// `chimerad report` never waits out a receiver that is down: its event is
    /// queued, the report exits at once, and the next run posts it.
    /// `chimerad regressions ack` run without the config that names the
    /// webhook queues nothing; the next report posts the resolution, once.
    @Test func anAcknowledgementMadeWithoutTheConfigIsPostedByTheNextReport() async throws {
        let folder = try Chimerad.temporaryFolder("webhook-ack")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tree = folder + "/tree"
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        let server = try LoopbackServer { _, _ in LoopbackServer.http("202 Accepted", json: "{}") }
        defer { server.stop() }
        let config = folder + "/chimerad.yaml"
        try "model:\n  backend: none\nnotify:\n  webhook_url: \(server.url)/hook\n".write(toFile: config, atomically: true, encoding: .utf8)
        let state = folder + "/state"
        func report() async throws -> Chimerad.Result {
            try await Chimerad.run(["report", "--input", tree, "--output", folder + "/out", "--state", state, "--config", config])
        }
        try Data(runFile((0..<10).map { 100 + Double($0) / 10 }, day: 1).utf8).write(to: URL(fileURLWithPath: tree + "/a.csv"))
        #expect(try await report().status == 0)
        try Data(runFile((0..<10).map { 80 + Double($0) / 10 }, day: 4).utf8).write(to: URL(fileURLWithPath: tree + "/d.csv"))
        #expect(try await report().status == 0)
        #expect(server.requests.map { Self.body($0)["event"] as? String } == ["regression.opened"])
        let ack = try await Chimerad.run(["regressions", "ack", "1", "--note", "new driver", "--state", state])
        #expect(ack.status == 0, "\(ack.stderr)")
        #expect(server.requests.count == 1, "no config, no post yet")
        #expect(try await report().status == 0)
        #expect(try await report().status == 0)
        let events = server.requests.map { Self.body($0)["event"] as? String }
        #expect(events == ["regression.opened", "regression.resolved"], "\(events)")
        let resolution = server.requests.last.map { Self.body($0) }?["regression"] as? [String: Any]
        #expect((resolution?["resolution"] as? [String: Any])?["kind"] as? String == "acknowledged", "\(resolution ?? [:])")
    }

    @Test func theOneShotReportQueuesWhatItCannotPostAndTheNextRunPostsIt() async throws {
        let folder = try Chimerad.temporaryFolder("webhook-report")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tree = folder + "/tree"
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        func config(_ url: String) throws -> String {
            let path = folder + "/chimerad-\(UUID().uuidString).yaml"
            try "model:\n  backend: none\nnotify:\n  webhook_url: \(url)\n".write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let down = try config("http://127.0.0.1:\(try LoopbackServer.closedPort())/hook")
        func report(_ config: String) async throws -> Chimerad.Result {
            try await Chimerad.run(["report", "--input", tree, "--output", folder + "/out", "--state", folder + "/state", "--config", config])
        }
        try Data(runFile((0..<10).map { 100 + Double($0) / 10 }, day: 1).utf8).write(to: URL(fileURLWithPath: tree + "/a.csv"))
        #expect(try await report(down).status == 0)
        try Data(runFile((0..<10).map { 80 + Double($0) / 10 }, day: 4).utf8).write(to: URL(fileURLWithPath: tree + "/d.csv"))
        let started = ContinuousClock.now
        let opened = try await report(down)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(ContinuousClock.now - started < .seconds(60), "a report must not wait out the receiver")
        #expect(opened.stderr.contains("webhook delivery failed; the event stays queued for chimerad run"), "\(opened.stderr)")
        let status = try await Chimerad.run(["status", "--state", folder + "/state"])
        #expect(status.stdout.contains("webhook: 1 event waiting for delivery"), "\(status.stdout)")

        let server = try LoopbackServer { _, _ in LoopbackServer.http("202 Accepted", json: "{}") }
        defer { server.stop() }
        let next = try await report(try config(server.url + "/hook"))
        #expect(next.status == 0, "\(next.stderr)")
        #expect(server.requests.map { Self.body($0)["event"] as? String } == ["regression.opened"])
        let after = try await Chimerad.run(["status", "--state", folder + "/state"])
        #expect(!after.stdout.contains("webhook:"), "\(after.stdout)")
    }

    /// A receiver that is down refuses the connection: the report is
    /// written, the post says why it failed, and the event stays queued.
    /// (That the client does not retry connecting, which held each attempt
    /// for its connect timeout, is `WebhookDeliveryTests`' to check.)
    @Test func aRefusedConnectionFailsTheAttemptAtOnce() async throws {
        let folder = try Chimerad.temporaryFolder("webhook-refused")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tree = folder + "/tree"
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        let config = folder + "/chimerad.yaml"
        let url = "http://127.0.0.1:\(try LoopbackServer.closedPort())/hook"
        try "model:\n  backend: none\nnotify:\n  webhook_url: \(url)\n  timeout_seconds: 25\n  on_report: true\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        try Data(runFile((0..<10).map { 100 + Double($0) / 10 }, day: 1).utf8).write(to: URL(fileURLWithPath: tree + "/a.csv"))
        let result = try await Chimerad.run([
            "report", "--input", tree, "--output", folder + "/out", "--state", folder + "/state", "--config", config,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("connection refused"), "\(result.stderr)")
        #expect(!result.stderr.contains("no answer within"), "\(result.stderr)")
    }
}
