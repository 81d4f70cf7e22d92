import Foundation
import TestSupport
import Testing

/// How inputs combine, and how the store recovers: regressions found in review.
@Suite(.serialized) struct InputsTests {
    private func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    private let runs = "model,prompt_text,ttft_s,tokens_s,eval_count,error\nm,a,0.1,10,5,\nm,b,0.1,12,5,\n"

    @Test func overlappingInputsCountEachFileOnce() async throws {
        let tree = try Chimerad.temporaryFolder("overlap")
        try write(tree + "/sub/a.csv", runs)
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        let result = try await Chimerad.run([
            "report", "--input", tree, "--input", tree + "/sub", "--input", tree, "--input", tree + "/sub/a.csv",
            "--output", out, "--state", state,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try Chimerad.json(out + "/latest.json")
        #expect(report.object("inputs").int("files_seen") == 1)
        #expect(report.list("llm_runs").first?["runs_ok"] as? Int == 2)
        #expect(report.list("llm_runs").first?["sources"] as? [String] == ["sub/a.csv"])
    }

    @Test func filesOfDifferentInputsAreNeverTwins() async throws {
        let a = try Chimerad.temporaryFolder("machine-a")
        let b = try Chimerad.temporaryFolder("machine-b")
        let runs = "prompt,ttft_s,tokens_s,eval_count,error\np,0.1,10,5,\n"
        try write(a + "/m_baseline.json", #"{"model": "m:1b", "results": [{"prompt": "p", "ttft_s": 0.1, "tokens_s": 10, "eval_count": 5}]}"#)
        try write(b + "/m_baseline.csv", runs)
        let out = try Chimerad.temporaryFolder("out")
        let result = try await Chimerad.run(["report", "--input", a, "--input", b, "--output", out, "--state", try Chimerad.temporaryFolder("state")])
        #expect(result.status == 0, "\(result.stderr)")
        let groups = try Chimerad.json(out + "/latest.json").list("llm_runs")
        let names = Set(groups.compactMap { $0["model"] as? String })
        #expect(names == ["m:1b", "m"], "the CSV of the other input keeps its own (file) name")
        #expect(groups.allSatisfy { ($0["duplicates_merged"] as? Int) == 0 })
        let sources = groups.flatMap { $0["sources"] as? [String] ?? [] }
        #expect(sources.contains { $0.hasPrefix(URL(fileURLWithPath: a).lastPathComponent + "/") })
    }

    @Test func skipsThatDependOnSettingsAreLookedAtAgain() async throws {
        let tree = try Chimerad.temporaryFolder("limits")
        try write(tree + "/big.csv", runs + String(repeating: "m,x,0.1,11,5,\n", count: 400))
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        let small = try Chimerad.temporaryFolder("config") + "/small.yaml"
        try write(small, "ingest:\n  max_file_bytes: 1024\n")
        #expect(try await Chimerad.run(["report", "--config", small, "--input", tree, "--output", out, "--state", state]).status == 0)
        let skipped = try Chimerad.json(out + "/latest.json").object("inputs").list("files_skipped")
        #expect((skipped.first?["reason"] as? String)?.hasPrefix("too large: 5 KiB exceeds the 1 KiB limit") == true, "\(skipped)")
        // Raising the limit changes nothing about the file, yet it is read now.
        #expect(try await Chimerad.run(["report", "--input", tree, "--output", out, "--state", state]).status == 0)
        #expect(try Chimerad.json(out + "/latest.json").object("inputs").int("files_analyzed") == 1)
    }

    @Test func damagedStoredRecordsAreReadAgainInTheSameRun() async throws {
        let tree = try Chimerad.temporaryFolder("damage")
        try write(tree + "/a.csv", runs)
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        #expect(try await Chimerad.run(["report", "--input", tree, "--output", out, "--state", state]).status == 0)
        let (status, output) = try await Chimerad.shell([
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE file_digest SET digest = x'01'\"); c.execute('DELETE FROM group_cache'); c.commit()",
            state + "/chimerad.sqlite",
        ])
        try #require(status == 0, "\(output)")
        let repaired = try await Chimerad.run(["report", "--input", tree, "--output", out, "--state", state])
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(repaired.stderr.contains("reading the files again"))
        let report = try Chimerad.json(out + "/latest.json")
        #expect(report.object("inputs").int("files_analyzed") == 1)
        #expect(report.list("llm_runs").first?["runs_ok"] as? Int == 2)
        let again = try await Chimerad.run(["report", "--input", tree, "--output", out, "--state", state])
        #expect(!again.stderr.contains("reading the files again"), "repaired for good")
    }

    @Test func aDamagedDigestAmongFewReadByKeyIsReadAgain() async throws {
        // One group of two files among twelve: after one of them changes, the
        // report reads only that group's digests, one by one.
        let tree = try Chimerad.temporaryFolder("damage-few")
        try write(tree + "/a.csv", runs)
        try write(tree + "/b.csv", runs)
        for index in 0..<10 { try write(tree + "/other\(index).csv", runs.replacingOccurrences(of: "\nm,", with: "\nm\(index),")) }
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        #expect(try await Chimerad.run(["report", "--input", tree, "--output", out, "--state", state]).status == 0)
        let (status, output) = try await Chimerad.shell([
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE file_digest SET digest = x'01' WHERE path = 'b.csv'\"); c.commit()",
            state + "/chimerad.sqlite",
        ])
        try #require(status == 0, "\(output)")
        try write(tree + "/a.csv", runs + "m,c,0.1,14,5,\n")
        let repaired = try await Chimerad.run(["report", "--input", tree, "--output", out, "--state", state])
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(repaired.stderr.contains("reading the files again") && repaired.stderr.contains("b.csv"), "\(repaired.stderr)")
        let group = try Chimerad.json(out + "/latest.json").list("llm_runs").first { $0["model"] as? String == "m" }
        #expect(group?["runs_ok"] as? Int == 5, "a.csv's three runs and b.csv's two")
    }

    @Test func aLinkIntoTheOutputFolderIsNotFollowed() async throws {
        let tree = try Chimerad.temporaryFolder("link")
        try write(tree + "/a.csv", runs)
        try FileManager.default.createSymbolicLink(atPath: tree + "/reports-link", withDestinationPath: tree + "/reports")
        let state = try Chimerad.temporaryFolder("state")
        for _ in 0..<2 {
            #expect(try await Chimerad.run(["report", "--input", tree, "--output", tree + "/reports", "--state", state]).status == 0)
        }
        let report = try Chimerad.json(tree + "/reports/latest.json")
        #expect(report.object("inputs").int("files_seen") == 1)
        #expect(report.list("series").isEmpty)
    }

    @Test func aFIFOAndANameThatIsNotUTF8AreCountedAndSkipped() async throws {
        let tree = try Chimerad.temporaryFolder("special")
        defer { try? FileManager.default.removeItem(atPath: tree) }
        try write(tree + "/a.csv", runs)
        try SpecialFiles.makeFIFO(at: tree + "/pipe.csv")
        try SpecialFiles.writeFile(named: Array("bad".utf8) + [0xFF, 0xFE] + Array(".csv".utf8), in: tree, contents: runs)
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        let result = try await Chimerad.run(
            ["report", "--input", tree, "--output", out, "--state", state, "--model", "none"], timeout: .seconds(60))
        #expect(!result.timedOut, "chimerad report did not finish within 60 s")
        #expect(result.status == 0, "\(result.stderr)")
        let inputs = try Chimerad.json(out + "/latest.json").object("inputs")
        #expect(inputs.int("files_seen") == 3)
        #expect(inputs.int("files_analyzed") == 1)
        let skipped = Dictionary(
            inputs.list("files_skipped").map { ($0["path"] as? String ?? "", $0["reason"] as? String ?? "") }, uniquingKeysWith: { first, _ in first }
        )
        #expect(skipped.keys.sorted() == [#"bad\xFF\xFE.csv"#, "pipe.csv"], "\(skipped)")
        #expect(skipped["pipe.csv"] == "not a regular file (FIFO)")
        #expect(skipped[#"bad\xFF\xFE.csv"#]?.hasPrefix("file name is not valid UTF-8") == true)
    }
}
