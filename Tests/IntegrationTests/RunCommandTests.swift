import Foundation
import Synchronization
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `chimerad run` as systemd runs it: the built binary with a `NOTIFY_SOCKET`
/// this test listens on and a watchdog, over real folders.
@Suite(.serialized) struct RunCommandTests {
    /// A running daemon and the folders it works in.
    final class RunningDaemon {
        /// Held while the daemon runs: its watches must not meet a kernel limit
        /// another suite lowered for a moment.
        private let inotifyLimits: InotifyLimitLock
        let process = Process()
        let folder: String
        let watch: String
        let output: String
        let log: String

        init(
            folder: String, notify: NotifySocket?, watchFlag: Bool = true, settleMilliseconds: Int = 150, extraArguments: [String] = [],
            environment: [String: String] = [:]
        ) async throws {
            inotifyLimits = await InotifyLimitLock.acquire(.shared)
            let binary = try #require(Chimerad.binary, "chimerad binary not found; build it first (swift build) or set CHIMERAD_BIN")
            self.folder = folder
            watch = folder + "/watch"
            output = folder + "/out"
            log = folder + "/daemon.log"
            try FileManager.default.createDirectory(atPath: watch, withIntermediateDirectories: true)
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments =
                ["run"] + (watchFlag ? ["--watch", watch] : [])
                + ["--output", output, "--state", folder + "/state", "--settle", String(settleMilliseconds), "--log-target", "console"]
                + extraArguments
            var env = ProcessInfo.processInfo.environment
            env["CHIMERAD_CONFIG"] = try Chimerad.neutralConfig()
            env["NOTIFY_SOCKET"] = notify?.path
            for (key, value) in environment { env[key] = value }
            process.environment = env
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        /// Waits for the process to end; its exit status, or `nil` if it is still running after `timeout`.
        /// A daemon still running then has its threads' stacks appended to
        /// its log (gdb's, where installed): a test that waited in vain says
        /// where the daemon was, not only that it did not end.
        func exitStatus(within timeout: Duration) async throws -> Int32? {
            let status = try await process.exitStatus(within: timeout)
            if status == nil, process.isRunning { await appendStacksToLog() }
            return status
        }

        private func appendStacksToLog() async {
            let gdb = "/usr/bin/gdb"
            guard FileManager.default.isExecutableFile(atPath: gdb) else { return }
            // Bounded: an attach that hangs must not hold the test past its limit.
            let command = ["timeout", "120", gdb, "-p", String(process.processIdentifier), "-batch", "-ex", "thread apply all bt"]
            let stacks = (try? await Chimerad.shell(command))?.1 ?? "gdb did not run"
            let text = "\n--- still running after the wait; its threads (gdb):\n" + stacks
            if let handle = FileHandle(forWritingAtPath: log) {
                _ = try? handle.seekToEnd()
                try? handle.write(contentsOf: Data(text.utf8))
                try? handle.close()
            }
            print("daemon in \(folder) still running after the wait; its threads:\n\(stacks)")
        }

        var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        /// Waits until the log holds `text` (a report is published before its
        /// journal entries are written); whether it came within `timeout`.
        func logContains(_ text: String, within timeout: Duration) async throws -> Bool {
            let deadline = ContinuousClock.now + timeout
            while !logText.contains(text) {
                guard ContinuousClock.now < deadline else { return false }
                try await Task.sleep(for: .milliseconds(20))
            }
            return true
        }

        /// The reports written so far, oldest first.
        func reports() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: output)) ?? [])
                .filter { $0.hasPrefix("chimera-report-") && $0.hasSuffix(".json") }.sorted()
        }

        /// Waits until there are more than `count` reports; the newest one's JSON.
        /// Polls every 20 ms, suspending in between.
        /// A last look follows the deadline: a test starved of the shared
        /// pool past it (a busy machine, hundreds of tests) missed a report
        /// written at once.
        func nextReport(after count: Int, within timeout: Duration) async throws -> [String: Any]? {
            let deadline = ContinuousClock.now + timeout
            while true {
                let names = reports()
                if names.count > count, let newest = names.last { return try Chimerad.json(output + "/" + newest) }
                guard ContinuousClock.now < deadline else { return nil }
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        /// The newest report once its narrative is checked, and its Markdown,
        /// after more than `count` reports: with a model, the daemon publishes
        /// a report at once, saying the model is choosing its narrative, and
        /// rewrites both files under the same names when it is checked (the
        /// JSON first). Nil if that did not happen within `timeout`.
        func checkedReport(after count: Int, within timeout: Duration) async throws -> (json: [String: Any], markdown: String)? {
            let deadline = ContinuousClock.now + timeout
            guard try await nextReport(after: count, within: timeout) != nil else { return nil }
            while true {
                if let newest = reports().last, let json = try? Chimerad.json(output + "/" + newest),
                    json.object("narrative")["pending"] as? Bool != true,
                    let markdown = try? String(contentsOfFile: output + "/" + newest.dropLast(5) + ".md", encoding: .utf8),
                    !markdown.contains("is choosing this report's narrative")
                {
                    return (json, markdown)
                }
                guard ContinuousClock.now < deadline else { return nil }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    private static func example(_ path: String) -> String {
        Chimerad.repository.appendingPathComponent("examples/results/" + path).path
    }

    @Test func tellsSystemdWhereItStandsFromReadyToStopping() async throws {
        let notify = try NotifySocket()
        let folder = try Chimerad.temporaryFolder("run-notify")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/watch", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: folder + "/watch/gzip_levels.json")
        let daemon = try await RunningDaemon(folder: folder, notify: notify, environment: ["WATCHDOG_USEC": "1000000"])

        let ready = await notify.wait(timeout: .seconds(20)) { $0.contains("READY=1") }
        #expect(ready != nil, "no READY=1; log:\n\(daemon.logText)")
        let status = try #require(NotifySocket.value("STATUS", in: ready ?? ""), "READY=1 comes with a status line")
        #expect(status.contains("watching 1 folder") && status.contains("1 file tracked"))
        // Something is new since the last report (there was none): a startup report.
        let startup = try #require(try await daemon.nextReport(after: 0, within: .seconds(10)), "no startup report; log:\n\(daemon.logText)")
        #expect(startup["trigger"] as? String == "startup")

        // A file lands: a report with trigger "change" follows.
        let before = daemon.reports().count
        try FileManager.default.copyItem(
            atPath: Self.example("pytest-benchmark/bench.json"), toPath: folder + "/watch/bench.json")
        let changed = try #require(
            try await daemon.nextReport(after: before, within: .seconds(10)), "no report after a file landed; log:\n\(daemon.logText)")
        #expect(changed["trigger"] as? String == "change")
        let inputs = try #require(changed["inputs"] as? [String: Any])
        #expect(inputs["files_changed"] as? [String] == ["bench.json"])
        #expect(await notify.wait(timeout: .seconds(5)) { NotifySocket.value("STATUS", in: $0)?.contains("last report 20") == true } != nil)

        // The watchdog is fed at half of WATCHDOG_USEC from the loop.
        #expect(await notify.wait(timeout: .seconds(3)) { $0.contains("WATCHDOG=1") } != nil, "no WATCHDOG=1")

        // SIGHUP: RELOADING=1 with the monotonic time, then READY=1 again.
        daemon.signal(SIGHUP)
        let reloading = await notify.wait(timeout: .seconds(5)) { $0.contains("RELOADING=1") }
        #expect(reloading != nil, "no RELOADING=1")
        let monotonic = reloading.flatMap { NotifySocket.value("MONOTONIC_USEC", in: $0) }.flatMap(UInt64.init)
        #expect((monotonic ?? 0) > 0)
        #expect(await notify.wait(timeout: .seconds(5)) { $0.contains("READY=1") } != nil, "no READY=1 after the reload")

        // SIGTERM: STOPPING=1, then exit 0.
        daemon.signal(SIGTERM)
        #expect(await notify.wait(timeout: .seconds(5)) { $0.contains("STOPPING=1") } != nil, "no STOPPING=1")
        // 30 s: on a machine swapping under other suites, the exit itself once took more than 10.
        let exit = try await daemon.exitStatus(within: .seconds(30))
        #expect(exit == 0, "exit status \(exit.map(String.init) ?? "none: still running"); log:\n\(daemon.logText)")
    }

    /// SIGTERM while the first scan reads a large drop: the daemon stops
    /// starting files, says STOPPING=1 and never READY=1 after it, exits 0,
    /// and the next start reads what the first did not, losing nothing and
    /// counting nothing twice. (Whether the stop lands during the scan
    /// depends on the machine's speed; what must hold holds either way.)
    @Test func aStopDuringTheFirstScanIsNeverFollowedByReadyAndLosesNothing() async throws {
        let notify = try NotifySocket()
        let folder = try Chimerad.temporaryFolder("run-stop-scan")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let watch = folder + "/watch"
        try FileManager.default.createDirectory(atPath: watch, withIntermediateDirectories: true)
        let header =
            "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options\n"
        let runs = 20_000
        for file in 0..<24 {
            var text = header
            text.reserveCapacity(runs * 120)
            for run in 0..<runs {
                text += "2026-11-20T10:00:00+00:00,m\(file),\(run),prompt,0.1,\(100 + run % 7),0.0,0.01,1.0,20,48,100,,\"{\"\"t\"\":0.3}\"\n"
            }
            try text.write(toFile: watch + "/runs-\(file).csv", atomically: true, encoding: .utf8)
        }
        let daemon = try await RunningDaemon(folder: folder, notify: notify, watchFlag: true)
        _ = await notify.wait(timeout: .seconds(20)) { $0.contains("STATUS=starting") }
        daemon.signal(SIGTERM)
        #expect(await notify.wait(timeout: .seconds(30)) { $0.contains("STOPPING=1") } != nil, "no STOPPING=1; log:\n\(daemon.logText)")
        let exit = try await daemon.exitStatus(within: .seconds(60))
        #expect(exit == 0, "exit status \(exit.map(String.init) ?? "none: still running"); log:\n\(daemon.logText)")
        let said = notify.received
        if let stopping = said.firstIndex(where: { $0.contains("STOPPING=1") }) {
            #expect(!said[stopping...].contains { $0.contains("READY=1") }, "READY=1 after STOPPING=1: \(said)")
        }
        // The next start reads the rest: every run once.
        let report = try await Chimerad.run(["report", "--input", watch, "--output", daemon.output, "--state", folder + "/state"])
        #expect(report.status == 0, "\(report.stderr)")
        let json = try Chimerad.json(daemon.output + "/latest.json")
        #expect(json.list("llm_runs").map { $0.int("runs_ok") ?? 0 }.reduce(0, +) == 24 * runs, "\(json.object("inputs"))")
    }

    @Test func aModelThatIsDownCostsTheNarrativeAndShowsInTheStatus() async throws {
        let notify = try NotifySocket()
        let folder = try Chimerad.temporaryFolder("run-model-down")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/watch", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: folder + "/watch/gzip_levels.json")
        let url = "http://127.0.0.1:\(try LoopbackServer.closedPort())"
        let daemon = try await RunningDaemon(folder: folder, notify: notify, extraArguments: ["--model", "openai", "--model-url", url])
        // The report is written at once, then rewritten with the narrative's outcome.
        let report = try #require(
            try await daemon.checkedReport(after: 0, within: .seconds(20)), "no startup report with its narrative; log:\n\(daemon.logText)"
        ).json
        let reason = (report["narrative"] as? [String: Any])?["unavailable_reason"] as? String ?? ""
        #expect(reason.contains("connection refused"), "\(reason)")
        let status = await notify.wait(timeout: .seconds(5)) {
            NotifySocket.value("STATUS", in: $0)?.contains("narrative unavailable: model server unreachable") == true
        }
        #expect(status != nil, "no STATUS= warning; log:\n\(daemon.logText)")
        #expect(try await daemon.logContains("report written without a model narrative", within: .seconds(10)))
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    /// The model still choosing the startup report's narrative when a file
    /// lands: the newer report does not wait for it, the first report is
    /// rewritten to say it was superseded, and the late reply, when it comes,
    /// reaches neither report.
    @Test func aReplyArrivingAfterANewerReportReachesNeitherReport() async throws {
        let folder = try Chimerad.temporaryFolder("run-superseded")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/watch", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: folder + "/watch/gzip_levels.json")
        let stale = "Stale words chosen for the superseded report only."
        let late = LoopbackServer.Gate()
        let chats = Mutex(0)
        let server = try ModelFaultTests.routed { request in
            let reply = ItemReply(chatBody: request.body)
            let chat = chats.withLock { count in
                count += 1
                return count
            }
            guard chat == 1 else { return (try? ModelFaultTests.reply(reply.grounded)) ?? .bytes("") }
            var sections: [String: [[String: Any]]] = [:]
            for choice in reply.firstPerSlot { sections[choice.section, default: []].append(ItemReply.item(choice, note: stale)) }
            return .held((try? ModelFaultTests.reply(ItemReply.json(sections))) ?? .bytes(""), until: late)
        }
        defer {
            late.open()
            server.stop()
        }
        let daemon = try await RunningDaemon(folder: folder, notify: nil, extraArguments: ["--model", "openai", "--model-url", server.url])
        #expect(try await daemon.nextReport(after: 0, within: .seconds(20)) != nil, "no startup report; log:\n\(daemon.logText)")
        let asked = ContinuousClock.now + .seconds(20)
        while chats.withLock({ $0 }) == 0 && ContinuousClock.now < asked { try await Task.sleep(for: .milliseconds(20)) }
        try #require(chats.withLock { $0 } == 1, "the model was not asked for the startup report; log:\n\(daemon.logText)")

        // A file lands while the model holds its reply.
        try FileManager.default.copyItem(atPath: Self.example("pytest-benchmark/bench.json"), toPath: folder + "/watch/bench.json")
        let newer = try #require(
            try await daemon.checkedReport(after: 1, within: .seconds(30)), "the newer report waited; log:\n\(daemon.logText)")
        #expect(newer.json.object("narrative")["items_kept"] as? Int ?? 0 > 0, "\(newer.json.object("narrative"))")

        // Now the first reply arrives, too late.
        late.open()
        try await Task.sleep(for: .milliseconds(500))
        let names = daemon.reports()
        try #require(names.count == 2, "\(names)")
        let first = try Chimerad.json(daemon.output + "/" + names[0])
        let narrative = first.object("narrative")
        #expect(narrative["pending"] as? Bool == false, "\(narrative)")
        #expect((narrative["unavailable_reason"] as? String)?.contains("a newer report was written before the model answered") == true)
        #expect((narrative["items"] as? [Any])?.isEmpty ?? true)
        let firstMarkdown = try String(contentsOfFile: daemon.output + "/" + names[0].dropLast(5) + ".md", encoding: .utf8)
        #expect(!firstMarkdown.contains("is choosing this report's narrative"))
        for text in [firstMarkdown, newer.markdown, try String(contentsOfFile: daemon.output + "/" + names[1], encoding: .utf8)] {
            #expect(!text.contains("Stale words"))
        }
        #expect(daemon.logText.contains("narrative superseded"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    @Test func anInvalidConfigOnReloadKeepsTheOldOneAndTheDaemonRunning() async throws {
        let notify = try NotifySocket()
        let folder = try Chimerad.temporaryFolder("run-reload")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = folder + "/chimerad.yaml"
        try "watch:\n  settle_ms: 150\nmodel:\n  backend: none\n".write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try await RunningDaemon(folder: folder, notify: notify, extraArguments: ["--config", config])
        #expect(await notify.wait(timeout: .seconds(20)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")

        try "watch:\n  setle_ms: 150\nmodel:\n  backend: none\n".write(toFile: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        let ready = await notify.wait(timeout: .seconds(5)) { $0.contains("READY=1") }
        #expect(NotifySocket.value("STATUS", in: ready ?? "")?.contains("watch.setle_ms") == true, "the status names the bad key")
        #expect(daemon.logText.contains("configuration not reloaded"))
        #expect(daemon.logText.contains("did you mean 'watch.settle_ms'"))

        // Still working on the old settings.
        let before = daemon.reports().count
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: daemon.watch + "/g.json")
        #expect(try await daemon.nextReport(after: before, within: .seconds(10)) != nil, "no report after the failed reload")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    @Test func aReloadThatChangesTheWatchedFoldersMovesTheWatches() async throws {
        let notify = try NotifySocket()
        let folder = try Chimerad.temporaryFolder("run-rewatch")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (first, second) = (folder + "/first", folder + "/second")
        for path in [first, second] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        let config = folder + "/chimerad.yaml"
        try "watch:\n  paths: [\"\(first)\"]\nmodel:\n  backend: none\n".write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try await RunningDaemon(folder: folder, notify: notify, watchFlag: false, extraArguments: ["--config", config])
        #expect(await notify.wait(timeout: .seconds(20)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
        _ = try await daemon.nextReport(after: 0, within: .seconds(10))

        try "watch:\n  paths: [\"\(second)\"]\nmodel:\n  backend: none\n".write(toFile: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(await notify.wait(timeout: .seconds(5)) { $0.contains("READY=1") } != nil, "no READY=1 after the reload")
        let before = daemon.reports().count
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: second + "/g.json")
        let report = try #require(
            try await daemon.nextReport(after: before, within: .seconds(10)), "no report from the new folder; log:\n\(daemon.logText)")
        #expect((report["inputs"] as? [String: Any])?["files_changed"] as? [String] == ["g.json"])
        // The log names what changed and what it restarted.
        #expect(daemon.logText.contains("changed_keys=watch.paths"), "\(daemon.logText)")
        #expect(daemon.logText.contains("model_changed=false watching_changed=true"), "\(daemon.logText)")
        // The old folder is no longer watched.
        let after = daemon.reports().count
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: first + "/old.json")
        #expect(try await daemon.nextReport(after: after, within: .seconds(2)) == nil)
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    @Test func aBurstOfTenThousandFilesMakesFewReportsWithEveryFileIn() async throws {
        let notify = try NotifySocket()
        let folder = try Chimerad.temporaryFolder("run-burst")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A settle window a writer on a busy machine (the rest of the suite runs
        // alongside) does not pause longer than between two files.
        let daemon = try await RunningDaemon(folder: folder, notify: notify, settleMilliseconds: 1000)
        #expect(await notify.wait(timeout: .seconds(20)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
        _ = try await daemon.nextReport(after: 0, within: .seconds(10))
        let before = daemon.reports().count

        let count = 10_000
        let began = ContinuousClock.now
        var lastWrite = began
        // Pauses of the writer as long as the settle time: each lets the
        // watcher close a change set, so each may cost a report.
        var quietPauses = 0
        for index in 0..<count {
            let folderName = daemon.watch + "/batch\(index / 1000)"
            if index % 1000 == 0 { try FileManager.default.createDirectory(atPath: folderName, withIntermediateDirectories: true) }
            let text = "name,value\nrun,\(index)\n"
            guard FileManager.default.createFile(atPath: folderName + "/r\(index).csv", contents: Data(text.utf8)) else {
                Issue.record("could not write file \(index)")
                return
            }
            let now = ContinuousClock.now
            if now - lastWrite >= .milliseconds(1000) { quietPauses += 1 }
            lastWrite = now
        }
        let burst = ContinuousClock.now - began
        // Wait until a report has every file, then count the reports it took.
        // The wait ends as soon as one does; its bound is for a debug build
        // beside the rest of the suite and a CPU-bound process, where a report
        // of 4,000 new files took 33 s and the last came after 60.
        let deadline = ContinuousClock.now + .seconds(300)
        var seen = 0
        while ContinuousClock.now < deadline {
            if let newest = daemon.reports().last, daemon.reports().count > before {
                seen = (try Chimerad.json(daemon.output + "/" + newest)["inputs"] as? [String: Any])?["files_seen"] as? Int ?? 0
                if seen == count { break }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(seen == count, "log:\n\(daemon.logText.suffix(2000))")
        let reports = daemon.reports().count - before
        // One report, or a few: the first may start before the burst ends, the
        // watcher forces a change set out every maxDelay (10 s at this settle
        // time) while changes keep coming, and a loaded machine may pause the
        // writer for a settle time: the contract, not an idle machine's luck.
        let allowed = 3 + Int(burst / .seconds(10)) + quietPauses
        #expect(reports >= 1 && reports <= allowed, "\(reports) reports for one burst of \(burst), \(quietPauses) pauses (at most \(allowed))")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(20)) == 0)
    }

    /// A daemon watching `folder/watch` under the config `text`, ready and
    /// past its first report; its notify socket lives as long as the caller keeps it.
    private func readyDaemon(in folder: String, config text: String) async throws -> (daemon: RunningDaemon, notify: NotifySocket) {
        let config = folder + "/chimerad.yaml"
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let notify = try NotifySocket()
        let daemon = try await RunningDaemon(folder: folder, notify: notify, extraArguments: ["--config", config])
        #expect(await notify.wait(timeout: .seconds(20)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
        _ = try await daemon.nextReport(after: 0, within: .seconds(10))
        return (daemon, notify)
    }

    @Test func renamesAreReportedAsRenamesWithoutReadingTheFilesAgain() async throws {
        let folder = try Chimerad.temporaryFolder("run-rename")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/watch", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.example("llama-bench"), toPath: folder + "/watch/llama-bench")
        let (daemon, notify) = try await readyDaemon(in: folder, config: "log:\n  level: debug\nmodel:\n  backend: none\n")
        defer { withExtendedLifetime(notify) {} }
        let before = daemon.reports().count
        try FileManager.default.moveItem(atPath: daemon.watch + "/llama-bench", toPath: daemon.watch + "/lb")
        let report = try #require(try await daemon.nextReport(after: before, within: .seconds(10)), "no report; log:\n\(daemon.logText)")
        let files = try #require((report["changes"] as? [String: Any])?["files"] as? [String: Any])
        let renamed = (files["renamed"] as? [[String: String]] ?? []).map { "\($0["from"] ?? "") -> \($0["to"] ?? "")" }.sorted()
        #expect(renamed == ["gemma3-270m-q4_k_m.csv", "gemma3-270m-q4_k_m.json", "gemma3-270m-q4_k_m.md"].map { "llama-bench/\($0) -> lb/\($0)" })
        #expect(files["new"] as? [String] == [])
        #expect(files["deleted"] as? [String] == [])
        // The registry moved the files' records: the pass after the move parsed nothing.
        let passes = daemon.logText.split(separator: "\n").filter { $0.contains("ingest pass done") && $0.contains("mode=targeted") }
        #expect(!passes.isEmpty && passes.allSatisfy { $0.contains(" parsed=0 ") }, "\(passes)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    /// A harness that writes under a temporary name the daemon does not read
    /// (`night.csv.new`) and renames the file into place: the renamed file is
    /// read, not left with the temporary name's skip.
    @Test func aFileRenamedIntoPlaceFromATemporaryNameIsRead() async throws {
        let folder = try Chimerad.temporaryFolder("run-rename-into-place")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/watch", withIntermediateDirectories: true)
        let (daemon, notify) = try await readyDaemon(in: folder, config: "model:\n  backend: none\n")
        defer { withExtendedLifetime(notify) {} }
        var before = daemon.reports().count
        let runs =
            "timestamp,model,prompt_text,ttft_s,tokens_s,eval_count,error\n"
            + (0..<5).map { "2026-11-2\($0)T10:00:00Z,m,p,0.1,\(60 + $0),48,\n" }.joined()
        try runs.write(toFile: daemon.watch + "/night.csv.new", atomically: false, encoding: .utf8)
        let temporary = try #require(try await daemon.nextReport(after: before, within: .seconds(20)), "no report; log:\n\(daemon.logText)")
        let skipped = temporary.object("inputs").list("files_skipped").compactMap { $0["path"] as? String }
        #expect(skipped == ["night.csv.new"], "\(temporary.object("inputs"))")
        before = daemon.reports().count
        try FileManager.default.moveItem(atPath: daemon.watch + "/night.csv.new", toPath: daemon.watch + "/night.csv")
        let renamed = try #require(try await daemon.nextReport(after: before, within: .seconds(20)), "no report; log:\n\(daemon.logText)")
        #expect(renamed.object("inputs").list("files_skipped").isEmpty, "\(renamed.object("inputs"))")
        let group = try #require(renamed.list("llm_runs").first)
        #expect(group.strings("sources") == ["night.csv"] && group.int("runs_ok") == 5)
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    /// An editor at work beside the results: emacs' lock (`.#night.csv`, a
    /// link to nowhere) and vim's swap file come and go, ignored names both.
    /// Neither makes a report; the next real change's report lists them as
    /// ignored, never as changed files.
    @Test func anEditorsLockAndSwapFilesMakeNoReport() async throws {
        let folder = try Chimerad.temporaryFolder("run-editor-files")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/watch", withIntermediateDirectories: true)
        let runs = { (speed: Int) in
            "timestamp,model,prompt_text,ttft_s,tokens_s,eval_count,error\n"
                + (0..<5).map { "2026-11-2\($0)T10:00:00Z,m,p,0.1,\(speed + $0),48,\n" }.joined()
        }
        try runs(60).write(toFile: folder + "/watch/night.csv", atomically: false, encoding: .utf8)
        let (daemon, notify) = try await readyDaemon(in: folder, config: "model:\n  backend: none\n")
        defer { withExtendedLifetime(notify) {} }
        var before = daemon.reports().count
        try FileManager.default.createSymbolicLink(atPath: daemon.watch + "/.#night.csv", withDestinationPath: "user@host.4242:1795000000")
        try Data("b0VIM".utf8).write(to: URL(fileURLWithPath: daemon.watch + "/.night.csv.swp"))
        try FileManager.default.removeItem(atPath: daemon.watch + "/.night.csv.swp")
        #expect(try await daemon.nextReport(after: before, within: .seconds(4)) == nil, "log:\n\(daemon.logText)")
        before = daemon.reports().count
        try runs(70).write(toFile: daemon.watch + "/night.csv", atomically: false, encoding: .utf8)
        let report = try #require(try await daemon.nextReport(after: before, within: .seconds(20)), "no report; log:\n\(daemon.logText)")
        let skipped = report.object("inputs").list("files_skipped").map { "\($0["path"] ?? ""): \($0["reason"] ?? "")" }
        #expect(skipped == [".#night.csv: ignored (matches watch.ignore pattern .#*)"], "\(skipped)")
        let files = report.object("changes").object("files")
        #expect(files.strings("modified") == ["night.csv"] && files.strings("new").isEmpty && files.strings("deleted").isEmpty, "\(files)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    /// A daemon killed after publishing a report, before its feed: at the
    /// next start, nothing changed since that report, so no report is
    /// written, but the feed is brought up to it (it had no entry for the
    /// regression the report opened).
    @Test func aFeedBehindTheLastReportIsWrittenAtStart() async throws {
        let folder = try Chimerad.temporaryFolder("run-feed-catch-up")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let watch = folder + "/watch"
        try FileManager.default.createDirectory(atPath: watch, withIntermediateDirectories: true)
        let header = "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,error\n"
        func night(_ day: Int, _ level: Double) throws {
            let rows = (0..<10).map { "2026-11-\(day)T10:0\($0):00Z,m,\($0),p,0.1,\(level + Double(($0 * 7) % 10) / 10),\n" }
            try (header + rows.joined()).write(toFile: watch + "/night-\(day).csv", atomically: true, encoding: .utf8)
        }
        for day in 10...16 { try night(day, 100) }
        let arguments = ["report", "--input", watch, "--output", folder + "/out", "--state", folder + "/state", "--model", "none"]
        #expect(try await Chimerad.run(arguments).status == 0)
        try night(17, 80)
        #expect(try await Chimerad.run(arguments).status == 0)
        let feed = folder + "/out/regressions.atom"
        #expect(try String(contentsOfFile: feed, encoding: .utf8).contains("Regression #1 opened"))
        // As a kill between the report and its feed leaves it.
        try FileManager.default.removeItem(atPath: feed)
        let notify = try NotifySocket()
        let daemon = try await RunningDaemon(folder: folder, notify: notify, extraArguments: ["--model", "none"])
        #expect(await notify.wait(timeout: .seconds(20)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
        var caughtUp = false
        for _ in 0..<100 where !caughtUp {
            caughtUp = (try? String(contentsOfFile: feed, encoding: .utf8))?.contains("Regression #1 opened") == true
            if !caughtUp { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(caughtUp, "log:\n\(daemon.logText)")
        #expect(daemon.reports().count == 2, "no report written for nothing new: \(daemon.reports())")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    @Test func aReportThatCannotBeWrittenIsRetriedWithoutAnotherChange() async throws {
        let notify = try NotifySocket()
        let folder = try Chimerad.temporaryFolder("run-retry")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let daemon = try await RunningDaemon(folder: folder, notify: notify)
        #expect(await notify.wait(timeout: .seconds(20)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
        _ = try await daemon.nextReport(after: 0, within: .seconds(10))

        // The output folder is replaced by a file: the next report fails, and says why.
        // (The report's files land before its latest.* links are renamed into
        // place: a removal that meets a temporary vanishing is tried again.)
        for attempt in 1...50 {
            do {
                try FileManager.default.removeItem(atPath: daemon.output)
                break
            } catch  where attempt < 50 {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        try "not a folder".write(toFile: daemon.output, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: daemon.watch + "/g.json")
        let failed = await notify.wait(timeout: .seconds(10)) { NotifySocket.value("STATUS", in: $0)?.contains("last error") == true }
        #expect(failed != nil, "no error in the status; log:\n\(daemon.logText)")
        #expect(try await daemon.logContains("report failed", within: .seconds(10)))
        // `chimerad status` says so too (it reads the store).
        let status = try await Chimerad.run(["status", "--state", folder + "/state"])
        #expect(status.stdout.contains("last error: ") && !status.stdout.contains("last error: none"), "\(status.stdout)")

        // Fixed: the owed report is written on the retry, with no new file landing.
        try FileManager.default.removeItem(atPath: daemon.output)
        let report = try #require(try await daemon.nextReport(after: 0, within: .seconds(15)), "no retry; log:\n\(daemon.logText)")
        #expect((report["inputs"] as? [String: Any])?["files_changed"] as? [String] == ["g.json"])
        // The journal counts what the report lists: the change the failed report left.
        #expect(try await daemon.logContains("files_changed=1", within: .seconds(5)), "log:\n\(daemon.logText)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    @Test func aWatchedFileSwappedForAFIFOIsSkippedAndTheDaemonKeepsGoing() async throws {
        let notify = try NotifySocket()
        let folder = try Chimerad.temporaryFolder("run-fifo")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/watch", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: folder + "/watch/g.json")
        let daemon = try await RunningDaemon(folder: folder, notify: notify)
        #expect(await notify.wait(timeout: .seconds(20)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
        _ = try await daemon.nextReport(after: 0, within: .seconds(10))
        func inputs(after count: Int) async throws -> [String: Any] {
            let report = try #require(try await daemon.nextReport(after: count, within: .seconds(10)), "no report; log:\n\(daemon.logText)")
            return report["inputs"] as? [String: Any] ?? [:]
        }
        func skipped(_ inputs: [String: Any]) -> [String: String] {
            let list = inputs["files_skipped"] as? [[String: Any]] ?? []
            return Dictionary(list.map { ($0["path"] as? String ?? "", $0["reason"] as? String ?? "") }, uniquingKeysWith: { first, _ in first })
        }

        // A FIFO renamed over the watched file: skipped, and said why.
        var before = daemon.reports().count
        try SpecialFiles.makeFIFO(at: folder + "/pipe")
        try #require(rename(folder + "/pipe", daemon.watch + "/g.json") == 0)
        var seen = try await inputs(after: before)
        #expect(seen["files_seen"] as? Int == 1)
        #expect(skipped(seen) == ["g.json": "not a regular file (FIFO)"])

        // A file again: read again.
        before = daemon.reports().count
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: folder + "/g.json")
        try #require(rename(folder + "/g.json", daemon.watch + "/g.json") == 0)
        seen = try await inputs(after: before)
        #expect(seen["files_analyzed"] as? Int == 1)
        #expect(skipped(seen).isEmpty)

        // A name that is not UTF-8 lands: counted and skipped, not lost.
        before = daemon.reports().count
        try SpecialFiles.writeFile(named: Array("bad".utf8) + [0xFF] + Array(".csv".utf8), in: daemon.watch, contents: "a,b\n1,2\n")
        seen = try await inputs(after: before)
        #expect(seen["files_seen"] as? Int == 2)
        #expect(skipped(seen)[#"bad\xFF.csv"#]?.hasPrefix("file name is not valid UTF-8") == true, "\(skipped(seen))")

        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0, "log:\n\(daemon.logText)")
    }

    /// A watch folder that does not exist yet beside one that does (a mount,
    /// a folder the harness makes on its first night) is watched once it
    /// appears: it was left out for good.
    @Test func aWatchFolderMadeAfterTheStartIsWatched() async throws {
        let folder = try Chimerad.temporaryFolder("run-later")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let later = folder + "/later"
        let daemon = try await RunningDaemon(folder: folder, notify: nil, extraArguments: ["--watch", later])
        _ = try #require(try await daemon.nextReport(after: 0, within: .seconds(20)), "no first report; log:\n\(daemon.logText)")
        try FileManager.default.createDirectory(atPath: later, withIntermediateDirectories: true)
        let before = daemon.reports().count
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: later + "/g.json")
        // Seen when the folder appears, or at the watcher's next check for missing roots.
        let report = try #require(
            try await daemon.nextReport(after: before, within: .seconds(90)), "no report from the new folder; log:\n\(daemon.logText)")
        let changed = (report["inputs"] as? [String: Any])?["files_changed"] as? [String] ?? []
        #expect(changed.contains { $0.hasSuffix("g.json") }, "\(report["inputs"] ?? [:])")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    /// A watch folder away when the daemon starts (a share not mounted yet)
    /// and back later is compared with what the store holds of it: its
    /// unchanged files are not read as new.
    @Test func aWatchFolderBackAfterTheStartIsNotReadAsNew() async throws {
        let folder = try Chimerad.temporaryFolder("run-back")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let share = folder + "/share"
        try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: share + "/g.json")
        let first = try await RunningDaemon(folder: folder, notify: nil, extraArguments: ["--watch", share])
        _ = try #require(try await first.nextReport(after: 0, within: .seconds(20)), "no first report; log:\n\(first.logText)")
        first.signal(SIGTERM)
        #expect(try await first.exitStatus(within: .seconds(10)) == 0)
        try FileManager.default.moveItem(atPath: share, toPath: folder + "/unmounted")
        let second = try await RunningDaemon(folder: folder, notify: nil, extraArguments: ["--watch", share])
        #expect(try await second.logContains("watching", within: .seconds(20)), "\(second.logText)")
        let before = second.reports().count
        try FileManager.default.moveItem(atPath: folder + "/unmounted", toPath: share)
        try FileManager.default.copyItem(atPath: Self.example("pytest-benchmark/bench.json"), toPath: share + "/bench.json")
        let report = try #require(
            try await second.nextReport(after: before, within: .seconds(90)), "no report once it was back; log:\n\(second.logText)")
        let changed = (report["inputs"] as? [String: Any])?["files_changed"] as? [String] ?? []
        #expect(changed.contains { $0.hasSuffix("bench.json") } && !changed.contains { $0.hasSuffix("g.json") }, "\(changed)")
        second.signal(SIGTERM)
        #expect(try await second.exitStatus(within: .seconds(10)) == 0)
    }

    /// A watch folder moved to a bigger disk and left as a link to it
    /// (`mv results /mnt/big/ && ln -s /mnt/big/results results`), and a
    /// watch path given as a link that is then replaced by the folder it
    /// led to: files landing after either are reported. The daemon kept
    /// watching the folder it had resolved at start, and reported nothing
    /// new until it was restarted.
    @Test func aWatchPathThatLeadsToAnotherFolderNowIsWatchedThere() async throws {
        let folder = try Chimerad.temporaryFolder("run-relinked")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let results = folder + "/results"
        try FileManager.default.createDirectory(atPath: results, withIntermediateDirectories: true)
        let daemon = try await RunningDaemon(folder: folder, notify: nil, extraArguments: ["--watch", results])
        _ = try #require(try await daemon.nextReport(after: 0, within: .seconds(20)), "no first report; log:\n\(daemon.logText)")
        // Whether a report after those in `seen` says `name` changed (two in
        // one second sort by name out of their order: each is looked at).
        func landed(_ example: String, as name: String, in place: String) async throws -> Bool {
            let seen = Set(daemon.reports())
            try FileManager.default.copyItem(atPath: Self.example(example), toPath: place + "/" + name)
            let deadline = ContinuousClock.now + .seconds(90)
            while true {
                for report in daemon.reports() where !seen.contains(report) {
                    let inputs = try Chimerad.json(daemon.output + "/" + report)["inputs"] as? [String: Any] ?? [:]
                    if (inputs["files_changed"] as? [String] ?? []).contains(where: { $0.hasSuffix(name) }) { return true }
                }
                guard ContinuousClock.now < deadline else { return false }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        // The folder moved away, a link to its new place left at its path.
        let big = folder + "/big"
        try FileManager.default.createDirectory(atPath: big, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: results, toPath: big + "/results")
        // The link made once the daemon has seen the folder go (its rescan over).
        #expect(try await daemon.logContains("watch folder was moved away", within: .seconds(30)))
        try await Task.sleep(for: .seconds(1))
        try FileManager.default.createSymbolicLink(atPath: results, withDestinationPath: big + "/results")
        // Files land after the daemon has seen the swap and rescanned (a
        // file already there was found by that rescan, even before).
        func settled(moves: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(30)
            while daemon.logText.components(separatedBy: "watch folder was moved away").count - 1 < moves, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .seconds(2))
        }
        try await settled(moves: 1)
        #expect(try await landed("hyperfine/gzip_levels.json", as: "g.json", in: big + "/results"), "log:\n\(daemon.logText)")
        #expect(try await daemon.logContains("a watch path leads to another folder now", within: .seconds(5)))
        // The link replaced by the folder it led to.
        try FileManager.default.removeItem(atPath: results)
        try FileManager.default.moveItem(atPath: big + "/results", toPath: results)
        try await settled(moves: 2)
        #expect(try await landed("pytest-benchmark/bench.json", as: "bench.json", in: results), "log:\n\(daemon.logText)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0, "log:\n\(daemon.logText)")
    }

    /// A watch path that is a link switched to the next run's folder
    /// (`ln -sfn run-42 current`) while the old one stays: the new folder's
    /// files are reported, a straggler in the old one is not, and the
    /// reports go on under the link. The daemon kept the folder it resolved
    /// at start until that folder went.
    @Test func aWatchPathLinkSwitchedToAnotherFolderIsFollowed() async throws {
        let folder = try Chimerad.temporaryFolder("run-link-switch")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for run in ["run-41", "run-42"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + run, withIntermediateDirectories: true)
        }
        let current = folder + "/current"
        try FileManager.default.createSymbolicLink(atPath: current, withDestinationPath: "run-41")
        let daemon = try await RunningDaemon(folder: folder, notify: nil, extraArguments: ["--watch", current])
        _ = try #require(try await daemon.nextReport(after: 0, within: .seconds(20)), "no first report; log:\n\(daemon.logText)")
        // Switched as `ln -sfn` does it: a new link renamed over the old one.
        try FileManager.default.createSymbolicLink(atPath: folder + "/current.new", withDestinationPath: "run-42")
        #expect(rename(folder + "/current.new", current) == 0)
        #expect(
            try await daemon.logContains("a watch path leads to another folder now", within: .seconds(30)), "log:\n\(daemon.logText)")
        try await Task.sleep(for: .seconds(1))
        let seen = Set(daemon.reports())
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: folder + "/run-41/stale.json")
        try FileManager.default.copyItem(atPath: Self.example("pytest-benchmark/bench.json"), toPath: folder + "/run-42/night.json")
        var landed: [String: Any]?
        let deadline = ContinuousClock.now + .seconds(30)
        while landed == nil, ContinuousClock.now < deadline {
            for name in daemon.reports() where !seen.contains(name) {
                let inputs = try Chimerad.json(daemon.output + "/" + name)["inputs"] as? [String: Any] ?? [:]
                let changed = inputs["files_changed"] as? [String] ?? []
                #expect(!changed.contains { $0.hasSuffix("stale.json") }, "the old folder is watched no more: \(changed)")
                if changed.contains(where: { $0.hasSuffix("night.json") }) { landed = inputs }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let inputs = try #require(landed, "the new folder's file was in no report; log:\n\(daemon.logText)")
        // Remembered under the link, whichever folder it leads to: its reports and regressions go on.
        let roots = inputs["roots"] as? [String] ?? []
        #expect(roots.contains { $0.hasSuffix("/current") } && !roots.contains { $0.hasSuffix("/run-41") || $0.hasSuffix("/run-42") }, "\(inputs)")
        let markdown = try String(contentsOfFile: daemon.output + "/latest.md", encoding: .utf8)
        #expect(!markdown.contains("First report over these inputs"), "\(markdown.prefix(2000))")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0, "log:\n\(daemon.logText)")
    }

    /// A watch folder replaced by a link just after a report (`mv results
    /// results.old && ln -s run-42 results`): the report of the new folder
    /// still waits for `report.min_interval_ms` after the last. It was
    /// written at once, half a second after the one before.
    @Test func aReportAfterTheWatchFolderIsReplacedKeepsTheMinimumInterval() async throws {
        let folder = try Chimerad.temporaryFolder("run-replaced-interval")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = folder + "/chimerad.yaml"
        // Long enough that a busy machine noticing the move late does not pass the test unfixed.
        try Data("report:\n  min_interval_ms: 6000\nmodel:\n  backend: none\n".utf8).write(to: URL(fileURLWithPath: config))
        try FileManager.default.createDirectory(atPath: folder + "/run-42", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.example("pytest-benchmark/bench.json"), toPath: folder + "/run-42/bench.json")
        let daemon = try await RunningDaemon(folder: folder, notify: nil, environment: ["CHIMERAD_CONFIG": config])
        _ = try #require(try await daemon.nextReport(after: 0, within: .seconds(20)), "no first report; log:\n\(daemon.logText)")
        try await Task.sleep(for: .seconds(6))
        let count = daemon.reports().count
        try FileManager.default.copyItem(atPath: Self.example("hyperfine/gzip_levels.json"), toPath: daemon.watch + "/g.json")
        _ = try #require(try await daemon.nextReport(after: count, within: .seconds(20)), "no change report; log:\n\(daemon.logText)")
        let changeReport = try #require(daemon.reports().last)
        try FileManager.default.moveItem(atPath: daemon.watch, toPath: daemon.watch + ".old")
        try FileManager.default.createSymbolicLink(atPath: daemon.watch, withDestinationPath: folder + "/run-42")
        let next = try #require(
            try await daemon.nextReport(after: count + 1, within: .seconds(30)), "no report of the new folder; log:\n\(daemon.logText)")
        #expect((next["inputs"] as? [String: Any])?["files_seen"] as? Int == 1, "\(next["inputs"] ?? "")")
        let newest = try #require(daemon.reports().last)
        func written(_ name: String) throws -> Date {
            try #require(try FileManager.default.attributesOfItem(atPath: daemon.output + "/" + name)[.modificationDate] as? Date)
        }
        let gap = try written(newest).timeIntervalSince(written(changeReport))
        #expect(gap >= 6.0, "reports \(gap) s apart; log:\n\(daemon.logText)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0, "log:\n\(daemon.logText)")
    }

    /// A second `chimerad run` on a state folder a daemon is using is
    /// refused with why: both reported every change (and would post every
    /// webhook twice). One-shot commands still take turns with the daemon.
    @Test func aSecondDaemonOnOneStateFolderIsRefused() async throws {
        let notify = try NotifySocket()
        let folder = try Chimerad.temporaryFolder("run-twice")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let daemon = try await RunningDaemon(folder: folder, notify: notify)
        #expect(await notify.wait(timeout: .seconds(20)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
        let second = try await Chimerad.run([
            "run", "--watch", daemon.watch, "--output", folder + "/out2", "--state", folder + "/state", "--log-target", "console",
        ])
        #expect(second.status == 1 && second.stderr.contains("another chimerad run is using it"), "\(second.stderr)")
        let report = try await Chimerad.run(["report", "--input", daemon.watch, "--output", folder + "/out3", "--state", folder + "/state"])
        #expect(report.status == 0, "\(report.stderr)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    @Test func aMissingWatchFolderFailsAtStartWithItsName() async throws {
        let folder = try Chimerad.temporaryFolder("run-missing")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try await Chimerad.run([
            "run", "--watch", folder + "/nope", "--output", folder + "/out", "--state", folder + "/state", "--log-target", "console",
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains(folder + "/nope"))
        // Said once: the critical log line is on the console already, and a
        // second `chimerad: error:` line doubled it (in a service's journal too).
        #expect(result.stderr.components(separatedBy: folder + "/nope").count == 2, "\(result.stderr)")
        // From a terminal with the logs sent to a journal, the line is there.
        let journal = try await Chimerad.run([
            "run", "--watch", folder + "/nope", "--output", folder + "/out", "--state", folder + "/state", "--log-target", "journal",
        ])
        #expect(journal.status == result.status && journal.stderr.components(separatedBy: folder + "/nope").count == 2, "\(journal.stderr)")
    }
}
