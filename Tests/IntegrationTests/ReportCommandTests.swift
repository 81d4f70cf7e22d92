import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `chimerad report` end to end: the built binary over real files.
@Suite(.serialized) struct ReportCommandTests {
    @Test func reportsTheBundledExamples() async throws {
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        let examples = Chimerad.repository.appendingPathComponent("examples/results").path
        let result = try await Chimerad.run(["report", "--input", examples, "--output", out, "--state", state, "--model", "none"])
        #expect(result.status == 0, "\(result.stderr)")
        let printed = result.stdout.split(separator: "\n").map(String.init)
        #expect(printed.count == 3)
        #expect(printed.allSatisfy { $0.range(of: #"/chimera-report-\d{8}T\d{6}Z\.(md|json|html)$"#, options: .regularExpression) != nil })
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/latest.md") == URL(fileURLWithPath: printed[0]).lastPathComponent)
        let report = try Chimerad.json(out + "/latest.json")
        #expect(report["schema"] as? String == "chimerad.report/1")
        let inputs = report.object("inputs")
        let seen = try #require(inputs.int("files_seen"))
        #expect(seen == (inputs.int("files_analyzed") ?? 0) + inputs.list("files_skipped").count)
        let skipped = Dictionary(
            uniqueKeysWithValues: inputs.list("files_skipped").map { ($0["path"] as? String ?? "", $0["reason"] as? String ?? "") })
        #expect(skipped["broken/empty.csv"] == "empty file")
        // A llama-bench run killed half-way: its finished results are read, with a note.
        #expect(skipped["broken/truncated_run.json"] == nil)
        let truncatedNotes = report.list("notes").first { $0["source"] as? String == "broken/truncated_run.json" }
        #expect((truncatedNotes?["items"] as? [String])?.first?.hasPrefix("the file ends inside its list") == true, "\(report.list("notes"))")
        #expect(
            skipped["notes.txt"]
                == "no benchmark data (text without perf stat's report, hyperfine's output, ollama run --verbose timings, time's report, vllm bench serve's results, Google Benchmark's table, go test -bench's or sysbench's results or a table of results)"
        )
        let (status, output) = try await Chimerad.shell([
            "python3", Chimerad.repository.appendingPathComponent("scripts/check-report-against-corpus.py").path, examples, out + "/latest.json",
        ])
        #expect(status == 0, "\(output)")
        let markdown = try String(contentsOfFile: out + "/latest.md", encoding: .utf8)
        #expect(markdown.contains("## Key Findings"))
        #expect(markdown.contains("gemma3:270m"))
        // The header's limit as its skip reasons word it, not 268435456.
        #expect(markdown.contains("max_file_bytes=256 MiB"), "\(markdown.prefix(600))")
    }

    @Test(.enabled(if: Chimerad.hasSharedCorpus, "needs ../shared/corpus beside the checkout, as in CI"))
    func accountsForEveryFileOfTheSharedCorpus() async throws {
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        let corpus = Chimerad.sharedCorpus.path
        let result = try await Chimerad.run(["report", "--input", corpus, "--output", out, "--state", state])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try Chimerad.json(out + "/latest.json")
        let inputs = report.object("inputs")
        var regularFiles = 0
        let enumerator = FileManager.default.enumerator(atPath: corpus)
        while let item = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: corpus + "/" + item, isDirectory: &isFolder), !isFolder.boolValue { regularFiles += 1 }
        }
        #expect(inputs.int("files_seen") == regularFiles)
        #expect(inputs.int("files_seen") == (inputs.int("files_analyzed") ?? 0) + inputs.list("files_skipped").count)
        #expect(inputs.list("files_skipped").allSatisfy { !(($0["reason"] as? String) ?? "").isEmpty })
        // Runs, failures, medians and p95 against a separate Python computation.
        let (status, output) = try await Chimerad.shell([
            "python3", Chimerad.repository.appendingPathComponent("scripts/check-report-against-corpus.py").path, corpus, out + "/latest.json",
        ])
        #expect(status == 0, "\(output)")
        let runs = report.list("llm_runs")
        let failedGemma = runs.filter { $0["model"] as? String == "gemma3:latest" }.reduce(0) { $0 + (($1["runs_failed"] as? Int) ?? 0) }
        #expect(failedGemma == 5)
        #expect(report.list("failures").contains { ($0["message"] as? String)?.contains("WinError 10049") == true && $0["count"] as? Int == 5 })
        #expect(report.list("compilation").count == 3)
    }

    /// An operator who may read the service's state folder but not write it
    /// sees `status`, `regressions list` and `baseline show` (the store is
    /// opened read-only; with no WAL there, as it stands); what writes is refused.
    @Test(
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"),
            "needs root and runuser to run chimerad as another user"))
    func anotherUserWhoMayOnlyReadTheStateFolderSeesWhatItHolds() async throws {
        let folder = try Chimerad.temporaryFolder("read-only-state")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let examples = Chimerad.repository.appendingPathComponent("examples/results").path
        let state = folder + "/state"
        let report = try await Chimerad.run(["report", "--input", examples, "--output", folder + "/out", "--state", state, "--model", "none"])
        #expect(report.status == 0, "\(report.stderr)")
        for path in [folder, state] { chmod(path, 0o755) }
        for name in try FileManager.default.contentsOfDirectory(atPath: state) { chmod(state + "/" + name, 0o644) }
        let status = try await Chimerad.run(["status", "--state", state], as: "nobody")
        #expect(status.status == 0 && status.stdout.contains(" analysed, "), "\(status.stdout)\(status.stderr)")
        #expect(try await Chimerad.run(["regressions", "list", "--state", state], as: "nobody").stdout.contains("0 open"))
        #expect(try await Chimerad.run(["baseline", "show", "--state", state], as: "nobody").stdout.contains("no pinned baseline"))
        let pin = try await Chimerad.run(["baseline", "pin", "--state", state], as: "nobody")
        #expect(pin.status == 1 && pin.stderr.contains("read-only"), "\(pin.stderr)")
    }

    @Test func aSecondRunReparsesOnlyWhatChanged() async throws {
        let tree = try Chimerad.temporaryFolder("tree")
        try await Chimerad.shell(["cp", "-R", Chimerad.repository.appendingPathComponent("examples/results").path + "/.", tree])
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        let arguments = ["report", "--input", tree, "--output", out, "--state", state]
        let first = try await Chimerad.run(arguments)
        #expect(first.status == 0 && first.stderr.contains("files_parsed=14"), "\(first.stderr)")
        let second = try await Chimerad.run(arguments)
        #expect(second.status == 0 && second.stderr.contains("files_parsed=0"), "\(second.stderr)")
        #expect(try Chimerad.json(out + "/latest.json").object("inputs").strings("files_changed").isEmpty)

        // Touching a file without changing it costs a hash, not a parse, and is no change.
        let touchedFile = tree + "/hyperfine/gzip_levels.json"
        try await Chimerad.shell(["touch", "-d", "2020-01-01", touchedFile])
        let touched = try await Chimerad.run(arguments)
        #expect(touched.stderr.contains("files_parsed=0"), "\(touched.stderr)")
        #expect(try Chimerad.json(out + "/latest.json").object("inputs").strings("files_changed").isEmpty)

        let runs = tree + "/ollama-style/gemma3-270m_runs.csv"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: runs))
        try handle.seekToEnd()
        try handle.write(
            contentsOf: Data("2026-11-22T00:00:00+00:00,gemma3:270m,9,extra,0.05,50.0,0.0,0.01,1.0,10,50,200,,\"{\"\"temperature\"\":0.3}\"\n".utf8))
        try handle.close()
        try FileManager.default.removeItem(atPath: tree + "/notes.txt")
        let third = try await Chimerad.run(arguments)
        #expect(third.stderr.contains("files_parsed=1"), "\(third.stderr)")
        let inputs = try Chimerad.json(out + "/latest.json").object("inputs")
        #expect(inputs.strings("files_changed") == ["ollama-style/gemma3-270m_runs.csv"])
        #expect(inputs.strings("files_deleted") == ["notes.txt"])
        let markdown = try String(contentsOfFile: out + "/latest.md", encoding: .utf8)
        #expect(markdown.contains("- Modified: `ollama-style/gemma3-270m_runs.csv`"))
        #expect(markdown.contains("- Deleted (their records left this report): `notes.txt`"))
        #expect(markdown.contains("| gemma3:270m | temperature=0.3 | tok/s |") || markdown.contains("New groups"))
    }

    @Test func uglyInputsEachGetASpecificReason() async throws {
        let tree = try Chimerad.temporaryFolder("ugly")
        let outside = try Chimerad.temporaryFolder("outside")
        func write(_ name: String, _ bytes: [UInt8]) throws {
            let url = URL(fileURLWithPath: tree + "/" + name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        let csv = "model,prompt_text,ttft_s,tokens_s,eval_count,error\r\nm,\"a, b\",0.1,50.5,10,\r\nm,c,0.2,51.5,12,\r\n"
        try write("bom.csv", [0xEF, 0xBB, 0xBF] + Array(csv.utf8))
        try write("windows/utf16.csv", [0xFF, 0xFE] + csv.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        try write("latin1.csv", Array("model,tokens_s,ttft_s\nm,1,2\n".utf8) + [0xB0, 0x0A])
        try write("binary.csv", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01])
        try write("truncated.json", Array("{\n  \"results\": [\n    {\"command\": \"x\", \"mean\": 1.0},\n".utf8))
        try write("empty.json", [])
        try write("blank.json", Array("\n \n".utf8))
        try write("big.csv", Array(repeating: UInt8(ascii: "1"), count: 5000))
        try write(".notes.md.swp", [0x62, 0x30])
        // Every figure below zero: nothing is left, and the reason says why.
        try write(
            "vllm-negative.json",
            Array(
                #"{"date": "20261201-010203", "model_id": "m", "num_prompts": 100, "completed": 100, "output_throughput": -512.0, "mean_ttft_ms": -40.0, "median_ttft_ms": -39.0}"#
                    .utf8))
        try write(
            "deep/a/b/c/llama.json",
            Array("[{\"n_prompt\": 512, \"n_gen\": 0, \"avg_ts\": 1500.5, \"stddev_ts\": 3.0, \"model_type\": \"llama 7B\", \"n_threads\": 8}]".utf8))
        try FileManager.default.createSymbolicLink(atPath: tree + "/deep/a/loop", withDestinationPath: tree + "/deep")
        try Data("x,y\n1,2\n".utf8).write(to: URL(fileURLWithPath: outside + "/secret.csv"))
        try FileManager.default.createSymbolicLink(atPath: tree + "/escape.csv", withDestinationPath: outside + "/secret.csv")
        try FileManager.default.createSymbolicLink(atPath: tree + "/alias.json", withDestinationPath: tree + "/deep/a/b/c/llama.json")
        // Emacs' lock file while a buffer is modified: a link to nowhere, and an ignored name.
        try FileManager.default.createSymbolicLink(atPath: tree + "/.#night.csv", withDestinationPath: "user@host.4242:1795000000")
        let config = try Chimerad.temporaryFolder("config") + "/chimerad.yaml"
        try Data("ingest:\n  max_file_bytes: 4096\n".utf8).write(to: URL(fileURLWithPath: config))
        // The output and state folders sit inside the input: they must not be read.
        let result = try await Chimerad.run(["report", "--config", config, "--input", tree, "--output", tree + "/out", "--state", tree + "/.state"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try Chimerad.json(tree + "/out/latest.json")
        let inputs = report.object("inputs")
        let reasons = Dictionary(
            uniqueKeysWithValues: inputs.list("files_skipped").map { ($0["path"] as? String ?? "", $0["reason"] as? String ?? "") })
        #expect(reasons["latin1.csv"] == "not UTF-8 text (invalid byte 0xB0 at line 3, column 1)")
        #expect(reasons["binary.csv"] == "binary file (NUL byte at offset 7)")
        #expect(reasons["truncated.json"]?.hasPrefix("malformed JSON at line 4") == true)
        #expect(reasons["empty.json"] == "empty file")
        #expect(reasons["blank.json"] == "empty file (only whitespace)")
        #expect(reasons["big.csv"]?.hasPrefix("too large:") == true)
        #expect(reasons[".notes.md.swp"] == "ignored (matches watch.ignore pattern *.swp)")
        #expect(reasons[".#night.csv"] == "ignored (matches watch.ignore pattern .#*)")
        #expect(
            reasons["vllm-negative.json"]
                == "no benchmark data (vLLM bench serve JSON with no values; output_throughput is -512, below zero as no count, time or rate can be: left out (and 2 more))",
            "\(reasons)")
        #expect(reasons["escape.csv"]?.contains("outside the input folder") == true)
        #expect(reasons["alias.json"] == "symbolic link to deep/a/b/c/llama.json, which is read under that path")
        #expect(!reasons.keys.contains { $0.hasPrefix("out/") || $0.hasPrefix(".state/") })
        #expect(reasons["deep/a/loop"] == "symbolic link to deep, which is read under that path")
        #expect(inputs.int("files_seen") == 15, "eleven files, the link out of the tree, the two links within it and the lock")
        let runs = report.list("llm_runs")
        #expect(runs.first?["runs_ok"] as? Int == 4, "the BOM CSV and the UTF-16 CSV each add two runs")
        #expect(report.list("llama_bench").count == 1, "found once despite the symlink loop and the alias")
    }

    @Test func failuresAreOneClearLineAndANonZeroExit() async throws {
        let out = try Chimerad.temporaryFolder("out")
        let state = try Chimerad.temporaryFolder("state")
        let missing = try await Chimerad.run(["report", "--input", "/no/such/folder", "--output", out, "--state", state])
        #expect(missing.status == 1)
        #expect(missing.stderr == "chimerad: error: input /no/such/folder: no such file or folder\n")
        // A path with an escape sequence and a line break in it stays one line, shown escaped.
        let hostile = try await Chimerad.run([
            "report", "--input", "/no/such/\u{1b}[31mred\nchimerad: notice: forged", "--output", out, "--state", state,
        ])
        #expect(hostile.status == 1)
        #expect(
            hostile.stderr == "chimerad: error: input /no/such/\\u{1b}[31mred\\nchimerad: notice: forged: no such file or folder\n",
            "\(hostile.stderr)")

        let file = out + "/not-a-folder"
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        let examples = Chimerad.repository.appendingPathComponent("examples/results").path
        let badOutput = try await Chimerad.run(["report", "--input", examples, "--output", file, "--state", state])
        // A configuration error, with its key, before anything is read.
        #expect(badOutput.status == 78)
        #expect(
            badOutput.stderr.contains(file) && badOutput.stderr.contains("output.directory")
                && badOutput.stderr.split(separator: "\n").count == 1, "\(badOutput.stderr)")

        let corrupt = try Chimerad.temporaryFolder("corrupt")
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: corrupt + "/chimerad.sqlite"))
        let badState = try await Chimerad.run(["report", "--input", examples, "--output", out, "--state", corrupt])
        #expect(badState.status == 1)
        #expect(badState.stderr.contains(corrupt + "/chimerad.sqlite") && badState.stderr.contains("not a SQLite database"), "\(badState.stderr)")

        let config = out + "/bad.yaml"
        try Data("watch:\n  settle_ms: soon\n".utf8).write(to: URL(fileURLWithPath: config))
        let badConfig = try await Chimerad.run(["report", "--config", config, "--input", examples, "--output", out, "--state", state])
        #expect(badConfig.status == 78)
        #expect(badConfig.stderr.contains("watch.settle_ms"), "\(badConfig.stderr)")
    }

    /// `check-config` says what `run` would do with each watch path, and
    /// fails as `run` would when none is a folder: it passed (exit 0) a
    /// configuration the daemon then refused to start on.
    @Test func checkConfigSaysWhereTheWatchPathsLead() async throws {
        let folder = try Chimerad.temporaryFolder("check-paths")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/plain.txt"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        func check(_ paths: [String]) async throws -> (status: Int32, stderr: String) {
            let config = folder + "/c.yaml"
            let list = paths.map { "\"\($0)\"" }.joined(separator: ", ")
            try Data("watch:\n  paths: [\(list)]\nstate:\n  directory: \(folder)/state\nmodel:\n  backend: none\n".utf8).write(
                to: URL(fileURLWithPath: config))
            let result = try await Chimerad.run(["check-config", "--config", config])
            return (result.status, result.stderr)
        }
        let none = try await check([folder + "/later", file])
        // Exits as run would: 1, since one may yet appear (it said 78, which the unit does not retry).
        #expect(none.status == 1 && none.stderr.contains("none of watch.paths is a folder that exists"), "\(none.stderr)")
        #expect(!none.stderr.contains("the daemon watches it once it appears"), "\(none.stderr)")
        #expect(none.stderr.contains("'\(file)' is not a folder") && none.stderr.contains("'\(folder)/later' does not exist yet"), "\(none.stderr)")
        // `run` refuses paths none of which may become a folder the same way: 78, the status the
        // unit does not restart on (it exited 1, and restarted in a loop); one that may yet
        // appear (a share mounted later) fails with 1, and the unit tries again.
        for (paths, status) in [([file], Int32(78)), ([folder + "/later", file], 1)] {
            #expect(try await check(paths).status == status, "check-config on \(paths)")
            let run = try await Chimerad.run(["run", "--config", folder + "/c.yaml", "--log-target", "console"])
            #expect(run.status == status && run.stderr.contains("none of watch.paths is a folder that exists"), "\(paths): \(run.stderr)")
            #expect(status != 78 || run.stderr.contains("key 'watch.paths': "), "\(run.stderr)")
        }
        let some = try await check([folder + "/later", folder])
        #expect(some.status == 0 && some.stderr.contains("does not exist yet"), "\(some.stderr)")
        // The inbox under the state folder is made when the daemon starts: nothing to say.
        let inbox = try await check([folder + "/state/inbox"])
        #expect(inbox.status == 0 && inbox.stderr.isEmpty, "\(inbox.stderr)")
        // Only the default inbox, as for `report`: another folder under the state
        // folder (a typo of it) is awaited, not made.
        let typo = try await check([folder + "/state/inbx"])
        #expect(typo.status == 1 && typo.stderr.contains("'\(folder)/state/inbx' does not exist yet"), "\(typo.stderr)")
    }

    @Test func optionErrorsNameTheOptionAndHelpRefusesUnknownCommands() async throws {
        let folder = try Chimerad.temporaryFolder("option-errors")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // An empty --output was blamed on watch.paths (every input is "inside" an empty folder).
        let empty = try await Chimerad.run(["report", "--input", folder, "--output", "", "--state", folder + "/state", "--model", "none"])
        #expect(empty.status == 78, "\(empty.stderr)")
        #expect(empty.stderr == "chimerad: error: option --output (key 'output.directory'): must not be empty\n", "\(empty.stderr)")
        let tilde = try await Chimerad.run(["report", "--input", "~/results", "--state", folder + "/state", "--model", "none"])
        #expect(
            tilde.status == 78 && tilde.stderr.hasPrefix("chimerad: error: option --input (key 'watch.paths'): '~/results' begins with '~'"),
            "\(tilde.stderr)")
        // `help` of a command that does not exist showed the top-level help and exited 0; a
        // mistyped command under `regressions` or `baseline` was read as options of their default.
        for (arguments, message) in [
            (["help", "nonexist"], "unknown command 'nonexist'; the commands of 'chimerad' are: run, report,"),
            (
                ["help", "baseline", "pinn"],
                "unknown command 'pinn' (did you mean 'pin'?); the commands of 'chimerad baseline' are: pin, show, clear"
            ),
            (["reprot"], "unknown command 'reprot' (did you mean 'report'?)"),
            (
                ["regressions", "acknowledge", "1", "--note", "x"],
                "unknown command 'acknowledge'; the commands of 'chimerad regressions' are: list, ack"
            ),
            (
                ["regressions", "--state", folder, "ack", "1"],
                "'--state' comes before the command it belongs to: write 'chimerad regressions ack ...'"
            ),
        ] {
            let help = try await Chimerad.run(arguments)
            #expect(help.status == 64 && help.stdout.isEmpty, "\(arguments): \(help.stdout)")
            #expect(help.stderr.hasPrefix("chimerad: error: " + message), "\(help.stderr)")
        }
        // An option's value out of range is a usage error, whichever fleet command it is given to (it was 78 here, 64 there).
        let timeout = try await Chimerad.run(["fleet", "migrate", "--connect-timeout", "0", "--fleet-url", "postgres://u@127.0.0.1:1/db"])
        #expect(timeout.status == 64 && timeout.stderr.contains("--connect-timeout must be above 0 and at most 600 seconds"), "\(timeout.stderr)")
        // A value that is a command's name is a value: `--state list` is the folder `list`.
        let listed = try await Chimerad.run(["regressions", "--state", "list"])
        #expect(listed.status == 1 && listed.stderr.contains("state store list/chimerad.sqlite: does not exist yet"), "\(listed.stderr)")
        // A path that is not UTF-8 was repaired to U+FFFD: reports went to a folder not named.
        let binary = try #require(Chimerad.binary)
        let (status, output) = try await Chimerad.shell([
            "bash", "-c", "cd \"$1\" && \"$2\" report --input . --output $'o\\xff' --state state --model none", "_", folder, binary,
        ])
        #expect(status == 64 && output.contains("argument 5 'o\\xff' (the value of --output) is not UTF-8 text"), "\(output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.hasPrefix("o") }, "no folder was made")
        let known = try await Chimerad.run(["help", "baseline", "pin"])
        #expect(known.status == 0 && known.stdout.contains("USAGE: chimerad baseline pin"), "\(known.stdout)\(known.stderr)")
    }

    @Test func aReportWithoutInputsMakesTheDefaultInboxAsTheDaemonDoes() async throws {
        let folder = try Chimerad.temporaryFolder("default-inbox")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // watch.paths defaults to <state>/inbox, "created when missing": report failed on it.
        let report = try await Chimerad.run(["report", "--state", folder + "/state", "--output", folder + "/out", "--model", "none"])
        #expect(report.status == 0, "\(report.stderr)")
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder + "/state/inbox", isDirectory: &isFolder) && isFolder.boolValue)
        // Only the default inbox is made: a typo of it under the state folder is no such folder.
        let typo = try await Chimerad.run(["report", "--input", folder + "/state/inbx", "--state", folder + "/state", "--output", folder + "/out"])
        #expect(typo.status == 1 && typo.stderr.contains("inbx: no such file or folder"), "\(typo.stderr)")
        // A pin over a store with no session holds none: said, since no later session would be tested.
        let pin = try await Chimerad.run(["baseline", "pin", "--state", folder + "/state"])
        #expect(pin.status == 0 && pin.stderr.contains("note: no report has stored a session yet, so the pin holds none"), "\(pin.stderr)")
        // Clearing a model that has no pin is done, but a typo is named.
        let clear = try await Chimerad.run(["baseline", "clear", "--model", "lama3", "--state", folder + "/state"])
        #expect(clear.status == 0 && clear.stdout == "0 pins removed\n", "\(clear.stdout)")
        #expect(clear.stderr.contains("note: model lama3 has no pin; pinned: every group (--all-groups)"), "\(clear.stderr)")
        // What a command prints for a script must arrive: a full disk under stdout exited 0.
        let binary = try #require(Chimerad.binary)
        let (full, output) = try await Chimerad.shell(["bash", "-c", "\"$1\" status --state \"$2\" > /dev/full", "_", binary, folder + "/state"])
        #expect(full == 1 && output.contains("cannot write to standard output (No space left on device)"), "\(output)")
        // A state folder that cannot be made says why in the system's words, not Foundation's.
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/file"))
        let blocked = try await Chimerad.run(["report", "--state", folder + "/file/state", "--output", folder + "/out", "--model", "none"])
        #expect(blocked.status != 0 && blocked.stderr.contains("(Not a directory)"), "\(blocked.stderr)")
        #expect(!blocked.stderr.contains("could not be completed"), "\(blocked.stderr)")
    }

    /// The summary names the fastest model once, with its figure: it named
    /// the alphabetically first model's throughput (as if that were the one
    /// to know about), or the fastest model's twice.
    @Test func theSummaryGivesTheFastestModelsThroughputOnce() async throws {
        let tree = try Chimerad.temporaryFolder("fastest")
        var csv = "timestamp,model,prompt_index,ttft_s,tokens_s,load_s,eval_count,error\n"
        for (model, level) in [("alpha", 40.0), ("bravo", 90.0), ("charlie", 60.0)] {
            for run in 0..<6 { csv += "2026-11-22T10:0\(run):00Z,\(model),\(run),0.05,\(level + Double(run) / 10),0.0,48,\n" }
        }
        try csv.write(toFile: tree + "/runs.csv", atomically: true, encoding: .utf8)
        let out = try Chimerad.temporaryFolder("out")
        let result = try await Chimerad.run([
            "report", "--input", tree, "--output", out, "--state", try Chimerad.temporaryFolder("state"), "--model", "none",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let markdown = try String(contentsOfFile: out + "/latest.md", encoding: .utf8)
        let summary = markdown.components(separatedBy: "## Executive Summary").dropFirst().first?.components(separatedBy: "\n## ").first ?? ""
        let bullets = summary.split(separator: "\n").filter { $0.hasPrefix("- ") }
        #expect(bullets.filter { $0.contains("bravo") && $0.contains("90.25") }.count == 1, "\(summary)")
        #expect(!bullets.contains { $0.contains("alpha decodes") || $0.contains("charlie decodes") }, "\(summary)")
        // Key Findings still give every model's throughput, fastest first.
        let findings = markdown.components(separatedBy: "decodes at a median").dropFirst().map { String($0.prefix(8)) }
        #expect(findings.count == 3 && findings[0].contains("90.25") && findings[2].contains("40.25"), "\(findings)")
    }

    @Test func checkConfigAndStatusTellWhatTheyKnow() async throws {
        let shipped = Chimerad.repository.appendingPathComponent("etc/chimerad/chimerad.yaml").path
        let check = try await Chimerad.run(["check-config", "--config", shipped])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("settle_ms: 300") && check.stdout.contains("backend: auto"))

        let state = try Chimerad.temporaryFolder("state")
        let none = try await Chimerad.run(["status", "--state", state])
        #expect(none.status == 1 && none.stderr.contains("does not exist yet"))
        let out = try Chimerad.temporaryFolder("out")
        let examples = Chimerad.repository.appendingPathComponent("examples/results").path
        #expect(try await Chimerad.run(["report", "--input", examples, "--output", out, "--state", state]).status == 0)
        let status = try await Chimerad.run(["status", "--state", state])
        #expect(status.status == 0)
        #expect(status.stdout.contains("files: 11 analysed, 3 skipped"), "\(status.stdout)")
        #expect(status.stdout.contains("last report: ") && status.stdout.contains("(manual)"))
        #expect(status.stdout.contains("last error: none"))
        #expect(status.stdout.contains("regressions: 0 open over every input reported on\n"), "\(status.stdout)")

        // The model file moved away (the daemon stops on it): status and the
        // store's commands still answer, as does a report without a model;
        // run and check-config name the key.
        let config = state + "/moved.yaml"
        try "model:\n  gguf: \(state)/moved-away.gguf\n".write(toFile: config, atomically: true, encoding: .utf8)
        let moved = try await Chimerad.run(["status", "--config", config, "--state", state])
        #expect(moved.status == 0 && moved.stdout.contains("last report: "), "\(moved.stderr)")
        #expect(try await Chimerad.run(["regressions", "--config", config, "--state", state]).status == 0)
        let noModel = try await Chimerad.run([
            "report", "--config", config, "--input", examples, "--output", out, "--state", state, "--model", "none",
        ])
        #expect(noModel.status == 0, "\(noModel.stderr)")
        let checked = try await Chimerad.run(["check-config", "--config", config])
        #expect(checked.status == 78 && checked.stderr.contains("key 'model.gguf'"), "\(checked.stderr)")
    }

    @Test func statusShowsATerminalSequenceInAPathEscaped() async throws {
        // An input folder whose name carries an escape sequence (from a tarball, a script).
        let parent = try Chimerad.temporaryFolder("status-escape")
        let input = parent + "/res\u{1B}[2Jults"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try Data("model,tokens_s\nm,10\n".utf8).write(to: URL(fileURLWithPath: input + "/a.csv"))
        let state = try Chimerad.temporaryFolder("state")
        let out = try Chimerad.temporaryFolder("out")
        #expect(try await Chimerad.run(["report", "--input", input, "--output", out, "--state", state]).status == 0)
        let status = try await Chimerad.run(["status", "--state", state])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(!status.stdout.unicodeScalars.contains("\u{1B}"), "a raw ESC reached the terminal")
        #expect(status.stdout.contains("res\\u{1b}[2Jults"), "\(status.stdout)")
        // The report's own lines too: its paths, one a line, escaped.
        let escOut = parent + "/out\u{1B}[2J\nFAKE"
        let report = try await Chimerad.run(["report", "--input", input, "--output", escOut, "--state", state])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(!report.stdout.unicodeScalars.contains("\u{1B}") && report.stdout.split(separator: "\n").count == 3, "\(report.stdout)")
        #expect(report.stdout.contains(#"out\u{1b}[2J\nFAKE/chimera-report-"#), "\(report.stdout)")
    }
}
