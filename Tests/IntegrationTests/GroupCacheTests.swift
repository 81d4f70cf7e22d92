import Foundation
import Testing

/// A report after a change takes the unchanged groups' figures from the
/// cache and reads only the changed groups' files: whatever changed, its
/// groups must be exactly those of a report made from an empty state.
@Suite(.serialized) struct GroupCacheTests {
    private func runFile(model: String, _ throughputs: [Double], options: String = "{\"\"temperature\"\":0.3}") -> String {
        var text = "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,eval_count,error,options\n"
        for (index, tps) in throughputs.enumerated() {
            let failed = index % 7 == 6
            text +=
                "2026-11-22T19:55:0\(index % 10)+00:00,\(model),\(index),prompt \(index),\(0.1 + Double(index) / 100),"
                + (failed ? "0,0,0,timeout" : "\(tps),0.01,48,") + ",\"\(options)\"\n"
        }
        return text
    }

    private func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The run groups of a report, as JSON text, sorted by model and configuration.
    /// The report's groups, sessions included; whether a session is new
    /// depends on the report before (a report from scratch has none), so
    /// that flag alone is left out.
    private func groups(_ out: String) throws -> String {
        func withoutNew(_ session: Any?) -> Any? {
            guard var session = session as? [String: Any] else { return session }
            session["new"] = nil
            return session
        }
        let groups = try Chimerad.json(out + "/latest.json").list("llm_runs").map { group -> [String: Any] in
            var group = group
            group["sessions"] = (group["sessions"] as? [Any])?.compactMap(withoutNew)
            group["latest_session"] = withoutNew(group["latest_session"])
            return group
        }.sorted {
            "\($0["model"] ?? "")|\($0["config"] ?? "")" < "\($1["model"] ?? "")|\($1["config"] ?? "")"
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: groups, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func cachedGroupsMatchAReportFromScratchAfterEveryKindOfChange() async throws {
        let tree = try Chimerad.temporaryFolder("cache-tree")
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        for index in 0..<6 {
            let model = ["m", "k", "q"][index % 3]
            try write(runFile(model: model, (0..<9).map { 50 + Double((index * 7 + $0 * 3) % 11) }), to: tree + "/s\(index)/\(model).csv")
        }
        try write(
            runFile(model: "m", [70, 71, 72], options: "{\"\"temperature\"\":0.8}"), to: tree + "/s9/m-warm.csv")
        // Groups of their own, so that a change's groups are a few files out of
        // many and their digests are read one by one.
        for index in 0..<16 { try write(runFile(model: "x\(index)", [30, 31, 32]), to: tree + "/x/\(index).csv") }
        let changes: [(String, () throws -> Void)] = [
            ("nothing", {}),
            ("one run appended", { try self.write(self.runFile(model: "m", (0..<10).map { 50 + Double($0) }), to: tree + "/s0/m.csv") }),
            ("a file added", { try self.write(self.runFile(model: "k", [90, 91, 92, 93]), to: tree + "/s7/k.csv") }),
            ("a file deleted", { try FileManager.default.removeItem(atPath: tree + "/s1/k.csv") }),
            (
                "a file moved",
                {
                    try FileManager.default.createDirectory(atPath: tree + "/s8", withIntermediateDirectories: true)
                    try FileManager.default.moveItem(atPath: tree + "/s2/q.csv", toPath: tree + "/s8/q.csv")
                }
            ),
            ("a model renamed in a file", { try self.write(self.runFile(model: "q2", [60, 61, 62]), to: tree + "/s5/q.csv") }),
            // Ollama's `m` is `m:latest`: a file naming the tag joins the bare name's runs to it, and leaving undoes it.
            ("a file naming m:latest added", { try self.write(self.runFile(model: "m:latest", [64, 65, 66]), to: tree + "/s6/m-tagged.csv") }),
            ("the file naming m:latest deleted", { try FileManager.default.removeItem(atPath: tree + "/s6/m-tagged.csv") }),
        ]
        var mRuns = 0
        for (what, change) in changes {
            try change()
            let cached = try await Chimerad.run(["report", "--input", tree, "--output", out, "--state", state])
            #expect(cached.status == 0, "\(what): \(cached.stderr)")
            let scratchOut = try Chimerad.temporaryFolder("scratch-out")
            let scratchState = try Chimerad.temporaryFolder("scratch-state")
            let scratch = try await Chimerad.run(["report", "--input", tree, "--output", scratchOut, "--state", scratchState])
            #expect(scratch.status == 0, "\(what): \(scratch.stderr)")
            #expect(try groups(out) == groups(scratchOut), "after \(what)")
            let runs = try Chimerad.json(out + "/latest.json").list("llm_runs")
            let models = Set(runs.compactMap { $0["model"] as? String })
            let tagged = FileManager.default.fileExists(atPath: tree + "/s6/m-tagged.csv")
            #expect(models.contains("m:latest") == tagged && models.contains("m") == !tagged, "after \(what): \(models.sorted())")
            // Pooled, not replaced: the tag's 3 runs join the bare name's.
            let ofM = runs.filter { ["m", "m:latest"].contains($0["model"] as? String ?? "") }
                .map { ($0["runs_ok"] as? Int ?? 0) + ($0["runs_failed"] as? Int ?? 0) }.reduce(0, +)
            if what.hasSuffix("added") && what.contains("m:latest") {
                #expect(ofM == mRuns + 3, "runs of m before: \(mRuns), now \(ofM)")
                // What Changed: m's figures under its new name, not m gone and m:latest new.
                let changes = try Chimerad.json(out + "/latest.json").object("changes")
                let gone = (changes["gone_groups"] as? [String]) ?? []
                let new = (changes["new_groups"] as? [String]) ?? []
                #expect(!gone.contains { $0.hasPrefix("m |") } && !new.contains { $0.hasPrefix("m:latest |") }, "\(changes)")
            }
            mRuns = ofM
        }
    }
}
