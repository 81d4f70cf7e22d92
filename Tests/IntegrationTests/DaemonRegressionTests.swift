import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Regressions through the daemon and the command line together: a pinned
/// baseline holds while sessions land, a slower session opens a regression
/// (a journal entry with its own MESSAGE_ID), and `regressions ack` resolves
/// it at the daemon's next report.
@Suite(.serialized) struct DaemonRegressionTests {
    private func runFile(_ throughputs: [Double], model: String = "m", day: Int) -> String {
        var text =
            "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options\n"
        for (index, tps) in throughputs.enumerated() {
            text +=
                "2026-11-\(10 + day)T10:00:\(String(format: "%02d", index * 5 % 60))Z,\(model),\(index),prompt \(index),0.1,\(tps),0.0,0.01,1.0,20,48,100,,\n"
        }
        return text
    }

    @Test func aPinnedBaselineHoldsAndAnAcknowledgedRegressionResolves() async throws {
        let folder = try Chimerad.temporaryFolder("daemon-regressions")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = folder + "/chimerad.yaml"
        try "model:\n  backend: none\n".write(toFile: config, atomically: true, encoding: .utf8)
        let notify = try NotifySocket()
        let daemon = try await RunCommandTests.RunningDaemon(folder: folder, notify: notify, extraArguments: ["--config", config])
        #expect(await notify.wait(timeout: .seconds(20)) { $0.contains("READY=1") } != nil, "no READY=1; log:\n\(daemon.logText)")
        _ = try await daemon.nextReport(after: 0, within: .seconds(10))
        let state = ["--state", folder + "/state", "--config", config]

        func land(_ text: String, as name: String) async throws -> [String: Any] {
            let before = daemon.reports().count
            try Data(text.utf8).write(to: URL(fileURLWithPath: daemon.watch + "/" + name))
            return try #require(try await daemon.nextReport(after: before, within: .seconds(15)), "no report; log:\n\(daemon.logText)")
        }

        _ = try await land(runFile((0..<10).map { 100 + Double($0) / 10 }, day: 1), as: "a.csv")
        let pin = try await Chimerad.run(["baseline", "pin", "--note", "release 1.0"] + state)
        #expect(pin.status == 0 && pin.stdout.contains("every group: pinned"), "\(pin.stdout)\(pin.stderr)")
        // Faster than the pin, then a session as slow as the pin's baseline: against the
        // sessions just before it that would be a regression; against the pin it is none.
        _ = try await land(runFile((0..<10).map { 120 + Double($0) / 10 }, day: 2), as: "b.csv")
        let level = try await land(runFile((0..<10).map { 100.2 + Double($0) / 10 }, day: 3), as: "c.csv")
        #expect(level.object("regressions").list("open").isEmpty, "compared with the pinned baseline, not with b.csv")
        let slow = try await land(runFile((0..<10).map { 80 + Double($0) / 10 }, day: 4), as: "d.csv")
        let opened = try #require(slow.object("regressions").list("open").first, "log:\n\(daemon.logText)")
        #expect(opened.object("current").strings("sources") == ["d.csv"])
        #expect(opened.object("baseline").int("sessions") == 1, "the pinned baseline: a.csv alone")
        #expect(try await daemon.logContains("regression opened", within: .seconds(10)), "log:\n\(daemon.logText)")
        #expect(daemon.logText.contains("message_id=85dbc108bac44a01ba8e5e9c2c57cf7e"))
        #expect(await notify.wait(timeout: .seconds(5)) { $0.contains("; 1 open regression (chimerad regressions)") } != nil)

        let id = try #require(opened.int("id"))
        let ack = try await Chimerad.run(["regressions", "ack", String(id), "--note", "expected after the driver update"] + state)
        #expect(ack.status == 0, "\(ack.stderr)")
        let after = try await land(runFile([50, 51, 52], model: "other", day: 5), as: "e.csv")
        #expect(after.object("regressions").list("open").isEmpty)
        let resolved = try #require(after.object("regressions").list("resolved").first)
        #expect(resolved.int("id") == id && resolved["acknowledged"] as? Bool == true)
        let show = try await Chimerad.run(["baseline", "show"] + state)
        #expect(show.stdout.contains("release 1.0"))
        let clear = try await Chimerad.run(["baseline", "clear"] + state)
        #expect(clear.stdout.hasPrefix("1 pin removed"))
        // An empty --model (a shell variable left unset) does not pin every group.
        let empty = try await Chimerad.run(["baseline", "pin", "--model", ""] + state)
        #expect(empty.status == 64 && empty.stderr.contains("--model needs a model name"), "\(empty.stderr)")
        // A model no report has seen is pinned (its runs may come), with a note naming the known ones.
        let unknown = try await Chimerad.run(["baseline", "pin", "--model", "gemma-typo"] + state)
        #expect(unknown.status == 0 && unknown.stdout.contains("model gemma-typo: pinned"), "\(unknown.stdout)")
        #expect(unknown.stderr.contains("the reports' cached groups have no runs of model gemma-typo (reports name: m, other)"), "\(unknown.stderr)")
        // Blanks around the name are no part of it; one pin at a time by name, or every group's.
        #expect(try await Chimerad.run(["baseline", "clear", "--model", " gemma-typo "] + state).stdout.hasPrefix("1 pin removed"))
        let both = try await Chimerad.run(["baseline", "clear", "--model", "m", "--all-groups"] + state)
        #expect(both.status == 64 && both.stderr.contains("--model and --all-groups name different pins"), "\(both.stderr)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    /// A watched folder moved away is an input that is not there: its files
    /// are neither read nor deleted, the report still compares with the one
    /// before (not "the first over these inputs") and its open regression
    /// stays listed, as in `STATUS=`.
    @Test func aWatchedFolderMovedAwayKeepsTheReportsHistoryAndOpenRegressions() async throws {
        let folder = try Chimerad.temporaryFolder("daemon-root-away")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = folder + "/chimerad.yaml"
        try "model:\n  backend: none\n".write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try await RunCommandTests.RunningDaemon(folder: folder, notify: nil, extraArguments: ["--config", config])
        _ = try #require(try await daemon.nextReport(after: 0, within: .seconds(20)), "no startup report; log:\n\(daemon.logText)")
        func land(_ text: String, as name: String) async throws -> [String: Any] {
            let before = daemon.reports().count
            try Data(text.utf8).write(to: URL(fileURLWithPath: daemon.watch + "/" + name))
            return try #require(try await daemon.nextReport(after: before, within: .seconds(15)), "no report; log:\n\(daemon.logText)")
        }
        _ = try await land(runFile((0..<10).map { 100 + Double($0) / 10 }, day: 1), as: "a.csv")
        let slow = try await land(runFile((0..<10).map { 80 + Double($0) / 10 }, day: 2), as: "b.csv")
        #expect(slow.object("regressions").list("open").count == 1, "log:\n\(daemon.logText)")

        let before = daemon.reports().count
        try FileManager.default.moveItem(atPath: daemon.watch, toPath: folder + "/watch-away")
        let away = try #require(try await daemon.nextReport(after: before, within: .seconds(20)), "no report; log:\n\(daemon.logText)")
        #expect(away.object("changes")["previous_report_at"] is String, "compared with the report before, not the first")
        #expect(away.object("regressions").list("open").count == 1, "the open regression is still listed")
        // Named by the input's own path, not as `.` under it.
        #expect(
            away.object("inputs").list("files_skipped").contains { ($0["path"] as? String)?.hasSuffix("/watch") == true },
            "\(away.object("inputs"))")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    /// A harness that writes `results.csv.tmp` and moves it over
    /// `results.csv` each night: the replaced nights stay the file's
    /// history, as a rewrite in place keeps them, and the slow night opens
    /// a regression. The daemon took the move for a new file and dropped
    /// them (campaign s33b); a one-shot report always kept them.
    @Test func aFileRenamedOverTheResultsKeepsItsNights() async throws {
        let folder = try Chimerad.temporaryFolder("daemon-rename-over")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = folder + "/chimerad.yaml"
        try "model:\n  backend: none\n".write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try await RunCommandTests.RunningDaemon(folder: folder, notify: nil, extraArguments: ["--config", config])
        _ = try #require(try await daemon.nextReport(after: 0, within: .seconds(20)), "no startup report; log:\n\(daemon.logText)")
        var last: [String: Any] = [:]
        for day in 1...6 {
            let level = day == 6 ? 75.0 : 100.0
            let before = daemon.reports().count
            let temporary = daemon.watch + "/results.csv.tmp"
            try Data(runFile((0..<10).map { level + Double($0) / 10 }, day: day).utf8).write(to: URL(fileURLWithPath: temporary))
            #expect(rename(temporary, daemon.watch + "/results.csv") == 0)
            last = try #require(try await daemon.nextReport(after: before, within: .seconds(20)), "no report; log:\n\(daemon.logText)")
        }
        let group = try #require(last.list("llm_runs").first)
        #expect(group["sessions_total"] as? Int == 6, "every night kept: \(group["sessions_total"] ?? "")")
        #expect(last.object("regressions").list("open").count == 1, "log:\n\(daemon.logText)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    /// Whether this process may mount a tmpfs (root, with the capability a
    /// container often lacks): tried once on a scratch folder.
    static let canMount: Bool = {
        guard geteuid() == 0, let folder = try? Chimerad.temporaryFolder("mount-probe") else { return false }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard (try? mount(folder)) != nil else { return false }
        unmount(folder)
        return true
    }()

    private static func mount(_ folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = ["-t", "tmpfs", "-o", "size=8m", "tmpfs", folder]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteNoPermission) }
    }

    private static func unmount(_ folder: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [folder]
        process.standardError = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
    }

    /// A watched share unmounted leaves its empty mount point: its files are
    /// left out, not counted as deleted (which closed the open regression
    /// as deleted with its file, and told the webhook so), and the share
    /// mounted again is watched again at once, not a minute later.
    @Test(.enabled(if: canMount, "needs root and the right to mount a tmpfs (a container without CAP_SYS_ADMIN has neither)"))
    func aWatchedShareUnmountedIsNotAnEmptiedFolder() async throws {
        try await shareUnmountedAndMountedAgain(files: "")
    }

    /// The same with the files in a subfolder of the share: its unmount
    /// event came first and had the watcher take the empty mount point for
    /// the share, so the share mounted again went unseen for a minute.
    @Test(.enabled(if: canMount, "needs root and the right to mount a tmpfs (a container without CAP_SYS_ADMIN has neither)"))
    func aWatchedShareWithSubfoldersMountedAgainIsSeenAtOnce() async throws {
        try await shareUnmountedAndMountedAgain(files: "night/")
    }

    /// A file system mounted over a folder inside the watch folder (a share
    /// of another machine's results): its files are read, and gone when it
    /// is unmounted. inotify says nothing of either; the files were in no
    /// report, and after the unmount the report still listed them.
    @Test(.enabled(if: canMount, "needs root and the right to mount a tmpfs (a container without CAP_SYS_ADMIN has neither)"))
    func aFileSystemMountedInsideTheWatchFolderIsRead() async throws {
        let folder = try Chimerad.temporaryFolder("daemon-submount")
        let mountPoint = folder + "/watch/cluster"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        defer {
            Self.unmount(mountPoint)
            try? FileManager.default.removeItem(atPath: folder)
        }
        let config = folder + "/chimerad.yaml"
        try "model:\n  backend: none\n".write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try await RunCommandTests.RunningDaemon(folder: folder, notify: nil, extraArguments: ["--config", config])
        _ = try #require(try await daemon.nextReport(after: 0, within: .seconds(20)), "no startup report; log:\n\(daemon.logText)")
        try Self.mount(mountPoint)
        // Written once the daemon has seen the mount: a write it never hears of is the point.
        #expect(try await daemon.logContains("mounted or unmounted inside a watch folder", within: .seconds(10)), "log:\n\(daemon.logText)")
        let before = daemon.reports().count
        try Data(runFile((0..<10).map { 100 + Double($0) / 10 }, day: 1).utf8).write(to: URL(fileURLWithPath: mountPoint + "/a.csv"))
        let read = try #require(
            try await daemon.nextReport(after: before, within: .seconds(15)), "the mounted file went unseen; log:\n\(daemon.logText)")
        #expect(read.object("inputs").int("files_seen") == 1, "\(read.object("inputs"))")
        let mounted = daemon.reports().count
        Self.unmount(mountPoint)
        let gone = try #require(
            try await daemon.nextReport(after: mounted, within: .seconds(15)), "the unmount went unseen; log:\n\(daemon.logText)")
        #expect(gone.object("inputs").int("files_seen") == 0, "\(gone.object("inputs"))")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }

    /// A share at the watch folder with two nights in `files` (a subfolder,
    /// or "" for its top), unmounted, and mounted again with a third.
    private func shareUnmountedAndMountedAgain(files prefix: String) async throws {
        let folder = try Chimerad.temporaryFolder("daemon-share")
        let watch = folder + "/watch"
        try FileManager.default.createDirectory(atPath: watch, withIntermediateDirectories: true)
        try Self.mount(watch)
        defer {
            Self.unmount(watch)
            try? FileManager.default.removeItem(atPath: folder)
        }
        let config = folder + "/chimerad.yaml"
        try "model:\n  backend: none\n".write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try await RunCommandTests.RunningDaemon(folder: folder, notify: nil, extraArguments: ["--config", config])
        _ = try #require(try await daemon.nextReport(after: 0, within: .seconds(20)), "no startup report; log:\n\(daemon.logText)")
        let files = [
            (prefix + "a.csv", runFile((0..<10).map { 100 + Double($0) / 10 }, day: 1)),
            (prefix + "b.csv", runFile((0..<10).map { 80 + Double($0) / 10 }, day: 2)),
        ]
        if !prefix.isEmpty { try FileManager.default.createDirectory(atPath: watch + "/" + prefix, withIntermediateDirectories: true) }
        for (name, text) in files {
            let before = daemon.reports().count
            try Data(text.utf8).write(to: URL(fileURLWithPath: watch + "/" + name))
            _ = try #require(try await daemon.nextReport(after: before, within: .seconds(15)), "no report; log:\n\(daemon.logText)")
        }
        let open = try Chimerad.json(daemon.output + "/" + (daemon.reports().last ?? ""))
        #expect(open.object("regressions").list("open").count == 1, "log:\n\(daemon.logText)")

        Self.unmount(watch)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, !daemon.logText.contains("a share not mounted?") { try await Task.sleep(for: .milliseconds(50)) }
        #expect(daemon.logText.contains("a share not mounted?"), "the pass never found the share gone; log:\n\(daemon.logText)")
        #expect(!daemon.logText.contains("regression resolved"), "log:\n\(daemon.logText)")
        let status = try await Chimerad.run(["status", "--state", folder + "/state"])
        #expect(status.stdout.contains("0 deleted"), "\(status.stdout)")

        // Mounted again with its files and a third night: read within seconds, the regression still open.
        try Self.mount(watch)
        if !prefix.isEmpty { try FileManager.default.createDirectory(atPath: watch + "/" + prefix, withIntermediateDirectories: true) }
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: watch + "/" + name)) }
        let before = daemon.reports().count
        try Data(runFile((0..<10).map { 80 + Double($0) / 10 }, day: 3).utf8).write(to: URL(fileURLWithPath: watch + "/" + prefix + "c.csv"))
        let back = try #require(
            try await daemon.nextReport(after: before, within: .seconds(15)), "share mounted again went unseen; log:\n\(daemon.logText)")
        #expect(back.object("regressions").list("open").count == 1, "\(back.object("regressions")); log:\n\(daemon.logText)")
        #expect(!daemon.logText.contains("regression resolved") && !daemon.logText.contains("regression reopened"), "log:\n\(daemon.logText)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: .seconds(10)) == 0)
    }
}
