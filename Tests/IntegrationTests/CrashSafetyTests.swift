import Foundation
import TestSupport
import Testing

/// The store must survive a kill at any moment: the next run accepts it, repairs
/// what the kill interrupted, and reports the same figures as an undisturbed run.
@Suite(.serialized) struct CrashSafetyTests {
    private func llmRuns(_ reportFolder: String) throws -> [String] {
        let report = try Chimerad.json(reportFolder + "/latest.json")
        return report.list("llm_runs").map { run in
            let stats = run.object("tokens_per_second")
            return "\(run["model"] ?? "") ok=\(run["runs_ok"] ?? "") failed=\(run["runs_failed"] ?? "") median=\(stats["median"] ?? "")"
        }.sorted()
    }

    @Test func aKilledRunLeavesAStoreTheNextRunAcceptsAndRepairs() async throws {
        let tree = try Chimerad.temporaryFolder("crash-tree")
        let generator = Chimerad.repository.appendingPathComponent("scripts/bench/generate_tree.py").path
        let (generated, output) = try await Chimerad.shell(["python3", generator, tree, "--files", "400", "--runs", "100", "--seed", "7"])
        try #require(generated == 0, "\(output)")
        let binary = try #require(Chimerad.binary)

        let cleanOut = try Chimerad.temporaryFolder("clean-out")
        let clean = try await Chimerad.run(["report", "--input", tree, "--output", cleanOut, "--state", try Chimerad.temporaryFolder("clean-state")])
        try #require(clean.status == 0, "\(clean.stderr)")

        let state = try Chimerad.temporaryFolder("crash-state")
        let out = try Chimerad.temporaryFolder("crash-out")
        // Kill at several points of the ingest; each later run resumes from what was committed.
        for delay in [0.02, 0.05, 0.1, 0.2] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["report", "--input", tree, "--output", out, "--state", state]
            process.environment = ["CHIMERAD_CONFIG": try Chimerad.neutralConfig(), "PATH": "/usr/bin:/bin"]
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            try await Task.sleep(for: .seconds(delay))
            kill(process.processIdentifier, SIGKILL)
            try await process.waitForExit()
        }
        let resumed = try await Chimerad.run(["report", "--input", tree, "--output", out, "--state", state])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try llmRuns(out) == llmRuns(cleanOut))
        let inputs = try Chimerad.json(out + "/latest.json").object("inputs")
        #expect(inputs.int("files_analyzed") == 400)
        // No report was left half-written: every report file parses or is absent.
        for name in try FileManager.default.contentsOfDirectory(atPath: out) where name.hasSuffix(".json") {
            #expect(throws: Never.self) { _ = try Chimerad.json(out + "/" + name) }
            #expect(!name.hasPrefix("."), "temporary \(name) left behind")
        }
    }

    @Test func twoRunsOnOneStateFolderTakeTurns() async throws {
        let state = try Chimerad.temporaryFolder("locked-state")
        let out = try Chimerad.temporaryFolder("locked-out") + "/reports"
        let examples = Chimerad.repository.appendingPathComponent("examples/results").path
        // Another process holds the state folder's lock until the report has
        // made its output folder (just before it asks for the lock), and a second longer.
        let holder = try await holdingTheLock(of: state, running: ["sh", "-c", Self.untilMade + "sleep 1", out])
        let started = Date()
        let result = try await Chimerad.run(["report", "--input", examples, "--output", out, "--state", state])
        try await holder.waitForExit()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("another chimerad is using this state folder"))
        #expect(Date().timeIntervalSince(started) >= 0.5, "it waited for the lock")
    }

    /// A file that lands while `report` waits for another chimerad's lock
    /// is in the report: the tree is stat'ed once the lock is held (stat'ed
    /// before, a file stored by the other pass meanwhile read as deleted).
    @Test func aFileLandingWhileTheLockIsAwaitedIsInTheReport() async throws {
        let state = try Chimerad.temporaryFolder("locked-landing-state")
        let out = try Chimerad.temporaryFolder("locked-landing-out") + "/reports"
        let tree = try Chimerad.temporaryFolder("locked-landing-tree")
        let examples = Chimerad.repository.appendingPathComponent("examples/results/ollama-style").path
        let landing = "gemma3-270m_runs.csv"
        for name in try FileManager.default.contentsOfDirectory(atPath: examples) where name != landing {
            try FileManager.default.copyItem(atPath: examples + "/" + name, toPath: tree + "/" + name)
        }
        // Another process holds the lock until the report has made its output
        // folder (just before it asks for the lock); the file lands a second
        // later, while the report waits, then the lock is let go.
        let holder = try await holdingTheLock(
            of: state,
            running: ["sh", "-c", Self.untilMade + "sleep 1 && cp \"$1\" \"$2\" && sleep 0.5", out, examples + "/" + landing, tree + "/" + landing])
        let result = try await Chimerad.run(["report", "--input", tree, "--output", out, "--state", state])
        try await holder.waitForExit()
        #expect(holder.terminationStatus == 0)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("another chimerad is using this state folder"), "it waited for the lock")
        let inputs = try Chimerad.json(out + "/latest.json").object("inputs")
        let count = try FileManager.default.contentsOfDirectory(atPath: examples).count
        #expect(inputs.int("files_seen") == count, "\(inputs)")
        #expect(inputs.strings("files_changed").contains(landing), "\(inputs)")
    }

    /// A shell's wait (at most 120 s) for the folder `$0` to exist: a report
    /// makes its output folder just before it asks for the state lock, so a
    /// lock held until then is one the report waits for, however long the
    /// report took to start on a loaded machine (a fixed three seconds was
    /// not always enough beside a CI build).
    static let untilMade = "i=0; while [ ! -d \"$0\" ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done; "

    /// `command` run by flock(1) holding the state folder's lock, once it
    /// holds it (on a loaded machine flock can take longer to start than a
    /// report does).
    private func holdingTheLock(of state: String, running command: [String]) async throws -> Process {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [state + "/chimerad.lock"] + command
        try holder.run()
        for _ in 0..<100 {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            probe.arguments = ["-n", state + "/chimerad.lock", "true"]
            try probe.run()
            probe.waitUntilExit()
            if probe.terminationStatus != 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return holder
    }
}
