import Foundation
import Testing

/// Reports over one folder, the binary end to end: after a clearly slower run
/// file lands, the next report leads with a significant regression; one more
/// file of the same speed as before is a move, but no regression. A second
/// model, unchanged in between (its figures taken from the group cache), keeps
/// the runs its own regression is tested against later.
@Suite(.serialized) struct RegressionReportTests {
    /// An Ollama run CSV of one model, one row per throughput, same options throughout.
    private func runFile(_ throughputs: [Double], model: String = "m") -> String {
        var text =
            "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options\n"
        for (index, tps) in throughputs.enumerated() {
            let ttft = 0.1 + Double(index % 5) / 1000
            text +=
                "2026-11-22T19:55:02+00:00,\(model),\(index),prompt \(index),\(ttft),\(tps),0.0,0.01,1.0,20,48,100,,\"{\"\"temperature\"\":0.3}\"\n"
        }
        return text
    }

    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func aSlowerRunFileLeadsTheNextReportAsASignificantRegression() async throws {
        let tree = try Chimerad.temporaryFolder("regression")
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        let arguments = ["report", "--input", tree, "--output", out, "--state", state]
        // 20 runs between 100 and 101.9 tok/s.
        try write(runFile((0..<20).map { 100 + Double(($0 * 7) % 20) / 10 }), to: tree + "/m_runs.csv")
        try write(runFile((0..<12).map { 40 + Double(($0 * 5) % 12) / 10 }, model: "k"), to: tree + "/k_runs.csv")
        let first = try await Chimerad.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try Chimerad.json(out + "/latest.json").object("changes").list("moves").isEmpty)

        // 20 more runs, every one slower than any before (60 to 61.9 tok/s).
        try write(runFile((0..<20).map { 60 + Double(($0 * 3) % 20) / 10 }), to: tree + "/m_runs_slow.csv")
        let second = try await Chimerad.run(arguments)
        #expect(second.status == 0, "\(second.stderr)")
        let report = try Chimerad.json(out + "/latest.json")
        let changes = report.object("changes")
        #expect(changes.int("regressions") == 1)
        let files = changes.object("files")
        #expect(files.strings("new") == ["m_runs_slow.csv"] && files.strings("modified").isEmpty)
        let move = try #require(changes.list("moves").first)
        #expect(changes.list("moves").allSatisfy { $0["model"] as? String == "m" }, "k did not change")
        #expect(move["model"] as? String == "m" && move["metric"] as? String == "tokens_per_second")
        #expect(move["regression"] as? Bool == true && move["significant"] as? Bool == true)
        #expect(move["test"] as? String == "mann-whitney-u" && move["verdict"] as? String == "significant")
        #expect(move.int("runs_before") == 20 && move.int("runs_after") == 40)
        // Half the runs after are the old ones (U = 20·20/2 = 200 of 800 pairs), and the
        // slow half loses every pair: z = (200 - 400 + 0.5) / √(800·61/12) ≈ -3.13.
        #expect(move["u"] as? Double == 200 || move["u"] as? Int == 200)
        let p = try #require(move["p_value"] as? Double)
        #expect(p > 0.001 && p < 0.003, "p = \(p)")
        #expect((move["change_percent"] as? Double ?? 0) < -15)

        let markdown = try String(contentsOfFile: out + "/latest.md", encoding: .utf8)
        let lines = markdown.split(separator: "\n").map(String.init)
        let callout = try #require(lines.firstIndex { $0.hasPrefix("> **Regression since the previous report**") })
        let summary = try #require(lines.firstIndex(of: "## Executive Summary"))
        #expect(callout < summary)
        let lead = try #require(lines[(summary + 1)...].first { !$0.isEmpty })
        #expect(lead.hasPrefix("Regression: m (temperature=0.3) median tok/s fell from "), "\(lead)")
        #expect(lead.contains("significant (Mann-Whitney p = 0.00"), "\(lead)")
        #expect(lead.hasSuffix("over 20 runs before and 40 after."), "\(lead)")

        // m: runs like the first file's, so its median moves back up, as an
        // improvement or an unconfirmed move, never a regression. k: its file is
        // rewritten with slower runs, tested against the 12 runs the second
        // report kept of it although it took k's figures from the cache.
        try write(runFile((0..<20).map { 100 + Double(($0 * 9) % 20) / 10 }), to: tree + "/m_runs_again.csv")
        try write(runFile((0..<12).map { 30 + Double(($0 * 5) % 12) / 10 }, model: "k"), to: tree + "/k_runs.csv")
        let third = try await Chimerad.run(arguments)
        #expect(third.status == 0, "\(third.stderr)")
        let again = try Chimerad.json(out + "/latest.json").object("changes")
        #expect(again.object("files").strings("modified") == ["k_runs.csv"])
        #expect(again.int("regressions") == 1)
        let k = try #require(again.list("moves").first)
        #expect(k["model"] as? String == "k" && k["metric"] as? String == "tokens_per_second")
        #expect(k["regression"] as? Bool == true && k.int("runs_before") == 12 && k.int("tested_before") == 12)
        // 12 against 12, every run slower, no ties: z = (0 - 72 + 0.5) / √(144·25/12).
        #expect(k["method"] as? String == "normal approximation")
        let kp = try #require(k["p_value"] as? Double)
        #expect(abs(kp - erfc(71.5 / 300.0.squareRoot() / 2.0.squareRoot())) < 1e-12)
        #expect(again.list("moves").filter { $0["model"] as? String == "m" }.allSatisfy { $0["regression"] as? Bool == false })
        let thirdMarkdown = try String(contentsOfFile: out + "/latest.md", encoding: .utf8)
        #expect(thirdMarkdown.contains("> **Regression since the previous report**"))
        #expect(thirdMarkdown.contains("> - k (temperature=0.3), median tok/s: "))
    }
}
