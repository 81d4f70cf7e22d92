import Records
import Testing

@testable import Ingest

/// Run tables as real tools and spreadsheets write them, beyond the corpus:
/// a German Excel export, Python's `str(None)` in the error column, a row of
/// averages under the runs.
@Suite struct RealWorldRunTableTests {
    private func extract(_ text: String, _ name: String) throws -> Extraction { try ParsedText.extract(text, name) }

    @Test("a column of what each run was asked, its id or its count names the run and splits no group")
    func perRunColumnsAreNoSettings() throws {
        func table(_ column: String, _ values: [String], models: [String] = ["m"]) -> String {
            var csv = "timestamp,model,\(column),ttft_s,tokens_s,error\n"
            for model in models {
                for (index, value) in values.enumerated() {
                    csv += "2026-11-23T11:00:0\(index)Z,\(model),\(value),0.03,\(80 + index),\n"
                }
            }
            return csv
        }
        let questions = ["What is 1 + 1?", "Name a colour you can see now.", "Write a haiku about the sea.", "Say hello in French."]
        let asked = try extract(table("input", questions), "asked.csv")
        #expect(asked.runSets.count == 1 && asked.runSets.first?.runs.count == 4, "\(asked.runSets.map(\.configuration))")
        #expect(asked.runSets.first?.configuration == [])
        #expect(asked.notes.contains { $0.hasPrefix("the input column holds what each run was asked or answered") }, "\(asked.notes)")
        // The same questions asked again the next night: still what was asked, not a setting.
        #expect(try extract(table("input", questions + questions), "twice.csv").runSets.count == 1)
        // A counter by its name, per model, and ids of 24 bytes or more.
        let counted = try extract(table("sample", ["1", "2", "3", "4"], models: ["a", "b"]), "counted.csv")
        #expect(counted.runSets.map(\.runs.count) == [4, 4])
        #expect(try extract(table("trial", ["1", "1", "1", "1"]), "trial.csv").runSets.count == 1)
        // A row's, a line's or a request's number, and a test case's when it is a number.
        for counter in ["row_id", "rowid", "Row Number", "line", "lineno", "record_id", "request_index", "case_id", "test_id"] {
            #expect(
                try extract(table(counter, ["0", "1", "2", "3"], models: ["a", "b"]), "rows.csv").runSets.map(\.runs.count) == [4, 4], "\(counter)")
        }
        // A test named in words is what was measured: a setting.
        #expect(try extract(table("test_id", ["short", "long", "code", "chat"]), "tests.csv").runSets.count == 4)
        let ids = (0..<4).map { "9f1c2e7a-43b1-4c0e-9d2a-00000000000\($0)" }
        #expect(try extract(table("request", ids), "ids.csv").runSets.count == 1)
        // A sweep of one run a configuration keeps its settings: short words, numbers
        // under a name that counts nothing, a GPU's name, a GGUF file.
        #expect(try extract(table("backend", ["cuda", "vulkan", "cpu", "metal"]), "backends.csv").runSets.count == 4)
        #expect(try extract(table("batch_size", ["1", "2", "4", "8"]), "batches.csv").runSets.count == 4)
        #expect(try extract(table("threads", ["1", "2", "3", "4"]), "threads.csv").runSets.count == 4)
        #expect(try extract(table("num_ctx", ["1", "2", "3", "4"]), "sweep.csv").runSets.count == 4)
        let gpus = ["NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 3090", "AMD Radeon RX 7900", "Apple M2 Max GPU"]
        #expect(try extract(table("gpu", gpus), "gpus.csv").runSets.count == 4)
        let files = [
            "llama-3-8b-instruct.Q4_K_M.gguf", "llama-3-8b-instruct.Q5_K_M.gguf", "llama-3-8b-instruct.Q8_0.gguf", "llama-3-8b-instruct.f16.gguf",
        ]
        #expect(try extract(table("gguf", files), "quants.csv").runSets.count == 4)
    }

    @Test("a column naming the code under test or the machine, one value on every run, is the file's environment, not a setting")
    func versionAndHostColumnsAreTheEnvironment() throws {
        let header = "timestamp,model,ollamaVersion,git_sha,build_number,hostname,gpu_name,driver_version,num_gpu,build_type,ttft_s,tokens_s,error\n"
        let rows = (0..<4).map { "2026-11-23T11:00:0\($0)Z,m,0.6.2,e4f5a6b,6500,lab-2,RTX 4090,550.54,1,Release,0.03,\(80 + $0),\n" }
        let e = try extract(header + rows.joined(), "night.csv")
        #expect(e.runSets.count == 1 && e.runSets.first?.runs.count == 4)
        // `num_gpu` counts GPUs and `build_type` is how the build was made: settings.
        #expect(
            e.runSets.first?.configuration == [Parameter("build_type", "Release"), Parameter("num_gpu", "1")], "\(e.runSets.map(\.configuration))")
        #expect(
            e.environment == [
                Parameter("build_number", "6500"), Parameter("driver_version", "550.54"), Parameter("git_sha", "e4f5a6b"),
                Parameter("gpu_name", "RTX 4090"), Parameter("hostname", "lab-2"), Parameter("ollamaVersion", "0.6.2"),
            ], "\(e.environment)")
        // Two versions or two hosts side by side in one file are what it compares: settings still.
        let sideBySide = (0..<4).map {
            "2026-11-23T11:00:0\($0)Z,m,0.\($0 % 2 + 5).0,e4f5a6b,6500,lab-\($0 % 2),RTX 4090,550.54,1,Release,0.03,80,\n"
        }
        let both = try extract(header + sideBySide.joined(), "both.csv")
        #expect(both.runSets.count == 2, "\(both.runSets.map(\.configuration))")
        #expect(
            both.runSets.allSatisfy {
                $0.configuration.contains { $0.name == "ollamaVersion" } && $0.configuration.contains { $0.name == "hostname" }
            })
        #expect(both.environment.map(\.name) == ["build_number", "driver_version", "git_sha", "gpu_name"])
    }

    @Test("a code-under-test column whose value changes only nights apart is each night's version; within the hour, or untimed, a setting")
    func successiveVersionsAreNightsNotSettings() throws {
        func rows(day: Int, commit: String, hour: Int = 2, minute: String = "00") -> String {
            (0..<3).map { "2026-11-\(day)T0\(hour):\(minute):0\($0)Z,m,\(commit),0.03,\(100 + $0),\n" }.joined()
        }
        let header = "timestamp,model,commit,ttft_s,tokens_s,error\n"
        let nightly = try extract(header + (10...16).map { rows(day: $0, commit: "c\($0)") }.joined(), "results.csv")
        #expect(nightly.runSets.count == 1 && nightly.runSets.first?.configuration == [], "\(nightly.runSets.map(\.configuration))")
        #expect(nightly.runSets.first?.runs.count == 21)
        #expect(
            nightly.notes.contains { $0.hasPrefix("'commit' took 7 values, changing only nights apart (c10, c11, ..., c16)") }, "\(nightly.notes)")
        // Two hosts side by side, one of them upgraded on the last night; a run without a time.
        func host(_ day: Int, _ name: String, _ version: String) -> String {
            (0..<3).map { "2026-11-\(day)T02:00:0\($0)Z,m,\(version),\(name),0.03,\(100 + $0),\n" }.joined()
        }
        let hosts = try extract(
            "timestamp,model,ollama_version,hostname,ttft_s,tokens_s,error\n"
                + (10...12).map { host($0, "gpu01", "0.4.1") + host($0, "gpu02", "0.4.1") }.joined()
                + host(13, "gpu01", "0.4.2") + host(13, "gpu02", "0.4.1") + ",m,0.4.1,gpu02,0.03,100,\n", "runs.csv")
        #expect(hosts.runSets.count == 2, "\(hosts.runSets.map(\.configuration))")
        #expect(hosts.runSets.allSatisfy { $0.configuration.map(\.name) == ["hostname"] }, "\(hosts.runSets.map(\.configuration))")
        #expect(hosts.notes.contains { $0.hasPrefix("'ollama_version' took 2 values, changing only nights apart (0.4.1, 0.4.2)") }, "\(hosts.notes)")
        // Two builds within the hour: the file's own comparison, kept.
        let within = try extract(header + rows(day: 10, commit: "a", hour: 2) + rows(day: 10, commit: "b", hour: 2), "ab.csv")
        #expect(within.runSets.count == 2, "\(within.runSets.map(\.configuration))")
        // Back to the old one a night later (a rollback): still each night's version, one group.
        let rollback = try extract(header + rows(day: 10, commit: "a") + rows(day: 11, commit: "b") + rows(day: 12, commit: "a"), "ab.csv")
        #expect(rollback.runSets.count == 1, "\(rollback.runSets.map(\.configuration))")
        // Both every night, minutes apart: an A/B, settings.
        let nightlyAB = try extract(
            header + (10...12).map { rows(day: $0, commit: "a") + rows(day: $0, commit: "b", minute: "05") }.joined(), "ab.csv")
        #expect(nightlyAB.runSets.count == 2, "\(nightlyAB.runSets.map(\.configuration))")
        // Dated runs of one version, and an undated one of another: nothing contradicts nights.
        let undatedOther = try extract(header + rows(day: 10, commit: "a") + ",m,b,0.03,100,\n" + rows(day: 11, commit: "a"), "runs.csv")
        #expect(undatedOther.runSets.count == 1, "\(undatedOther.runSets.map(\.configuration))")
        // Without times nothing says they followed one another.
        let untimed = try extract("model,commit,ttft_s,tokens_s,error\nm,a,0.03,100,\nm,b,0.03,101,\n", "ab.csv")
        #expect(untimed.runSets.count == 2)
    }

    @Test("keys naming the code under test, and keys naming its environment or a setting")
    func codeUnderTestKeys() {
        for key in ["commit", "git_sha", "build_number", "ollama_version", "ollamaVersion", "llama-cpp-commit", "revision", "version", "git_tag"] {
            #expect(CodeUnderTestKey.names(key), "\(key)")
        }
        let notCode = [
            "driver_version", "cuda_version", "gpu_version", "hostname", "build_type", "num_gpu", "tag", "python_version", "model",
            "prompt_version", "build_backend", "macos_version", "model_version", "cudnn_version", "dataset_version",
        ]
        for key in notCode { #expect(!CodeUnderTestKey.names(key), "\(key)") }
        for key in ["driver_version", "cuda_version", "macos_version", "cudnn_version", "nvidia_driver"] {
            #expect(CodeUnderTestKey.namesPlatformVersion(key), "\(key)")
        }
        #expect(!CodeUnderTestKey.namesPlatformVersion("prompt_version") && !CodeUnderTestKey.namesPlatformVersion("cuda_graphs"))
    }

    @Test("a column names the machine when it holds its name, not when it sets something of it")
    func machineColumns() {
        for (key, value) in [("hostname", "lab-2"), ("gpu_name", "RTX 4090"), ("cpu_model", "EPYC 9654"), ("host", "gpu01"), ("gpu", "H100")] {
            #expect(MachineKey.identifies(key, value: value), "\(key)=\(value)")
        }
        let settings = [("use_gpu", "true"), ("gpu_layers", "all"), ("cpu_offload", "yes"), ("num_gpu", "1"), ("gpu", "0"), ("host_threads", "8")]
        for (key, value) in settings { #expect(!MachineKey.identifies(key, value: value), "\(key)=\(value)") }
    }

    @Test("settings that only mention the machine, or name a version of what was asked, still split groups")
    func settingsNamingTheMachineOrAVersionSplitGroups() throws {
        func night(_ column: String, _ value: String, _ speed: Int) -> String {
            "timestamp,model,\(column),ttft_s,tokens_s,error\n" + (0..<3).map { "2026-11-23T11:00:0\($0)Z,m,\(value),0.03,\(speed + $0),\n" }.joined()
        }
        for (column, value) in [("use_gpu", "true"), ("gpu_layers", "all"), ("prompt_version", "v2"), ("build_backend", "cuda")] {
            let e = try extract(night(column, value, 100), "night.csv")
            #expect(e.environment.isEmpty && e.runSets.first?.configuration == [Parameter(column, value)], "\(column): \(e.environment)")
        }
        // A version is taken as written, not as the number it reads as.
        let written = try extract(night("driver_version", "550.120", 100), "night.csv")
        #expect(written.environment == [Parameter("driver_version", "550.120")] && written.runSets.first?.configuration == [])
    }

    @Test("a throughput cell that is no number leaves its run without one, never one computed from eval_count, and the note names it")
    func anUnreadableThroughputIsNotReplaced() throws {
        let csv = """
            timestamp,model,prompt_text,ttft_s,tokens_s,eval_s,eval_count,error
            2026-11-22T19:55:00Z,m,p0,0.03,12.3 ms,0.39,48,
            2026-11-22T19:55:01Z,m,p1,0.03,NaN,0.39,48,
            2026-11-22T19:55:02Z,m,p2,0.03,12.5,0.39,48,

            """
        let e = try extract(csv, "units.csv")
        #expect(e.runSets.first?.runs.map(\.tokensPerSecond) == [nil, nil, 12.5])
        #expect(e.notes == ["2 measurement value(s) were not numbers and were left out (the first: tokens_s '12.3 ms' at line 2)"], "\(e.notes)")
        // Without a throughput column, it is eval_count over eval_s.
        let derived = try extract("model,prompt_text,ttft_s,eval_s,eval_count,error\nm,p,0.03,0.5,50,\n", "derived.csv")
        #expect(derived.runSets.first?.runs.first?.tokensPerSecond == 100)
    }

    @Test("cells written with their unit or with grouped thousands are read in the column's unit: the runs succeeded")
    func cellsWithUnitsAreRead() throws {
        let csv = """
            timestamp,model,prompt_text,ttft_s,tokens_s,eval_s,eval_count,load_duration,error
            2026-11-22T19:55:00Z,m,p0,0.2 s,40.5 tok/s,1.2 s,48 tokens,2.5 s,
            2026-11-22T19:55:01Z,m,p1,210 ms,41.5 t/s,1.2s,48,1500000 ns,
            2026-11-22T19:55:02Z,m,p2,0.19 sec,"1,050.5",1.2 S,"1,024",,
            2026-11-22T19:55:03Z,m,p3,0.2 tok/s,42 ms,"1,05",48,,
            2026-11-22T19:55:04Z,m,p4,"1,200",1.2 tok/s,"1,234,567.5",48,,

            """
        let e = try extract(csv, "units.csv")
        let runs = try #require(e.runSets.first).runs
        #expect(runs.count == 5)
        #expect(runs.map(\.tokensPerSecond) == [40.5, 41.5, 1050.5, nil, 1.2])
        // `1,200` alone could be 1.2 as well: no number but in a count.
        #expect(runs.map(\.ttftSeconds) == [0.2, 0.21, 0.19, nil, nil])
        #expect(runs.map(\.evalSeconds) == [1.2, 1.2, 1.2, nil, 1_234_567.5])
        #expect(runs.map(\.evalCount) == [48, 48, 1024, 48, 48])
        #expect(runs.map(\.loadSeconds) == [2.5, 0.0015, nil, nil, nil])
        #expect(runs[0...2].allSatisfy { $0.failureReason == nil })
        #expect(
            e.notes == [
                "4 measurement value(s) were not numbers and were left out (the first: tokens_s '42 ms' at line 5)",
                "15 measurement value(s) written with a unit or grouped thousands were read in the column's unit (the first: tokens_s '40.5 tok/s' at line 2)",
            ], "\(e.notes)")
        // A decimal-comma file's `1,5 s` is one and a half seconds, never 15.
        let euro = try extract("model;prompt_text;ttft_s;tokens_s;error\nm;p;1,5 s;1.012,5 tok/s;\n", "euro-units.csv")
        #expect(euro.runSets.first?.runs.first?.ttftSeconds == 1.5)
        #expect(euro.runSets.first?.runs.first?.tokensPerSecond == 1012.5)
    }

    /// Headers as people and spreadsheets write them: with blanks, capitals
    /// and a unit in brackets. Each was a setting: every run a group of its
    /// own keyed on its own figure, no throughput read, and no note.
    @Test("throughput and TTFT headers with blanks and units in brackets are read as those figures")
    func headersWithBlanksAndUnits() throws {
        let rows = [("llama3:8b", "0.17", "157", "56.9"), ("llama3:8b", "0.19", "190", "55.1"), ("phi3:mini", "0.26", "265", "45.1")]
        for (throughput, expected) in [
            ("eval rate", [56.9, 55.1]), ("Tokens per second", [56.9, 55.1]), ("decode tok/s", [56.9, 55.1]), ("gen tok/s", [56.9, 55.1]),
            ("TPS (tok/s)", [56.9, 55.1]), ("eval_rate (tok/s)", [56.9, 55.1]), ("Eval Rate (tokens/s)", [56.9, 55.1]),
        ] {
            let csv = "model,prompt,ttft_s,\(throughput),error\n" + rows.map { "\($0.0),Hi,\($0.1),\($0.3),\n" }.joined()
            let e = try extract(csv, "runs.csv")
            #expect(e.runSets.count == 2, "\(throughput): \(e.runSets.map(\.configuration))")
            #expect(e.runSets.first?.runs.map(\.tokensPerSecond) == expected, "\(throughput)")
        }
        for (ttft, column) in [("TTFT [ms]", 2), ("Time to first token (s)", 1), ("ttft (ms)", 2), ("First token (ms)", 2)] {
            let csv = "model,prompt,\(ttft),tokens_s,error\n" + rows.map { "\($0.0),Hi,\(column == 1 ? $0.1 : $0.2),\($0.3),\n" }.joined()
            let e = try extract(csv, "runs.csv")
            #expect(e.runSets.count == 2, "\(ttft): \(e.runSets.map(\.configuration))")
            #expect(e.runSets.first?.runs.map(\.ttftSeconds) == (column == 1 ? [0.17, 0.19] : [0.157, 0.19]), "\(ttft)")
        }
        // A prompt's rate of tokens is prefill, never the decode throughput;
        // read per run, it splits no group either.
        let prefill = try extract(
            "model,prompt,ttft_s,prompt eval rate (tok/s),eval rate (tok/s),error\nm,a,0.1,900,50,\nm,b,0.1,950,51,\n", "p.csv")
        #expect(prefill.runSets.count == 1 && prefill.runSets.first?.runs.map(\.tokensPerSecond) == [50, 51])
        // A total (prompt and output) before the output's rate: the output's is the decode rate.
        let total = try extract("model,prompt,TTFT (ms),Total tok/s,Output tok/s\nm,a,120,306.1,54.8\nm,b,130,330.2,55.1\n", "t.csv")
        #expect(total.runSets.first?.runs.map(\.tokensPerSecond) == [54.8, 55.1])
        // A request rate with its unit is a setting still: runs at 1 and 16 req/s are two groups.
        let load = try extract("model,request rate (req/s),ttft_s,tokens_s\nm,1,0.1,58\nm,1,0.1,59\nm,16,0.3,27\n", "l.csv")
        #expect(load.runSets.count == 2, "\(load.runSets.map(\.configuration))")
        // A tool's summary per configuration (`avg_tok/s`) is no run table.
        let summary = try extract("model,num_ctx,avg_tok/s,avg_ttft_s,runs\nm,2048,52.1,0.2,10\nm,4096,48.3,0.3,10\n", "s.csv")
        #expect(summary.shape == .sweepSummary, "\(summary.shape)")
    }

    @Test("semicolon- and tab-separated files with decimal commas are read as decimals")
    func decimalCommas() throws {
        let semicolons = """
            timestamp;model;prompt_text;ttft_s;tokens_s;eval_s;eval_count;error\r
            2026-11-23T11:00:00Z;gemma2:9b;p0;0,0347;25,563;1,955952;50;\r
            2026-11-23T11:00:05Z;gemma2:9b;p1;0,0351;-1.234,5;1,9;50;\r
            2026-11-23T11:00:09Z;gemma2:9b;p2;0,0360;24,9;1,9;50;\r

            """
        let e = try extract(semicolons, "euro.csv")
        let runs = try #require(e.runSets.first).runs
        #expect(runs.count == 3)
        #expect(runs[0].tokensPerSecond == 25.563 && runs[0].ttftSeconds == 0.0347 && runs[0].failureReason == nil)
        // A negative throughput, thousands grouped: read, then failed as impossible (not "not a number").
        #expect(runs[1].tokensPerSecond == -1234.5 && runs[1].failureReason == "tokens/s is not a positive number")
        #expect(runs[2].tokensPerSecond == 24.9)
        #expect(e.notes.isEmpty, "\(e.notes)")
        let tabs = "model\tprompt_text\tttft_s\ttokens_s\terror\nm\tp\t0,1\t80,25\t\n"
        #expect(try extract(tabs, "t.csv").runSets.first?.runs.first?.tokensPerSecond == 80.25)
    }

    @Test("with comma-separated fields a quoted 25,563 is no number, and malformed groupings stay text")
    func decimalCommaOnlyWhereTheCommaSeparatesNothing() throws {
        let commas = "model,prompt_text,ttft_s,tokens_s,error\nm,p,0.1,\"25,563\",\nm,q,0.1,30,\n"
        let e = try extract(commas, "c.csv")
        #expect(e.runSets.first?.runs.map(\.tokensPerSecond) == [nil, 30])
        for text in ["1,2,3", "12.34,5", ",5", "5,", "1.23,4", "1..234,5", "1,2e", "1e3,2", "٣,٤"] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { NumberParsing.doubleWithDecimalComma($0) } == nil, "\(text)")
        }
        for (text, value) in [("0,5", 0.5), ("+3,25", 3.25), ("1.234.567,5", 1_234_567.5), (" 7,0 ", 7.0), ("4,5E-05", 4.5e-05), ("1,2e3", 1200)] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { NumberParsing.doubleWithDecimalComma($0) } == value, "\(text)")
        }
    }

    @Test("an error cell spelling no error (None, nan, null, false, 0, a dash) is a successful run")
    func noErrorSpellings() throws {
        var csv = "model,prompt_text,ttft_s,tokens_s,error\n"
        let spellings = ["None", "nan", "NaN", "null", "NULL", "False", "0", "0.0", "-", "n/a", "<NA>", "#N/A"]
        for (index, spelling) in spellings.enumerated() { csv += "m,p\(index),0.1,\(30 + index),\(spelling)\n" }
        csv += "m,px,0,0,Connection refused\n"
        let runs = try #require(try extract(csv, "none.csv").runSets.first).runs
        #expect(runs.count == spellings.count + 1)
        for run in runs.prefix(spellings.count) { #expect(run.failureReason == nil, "\(run)") }
        #expect(runs.last?.failureReason == "Connection refused")
    }

    @Test("a row of averages or totals under the runs is no run, and the file says it left it out")
    func summaryRowsAreLeftOut() throws {
        let csv = """
            timestamp,model,prompt_text,ttft_s,tokens_s,error
            2026-11-23T11:00:00Z,llama3.1:8b,p0,0.041,34.6,
            2026-11-23T11:00:05Z,llama3.1:8b,p1,0.043,35.2,
            2026-11-23T11:00:09Z,llama3.1:8b,p2,0.042,34.9,
            ,MEAN,,0.042,34.9,
            Mittelwert,,,0.042,34.9,

            """
        let e = try extract(csv, "runs.csv")
        #expect(e.runSets.count == 1)
        #expect(e.runSets.first?.model == "llama3.1:8b")
        #expect(e.runSets.first?.runs.count == 3)
        #expect(e.notes == ["2 summary rows (MEAN, ...) left out: totals, not runs"])
        // A prompt called "summary" is a run; so is a timed row whose model says "mean".
        let prompts = "prompt,ttft_s,tokens_s,error\nsummary,0.1,40,\ncode,0.1,41,\n"
        #expect(try extract(prompts, "b_baseline.csv").runSets.first?.runs.count == 2)
        let timed = "timestamp,model,prompt_text,ttft_s,tokens_s,error\n2026-11-23T11:00:00Z,mean,p,0.1,40,\n"
        let mean = try extract(timed, "m.csv")
        #expect(mean.runSets.first?.model == "mean" && mean.runSets.first?.runs.count == 1 && mean.notes.isEmpty)
    }

    @Test("Ollama's own reply fields (nanosecond durations, created_at) are read per run, not made settings")
    func ollamaNativeFields() throws {
        let csv = """
            created_at,model,prompt,total_duration,load_duration,prompt_eval_count,prompt_eval_duration,eval_count,eval_duration,error
            2026-11-27T10:00:00.5Z,llama3.2:3b,Why?,3908360417,1500000000,26,27507389,94,2380853028,
            2026-11-27T10:00:01.5Z,llama3.2:3b,Why?,2295541296,20000000,26,21703705,92,2253837591,
            2026-11-27T10:00:02.5Z,llama3.2:3b,Why?,2301000000,21000000,26,22000000,90,2250000000,

            """
        let e = try extract(csv, "native.csv")
        #expect(e.runSets.count == 1, "one group, not one per run")
        let set = try #require(e.runSets.first)
        #expect(set.model == "llama3.2:3b" && set.configuration.isEmpty)
        #expect(set.runs.count == 3)
        #expect(set.runs[0].tokensPerSecond == 94 / 2.380853028)
        #expect(set.runs[0].loadSeconds == 1.5 && set.runs[0].promptEvalSeconds == 0.027507389)
        #expect(set.runs[0].timestamp != nil)
    }

    @Test("TTFT in milliseconds is read as seconds, and per-run measurement columns never split groups")
    func millisecondsAndMeasurementColumns() throws {
        let csv = """
            timestamp,model,prompt,ttft_ms,tokens_per_second,eval_count,gpu_temp_c,queue_wait_ms,num_ctx,error
            2026-11-27T11:00:00Z,qwen2.5:7b,p,49.1,41.85,100,61,3.2,4096,
            2026-11-27T11:00:01Z,qwen2.5:7b,p,45.1,40.82,100,61,2.9,4096,

            """
        let e = try extract(csv, "ms.csv")
        let set = try #require(e.runSets.first)
        #expect(e.runSets.count == 1)
        #expect(set.runs.map(\.ttftSeconds) == [49.1 / 1e3, 45.1 / 1e3])
        // `queue_wait_ms` and `gpu_temp_c` are read during the run, no settings; `num_ctx` is one.
        #expect(set.configuration.map(\.name) == ["num_ctx"])
    }

    @Test("two files joined with cat, and rows with nothing in them, add no runs")
    func repeatedHeadersAndEmptyRows() throws {
        let header = "timestamp;model;prompt_text;ttft_s;tokens_s;error"
        let csv =
            [
                header, "2026-11-23T11:00:00Z;m;p0;0,05;30;", ";;;;;", "\u{FEFF}" + header, "2026-11-23T12:00:00Z;m;p1;0,05;31;", " ; ; ; ; ; ",
            ].joined(separator: "\r\n") + "\r\n"
        let e = try extract(csv, "joined.csv")
        #expect(e.runSets.count == 1 && e.runSets.first?.model == "m")
        #expect(e.runSets.first?.runs.map(\.tokensPerSecond) == [30, 31])
        #expect(e.notes == ["the header row repeats once (first at line 4: files joined?); the repeat is no run and left out"])
    }

    @Test("Ollama's reply fields context and message, and readings taken during a run, never split groups")
    func replyFieldsAndReadingsAreNoSettings() throws {
        let csv = """
            model,created_at,message,context,eval_count,eval_duration,vram_mb,power_w,gpu_util_pct,prompt_tokens,max_tokens,error
            llama3.2:3b,2026-11-27T10:00:00Z,"{'role': 'assistant', 'content': 'a'}","[1, 2, 3]",94,2380853028,5120,210,97,26,128,
            llama3.2:3b ,2026-11-27T10:00:01Z,"{'role': 'assistant', 'content': 'b'}","[1, 2, 4]",92,2253837591,5124,214,98,27,128,<NA>

            """
        let e = try extract(csv, "chat.csv")
        #expect(e.runSets.count == 1, "one group: \(e.runSets.map(\.configuration))")
        #expect(e.runSets.first?.model == "llama3.2:3b")
        #expect(e.runSets.first?.configuration == [Parameter("max_tokens", "128")])
        #expect(e.runSets.first?.runs.allSatisfy { $0.failureReason == nil } == true)
    }

    @Test("readings named without a unit (latency, total_time, gpu_temp, rss) are read per run, never settings")
    func readingsWithoutAUnitAreNoSettings() throws {
        var csv = "timestamp,model,tokens_s,ttft_s,latency,total_time,e2e_latency,gpu_temp,rss,peak_memory,throughput,power,num_ctx,error\n"
        for index in 0..<6 {
            let reading = 1.2 + Double(index * 17 % 11) / 3
            csv += "2025-10-01T10:0\(index):00Z,llama3.1:8b,\(40 + index),0.1,\(reading),\(reading * 2),\(reading),\(60 + index),"
            csv += "\(5_000_000 + index * 4096),\(7.5 + Double(index)),\(39 + index),\(210 + index),4096,\n"
        }
        let e = try extract(csv, "readings.csv")
        #expect(e.runSets.count == 1, "one group: \(e.runSets.map(\.configuration))")
        #expect(e.runSets.first?.configuration == [Parameter("num_ctx", "4096")])
        #expect(e.runSets.first?.runs.count == 6)
    }

    @Test("settings swept inside Ollama's options cell make a sweep; one model's constant options do not")
    func sweepsInsideOptions() throws {
        var csv = "timestamp,model,prompt_text,ttft_s,tokens_s,error,options\n"
        for (index, gpu) in [0, 0, 99, 99].enumerated() {
            csv += "2026-11-27T10:00:0\(index)Z,llama3.1:8b,p,0.1,\(gpu == 0 ? 9 : 45),,\"{\"\"num_gpu\"\":\(gpu),\"\"temperature\"\":0.3}\"\n"
        }
        #expect(try extract(csv, "sweep.csv").shape == .parameterSweep)
        var models = "timestamp,model,prompt_text,ttft_s,tokens_s,error,options\n"
        for model in ["a", "b"] { models += "2026-11-27T10:00:00Z,\(model),p,0.1,9,,\"{\"\"temperature\"\":0.3}\"\n" }
        #expect(try extract(models, "models.csv").shape == .ollamaRuns)
    }

    @Test("Excel's sep= line and # comments above the header are no table; a header whose first column is # is one")
    func preludeLinesBeforeTheHeader() throws {
        let runs = "timestamp;model;prompt_text;ttft_s;tokens_s;error\n2026-11-23T11:00:00Z;m;p;0,05;30;\n"
        #expect(try extract("sep=;\r\n" + runs, "excel.csv").runSets.first?.runs.count == 1)
        #expect(try extract("# ollama bench v0.3, host=gpu01\n#\n" + runs, "commented.csv").runSets.first?.runs.count == 1)
        // The line numbers of what follows stay the file's own.
        #expect(ParsedText.skipReason("# note\na,b\n1,2,3\n", "ragged.csv") == "malformed CSV at line 3: 3 fields where the header has 2")
        let numbered = try extract("#,model,prompt_text,ttft_s,tokens_s,error\n1,m,p,0.05,30,\n2,m,p,0.05,31,\n", "numbered.csv")
        #expect(numbered.runSets.first?.runs.count == 2)
        // pandas' `to_csv()` with its index: a first column with no name, numbering the rows.
        let indexed = try extract(
            ",timestamp,model,prompt_text,ttft_s,tokens_s,error\n0,2026-11-23T11:00:00Z,m,p,0.05,30,\n1,2026-11-23T11:00:01Z,m,p,0.05,31,\n",
            "pandas.csv")
        #expect(indexed.runSets.count == 1 && indexed.runSets.first?.configuration == [])
    }

    @Test("a first column of prompt ids or settings holds runs, whatever its words; a context size is a setting, a token list is not")
    func wordsInAFirstColumnAndContextSizes() throws {
        let prompts = "prompt_id,model,tokens_s,ttft_s\nsummary,llama3:8b,41.2,0.31\ncode,llama3:8b,40.8,0.30\n"
        let e = try extract(prompts, "ids.csv")
        #expect(e.runSets.first?.runs.count == 2 && e.notes.isEmpty)
        let modes = "mode,model,tokens_s,ttft_s\nmax,llama3:8b,41.2,0.31\nmin,llama3:8b,20.8,0.30\n"
        #expect(try extract(modes, "modes.csv").runSets.count == 2)
        let sizes = "model,context,power_limit_w,tokens_s,ttft_s\nm,2048,150,41.2,0.31\nm,8192,150,38.0,0.30\nm,8192,300,45.0,0.30\n"
        #expect(try extract(sizes, "sizes.csv").runSets.map(\.configuration.count) == [2, 2, 2])
        let lists = "model,context,tokens_s,ttft_s\nm,\"[1, 2, 3]\",41.2,0.31\nm,\"[1, 2, 4]\",38.0,0.30\n"
        let listed = try extract(lists, "lists.csv")
        #expect(listed.runSets.count == 1 && listed.runSets.first?.configuration == [])
    }

    @Test("a spreadsheet's split date and time columns are read together; times not understood are said so")
    func splitDateAndTimeAndUnreadTimes() throws {
        let split = "date,time,model,prompt_text,ttft_s,tokens_s,error\n2026-11-23,09:00:00,m,p,0.05,50,\n2026-11-23,11:00:30,m,p,0.05,40,\n"
        let runs = try #require(try extract(split, "split.csv").runSets.first).runs
        #expect(runs.map(\.timestamp) == [1_795_424_400, 1_795_431_630])  // 2026-11-23T09:00:00Z and 11:00:30Z
        let us = "timestamp,model,prompt_text,ttft_s,tokens_s,error\n11/23/2026 09:00,m,p,0.05,50,\n"
        #expect(
            try extract(us, "us.csv").notes == [
                "the timestamp column holds no time chimerad reads (ISO 8601 or epoch, from 1990 to 2100: a clock never set reads 1970; the first is '11/23/2026 09:00'): "
                    + "its runs are one session, dated by the file's modification time"
            ])
        #expect(TimestampParsing.timeOfDay("9:05") == 32_700 && TimestampParsing.timeOfDay("23:59:59.5") == 86_399.5)
        for text in ["24:00", "9:5", "09:00:", "2.30", "12:60"] { #expect(TimestampParsing.timeOfDay(text) == nil, "\(text)") }
    }

    @Test("Ollama's streamed reply is one run: its done: false chunks are left out with a note")
    func streamedChunks() throws {
        var lines = (0..<3).map { #"{"model": "llama3.2:1b", "created_at": "2026-11-27T10:00:0\#($0)Z", "response": "tok", "done": false}"# }
        lines.append(
            #"{"model": "llama3.2:1b", "created_at": "2026-11-27T10:00:04Z", "response": "", "done": true, "#
                + #""eval_count": 94, "eval_duration": 2380853028, "prompt_eval_duration": 27507389, "load_duration": 1500000000}"#)
        let e = try extract("[" + lines.joined(separator: ",") + "]", "stream.json")
        #expect(e.runSets.first?.runs.count == 1 && e.runSets.first?.runs.first?.failureReason == nil)
        #expect(e.notes == ["3 streamed chunks (done: false) left out: parts of a reply, not runs"])
        // A harness's own `done` column beside its runs is no stream: a run not done is a failed run.
        let harness = try extract("model,prompt_text,ttft_s,tokens_s,done,error\nm,p,0,0,False,timeout\nm,q,0.1,40,True,\n", "h.csv")
        #expect(harness.runSets.first?.runs.map(\.failureReason) == ["timeout", nil] && harness.notes.isEmpty)
    }

    /// A run's outcome in a column of its own fails it: `success` False,
    /// `ok` false, `status` failed, `status_code` 500, or a message under
    /// `exception` or `error_msg`. Each was a success of a configuration
    /// `success=False`, or (`error_msg`) no failure at all (campaign s36b #2).
    @Test(
        "an outcome column fails its run and is no setting",
        arguments: [
            ("success", "True", "False", "success: False"), ("ok", "true", "false", "ok: false"), ("status", "ok", "failed", "status: failed"),
            ("status_code", "200", "500", "status_code 500"), ("exception", "", "TimeoutError", "TimeoutError"),
            ("error_msg", "", "HTTP 500: Internal Server Error", "HTTP 500: Internal Server Error"), ("exit_code", "0", "137", "exit_code 137"),
            ("passed", "1", "0", "passed: 0"),
        ])
    func outcomeColumns(column: String, ok: String, failed: String, reason: String) throws {
        let text = "model,ttft_s,tokens_per_second,\(column)\nm,0.05,95,\(ok)\nm,0.05,96,\(failed)\nm,0.05,97,\(ok)\n"
        let e = try extract(text, "runs.csv")
        #expect(e.runSets.count == 1, "one configuration: \(e.runSets.map(\.configuration))")
        #expect(e.runSets.first?.runs.map(\.failureReason) == [nil, reason, nil])
    }

    /// A status this reader does not know names no failure, and an HTTP
    /// status below 400 went through.
    @Test func unknownOutcomesAreNoFailures() throws {
        let text = "model,ttft_s,tokens_per_second,status_code\nm,0.05,95,warm\nm,0.05,96,301\nm,0.05,97,PASSED\n"
        #expect(try extract(text, "runs.csv").runSets.first?.runs.map(\.failureReason) == [nil, nil, nil])
        // A `status` holding other words than outcomes is a setting, as it was; and one of exit
        // statuses fails nothing by being read as a flag (its 0 is a success, not `false`).
        let phases = try extract("model,ttft_s,tokens_per_second,status\nm,0.05,40,cold\nm,0.05,41,cold\nm,0.05,95,warm\n", "p.csv")
        #expect(phases.runSets.count == 2 && phases.runSets.allSatisfy { $0.runs.allSatisfy { $0.failureReason == nil } })
        let exits = try extract("model,ttft_s,tokens_per_second,status\nm,0.05,95,0\nm,0.05,96,0\nm,0.05,97,500\n", "e.csv")
        #expect(exits.runSets.count == 1 && exits.runSets.first?.runs.map(\.failureReason) == [nil, nil, "status 500"])
    }

    /// Per-token times and other token rates are measured per run, not
    /// settings: each made every run a configuration of its own (mlx's
    /// `prompt_tps`, `ms/tok`, `TPOT (ms/tok)`; campaign s36b #5).
    @Test(
        "per-token times and prompt rates are no settings",
        arguments: ["prompt_tps", "ms/tok", "TPOT (ms/tok)", "s_per_token", "Time per output token (ms/token)", "mean_itl"])
    func perTokenColumns(column: String) throws {
        let text = "model,ttft_ms,\"\(column)\",tok/s\n" + (0..<4).map { "m,80,\(16.4 + Double($0) / 10),\(61 + $0)\n" }.joined()
        let sets = try extract(text, "runs.csv").runSets
        #expect(sets.count == 1 && sets.first?.configuration.isEmpty == true, "\(sets.map(\.configuration))")
    }

    /// Throughput alone is runs when the table counts each run's tokens, and
    /// `output_tokens_per_s` is a throughput: both were numbers pooled over
    /// every model, the model names lost (campaign s36b #8).
    @Test func throughputBesideTokenCountsIsRuns() throws {
        let counted = try extract("model,output_tokens,total_time_s,tokens_per_sec\nmistral,256,5.0,51.2\nmistral,256,5.1,50.2\n", "a.csv")
        #expect(counted.runSets.map(\.model) == ["mistral"] && counted.runSets.first?.runs.map(\.tokensPerSecond) == [51.2, 50.2])
        let named = try extract("model,time_to_first_token_ms,output_tokens_per_s\nm,120,45.5\n", "b.csv")
        #expect(named.runSets.first?.runs.first?.tokensPerSecond == 45.5)
        // A training log is still no runs.
        #expect(try extract("model,epoch,loss,tokens_per_second\nm,1,0.5,900\n", "train.csv").runSets.isEmpty)
    }

    /// OpenAI-compatible replies saved whole beside a script's timings: one
    /// configuration, dated by each reply's `created`. Its `created` and
    /// `object` were settings, every request a configuration of its own,
    /// dated by the file's modification time (campaign s36b #6).
    @Test func openAICompatibleRepliesWithTimings() throws {
        let lines = (0..<3).map { index in
            #"{"id":"chatcmpl-\#(index)","object":"chat.completion","created":\#(1_735_689_600 + index),"model":"Qwen/Qwen2.5-7B-Instruct","#
                + #""choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"#
                + #""usage":{"prompt_tokens":20,"completion_tokens":180,"total_tokens":200},"system_fingerprint":"b\#(index)","latency_s":3.41,"ttft_s":0.092}"#
        }
        let sets = try extract(lines.joined(separator: "\n") + "\n", "replies.jsonl").runSets
        #expect(sets.count == 1 && sets.first?.configuration.isEmpty == true, "\(sets.map(\.configuration))")
        #expect(sets.first?.runs.map(\.timestamp) == [1_735_689_600, 1_735_689_601, 1_735_689_602])
    }

    /// `/api/chat` streams `message` pieces where `/api/generate` streams
    /// `response` ones: its chunks were failed runs ("5 of 6 runs failed").
    /// A request with no prompt only loads the model (`done_reason: load`):
    /// it was a failed run too (campaign s36b #1, #11).
    @Test("Ollama's /api/chat stream is one run, and a model load reply is no run")
    func chatStreamAndPreload() throws {
        var lines = (0..<5).map {
            #"{"model":"llama3.2:3b","created_at":"2025-03-11T10:00:0\#($0).1Z","message":{"role":"assistant","content":"The"},"done":false}"#
        }
        lines.append(
            #"{"model":"llama3.2:3b","created_at":"2025-03-11T10:01:00Z","message":{"role":"assistant","content":""},"done":true,"#
                + #""done_reason":"stop","prompt_eval_count":26,"prompt_eval_duration":32500000,"eval_count":269,"eval_duration":5378019826}"#)
        let chat = try extract(lines.joined(separator: "\n") + "\n", "chat.ndjson")
        let run = try #require(chat.runSets.first?.runs.first)
        #expect(chat.runSets.first?.runs.count == 1 && run.failureReason == nil)
        #expect(abs((run.tokensPerSecond ?? 0) - 269 / 5.378019826) < 1e-9)
        #expect(chat.notes == ["5 streamed chunks (done: false) left out: parts of a reply, not runs"])
        let preload = try extract(
            #"{"model":"m","created_at":"2025-03-11T10:00:00Z","response":"","done":true,"done_reason":"load"}"# + "\n"
                + #"{"model":"m","created_at":"2025-03-11T10:01:00Z","response":"Hi","done":true,"done_reason":"stop","eval_count":20,"eval_duration":400000000}"#
                + "\n", "replies.jsonl")
        #expect(preload.runSets.first?.runs.map(\.failureReason) == [nil])
        #expect(preload.notes == ["1 model load reply (done_reason: load, nothing generated) left out: a preload, not a run"])
        // Read before its last line: the reason says the stream is not whole (campaign s36b #14).
        let cut = ParsedText.skipReason(lines.dropLast().joined(separator: "\n") + "\n", "chat.ndjson")
        #expect(cut?.contains("a streamed reply without its final line") == true, "\(cut ?? "")")
    }
    @Test("Ollama's /api/generate reply saved alone as .json is one run, as its line in a .jsonl is")
    func aSingleReplyIsARun() throws {
        let reply =
            #"{"model": "llama3.2:1b", "created_at": "2026-11-27T10:00:04Z", "response": "Hi", "done": true, "done_reason": "stop", "#
            + #""context": [1, 2, 3], "total_duration": 4100000000, "load_duration": 1500000000, "prompt_eval_count": 26, "#
            + #""prompt_eval_duration": 27507389, "eval_count": 94, "eval_duration": 2380853028}"#
        let alone = try extract(reply, "run.json")
        let lined = try extract(reply + "\n", "run.jsonl")
        #expect(alone.shape == .ollamaRuns && alone.series.isEmpty)
        let run = try #require(alone.runSets.first?.runs.first)
        #expect(alone.runSets.first?.model == "llama3.2:1b" && alone.runSets.count == 1 && alone.runSets.first?.runs.count == 1)
        #expect(run.failureReason == nil && abs((run.tokensPerSecond ?? 0) - 94 / 2.380853028) < 1e-9)
        #expect(alone.runSets == lined.runSets)
        // An object of other numbers is still other numeric data.
        #expect(try extract(#"{"model": "m", "loss": 0.5, "epoch": 3}"#, "train.json").shape == .genericJSON)
    }

    @Test("a header repeated in another column order is read past, and the rows after it under it")
    func reorderedHeader() throws {
        let csv = """
            timestamp,model,prompt_text,ttft_s,tokens_s,error
            2026-11-23T09:00:00Z,llama3:8b,p0,0.05,50.1,
            model,timestamp,tokens_s,ttft_s,prompt_text,error
            llama3:8b,2026-11-23T11:00:00Z,40.8,0.0536,p0,
            llama3:8b,2026-11-23T11:00:05Z,40.2,0.0541,p1,

            """
        let e = try extract(csv, "joined.csv")
        #expect(e.runSets.count == 1 && e.runSets.first?.model == "llama3:8b")
        let runs = try #require(e.runSets.first).runs
        #expect(runs.map(\.tokensPerSecond) == [50.1, 40.8, 40.2])
        #expect(runs.map(\.ttftSeconds) == [0.05, 0.0536, 0.0541])
        #expect(runs.allSatisfy { $0.timestamp != nil && $0.failureReason == nil })
        #expect(e.notes == ["the header row repeats once (first at line 3: files joined?); the repeat is no run and left out"])
    }

    @Test("a run table saved under a text name is read as the CSV it is; a log with commas stays no benchmark")
    func runTableUnderATextName() throws {
        let csv = "timestamp,model,prompt,ttft_s,tokens_s,error\n2026-11-01T10:00:00Z,m,a,0.1,50,\n2026-11-01T10:00:01Z,m,b,0.1,52,\n"
        let e = try extract(csv, "runs.txt")
        #expect(e.shape == .ollamaRuns && e.runSets.first?.runs.count == 2)
        #expect(e.notes.first == "read as CSV: a table of comma-separated values under a text name", "\(e.notes)")
        #expect(
            ParsedText.skipReason("starting, please wait\nloaded 3 files, 2 skipped\ndone, exiting\n", "app.log")?.hasPrefix("no benchmark data")
                == true)
    }
}
