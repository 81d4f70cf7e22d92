import Foundation
import Records
import Testing

@testable import Ingest

@Suite struct ContentParserTests {
    private func extract(_ text: String, _ name: String) throws -> Extraction { try ParsedText.extract(text, name) }

    private func reason(_ bytes: [UInt8], _ name: String) -> String? { ParsedText.skipReason(bytes, name) }

    @Test func ollamaRunsWithFailuresAndOptions() throws {
        let csv = """
            timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options
            2025-10-08T16:27:01Z,gemma3:latest,1,"Hi, there",0.5,100.5,2.0,0.1,3.0,10,301,900,,"{""temperature"":0.3,""top_p"":0.9}"
            2025-10-08T16:27:02Z,gemma3:latest,2,Next,0.000000,0.00,0.000000,0.000000,0.000000,0,0,0,[WinError 10049] bad address,"{""temperature"":0.3,""top_p"":0.9}"

            """
        let e = try extract(csv, "runs.csv")
        #expect(e.shape == .ollamaRuns)
        #expect(e.runSets.count == 1)
        let set = try #require(e.runSets.first)
        #expect(set.model == "gemma3:latest")
        #expect(set.configuration == [Parameter("temperature", "0.3"), Parameter("top_p", "0.9")])
        #expect(set.runs[0].failureReason == nil)
        #expect(set.runs[0].tokensPerSecond == 100.5)
        #expect(set.runs[1].failureReason == "[WinError 10049] bad address")
        #expect(e.modelHint == "gemma3:latest")
    }

    @Test("a run CSV read while its harness was half-way through the last row's last number leaves that row out, and says why")
    func aRowCutInItsLastNumberIsLeftOut() throws {
        let header = "timestamp,model,prompt_text,ttft_s,tokens_s\n"
        let rows = (1...4).map { "2025-10-08T16:27:0\($0)Z,m,Give three tips.,0.250,45.\($0)5\n" }.joined()
        let cut = try extract(header + rows + "2025-10-08T16:27:05Z,m,Give three tips.,0.250,4", "runs.csv")
        #expect(try #require(cut.runSets.first).runs.map(\.tokensPerSecond) == [45.15, 45.25, 45.35, 45.45])
        #expect(cut.notes.contains { $0.hasPrefix("the last row (line 6) ends in a number with no line end") }, "\(cut.notes)")
        // A whole last row without a line end, written as its column writes numbers, is read.
        let whole = try extract(header + rows + "2025-10-08T16:27:05Z,m,Give three tips.,0.250,45.55", "runs.csv")
        #expect(whole.runSets.first?.runs.count == 5 && whole.notes.isEmpty, "\(whole.notes)")
    }

    @Test("an Ollama CSV read while its harness was half-way through a row's options keeps its runs, and says why the last is left out")
    func aRowCutInsideItsOptionsIsLeftOutAlone() throws {
        let header =
            "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options\n"
        let row = { (i: Int) in "2025-10-08T16:27:0\(i)Z,gemma3:latest,\(i),Hi,0.5,10\(i).5,2.0,0.1,3.0,10,301,900,,\"{\"\"temperature\"\":0.3}\"\n" }
        let whole = header + (1...3).map(row).joined()
        let e = try extract(whole + "2025-10-08T16:27:04Z,gemma3:latest,4,Hi,0.5,99.5,2.0,0.1,3.0,10,301,900,,\"{\"\"temper", "runs.csv")
        #expect(try #require(e.runSets.first).runs.map(\.tokensPerSecond) == [101.5, 102.5, 103.5])
        #expect(
            e.notes.contains(
                "the last row (line 5) ends inside a quoted field with no line end (cut off as it was being written): left out, and read once the file is complete"
            ), "\(e.notes)")
        // Its only row cut: nothing to read yet, and the reason says so.
        #expect(
            reason(Array((header + "2025-10-08T16:27:04Z,gemma3:latest,4,Hi,0.5,99.5,2.0,0.1,3.0,10,301,900,,\"{\"\"t").utf8), "runs.csv")
                == "no data rows yet: the only row (line 2) ends inside a quoted field with no line end (cut off as it was being written)")
    }

    /// chimerad's own reports left in an input (an output folder moved out
    /// of a watched one) are skipped by their names: the JSON was read as a
    /// run group with a failure to fix, the Markdown's tables as figures.
    @Test func chimeradsOwnReportsAreSkipped() throws {
        let report = Array(#"{"schema": 3, "agent": "chimerad 0.1.0", "llm_runs": [{"model": "m", "runs_ok": 5}]}"#.utf8)
        for name in [
            "chimera-report-20261206T101500Z.json", "reports/chimera-report-20261206T101500Z-2.md", "chimera-report-20261206T101500Z-13.html",
        ] {
            guard case .skipped(let reason) = ContentParser.parse(report, fileName: name) else {
                Issue.record("\(name) was read")
                continue
            }
            #expect(reason == .chimeradReport && reason.code == .chimeradReport, "\(name)")
        }
        // `latest.json` and `latest.md` copied as files (`cp -rL`, a CI artifact): known by their content.
        let json = "{\n  \"schema\": \"chimerad.report/1\",\n  \"generated_at\": \"2026-12-06T17:12:01Z\",\n  \"llm_runs\": []\n}\n"
        let markdown = "# chimerad Benchmark Report\n\n**Date:** 2026-12-06 17:12:01 UTC\n\n| Model | Runs |\n| --- | --- |\n| m | 5 |\n"
        for (text, name) in [(json, "latest.json"), (markdown, "latest.md"), (markdown.replacing("Benchmark", with: "Fleet"), "fleet.md")] {
            guard case .skipped(let reason) = ContentParser.parse(Array(text.utf8), fileName: name) else {
                Issue.record("\(name) was read")
                continue
            }
            #expect(reason == .chimeradReport, "\(name)")
        }
        let other = #"{"schema": "acme.results/2", "results": [{"name": "x", "mean": 1.5}]}"#
        if case .skipped(let reason) = ContentParser.parse(Array(other.utf8), fileName: "latest.json") {
            #expect(reason != .chimeradReport)
        }
        for name in [
            "chimera-report-20261206T101500Z.csv", "chimera-report-20261206T1015Z.json", "chimera-report-20261206T101500Z-.json",
            "my-chimera-report-20261206T101500Z.json", "chimera-report-20261206T101500Zx.json", "chimera-report.json",
        ] {
            #expect(!ContentParser.isChimeradReport(name), "\(name)")
        }
    }

    /// A bare `ttft` is read in seconds, or in milliseconds when its median
    /// is 20 or more, unless the runs' own tokens/s make that reading
    /// implausible: a GPU's 17.5 ms nights were seconds beside its 22.5 ms
    /// ones (a 1,000-fold "regression"), and a CPU's 54 s milliseconds. The
    /// unit assumed is the file's environment, so the nights no rule reads
    /// alike are not tested against each other on TTFT.
    @Test func bareTTFTIsReadInThePlainUnitAndRecordedAsAssumed() throws {
        func read(_ ttfts: [Double], _ rates: [Double]) throws -> Extraction {
            let rows = zip(ttfts, rates).enumerated().map { "qwen2.5:7b,Explain item \($0.offset).,\($0.element.0),\($0.element.1)\n" }
            return try extract("model,prompt,ttft,tokens_per_sec\n" + rows.joined(), "run.csv")
        }
        func seconds(_ extraction: Extraction) -> [Double] { extraction.runSets.first?.runs.compactMap { $0.ttftSeconds } ?? [] }
        let gpu = [100.0, 101, 102, 103, 104]
        // A GPU's first tokens in milliseconds, either side of 20.
        for ttfts in [[15.5, 16.5, 17.5, 18.5, 19.5], [20.5, 21.5, 22.5, 23.5, 24.5], [80.0, 90, 100, 110, 120]] {
            let read = try read(ttfts, gpu)
            #expect(seconds(read).count == 5 && zip(seconds(read), ttfts).allSatisfy { abs($0 * 1000 - $1) < 1e-9 }, "\(ttfts): \(read.notes)")
            #expect(read.environment == [Parameter(AssumedTTFTUnit.key, AssumedTTFTUnit.milliseconds)], "\(read.environment)")
        }
        // A CPU's long first tokens in seconds: 25 s at 8 tokens/s is 200 tokens' time, not 0.2 of one; 54 s, not 0.44.
        let cpu = try read([22, 24, 25, 26, 28], [8, 8, 8, 8, 8])
        #expect(seconds(cpu) == [22, 24, 25, 26, 28])
        #expect(
            cpu.notes.contains(
                "'ttft' read in seconds (its values' median is 25, but in milliseconds a first token would come in 0.20 of one token's time at the runs' own tokens/s): its name gives no unit"
            ), "\(cpu.notes)")
        #expect(cpu.environment == [Parameter(AssumedTTFTUnit.key, AssumedTTFTUnit.seconds)])
        #expect(seconds(try read([52, 53, 54, 55, 56], [8.0, 8.1, 8.2, 8.3, 8.4])) == [52, 53, 54, 55, 56])
        // A long prompt's seconds on a GPU stay seconds (3.25 s at 150 tokens/s is 488 tokens' time), as do a GPU's in seconds.
        #expect(seconds(try read([3.1, 3.2, 3.25, 3.3, 3.4], [150, 150, 150, 150, 150])) == [3.1, 3.2, 3.25, 3.3, 3.4])
        #expect(seconds(try read([0.021, 0.022, 0.023, 0.024, 0.025], gpu)) == [0.021, 0.022, 0.023, 0.024, 0.025])
        // A growing file's first nights decide: nights at 15 appended to seventy runs at 22 leave them milliseconds.
        let growing = try read(Array(repeating: 22.0, count: 70) + Array(repeating: 15.0, count: 80), Array(repeating: 40.0, count: 150))
        #expect(seconds(growing).count == 150 && seconds(growing).allSatisfy { $0 < 0.1 }, "\(growing.notes)")
        // A unit in the column's name is no assumption.
        let named = try extract("model,prompt,ttft_ms,tokens_per_sec\nm,a,17.5,100\n", "run.csv")
        #expect(named.environment.isEmpty && seconds(named) == [0.0175])
    }

    /// The names harnesses give tokens/s and TTFT are read as those figures:
    /// `tok/s` was a setting (each run a group of its own, no throughput) and
    /// a bare `ttft` was never read.
    @Test func throughputAndTTFTAreReadUnderTheirUsualNames() throws {
        let runs = (1...3).map { "llama3:8b,Hi \($0),0.\($0),5\($0).5,\n" }.joined()
        for name in ["tok/s", "t/s", "tokens/sec", "tokens_per_sec", "gen_tps", "output_tokens_per_second"] {
            let e = try extract("model,prompt,ttft_s,\(name),error\n" + runs, "r.csv")
            #expect(e.runSets.count == 1, "\(name): \(e.runSets.map(\.configuration))")
            #expect(e.runSets.first?.runs.map(\.tokensPerSecond) == [51.5, 52.5, 53.5], "\(name)")
        }
        let unitless = try extract("model,prompt,ttft,tokens_s,error\n" + runs, "r.csv")
        #expect(unitless.runSets.first?.runs.map(\.ttftSeconds) == [0.1, 0.2, 0.3])
        #expect(unitless.notes.contains("'ttft' read in seconds: its name gives no unit"), "\(unitless.notes)")
        // Plainly milliseconds: read in them, and said.
        let inMilliseconds = try extract("model,prompt,ttft,tokens_s\nm,a,250,50\nm,b,300,51\nm,c,280,52\n", "r.csv")
        #expect(inMilliseconds.runSets.first?.runs.map(\.ttftSeconds) == [0.25, 0.3, 0.28])
        #expect(
            inMilliseconds.notes.contains("'ttft' read in milliseconds (its values' median is 280): its name gives no unit"),
            "\(inMilliseconds.notes)")
        // Every cell with its own unit: each is converted, and the column's
        // missing unit decided nothing, so no note says it was assumed.
        let ownUnits = try extract("model,prompt,ttft,tokens_s\nm,a,120 ms,50\nm,b,0.25 s,51\nm,c,90 ms,52\n", "r.csv")
        #expect(ownUnits.runSets.first?.runs.map(\.ttftSeconds) == [0.12, 0.25, 0.09])
        #expect(!ownUnits.notes.contains { $0.contains("its name gives no unit") }, "\(ownUnits.notes)")
        // Beside a bare number the assumption counts again, and is said.
        let mixed = try extract("model,prompt,ttft,tokens_s\nm,a,120 ms,50\nm,b,0.25,51\n", "r.csv")
        #expect(mixed.runSets.first?.runs.map(\.ttftSeconds) == [0.12, 0.25])
        #expect(mixed.notes.contains("'ttft' read in seconds: its name gives no unit"), "\(mixed.notes)")
        // A name with a unit wins over one without, and both named so need no note.
        let both = try extract("model,prompt,ttft,ttft_ms,tokens_s\nm,a,9,250,50\nm,b,9,300,51\n", "r.csv")
        #expect(both.runSets.first?.runs.map(\.ttftSeconds) == [0.25, 0.3] && both.notes.isEmpty, "\(both.notes)")
        let micro = try extract("model,prompt,ttft_us,tokens_s\nm,a,250000,50\nm,b,125000,51\n", "r.csv")
        #expect(micro.runSets.first?.runs.map(\.ttftSeconds) == [0.25, 0.125])
        // A row counter is the runs' identity, not a setting.
        let counted = try extract("i,model,prompt,ttft_s,tokens_s\n1,m,a,0.1,50\n2,m,b,0.1,51\n3,m,c,0.1,52\n", "r.csv")
        #expect(counted.runSets.count == 1 && counted.runSets.first?.runs.count == 3, "\(counted.runSets.map(\.configuration))")
        // `n` (llama.cpp's tokens to generate) stays a setting.
        let generated = try extract("model,n,prompt,ttft_s,tokens_s\nm,128,a,0.1,50\nm,128,b,0.1,51\nm,2048,c,0.1,30\n", "r.csv")
        #expect(generated.runSets.count == 2, "\(generated.runSets.map(\.configuration))")
        // A bare `throughput` may count requests: not read as tokens/s, and the note says so.
        let bare = try extract("model,prompt,ttft_s,throughput,error\n" + runs, "r.csv")
        #expect(bare.runSets.first?.runs.allSatisfy { $0.tokensPerSecond == nil } == true)
        #expect(bare.notes.contains { $0.hasPrefix("'throughput' not read: ") }, "\(bare.notes)")
    }

    /// A harness that leaves the model blank on some rows: they are the one
    /// model the file names, never a model named after the file.
    @Test func blankModelCellsAreTheFilesOneModel() throws {
        let csv =
            "timestamp,model,prompt,ttft_s,tokens_s,error\n2026-11-01T10:00:00Z,llama3:8b,a,0.1,50,\n"
            + "2026-11-01T10:00:01Z,,b,0,0,timeout\n2026-11-01T10:00:02Z,llama3:8b,c,0.1,52,\n"
        let e = try extract(csv, "gemma_runs.csv")
        #expect(e.runSets.count == 1)
        let set = try #require(e.runSets.first)
        #expect(set.model == "llama3:8b" && set.runs.map(\.promptKey) == ["a", "b", "c"].map { Fingerprint.of($0) })
        #expect(set.runs[1].failureReason == "timeout")
        // Across two nights, each run keeps its place: the blank ones of the first night stay in it.
        let nights = try extract(
            "timestamp,model,prompt,ttft_s,tokens_s,error\n2026-11-01T10:00:00Z,m,a,0.1,50,\n2026-11-01T10:00:01Z,,b,0.1,51,\n"
                + "2026-11-01T10:00:02Z,,c,0.1,52,\n2026-11-02T10:00:00Z,m,d,0.1,53,\n2026-11-02T10:00:01Z,m,e,0.1,54,\n", "r.csv")
        #expect(try #require(nights.runSets.first).runs.map(\.tokensPerSecond) == [50, 51, 52, 53, 54])
        #expect(e.notes.contains("1 run(s) with a blank model cell counted as llama3:8b, the one model the file names"), "\(e.notes)")
        // Two models named: a blank row is neither's, left out (pooled under the
        // file's name it made a model of both models' runs).
        let two = try extract(csv + "2026-11-01T10:00:03Z,qwen2:0.5b,d,0.1,200,\n2026-11-01T10:00:04Z,  ,e,0.1,120,\n", "r.csv")
        #expect(!two.runSets.contains { $0.model == nil } && Set(two.runSets.compactMap(\.model)) == ["llama3:8b", "qwen2:0.5b"])
        #expect(two.runSets.reduce(0) { $0 + $1.runs.count } == 3)
        #expect(
            two.notes.contains(
                "2 run(s) with a blank model cell left out (1 of them failed): the file names 2 models, and does not say which one ran them"),
            "\(two.notes)")
        // No model named at all: the runs are the file's, as ever.
        let none = try extract("timestamp,model,prompt,ttft_s,tokens_s,error\n2026-11-01T10:00:00Z,,a,0.1,50,\n", "r.csv")
        #expect(none.runSets.count == 1 && none.runSets.first?.model == nil)
    }

    /// Options a harness wrote with `str()` (a Python dict) are the same
    /// configuration as the JSON spelling: two nights, one group.
    @Test func pythonDictOptionsAreReadAsJSON() throws {
        let csv =
            "timestamp,model,prompt,ttft_s,tokens_s,error,options\n"
            + "2026-11-01T10:00:00Z,m,a,0.1,50,,\"{'temperature': 0.3, 'num_ctx': 2048, 'stream': False, 'stop': None}\"\n"
            + "2026-11-02T10:00:00Z,m,b,0.1,51,,\"{\"\"temperature\"\": 0.3, \"\"num_ctx\"\": 2048, \"\"stream\"\": false}\"\n"
        let e = try extract(csv, "r.csv")
        #expect(e.runSets.count == 1, "\(e.runSets.map(\.configuration))")
        #expect(e.runSets.first?.configuration == [Parameter("num_ctx", "2048"), Parameter("stream", "false"), Parameter("temperature", "0.3")])
        #expect(PythonLiteral.json("{'a': 'it\\'s \"x\"', 'b': [1, 2e-3]}") == #"{"a": "it's \"x\"", "b": [1, 2e-3]}"#)
        // What JSON has not stays text.
        #expect(PythonLiteral.json("{'a': (1, 2)}") == nil && PythonLiteral.json("{'a': float('inf')}") == nil)
    }

    @Test func zeroTokenRunWithoutMessageIsFailed() throws {
        let e = try extract("prompt,ttft_s,tokens_s,eval_s,eval_count,error\np,0,0,0,0,\n", "x_baseline.csv")
        #expect(e.shape == .baselineCSV)
        #expect(e.runSets.first?.runs.first?.failureReason == "no tokens generated")
        #expect(e.runSets.first?.model == nil)
    }

    @Test("a throughput of zero, -0, a negative or a subnormal number with tokens generated is a failed run, not a measurement")
    func impossibleThroughputIsFailed() throws {
        let text =
            "prompt,ttft_s,tokens_s,eval_s,eval_count,error\np,0.1,-0,1,100,\np,0.1,5e-324,1,100,\np,0.1,-40.5,1,100,\np,0.1,0,1,100,\np,0.1,80.5,1,100,\n"
        let e = try extract(text, "x_baseline.csv")
        let runs = try #require(e.runSets.first).runs
        #expect(runs.count == 5)
        for run in runs.prefix(4) { #expect(run.failureReason == "tokens/s is not a positive number", "\(String(describing: run.tokensPerSecond))") }
        #expect(runs[4].failureReason == nil && runs[4].tokensPerSecond == 80.5)
        // A rate no machine reaches (a harness's overflow, a placeholder) is none either; a cluster's is.
        let absurd = try extract("prompt,ttft_s,tokens_s,eval_s,eval_count,error\np,0.1,1.5e308,1,100,\np,0.1,250000,1,100,\n", "x_baseline.csv")
        let read = try #require(absurd.runSets.first).runs
        #expect(read[0].failureReason == "tokens/s above 1000000000 (1.5e+308), which no machine reaches", "\(read[0].failureReason ?? "ok")")
        #expect(read[1].failureReason == nil)
    }

    @Test func baselineJSONTwinNamesItsModel() throws {
        let json = #"{"model": "gemma3:270m", "results": [{"prompt": "p", "ttft_s": 0.1, "tokens_s": 290.5, "eval_count": 100}]}"#
        let e = try extract(json, "gemma3_270m_baseline.json")
        #expect(e.shape == .baselineJSON)
        #expect(e.modelHint == "gemma3:270m")
        #expect(e.runSets.first?.model == "gemma3:270m")
        #expect(e.runSets.first?.runs.first?.promptKey == Fingerprint.of("p"))
    }

    @Test func sweepSplitsConfigurationsAndQuotedNumbersNormalise() throws {
        let csv = """
            "model","num_gpu","num_ctx","temperature","ttft_s","tokens_s","load_s","eval_count","error"
            "m","999","1024","0.2","5.7","77.5","5.5","99",""
            "m","999.0","2048","0.2","0.08","77.9","0.08","102",""

            """
        let e = try extract(csv, "ollama_param_tuning.csv")
        #expect(e.shape == .parameterSweep)
        #expect(
            e.runSets.map(\.configuration.rendered) == ["num_ctx=1024, num_gpu=999, temperature=0.2", "num_ctx=2048, num_gpu=999, temperature=0.2"])
    }

    @Test func aColumnNamedTwiceIsSaid() throws {
        let e = try extract("model,tokens_s,ttft_s,model,tokens_s\na,10,0.1,b,999\n", "r.csv")
        #expect(e.runSets.first?.runs.first?.tokensPerSecond == 10)
        #expect(e.notes.contains("columns 'model', 'tokens_s' named twice: the first of each is read"), "\(e.notes)")
        // As said: the second `model` is no setting of the runs (it labelled the group `model=b`).
        #expect(e.runSets.map(\.model) == ["a"] && e.runSets.first?.configuration == [], "\(e.runSets.map(\.configuration))")
    }

    /// A table of 10,000 setting columns keyed its runs on all of them: a
    /// configuration of 100,000 characters in every table, title and finding.
    @Test func aRunTableKeysItsRunsOnAtMostItsFirstSixtyFourSettings() throws {
        let settings = (0..<100).map { "s\($0)" }
        let csv =
            "model,tokens_s,ttft_s," + settings.joined(separator: ",") + "\n" + "m,10,0.1," + settings.map { _ in "1" }.joined(separator: ",") + "\n"
        let e = try extract(csv, "wide.csv")
        #expect(e.runSets.first?.configuration.count == 64)
        #expect(e.notes.contains("36 more columns of settings left out of the configuration (the first 64 key it)"), "\(e.notes)")
    }

    @Test func aGenericColumnNamedTwiceOrUnnamedIsNamedByItsPlace() throws {
        let e = try extract("size,time,time,\n1,1.0,2.0,5\n2,1.5,2.5,6\n", "bench.csv")
        #expect(e.shape == .genericCSV)
        #expect(
            e.series == [
                Series(name: "size", values: [1, 2]), Series(name: "time", values: [1.0, 1.5]), Series(name: "time (column 3)", values: [2.0, 2.5]),
                Series(name: "column 4", values: [5, 6]),
            ])
        // Both columns are read, so no note says only the first one is.
        #expect(e.notes.isEmpty, "\(e.notes)")
    }

    /// A table measured under settings is summarised per setting: build
    /// times of two compilers at two job counts are four series, never one
    /// median over all of them; its dates and its constant kernel split nothing.
    @Test func aGenericTableIsSplitByItsSettings() throws {
        func rows(date: (Int) -> String) -> String {
            var rows = "date,kernel,compiler,jobs,seconds,label\n"
            for day in 1...3 {
                for (compiler, base) in [("gcc-12", 52.0), ("clang-16", 60.0)] {
                    for jobs in [8, 16] {
                        rows +=
                            "\(date(day)),6.8.0,\(compiler),\(jobs),\(base * 8 / Double(jobs) + Double(day) / 10),run \(day)-\(compiler)-\(jobs)\n"
                    }
                }
            }
            return rows
        }
        // Dated (ISO dates), its times are a benchmark's sessions per setting, as series are undated.
        let dated = try extract(rows { "2026-10-0\($0)" }, "kernel_build_times.csv")
        #expect(dated.series.isEmpty, "\(dated.series.map(\.name))")
        #expect(
            dated.datedSeries.map { "\($0.benchmark) (\($0.parameters.rendered))" } == [
                "kernel_build_times.csv › seconds (compiler=gcc-12, jobs=8)", "kernel_build_times.csv › seconds (compiler=gcc-12, jobs=16)",
                "kernel_build_times.csv › seconds (compiler=clang-16, jobs=8)", "kernel_build_times.csv › seconds (compiler=clang-16, jobs=16)",
            ])
        #expect(dated.datedSeries.first?.values == [52.1, 52.2, 52.3] && dated.datedSeries.allSatisfy { $0.unit == "s" && !$0.higherIsBetter })
        // A local date is no time chimerad reads: the rows stay undated.
        let e = try extract(rows { "10/0\($0)/2026" }, "kernel_build_times.csv")
        #expect(e.shape == .genericCSV)
        #expect(
            e.series.map(\.name) == [
                "seconds (compiler=gcc-12, jobs=8)", "seconds (compiler=gcc-12, jobs=16)", "seconds (compiler=clang-16, jobs=8)",
                "seconds (compiler=clang-16, jobs=16)",
            ])
        #expect(e.series.first?.values == [52.1, 52.2, 52.3])
        // A count is measured (`n_errors`); a local date, a time of day, a
        // status and an unnamed column split nothing.
        let measured = try extract(
            ",date,slot,status,n_errors,seconds\ngcc,12/01/2026,12:30,ok,1,10.5\nclang,12/01/2026,13:30,fail,2,11.5\n"
                + "gcc,12/02/2026,12:30,ok,3,10.7\nclang,12/02/2026,13:30,ok,1,11.2\n", "e.csv")
        #expect(measured.series.map(\.name) == ["n_errors", "seconds"])
        // Whole numbers not named as a setting are measurements, as before.
        let counts = try extract("compiler,warnings,seconds\ngcc,3,10.5\nclang,5,11.5\ngcc,3,10.7\nclang,4,11.2\n", "w.csv")
        #expect(
            counts.series.map(\.name) == [
                "warnings (compiler=gcc)", "seconds (compiler=gcc)", "warnings (compiler=clang)", "seconds (compiler=clang)",
            ])
    }

    /// A column naming the benchmark splits the numbers, however many names
    /// it has: `fast_path` at 1 ms and `slow_path` at 100 ms pooled gave a
    /// median of 51 ms, no figure of either.
    @Test func aColumnNamingTheBenchmarkSplitsTheSeries() throws {
        let repeated = try extract(
            "name,time_ms\nfast_path,1.0\nslow_path,100\nfast_path,1.2\nslow_path,104\nfast_path,0.9\nslow_path,99\n", "bench.csv")
        #expect(
            repeated.series == [
                Series(name: "time_ms (name=fast_path)", values: [1.0, 1.2, 0.9]), Series(name: "time_ms (name=slow_path)", values: [100, 104, 99]),
            ])
        // One row a benchmark: each its own series, never one median of all.
        let once = try extract("benchmark,seconds\nparse,1.5\nrender,50\ncompile,300\n", "b.csv")
        #expect(once.series.map(\.name) == ["seconds (benchmark=parse)", "seconds (benchmark=render)", "seconds (benchmark=compile)"])
        // A label that names no benchmark (one a run) still splits nothing, nor a status or an id.
        let labelled = try extract("label,seconds\nrun 1,1.5\nrun 2,1.6\n", "l.csv")
        #expect(labelled.series.map(\.name) == ["seconds"])
        let status = try extract("test_status,task_id,seconds\npass,A1,1.5\nfail,A2,1.6\npass,A3,1.4\n", "s.csv")
        #expect(status.series.map(\.name) == ["seconds"])
        // Past 20 names too: each its own series, none pooled.
        let many = try extract("name,time_ms\n" + (0..<25).flatMap { n in (0..<3).map { "bench_\(n),\(n * 10 + $0)\n" } }.joined(), "m.csv")
        #expect(many.series.count == 25 && many.series.first == Series(name: "time_ms (name=bench_0)", values: [0, 1, 2]))
    }

    /// A run counter is no measurement, and an elapsed time is never below
    /// zero: `run` was a series (median 2.5 of runs 1 to 4), and a harness's
    /// `-1` failure marker made a 312 s build's mean 235 s.
    @Test func runCountersAndNegativeTimesAreNoMeasurements() throws {
        let builds = try extract(
            "benchmark,run,wall_time_s,peak_rss_mb\nkernel,1,312.5,1200\nkernel,2,315.1,1210\nkernel,3,-1,1190\nsqlite,1,22.5,300\nsqlite,2,22.9,301\n",
            "builds.csv")
        #expect(
            builds.series == [
                Series(name: "wall_time_s (benchmark=kernel)", values: [312.5, 315.1]),
                Series(name: "peak_rss_mb (benchmark=kernel)", values: [1200, 1210, 1190]),
                Series(name: "wall_time_s (benchmark=sqlite)", values: [22.5, 22.9]),
                Series(name: "peak_rss_mb (benchmark=sqlite)", values: [300, 301]),
            ])
        #expect(builds.notes.contains("'run' counts the runs (1, 2, 3, ...): not a measurement, so no series"), "\(builds.notes)")
        #expect(
            builds.notes.contains(
                "1 value(s) below zero in 'wall_time_s' left out: an elapsed time is never negative (a failure marker such as -1?)"),
            "\(builds.notes)")
        // Without settings too; a difference, a rate or a signed figure keeps its sign.
        let plain = try extract("iteration,latency_ms,delta_ms,tokens/s,temp_c\n1,12.5,-0.5,40,-3\n2,-1,0.7,41,-2\n3,13.0,-0.2,39,-4\n", "p.csv")
        #expect(
            plain.series == [
                Series(name: "latency_ms", values: [12.5, 13.0]), Series(name: "delta_ms", values: [-0.5, 0.7, -0.2]),
                Series(name: "tokens/s", values: [40, 41, 39]), Series(name: "temp_c", values: [-3, -2, -4]),
            ])
        // Differences keep their sign, however their names end.
        let compared = try extract("case,vs base (ms),Speed-up (s),overhead_ms\na,-0.18,-0.5,-0.162\nb,0.2,0.4,0.1\n", "c.csv")
        #expect(compared.series.allSatisfy { $0.values.count == 1 } && compared.series.count == 6, "\(compared.series)")
        #expect(!compared.notes.contains { $0.contains("below zero") }, "\(compared.notes)")
        // A column named so but holding fractions, or below zero, is measured.
        let measured = try extract("index,seconds\n0.5,1.0\n1.5,1.1\n", "m.csv")
        #expect(measured.series.map(\.name) == ["index", "seconds"])
    }

    /// A model's sampling settings are settings, fractions or not: `temp`
    /// 0.2, 0.7 and 1.0 were series of their own, and latency was pooled
    /// over them; a setting with one value is no series.
    @Test func samplingSettingsSplitTheSeries() throws {
        let sweep = try extract(
            "temp,top_p,latency_s,jobs\n0.2,0.9,1.52,8\n0.2,0.9,1.49,8\n0.7,0.9,1.81,8\n0.7,0.9,1.85,8\n1.0,0.9,2.10,8\n", "sweep.csv")
        #expect(
            sweep.series == [
                Series(name: "latency_s (temp=0.2)", values: [1.52, 1.49]), Series(name: "latency_s (temp=0.7)", values: [1.81, 1.85]),
                Series(name: "latency_s (temp=1.0)", values: [2.10]),
            ])
        #expect(sweep.notes.contains("'top_p' is 0.9 in every row: a setting, not a series"), "\(sweep.notes)")
        #expect(sweep.notes.contains("'jobs' is 8 in every row: a setting, not a series"), "\(sweep.notes)")
        // A GPU's temperature in degrees is measured, not a sampler's setting.
        let monitor = try extract("time_s,power_w,temp\n1,220.5,64\n2,225.1,66\n3,226.0,67\n4,224.2,66\n", "monitor.csv")
        #expect(monitor.series.map(\.name) == ["time_s", "power_w", "temp"], "\(monitor.series.map(\.name))")
        // An output length per run is measured, however many values it has.
        let lengths = try extract("prompt_len,output_len,latency_s\n256,110,2.4\n256,131,2.6\n256,125,2.5\n", "gen.csv")
        #expect(lengths.series.map(\.name) == ["prompt_len", "output_len", "latency_s"], "\(lengths.series.map(\.name))")
    }
    @Test func aCSVWithoutAHeaderKeepsItsFirstValue() throws {
        let e = try extract("2.117\n1.967\n2.02\n", "times.csv")
        #expect(e.series == [Series(name: "column 1", values: [2.117, 1.967, 2.02])])
        #expect(e.notes == ["no header row: the first line holds numbers, so it is read as data and the columns are named by their place"])
    }

    /// The line a script appends a night with no header above it (`echo
    /// "$(date -Is),$secs" >> builds.csv`, the README's own example) is
    /// data: its first night was lost as the header, and the rest read as a
    /// series named after it (`806`). Its columns name nothing to judge, so
    /// the note says how to have them tested; seconds since 1970 date the
    /// rows, and are no series of their own.
    @Test func aDatedLineWithoutAHeaderIsData() throws {
        let nights = ["806", "819", "813", "822", "808", "815", "971"]
        let iso = nights.enumerated().map { "2026-11-0\($0.offset + 1)T02:00:03+01:00,\($0.element)" }.joined(separator: "\n") + "\n"
        let dated = try extract(iso, "builds.csv")
        #expect(dated.series.map(\.name) == ["column 2"] && dated.series.first?.values.count == 7, "\(dated.series)")
        #expect(dated.notes.first?.hasPrefix("no header row: the first line holds a time and numbers") == true, "\(dated.notes)")
        #expect(dated.notes.first?.contains("`date,build_s`") == true)
        let epoch = nights.enumerated().map { "\(1_762_045_203 + 86_400 * $0.offset),\($0.element)" }.joined(separator: "\n") + "\n"
        let seconds = try extract(epoch, "builds.csv")
        #expect(seconds.series.map(\.name) == ["column 2"] && seconds.series.first?.values.count == 7, "\(seconds.series)")
        // Named, the same nights are a benchmark tested night against night.
        let named = try extract("date,build_s\n" + iso, "builds.csv")
        #expect(named.datedSeries.map(\.unit) == ["s"] && named.series.isEmpty, "\(named.datedSeries) \(named.series)")
        // A header of whole numbers stays one (thread counts), and a time among names is still a header.
        #expect(try extract("1,2,4,8\n10.5,5.4,2.9,1.7\n", "scale.csv").series.map(\.name) == ["1", "2", "4", "8"])
        #expect(try extract("date,1762045203\n2026-11-01,5\n", "odd.csv").notes.allSatisfy { !$0.hasPrefix("no header row") })
        // Sizes whose largest reads as seconds since 1970 stay a header: the line after holds none there.
        let sizes = try extract("1024,65536,1048576,1073741824\n0.51,0.62,0.70,0.93\n0.50,0.61,0.71,0.90\n", "sizes.csv")
        #expect(sizes.series.map(\.name) == ["1024", "65536", "1048576", "1073741824"], "\(sizes.series)")
        // A pivot table's header of dates stays one.
        let pivot = try extract("2026-11-01,2026-11-02,2026-11-03\n1.5,1.6,1.4\n1.2,1.3,1.1\n", "pivot.csv")
        #expect(pivot.series.map(\.name) == ["2026-11-01", "2026-11-02", "2026-11-03"], "\(pivot.series)")
        // Whole nanoseconds one a line are no night's line, and not dropped as dates: they lose only their first, as before.
        let nanoseconds = try extract("1523456789\n1523456790\n1523456791\n", "elapsed_ns.csv")
        #expect(nanoseconds.series.map(\.values.count) == [2], "\(nanoseconds.series)")
        // A named `time` of whole nanoseconds beside a counter stays a series, as it was.
        let namedTime = try extract("run,time\n1,1523456789\n2,1523456790\n3,1523456791\n", "ns.csv")
        #expect(namedTime.series.map(\.name).contains("time"), "\(namedTime.series)")
    }

    @Test func elapsedTimesWrittenAsAClockAreSeconds() throws {
        let e = try extract("run,elapsed,started\n1,1:02.50,12:30\n2,0:59.75,12:31\n3,1:01:00,12:33\n", "t.csv")
        // `started` holds times of day: no fraction and a name of a moment.
        #expect(e.series == [Series(name: "elapsed (s)", values: [62.5, 59.75, 3660])])
        let named = try extract("job,wall_time\na,2:05\nb,2:10\n", "w.csv")
        #expect(named.series == [Series(name: "wall_time (s)", values: [125, 130])])
        let ofDay = try extract("job,slot,n\na,12:30,1\nb,13:45,2\n", "d.csv")
        #expect(ofDay.series.map(\.name) == ["n"])
        // Moments stay moments, fraction or not; a bare `time` of whole seconds says nothing.
        let moments = try extract("start_time,time,n\n09:15:02.117,12:30:05,1\n09:16:03.5,12:31:00,2\n", "m.csv")
        #expect(moments.series.map(\.name) == ["n"])
        // h:mm:ss with a fraction is a time of day unless the column is named a duration.
        let ofDayWithFraction = try extract("date,time,seconds\n2026-12-01,09:15:02.117,3\n2026-12-01,09:16:02.2,4\n", "t.csv")
        // (Its rows dated by `date`, its seconds are a benchmark's session.)
        #expect(ofDayWithFraction.series.isEmpty && ofDayWithFraction.datedSeries.map(\.benchmark) == ["t.csv › seconds"])
    }

    /// A table a script appends a dated line or a few to each night is a
    /// benchmark's nights: its elapsed times (with their unit) and its rates
    /// are dated series, tested night against night once digested; a column
    /// whose name says neither which way is better stays a series.
    @Test func aDatedTablesTimesAndRatesAreBenchmarks() throws {
        let csv = """
            timestamp,latency_ms,throughput_rps,cpu_percent,errors_per_second
            2026-11-01T02:00:00Z,101.2,498.5,51.0,0.1
            2026-11-01T02:01:00Z,99.8,501.0,49.5,0.0
            2026-11-02T02:00:00Z,100.4,499.9,50.2,0.2

            """
        let e = try extract(csv, "api_latency.csv")
        #expect(e.shape == .genericCSV)
        #expect(e.series.map(\.name) == ["cpu_percent", "errors_per_second"], "\(e.series.map(\.name))")
        let latency = try #require(e.datedSeries.first { $0.benchmark == "api_latency.csv › latency_ms" })
        #expect(latency.unit == "ms" && !latency.higherIsBetter && latency.values == [101.2, 99.8, 100.4])
        #expect(latency.times == [1_793_498_400, 1_793_498_460, 1_793_584_800])
        let throughput = try #require(e.datedSeries.first { $0.benchmark == "api_latency.csv › throughput_rps" })
        #expect(throughput.higherIsBetter && throughput.unit == "rps")
        // Seconds since 1970 date the rows too, and are no series themselves.
        let epoch = try extract("epoch,build_s\n1764554400,312.5\n1764640800,310.0\n", "builds.csv")
        #expect(epoch.series.isEmpty && epoch.datedSeries.map(\.times) == [[1_764_554_400, 1_764_640_800]], "\(epoch.series)")
    }

    /// Only a table whose rows are dated (all but one in ten, left out and
    /// said) is read so; `time` holding durations dates nothing.
    @Test func aTableNotDatedRowByRowStaysSeries() throws {
        let blank = try extract("timestamp,build_s\n2026-11-01T02:00:00Z,312.5\n,310.0\n", "builds.csv")
        #expect(blank.datedSeries.isEmpty && blank.series.map(\.name) == ["build_s"])
        let durations = try extract("time,build_s\n3.2,312.5\n3.4,310.0\n", "builds.csv")
        #expect(durations.datedSeries.isEmpty && durations.series.map(\.name) == ["time", "build_s"])
    }

    /// A dated table's benchmarks are named by its path, the parts that
    /// date it left out: one file a night is one benchmark, two projects'
    /// `results.csv` are two (one name pooled them, and the second
    /// project's first night opened a +400% "regression").
    @Test func aDatedTablesBenchmarksAreNamedByItsPathUndated() throws {
        let cases = [
            "runs/2026-12-01/builds.csv": "runs/*-*-*/builds.csv", "tr116/20250827-051045/results.csv": "tr*/*-*/results.csv",
            "build-2026-12-01.csv": "build-*-*-*.csv", "alpha/results.csv": "alpha/results.csv", "night-01.csv": "night-*.csv",
            "bench_1733450000.csv": "bench_*.csv", "v1.2/results.csv": "v*.*/results.csv", "runs/14/results.csv": "runs/*/results.csv",
            "builds/4711/run_003/results.csv": "builds/*/run_*/results.csv", "2026/11/01/results.csv": "*/*/*/results.csv",
        ]
        for (path, name) in cases { #expect(GenericSeriesFormat.benchmarkName(path) == name, "\(path)") }
        let csv = Array("timestamp,build_s\n2026-11-01T02:00:00Z,312.5\n".utf8)
        guard case .extracted(let e) = ContentParser.parse(csv, fileName: "results.csv", path: "alpha/2026-11-01/results.csv") else {
            Issue.record("not read")
            return
        }
        #expect(e.datedSeries.map(\.benchmark) == ["alpha/*-*-*/results.csv › build_s"])
    }

    /// The code under test splits no dated benchmark: an upgrade's slower
    /// night was a benchmark of its own, with nothing to be tested against.
    /// A row without a time is left out, said, where it made the whole file
    /// one pool; an endpoint's latency is its own benchmark.
    @Test func aDatedTablesVersionsEndpointsAndUndatedRows() throws {
        var rows = "timestamp,version,endpoint,latency_ms\n"
        for day in 1...5 {
            for endpoint in ["/health", "/api/items"] {
                rows += "2026-11-0\(day)T02:00:00Z,v1.\(day),\(endpoint),\(endpoint == "/health" ? 2.0 : 80.0 + Double(day))\n"
            }
        }
        rows += ",v1.5,/health,2.1\n"
        let e = try extract(rows, "load.csv")
        #expect(
            e.datedSeries.map { "\($0.benchmark) (\($0.parameters.rendered))" } == [
                "load.csv › latency_ms (endpoint=/health)", "load.csv › latency_ms (endpoint=/api/items)",
            ])
        #expect(e.datedSeries.last?.values == [81, 82, 83, 84, 85])
        #expect(e.notes.contains("1 row(s) without a time in 'timestamp' left out: the table's other rows are dated nights"), "\(e.notes)")
        // A `N/A` where a time should be is left out too (it made the file one pool).
        let missing = try extract(rows.replacingOccurrences(of: "\n,v1.5,", with: "\nN/A,v1.5,"), "load.csv")
        #expect(missing.datedSeries.count == 2 && missing.notes.contains { $0.hasPrefix("1 row(s) without a time") }, "\(missing.notes)")
        // Undated, an endpoint column splits the series as well.
        let undated = try extract("endpoint,latency_ms\n/a,1\n/b,90\n/a,1.1\n/b,91\n", "l.csv")
        #expect(undated.series.map(\.name) == ["latency_ms (endpoint=/a)", "latency_ms (endpoint=/b)"])
        // A summary in long form, one row per figure (genai-perf's `Metric,avg,...`): a
        // millisecond is never pooled with a token count (campaign s36b #4).
        let long = try extract("Metric,avg,p50\nTime To First Token (ms),45.3,44\nOutput Sequence Length (tokens),127,128\n", "genai.csv")
        #expect(
            long.series.map(\.name) == [
                "avg (Metric=Time To First Token (ms))", "p50 (Metric=Time To First Token (ms))", "avg (Metric=Output Sequence Length (tokens))",
                "p50 (Metric=Output Sequence Length (tokens))",
            ], "\(long.series.map(\.name))")
        // A summary naming each model once: a series a model, never one pooling both (campaign s36b #7).
        let models = try extract("| Model | Tokens/s |\n|---|---|\n| llama3.2:3b | 61.3 |\n| qwen2.5:7b | 35.9 |\n", "results.md")
        #expect(models.series.map(\.name) == ["Tokens/s (Model=llama3.2:3b)", "Tokens/s (Model=qwen2.5:7b)"], "\(models.series.map(\.name))")
    }

    /// `perf stat -o perf.txt` of a command that did not start writes its
    /// first line alone: the reason says so, not "no perf stat report"
    /// among six other tools' (campaign s36c #8).
    @Test func perfStatsFirstLineAloneSaysTheCommandDidNotRun() {
        let reason = ParsedText.skipReason("# started on Mon Dec  7 17:37:02 2026\n\n", "perf.txt")
        #expect(reason?.contains("perf stat's output without a report") == true, "\(reason ?? "")")
    }

    /// Which way a column is better, from its name alone.
    @Test func aColumnsNameSaysWhichWayIsBetter() {
        let judged: [String: (String, Bool)?] = [
            "latency_ms": ("ms", false), "build_s": ("s", false), "Latency (ms)": ("ms", false), "p50_ms": ("ms", false),
            "elapsed_seconds": ("s", false), "wall time (s)": ("s", false), "compile_min": ("min", false),
            "throughput_rps": ("rps", true), "tokens_per_second": ("tokens/s", true), "eval rate (tok/s)": ("tok/s", true),
            "req_s": ("req/s", true), "MB/s": ("mb/s", true), "throughput": ("/s", true), "iops": ("iops", true),
            "cpu_percent": nil, "mem_mb": nil, "gpu_temp": nil, "duration": nil, "errors_per_second": nil, "drops/s": nil,
            "bandwidth_util_pct": nil, "delta_ms": nil, "start_time": nil, "tokens": nil, "context_switches_per_s": nil,
            "allocations/s": nil, "gc_collections_per_sec": nil, "write_mbps": ("mbps", true), "uptime_s": nil, "timeout_ms": nil,
            "poll_interval_s": nil, "ops_per_sec": ("ops/s", true), "Requests/sec": ("requests/s", true), "gc_pause_total_s": nil,
            "process_cpu_seconds_total": nil, "total_seconds": ("s", false), "think_time_ms": nil, "keepalive_s": nil,
            "events_per_sec": ("events/s", true), "reads/s": ("reads/s", true),
        ]
        for (name, expected) in judged {
            let found = GenericSeriesFormat.judgement(of: name)
            #expect(found?.unit == expected?.0 && found?.higherIsBetter == expected?.1, "\(name): \(String(describing: found))")
        }
    }

    /// A `NaN`, `N/A`, `-` or `#N/A` in a column of numbers is one value
    /// missing, left out and said: read as text, one `NaN` in thirty nights
    /// dropped the whole column unsaid, and a file whose only column had one
    /// was skipped "without numeric columns". In a column of text it is text
    /// (`allocator=none` still splits).
    @Test func aMissingValueLeavesItsColumnOfNumbersKept() throws {
        var nightly = "date,commit,build_s,test_s\n"
        for day in 1...30 { nightly += "2026-11-\(day < 10 ? "0" : "")\(day)T02:00:00Z,c\(day),\(100 + day),\(day == 17 ? "NaN" : "\(30 + day)")\n" }
        let dated = try extract(nightly, "ci_nightly.csv")
        let tests = try #require(dated.datedSeries.first { $0.benchmark == "ci_nightly.csv › test_s" }, "\(dated.datedSeries.map(\.benchmark))")
        #expect(tests.values.count == 29 && !tests.values.contains { !$0.isFinite })
        #expect(dated.notes.contains("1 of 30 cells in 'test_s' holds no number ('NaN'): left out, the column's other values kept"), "\(dated.notes)")
        let series = try extract("commit,build_s,test_s\nabc1,120.5,30.1\nabc2,121.0,N/A\nabc3,119.8,31.0\nabc4,120,-\n", "series.csv")
        #expect(series.series.first { $0.name == "test_s" }?.values == [30.1, 31.0], "\(series.series)")
        #expect(series.notes.contains { $0.hasPrefix("2 of 4 cells in 'test_s' hold no number ('-', 'N/A')") }, "\(series.notes)")
        for marker in ["nan", "#N/A", "None", "null", "inf", "NA", "<NA>"] {
            let only = try extract("name,time_ms\nfoo,10\nfoo,\(marker)\nfoo,12\n", "only.csv")
            #expect(only.series.map(\.values) == [[10, 12]], "\(marker): \(only.series)")
        }
        let markdown = try extract("| name | t_ms |\n| --- | --- |\n| foo | NaN |\n| foo | 3 |\n| foo | 4 ms |\n", "only.md")
        #expect(markdown.series.map(\.values) == [[3, 4]], "\(markdown.series)")
        // Text stays text: `none` is an allocator setting's value, and a column all markers holds no numbers.
        let settings = try extract("allocator,seconds,notes\nnone,1.0,-\njemalloc,2.0,-\nnone,1.1,-\njemalloc,2.1,-\n", "c.csv")
        #expect(settings.series.map(\.name) == ["seconds (allocator=none)", "seconds (allocator=jemalloc)"], "\(settings.series)")
        #expect(settings.notes.isEmpty, "\(settings.notes)")
    }

    /// Cells a script wrote with their unit (`12.3 ms`, `45%`, `"3,503"`)
    /// are numbers, read as the same table in Markdown reads them: a column
    /// of times in one unit, named with it; where they were text and the
    /// file was skipped "without numeric columns".
    @Test func cellsWithUnitsAreReadAsTheirMarkdownTwinsAre() throws {
        let units = try extract("name,latency\nfoo,12.3 ms\nfoo,1.2 s\nfoo,15 ms\n", "units.csv")
        #expect(units.series.map(\.name) == ["latency (ms)"] && units.series.first?.values == [12.3, 1200, 15], "\(units.series)")
        #expect(units.notes == ["latency: times written in ms and s, read in ms"], "\(units.notes)")
        let twin = try extract("| name | latency |\n| --- | --- |\n| foo | 12.3 ms |\n| foo | 1.2 s |\n| foo | 15 ms |\n", "units.md")
        #expect(twin.series.map(\.values) == units.series.map(\.values))
        let percent = try extract("name,cpu\nfoo,45%\nfoo,55%\nfoo,65 %\n", "pct.csv")
        #expect(percent.series.map(\.values) == [[45, 55, 65]], "\(percent.series)")
        let thousands = try extract("name,count\nfoo,\"3,503\"\nfoo,\"3,600\"\nfoo,\"1,000,000\"\nfoo,12\n", "th.csv")
        #expect(thousands.series.map(\.values) == [[3503, 3600, 1_000_000, 12]], "\(thousands.series)")
        // A header's unit reads the bare cells in it; a dated table's times are its benchmark's nights.
        let dated = try extract(
            "date,Latency (ms)\n2026-11-01T02:00:00Z,101 ms\n2026-11-02T02:00:00Z,0.1 s\n2026-11-03T02:00:00Z,99\n", "api.csv")
        #expect(dated.datedSeries.first?.values == [101, 100, 99] && dated.datedSeries.first?.unit == "ms", "\(dated.datedSeries)")
        // Units of two quantities are no one quantity: text, said.
        let mixed = try extract("name,rate,n\nfoo,3 ops/s,1\nfoo,4 MB/s,2\n", "m.csv")
        #expect(mixed.series.map(\.name) == ["n"] && mixed.notes.contains("rate mixes units (ops/s and MB/s): read as text"), "\(mixed.notes)")
        // A label is no quantity: a `model` of `7b` and `13b` still splits the latencies,
        // and a `size` of them is text (no unit a measurement is written in).
        let models = try extract("model,latency_ms,note\n7b,100,1 ms\n13b,200,2 ms\n7b,101,3 ms\n13b,199,4 ms\n", "models.csv")
        #expect(
            models.series.map(\.name) == ["latency_ms (model=7b)", "note (ms) (model=7b)", "latency_ms (model=13b)", "note (ms) (model=13b)"],
            "\(models.series)")
        let sizes = try extract("size,latency_ms\n7b,100\n13b,200\n", "sizes.csv")
        #expect(sizes.series.map(\.name) == ["latency_ms"], "\(sizes.series)")
        // A file whose only column mixes units says so in its reason.
        #expect(
            reason(Array("name,size\nfoo,3 GB\nfoo,4 MB/s\n".utf8), "mix.csv")
                == "no benchmark data (CSV without numeric columns; size mixes units (GB and MB/s): read as text)")
        // A decimal comma is still the file's, and a word is still text.
        let european = try extract("name;seconds\nfoo;1,5\nfoo;2,5\n", "eu.csv")
        #expect(european.series.map(\.values) == [[1.5, 2.5]], "\(european.series)")
        #expect(reason(Array("name,result\nfoo,12 ms\nfoo,timeout\n".utf8), "w.csv") == "no benchmark data (CSV without numeric columns)")
    }

    /// What the first reading of cells with units got wrong, each read as
    /// its plain twin is: a decimal comma's `0,125 s` (read as 125 s), a
    /// `build_s` whose one cell in minutes made every bare second a minute
    /// (and renamed the benchmark), a `nan ms`, an emphasised `**N/A**` in
    /// Markdown (which turned the column's conversion off), a `1.2k` read
    /// as 1.2, and a `45%` under `Latency (ms)` read as milliseconds.
    @Test func cellsWithUnitsAreReadAsWritten() throws {
        let comma = try extract("name;latency\nfoo;0,125 s\nfoo;0,25\nfoo;12,5 ms\n", "eu.csv")
        #expect(comma.series.first?.values == [0.125, 0.25, 0.0125] && comma.series.first?.name == "latency (s)", "\(comma.series)")
        var nights = "date,build_s\n"
        for day in 1...9 { nights += "2026-01-0\(day)T02:00:00Z,\(300 + day)\n" }
        nights += "2026-01-10T02:00:00Z,6.3 min\n"
        let builds = try extract(nights, "builds.csv")
        let build = try #require(builds.datedSeries.first, "\(builds.series)")
        #expect(build.benchmark == "builds.csv › build_s" && build.unit == "s" && build.values.last == 378, "\(build)")
        #expect(build.values.prefix(9) == [301, 302, 303, 304, 305, 306, 307, 308, 309])
        var hours = "date,build_s\n"
        for day in 1...5 { hours += "2026-01-0\(day)T02:00:00Z,1.\(day) h\n" }
        let inHours = try extract(hours, "hours.csv").datedSeries.first?.values ?? []
        #expect(inHours.count == 5 && zip(inHours, [3960.0, 4320, 4680, 5040, 5400]).allSatisfy { abs($0 - $1) < 1e-6 }, "\(inHours)")
        let nan = try extract("name_x,latency\nr1,12.0 ms\nr2,nan ms\nr3,14.0 ms\nr4,inf%\n", "nan.csv")
        #expect(nan.series.first?.values == [12, 14] && nan.notes.contains { $0.contains("'nan ms'") }, "\(nan.series) \(nan.notes)")
        let markdown = try extract("| name | Latency (ms) |\n| --- | --- |\n| a | **N/A** |\n| a | 1.2 s |\n| a | 15 |\n", "t.md")
        #expect(markdown.series.first?.values == [1200, 15], "\(markdown.series)")
        // `k` is no unit but a multiple: such a column is text, never 1.2 beside
        // 900, and a file with nothing else says why it holds no numbers.
        #expect(
            reason(Array("host_x,requests\nh0,1.2k\nh1,900\nh2,3.4k\n".utf8), "k.csv")
                == "no benchmark data (CSV without numeric columns; requests writes its numbers short (1.2k): read as labels)")
        // Beside a column of numbers, a column of `2k` and `4k` is a label, said nowhere.
        let context = try extract("num_ctx,tokens_s\n2k,40.1\n4k,38.2\n2k,40.3\n4k,38.0\n", "ctx.csv")
        #expect(!context.series.isEmpty && !context.notes.contains { $0.contains("short") }, "\(context.series) \(context.notes)")
        let percent = try extract("name,Latency (ms),cpu\nfoo,45%,50\nfoo,12,60\n", "p.csv")
        #expect(!percent.series.contains { $0.name.hasPrefix("Latency") }, "\(percent.series)")
    }

    /// A setting's `N/A` is a value of its own, not a value missing, and no
    /// second value: `jobs` of 8 and `N/A` is one setting's rows. A column
    /// of ISO times dates its rows with a few `N/A` among a hundred, however
    /// late they come (its profile settled after twenty values, and the times
    /// after were not counted).
    @Test func markersInSettingsAndDatesAreCountedAsTheyAre() throws {
        let constant = try extract("jobs,seconds\n8,10\n8,11\n8,12\nN/A,13\n", "c.csv")
        #expect(!constant.notes.contains { $0.contains("hold no number") || $0.contains("holds no number") }, "\(constant.notes)")
        var rows = "timestamp,latency_ms\n"
        for index in 0..<100 {
            let day = index / 10 + 1
            rows += (index % 25 == 24 ? "N/A" : "2026-01-\(day < 10 ? "0" : "")\(day)T02:\(10 + index % 10):00Z") + ",\(100 + index % 7)\n"
        }
        let dated = try extract(rows, "api.csv")
        #expect(dated.datedSeries.count == 1 && dated.notes.contains { $0.hasPrefix("4 row(s) without a time") }, "\(dated.notes)")
    }

    /// A table with a column of dates chimerad does not read (`11/01/2026`),
    /// or too few rows dated, is read as series and says so: its nights went
    /// untested and nobody was told.
    @Test func aTableWhoseDatesAreNotReadSaysSo() throws {
        var us = "date,build_s\n"
        for day in 1...8 { us += "11/0\(day)/2026,\(100 + day)\n" }
        let e = try extract(us, "builds.csv")
        #expect(e.datedSeries.isEmpty && e.series.map(\.name) == ["build_s"])
        #expect(
            e.notes.contains {
                $0.hasPrefix("'date' dates 0 of 8 rows, fewer than nine in ten: 8 have no time chimerad reads") && $0.contains("'11/01/2026'")
            }, "\(e.notes)")
        let half = try extract("timestamp,build_s\n2026-11-01T02:00:00Z,312.5\nN/A,310.0\n", "b.csv")
        #expect(half.notes.contains { $0.hasPrefix("'timestamp' dates 1 of 2 rows") && $0.contains("'N/A'") }, "\(half.notes)")
        // Nothing would be judged (no time or rate named): nothing to say.
        let unjudged = try extract("date,cpu_percent\n11/01/2026,50\n11/02/2026,51\n", "cpu.csv")
        #expect(unjudged.notes.isEmpty, "\(unjudged.notes)")
    }

    @Test func aClockDurationIsReadOnlyWhenWellFormed() {
        #expect(ClockDuration("0:01.23").map { [$0.seconds, $0.hasFraction ? 1 : 0] } == [1.23, 1])
        #expect(ClockDuration(" 10:00:05 ")?.seconds == 36005)
        for text in ["1:75", "1:5", "1:05.", "1:05.x", ":05", "1::05", "1:60:00", "a:05", "1:2:3:4", "1234567:00", "-1:05"] {
            #expect(ClockDuration(text) == nil, "\(text)")
        }
        #expect(ClockDuration.namesDuration("Elapsed (wall clock) time"))
        #expect(!ClockDuration.namesDuration("time of day"))
        #expect(ClockDuration.namesDuration("elapsed_time"))
        #expect(!ClockDuration.namesDuration("start_time") && !ClockDuration.namesDuration("time"))
        #expect(ClockDuration.namesMoment("start_time"))
    }

    @Test func unknownColumnsBecomeParameters() throws {
        let e = try extract("model,flash_attn,tokens_s,ttft_s\nm,1,10,0.1\nm,0,20,0.1\n", "r.csv")
        #expect(e.runSets.count == 2)
        #expect(e.runSets[0].configuration == [Parameter("flash_attn", "1")])
        // A monitor's reading beside each run is no setting: one group, not one a run.
        let sampled = try extract("model,gpu_util,vram_used,tokens_s,ttft_s\nm,97,5120,10,0.1\nm,88,5190,20,0.1\n", "r.csv")
        #expect(sampled.runSets.count == 1 && sampled.runSets[0].configuration.isEmpty)
        let device = try extract("model,device_used,tokens_s,ttft_s\nm,cuda,90,0.1\nm,cpu,9,0.1\n", "r.csv")
        #expect(device.runSets.count == 2, "which device is a setting")
    }

    /// Runs of named models with only one of the two figures, or Ollama's
    /// durations converted to milliseconds, are runs: split by model, their
    /// failures failures, never one generic table pooling every model.
    @Test func runsOfNamedModelsWithOneFigureAreRuns() throws {
        let ttftOnly = try extract(
            "timestamp,model,ttft_s,error\n2026-11-20T10:00:00Z,a,0.12,\n2026-11-20T10:00:07Z,b,0.06,\n2026-11-20T10:00:09Z,b,0,ReadTimeout\n",
            "t.csv")
        #expect(ttftOnly.runSets.map(\.model) == ["a", "b"])
        #expect(ttftOnly.runSets[1].runs.map(\.ttftSeconds) == [0.06, 0])
        #expect(ttftOnly.runSets[1].runs[1].failureReason == "ReadTimeout")
        #expect(ttftOnly.series.isEmpty)
        let throughputOnly = try extract("model,prompt,tokens_per_second,latency_ms\na,p1,80.5,119\nb,p1,290,60\n", "t.csv")
        #expect(throughputOnly.runSets.map { $0.runs.first?.tokensPerSecond } == [80.5, 290])
        #expect(throughputOnly.runSets.map(\.configuration) == [[], []], "a latency is read per run, not a setting")
        let negative = try extract("model,ttft_ms\na,120\na,-3\n", "t.csv")
        #expect(negative.runSets.first?.runs.map(\.ttftSeconds) == [0.12, nil])
        #expect(negative.notes == ["1 TTFT value(s) below zero were left out"])
        let milliseconds = try extract("model,eval_count,eval_duration_ms,load_duration_ms,ttft_ms\na,215,2666.5,50,119.7\n", "t.csv")
        let run = try #require(milliseconds.runSets.first?.runs.first)
        #expect(run.tokensPerSecond == 215 / (2666.5 / 1e3))
        #expect(run.loadSeconds == 50 / 1e3 && run.ttftSeconds == 119.7 / 1e3)
        // Without a model column such a table stays a generic one.
        let unnamed = try extract("tokens_per_second,latency_ms\n80.5,119\n", "t.csv")
        #expect(unnamed.runSets.isEmpty)
        // A training log names models and a throughput, but holds no inference runs.
        let training = try extract("model,epoch,loss,accuracy,tokens_per_second\nresnet50,1,0.9,0.7,5100\nbert-base,1,0.8,0.6,5350\n", "t.csv")
        #expect(training.runSets.isEmpty && !training.series.isEmpty)
        // A sweep's summary with a TTFT column stays a summary.
        let summary = try extract("model,config_name,runs,mean_tokens_s,ttft_ms\nm,a,5,100,120\nm,b,5,110,130\n", "s.csv")
        #expect(summary.shape == .sweepSummary && summary.runSets.isEmpty)
    }

    /// A summary's numeric column that is not a figure is a setting of its
    /// configurations, whatever its name: `concurrency`, `max_concurrency`.
    @Test func aSummarysUnknownSettingsAreItsConfigurations() throws {
        let e = try extract(
            "model,concurrency,max_concurrency,max_tokens,mean_tokens_s,mean_ttft_ms,mean_accuracy,prompt_eval\nm,1,8,256,40,100,0.9,0.2\nm,4,8,256,90,130,0.9,0.3\n",
            "s.csv")
        #expect(e.shape == .sweepSummary)
        #expect(
            e.aggregates.map(\.configuration.rendered) == [
                "concurrency=1, max_concurrency=8, max_tokens=256", "concurrency=4, max_concurrency=8, max_tokens=256",
            ])
        #expect(e.aggregates.first?.metrics.keys.sorted() == ["mean_accuracy", "mean_tokens_s", "mean_ttft_ms", "prompt_eval"])
    }

    @Test func sweepSummaryIsKeptAsAggregates() throws {
        let e = try extract(
            "config_name,num_gpu,num_ctx,temperature,mean_tokens_s,mean_ttft_s\ng60,60,2048,0.8,103.1,0.15\n", "g_param_tuning_summary.csv")
        #expect(e.shape == .sweepSummary)
        #expect(e.runSets.isEmpty)
        #expect(e.aggregates.first?.metrics["mean_tokens_s"] == 103.1)
        #expect(e.aggregates.first?.configuration.rendered == "num_ctx=2048, num_gpu=60, temperature=0.8")
    }

    @Test func compilationBenchWithNullAndFailedBackends() throws {
        let json = """
            {"model": {"name": "mlp", "device": "cpu"}, "backends": {
              "eager": {"compilation": null, "benchmark": {"mean_time_ms": 0.5, "std_time_ms": 0.1}},
              "onnx": {"compilation": {"success": true, "compile_time_s": 0.08, "error": null}, "benchmark": {"mean_time_ms": 0.05}},
              "torch_compile": {"compilation": {"success": false, "compile_time_s": null, "error": "Cannot find triton\\nmore"}, "benchmark": {"mean_time_ms": 0.0}}}}
            """
        let e = try extract(json, "mlp_bench.json")
        #expect(e.shape == .compilationBench)
        #expect(e.compilation.map(\.backend) == ["eager", "onnx", "torch_compile"])
        #expect(e.compilation[0].succeeded && e.compilation[0].compileSeconds == nil)
        #expect(e.compilation[2].succeeded == false)
        #expect(e.compilation[2].error == "Cannot find triton")
        #expect(e.compilation[2].meanMilliseconds == nil)
    }

    /// A mean time of zero (a timer that never ran) is no measurement: it
    /// would make its backend the fastest, and every speedup against it 0×.
    @Test func aCompilationTimeOfZeroIsLeftOutWithANote() throws {
        let json = """
            {"model": {"name": "mlp"}, "backends": {
              "eager": {"compilation": null, "benchmark": {"mean_time_ms": 0, "std_time_ms": 0.1, "min_time_ms": -1}},
              "onnx": {"compilation": {"success": true, "compile_time_s": 0.08}, "benchmark": {"mean_time_ms": 0.05}}}}
            """
        let e = try extract(json, "mlp_bench.json")
        #expect(e.compilation.map(\.meanMilliseconds) == [nil, 0.05])
        #expect(e.compilation[0].minMilliseconds == nil && e.compilation[0].succeeded)
        #expect(e.notes == ["2 times of zero or below left out: no measurement (eager mean_time_ms 0, eager min_time_ms -1)"], "\(e.notes)")
    }

    /// A traceback's cause is its last line; any other error text's, its first.
    @Test func aCompilationErrorIsGivenByItsCause() throws {
        let traceback = "Traceback (most recent call last):\n  File \"bench.py\", line 3, in <module>\nRuntimeError: CUDA out of memory\n"
        #expect(ErrorText.cause(traceback) == "RuntimeError: CUDA out of memory")
        #expect(ErrorText.cause("Cannot find triton\nInstall it with pip") == "Cannot find triton")
        #expect(ErrorText.cause("\n  \n") == "")
        #expect(ErrorText.cause("Traceback (most recent call last):") == "Traceback (most recent call last):")
        // torch's hints after the exception, and a trace longer than the 4 KiB a text keeps.
        let frames = (0..<80).map {
            "  File \"/usr/lib/python3/torch/_inductor/compile_fx.py\", line \($0), in compile\n    result = step_\($0)(graph)"
        }
        let long =
            "Traceback (most recent call last):\n" + frames.joined(separator: "\n")
            + "\ntorch._dynamo.exc.BackendCompilerFailed: backend='inductor' raised:\nRuntimeError: triton not found\n\n"
            + "Set TORCH_LOGS=\"+dynamo\" and TORCHDYNAMO_VERBOSE=1 for more information\n"
        #expect(long.utf8.count > 4096)
        #expect(ErrorText.cause(long) == "torch._dynamo.exc.BackendCompilerFailed: backend='inductor' raised:")
        let longJSON = """
            {"model": {"name": "mlp"}, "backends": {
              "eager": {"compilation": null, "benchmark": {"mean_time_ms": 5}},
              "inductor": {"compilation": {"success": false, "compile_time_s": 0, "error": \(JSONString.quoted(long))}, "benchmark": {}}}}
            """
        #expect(try extract(longJSON, "long.json").compilation.last?.error == "torch._dynamo.exc.BackendCompilerFailed: backend='inductor' raised:")
        let json = """
            {"model": {"name": "mlp"}, "backends": {
              "eager": {"compilation": null, "benchmark": {"mean_time_ms": 5}},
              "torch_compile": {"compilation": {"success": false, "compile_time_s": 0, "error": \(JSONString.quoted(traceback))}, "benchmark": {}}}}
            """
        let e = try extract(json, "comp.json")
        #expect(e.compilation.last?.error == "RuntimeError: CUDA out of memory")
    }

    @Test func llamaBenchInAllThreeFormatsAgreeOnKeys() throws {
        func results(_ name: String) throws -> [LlamaBenchResult] {
            guard case .extracted(let e) = ContentParser.parse(try Paths.bytes("llama-bench/" + name), fileName: name) else {
                throw ParsedText.Skipped(reason: name)
            }
            return e.llamaBench
        }
        let json = try results("gemma3-270m-q4_k_m.json")
        let csv = try results("gemma3-270m-q4_k_m.csv")
        let md = try results("gemma3-270m-q4_k_m.md")
        #expect(json.count == 4 && csv.count == 4 && md.count == 4)
        #expect(Set(json.map(\.test)) == ["pp64", "tg32"])
        #expect(json.map(\.phase).contains("decode") && json.map(\.phase).contains("prefill"))
        // The same settings read from JSON and CSV are the same key.
        #expect(Set(json.map(\.parameters)) == Set(csv.map(\.parameters)))
        #expect(json.allSatisfy { $0.samples.count == 3 })
        #expect(md.allSatisfy { $0.stddevTokensPerSecond != nil })
        // A spread below zero, or not finite, is none (drawn, it was a range turned inside out).
        let signs = try extract(
            "| model | size | params | backend | threads | test | t/s |\n| --- | ---: | ---: | --- | ---: | ---: | ---: |\n"
                + "| gemma3 270M Q4_K - Medium | 241.41 MiB | 268.10 M | CPU | 2 | tg32 | 100.00 ± -50.00 |\n"
                + "| gemma3 270M Q4_K - Medium | 241.41 MiB | 268.10 M | CPU | 2 | pp64 | 300.00 ± 5.00 |\n", "bench.md"
        ).llamaBench
        #expect(signs.map(\.stddevTokensPerSecond) == [nil, 5], "\(signs.map(\.stddevTokensPerSecond))")
    }

    @Test func hyperfineAndPytestBenchmarkFromRealRuns() throws {
        guard case .extracted(let hyperfine) = ContentParser.parse(try Paths.bytes("hyperfine/gzip_levels.json"), fileName: "gzip_levels.json"),
            case .extracted(let pytest) = ContentParser.parse(try Paths.bytes("pytest-benchmark/bench.json"), fileName: "bench.json")
        else {
            Issue.record("fixtures did not parse")
            return
        }
        #expect(hyperfine.shape == .hyperfine)
        #expect(hyperfine.measurements.count == 3)
        #expect(hyperfine.measurements.allSatisfy { $0.unit == "s" && $0.samples.count == 5 })
        #expect(pytest.shape == .pytestBenchmark)
        #expect(pytest.measurements.allSatisfy { ($0.count ?? 0) > 0 && $0.mean != nil })
        #expect(pytest.environment.contains { $0.name == "python" })
        // Not its runner's host name: a CI service's runners get a new one each job.
        #expect(!pytest.environment.contains { $0.name == "node" })
        // Its `datetime`, as a time with an offset: what dates the file's sessions.
        #expect(abs((pytest.measuredAt ?? 0) - 1_795_377_318.296333) < 0.001, "\(String(describing: pytest.measuredAt))")
        #expect(hyperfine.measuredAt == nil, "hyperfine writes no time")
    }

    @Test func googleBenchmarkPrefersAggregates() throws {
        let json = """
            {"context": {"date": "2026-12-01T10:00:00+01:00", "host_name": "h", "num_cpus": 2}, "benchmarks": [
             {"name": "BM_Sort/1024", "run_name": "BM_Sort/1024", "run_type": "iteration", "real_time": 10.0, "cpu_time": 9.0, "time_unit": "us"},
             {"name": "BM_Sort/1024", "run_name": "BM_Sort/1024", "run_type": "iteration", "real_time": 12.0, "cpu_time": 9.0, "time_unit": "us"},
             {"name": "BM_Sort/1024_mean", "run_name": "BM_Sort/1024", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 11.0, "time_unit": "us"},
             {"name": "BM_Sort/1024_median", "run_name": "BM_Sort/1024", "run_type": "aggregate", "aggregate_name": "median", "real_time": 11.0, "time_unit": "us"}]}
            """
        let e = try extract(json, "gbench.json")
        #expect(e.shape == .googleBenchmark)
        #expect(e.measurements.count == 1)
        #expect(e.measurements[0].mean == 11 && e.measurements[0].unit == "us" && e.measurements[0].count == 2)
        #expect(e.measuredAt == 1_796_115_600)
        // Older versions' forms, without an offset: taken as UTC.
        #expect(TimestampParsing.toolDate("2026/12/01-09:00:00") == 1_796_115_600)
        #expect(TimestampParsing.toolDate("12/01/26 09:00:00") == 1_796_115_600)
        #expect(TimestampParsing.toolDate("12/01/26") == nil && TimestampParsing.toolDate("1/2/26 9:00:00") == nil)
    }

    /// `--benchmark_format=csv` reads as the JSON format does: per-unit
    /// times, aggregates by their name's suffix, counters, and failed runs
    /// written shorter than the header.
    @Test func googleBenchmarkCSVReadsAsItsJSON() throws {
        let csv = """
            name,iterations,real_time,cpu_time,time_unit,bytes_per_second,items_per_second,label,error_occurred,error_message,"elems"
            "BM_Vec/8",100,0.030,0.029,us,1.0e+09,2.5e+08,,,,8
            "BM_Vec/8",100,0.032,0.031,us,1.1e+09,2.7e+08,,,,8
            "BM_Vec/8_mean",2,0.031,0.030,us,1.05e+09,2.6e+08,,,,8
            "BM_Vec/8_median",2,0.031,0.030,us,1.05e+09,2.6e+08,,,,8
            "BM_Vec/8_stddev",2,0.0014,0.0014,us,7e+07,1.4e+07,,,,0
            "BM_Vec/8_cv",2,0.045,0.045,us,0.06,0.05,,,,0
            "BM_Str",392825,31.8,31.8,ns,,,,,,
            "BM_Sleep/200/real_time",53,0.266,0.008,ms,,,,,,
            "BM_Err",,,,,,,,true,"disk not found"
            "BM_Cut",1000,3

            """
        let e = try extract(csv, "gbench.csv")
        #expect(e.shape == .googleBenchmark)
        #expect(
            e.notes == [
                "the counter elems listed, not tested for regressions: the file does not say whether higher is better (a rate is: `_per_second`, or `/s` as the console prints it)",
                "1 row(s) with a wrong field count were left out (line 11)",
            ],
            "a failed run's short row is no malformed row, a cut one is: \(e.notes)")
        #expect(!e.measurements.contains { $0.name == "BM_Cut" })
        let byName = Dictionary(e.measurements.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(e.measurements.map(\.name).prefix(1) == ["BM_Vec/8"])
        #expect(byName["BM_Vec/8"]?.mean == 0.031 && byName["BM_Vec/8"]?.stddev == 0.0014 && byName["BM_Vec/8"]?.count == 2)
        #expect(byName["BM_Vec/8"]?.unit == "us" && byName["BM_Str"]?.unit == "ns" && byName["BM_Sleep/200/real_time"]?.unit == "ms")
        #expect(byName["BM_Vec/8 items_per_second"]?.higherIsBetter == true)
        #expect(byName["BM_Vec/8 elems"]?.mean == 8)
        // A rate is tested; a counter of no known direction (a hit ratio fell 20% unflagged, while the report said tested) is listed.
        #expect(byName["BM_Vec/8 items_per_second"]?.isRegressionTested == true && byName["BM_Vec/8 elems"]?.isRegressionTested == false)
        #expect(byName["BM_Vec/8_mean"] == nil && byName["BM_Vec/8_cv"] == nil, "aggregates are figures of their benchmark")
        #expect(byName["BM_Err"]?.failure == "disk not found" && byName["BM_Err"]?.failedRuns == 1)
        // Rows that measured nothing readable are left out, and said so.
        let odd = try extract(
            "name,iterations,real_time,cpu_time,time_unit\n\"BM_A\",1,5,5,ns\n\"BM_B\",1,nan,5,ns\n\"BM_C\",1,-5,5,ns\n\"\",1,2,2,ns\n", "g.csv")
        #expect(odd.measurements.map(\.name) == ["BM_A"])
        #expect(
            odd.notes == [
                "1 benchmark entry without a name left out",
                "2 benchmark entries without a readable time (not a number, or below zero) left out",
            ], "\(odd.notes)")
    }

    @Test("figures a tool did not write come from the runs the file holds: hyperfine before 1.10 wrote no median")
    func missingFiguresComeFromTheRuns() throws {
        let hyperfine = try extract(
            #"{"results": [{"command": "sleep 0.1", "mean": 0.105, "stddev": 0.002, "user": 0.001, "system": 0.001, "min": 0.102, "#
                + #""max": 0.108, "times": [0.108, 0.102, 0.105, 0.104]}]}"#, "hf.json")
        let sleep = try #require(hyperfine.measurements.first)
        #expect(sleep.median == (0.104 + 0.105) / 2 && sleep.mean == 0.105 && sleep.stddev == 0.002, "the tool's own figures kept")
        func iteration(_ time: Double, _ items: Double) -> String {
            #"{"name": "BM_A", "run_name": "BM_A", "run_type": "iteration", "repetitions": 3, "iterations": 100, "#
                + #""real_time": \#(time), "cpu_time": \#(time), "time_unit": "ns", "items_per_second": \#(items)}"#
        }
        let google = try extract(
            #"{"benchmarks": ["# + [iteration(10, 3e8), iteration(12, 1e8), iteration(11, 2e8)].joined(separator: ", ") + "]}", "gb.json")
        let time = try #require(google.measurements.first { $0.name == "BM_A" })
        #expect(time.median == 11 && time.mean == 11 && time.stddev == 1 && time.min == 10 && time.max == 12)
        let items = try #require(google.measurements.first { $0.name == "BM_A items_per_second" })
        #expect(items.median == 2e8 && items.stddev == 1e8)
    }

    /// No time is below zero, and a mean is between its min and max: a
    /// hyperfine result that says otherwise (a clock stepped back, a file
    /// edited by hand) is read from the times it holds, with a note, or left
    /// out when it holds none. It was shown as "mean -500 ms" without a word.
    @Test func hyperfineTimesBelowZeroAndFiguresThatDisagreeAreSaid() throws {
        func result(_ command: String, _ figures: String, times: [Double]?) -> String {
            #"{"command": "\#(command)", \#(figures)"# + (times.map { #", "times": \#($0)"# } ?? "") + "}"
        }
        let json =
            #"{"results": ["#
            + [
                result("negative", #""mean": -0.5, "stddev": 0.1, "median": -0.5, "min": -0.6, "max": -0.4"#, times: [-0.6, -0.5, -0.4]),
                result("some", #""mean": 0.2, "stddev": 0.3, "median": 0.3, "min": -0.1, "max": 0.4"#, times: [-0.1, 0.3, 0.4]),
                result("huge mean", #""mean": 1.2e38, "stddev": 0.0, "median": 1, "min": 1, "max": 1"#, times: [1, 1, 1]),
                result("no times", #""mean": -0.5, "stddev": 0.1, "median": -0.5, "min": -0.6, "max": -0.4"#, times: nil),
                // Equal times whose mean lands an ulp above them are no disagreement.
                result("equal", #""mean": 0.10000000000000002, "stddev": 0.0, "median": 0.1, "min": 0.1, "max": 0.1"#, times: [0.1, 0.1, 0.1]),
            ].joined(separator: ", ") + "]}"
        let e = try extract(json, "hf.json")
        #expect(e.measurements.map(\.name) == ["some", "huge mean", "equal"], "negative and no times have no time left")
        let some = try #require(e.measurements.first)
        #expect(some.samples == [0.3, 0.4] && some.min == 0.3 && some.max == 0.4 && some.median == 0.35 && some.count == 2)
        // A run left out goes with its exit code: one failed run of two left was no longer tested.
        let coded = try extract(
            #"{"results": [{"command": "c", "mean": 0.2, "stddev": 0.3, "median": 0.3, "min": -0.1, "max": 0.4, "times": [-0.1, 0.3, 0.4], "#
                + #""exit_codes": [1, 0, 0]}]}"#, "hf.json")
        #expect(coded.measurements.first?.failedRuns == 0 && coded.measurements.first?.failure == nil, "\(coded.measurements)")
        let huge = try #require(e.measurements.dropFirst().first)
        #expect(huge.mean == 1 && huge.max == 1 && huge.median == 1)
        // A time that is no number (hyperfine's NaN, an infinity), or figures made
        // from other times than the file's: every figure is its times'.
        let stale = #""mean": 0.012176, "stddev": 0.000807, "median": 0.011816, "min": 0.0114, "max": 0.013584"#
        let odd = try extract(
            #"{"results": ["# + result("nan", stale, times: [0.0114, 0.0118, 0.0121, 0.011816]).replacingOccurrences(of: "0.011816]", with: "NaN]")
                + ", " + result("tiny", stale, times: [1e-12, 1e-12, 1e-12]) + "]}", "hf.json")
        let nan = try #require(odd.measurements.first)
        #expect(nan.count == 3 && nan.max == 0.0121 && nan.min == 0.0114 && abs((nan.mean ?? 0) - 0.011766666666666667) < 1e-15, "\(nan)")
        #expect(odd.notes.contains { $0.hasPrefix("hyperfine result 'nan': 1 time that is no number (NaN, an infinity) left out") }, "\(odd.notes)")
        #expect(odd.measurements.last?.mean == 1e-12 && odd.measurements.last?.max == 1e-12)
        #expect(odd.notes.contains { $0.hasPrefix("hyperfine result 'tiny': its mean is not its times' mean") }, "\(odd.notes)")
        // A name coloured with `-n "$(tput setaf 1)RED$(tput sgr0)"`: as the console shows it.
        let coloured = try extract(#"{"results": ["# + result(#"\u001b[31mRED\u001b(B\u001b[m"#, stale, times: nil) + "]}", "hf.json")
        #expect(coloured.measurements.map(\.name) == ["RED"])
        // A null time's exit code goes with it, as a time below zero's does.
        let nulled = try extract(
            #"{"results": [{"command": "c", "mean": 0.55, "stddev": 0.07, "median": 0.55, "min": 0.5, "max": 0.6, "times": [0.5, null, -0.01, 0.6], "#
                + #""exit_codes": [0, 1, 2, 0]}]}"#, "hf.json")
        #expect(nulled.measurements.first?.failedRuns == 0 && nulled.measurements.first?.samples == [0.5, 0.6], "\(nulled.measurements)")
        #expect(e.measurements.last?.mean == 0.10000000000000002)
        #expect(
            e.notes == [
                "hyperfine result 'negative' left out: its 3 times are below zero, as no time can be",
                "hyperfine result 'some': 1 time below zero left out; its figures are taken from its 2 times at or above zero",
                "hyperfine result 'huge mean': its mean, median, min and max disagree; its figures are taken from its 3 times at or above zero",
                "hyperfine result 'no times' left out: its figures are below zero, as no time can be, and it has no times to take them from",
            ], "\(e.notes)")
    }

    /// Google Benchmark writes each run as it ends: a file cut off (a CI
    /// job's timeout) holds whole runs before the cut, read and said, where
    /// the file was skipped as malformed JSON.
    @Test func googleBenchmarkCutOffKeepsItsWholeRuns() throws {
        func run(_ time: Double) -> String {
            #"{"name": "BM_A", "run_name": "BM_A", "run_type": "iteration", "repetitions": 3, "iterations": 100, "#
                + #""real_time": \#(time), "cpu_time": \#(time), "time_unit": "ns"}"#
        }
        let text =
            #"{"context": {"date": "2026-12-01T02:00:00+00:00", "num_cpus": 8}, "benchmarks": ["# + "\n" + run(10) + ",\n" + run(12)
            + ",\n" + #"{"name": "BM_A", "run_na"#
        let e = try extract(text, "gb.json")
        #expect(e.shape == .googleBenchmark && e.measurements.first { $0.name == "BM_A" }?.samples == [10, 12], "\(e.measurements)")
        #expect(
            e.notes.first
                == "the file ends inside its 'benchmarks' list, at line 4 (a run cut off, or still being written): the 2 whole entries before it are read",
            "\(e.notes)")
        // Cut inside a string and the line then ended (a log's cut, `echo` after it): the same runs.
        let ended = try extract(text + "\n", "gb.json")
        #expect(ended.shape == .googleBenchmark && ended.measurements.first { $0.name == "BM_A" }?.samples == [10, 12], "\(ended.measurements)")
        // A line end inside a string with more after it is damage, not a cut.
        #expect(reason(Array((text + "\n" + #"m": "x"}]}"#).utf8), "gb.json")?.hasPrefix("malformed JSON") == true)
        // Cut inside its context, before any run: nothing to read.
        #expect(reason(Array(#"{"context": {"date": "2026-"#.utf8), "gb.json")?.hasPrefix("malformed JSON") == true)
    }

    /// Google Benchmark before `run_type` (1.4 and older) names its
    /// aggregates only by suffix, as the CSV does; `Complexity()` adds a
    /// BigO and an RMS entry that are a fit, not a time.
    @Test func googleBenchmarkOldAggregatesAndComplexityFits() throws {
        func entry(_ name: String, _ time: Double, unit: String = "ns", extra: String = "") -> String {
            #"{"name": "\#(name)", "iterations": 1000, "real_time": \#(time), "cpu_time": \#(time), "time_unit": "\#(unit)"\#(extra)}"#
        }
        let old = [
            entry("BM_Sort/64", 110), entry("BM_Sort/64", 120), entry("BM_Sort/64", 130), entry("BM_Sort/64_mean", 120),
            entry("BM_Sort/64_median", 120), entry("BM_Sort/64_stddev", 10),
        ]
        let e = try extract(#"{"context": {"date": "2019-01-01 10:00:00"}, "benchmarks": ["# + old.joined(separator: ", ") + "]}", "old.json")
        #expect(e.measurements.map(\.name) == ["BM_Sort/64"])
        #expect(e.measurements.first?.mean == 120 && e.measurements.first?.stddev == 10 && e.measurements.first?.samples == [110, 120, 130])
        // A typed file's fit: BigO and RMS entries without a real_time.
        let typed = [
            entry("BM_Sort/64", 120, extra: #", "run_name": "BM_Sort/64", "run_type": "iteration""#),
            entry("BM_Sort/512", 1400, extra: #", "run_name": "BM_Sort/512", "run_type": "iteration""#),
            #"{"name": "BM_Sort_BigO", "run_name": "BM_Sort", "run_type": "aggregate", "aggregate_name": "BigO", "cpu_coefficient": 2.1, "real_coefficient": 2.1, "big_o": "NlgN", "time_unit": "ns"}"#,
            #"{"name": "BM_Sort_RMS", "run_name": "BM_Sort", "run_type": "aggregate", "aggregate_name": "RMS", "rms": 0.05}"#,
        ]
        let fit = try extract(#"{"benchmarks": ["# + typed.joined(separator: ", ") + "]}", "fit.json")
        #expect(fit.measurements.map(\.name) == ["BM_Sort/64", "BM_Sort/512"])
        let note = "the complexity fit (BigO, RMS) of BM_Sort left out: a fit over the benchmark's sizes, not a time"
        #expect(fit.notes == [note], "\(fit.notes)")
        // The CSV writes the fit as rows with the complexity as their unit.
        let csv = """
            name,iterations,real_time,cpu_time,time_unit,bytes_per_second,items_per_second,label,error_occurred,error_message
            "BM_Sort/64",1000,120,120,ns,,,,,
            "BM_Sort/512",100,1400,1400,ns,,,,,
            "BM_Sort_BigO",,2.1,2.1,NlgN,,,,,
            "BM_Sort_RMS",,5,5,,,,,,

            """
        let table = try extract(csv, "fit.csv")
        #expect(table.measurements.map(\.name) == ["BM_Sort/64", "BM_Sort/512"])
        #expect(table.notes == [note], "\(table.notes)")
    }

    /// `--benchmark_out_format=csv`: the run's context above the header is
    /// read past, and its date dates the file's sessions.
    @Test func googleBenchmarkCSVOutputFileWithItsContext() throws {
        let csv = """
            2026-12-03T12:37:41+00:00
            Running ./b
            Run on (2 X 2445.41 MHz CPU s)
            CPU Caches:
              L1 Data 32 KiB (x2)
            Load Average: 1.10, 1.70, 1.86
            name,iterations,real_time,cpu_time,time_unit,bytes_per_second,items_per_second,label,error_occurred,error_message
            "BM_Str",32815336,21.3802,21.3687,ns,,,,,

            """
        let e = try extract(csv, "gbench.csv")
        #expect(e.shape == .googleBenchmark && e.measurements.map(\.name) == ["BM_Str"])
        #expect(e.measuredAt == 1_796_301_461)
    }

    @Test func vllmServeResult() throws {
        let json =
            #"{"date": "20261116-020000", "model_id": "Qwen/Qwen2.5-0.5B", "num_prompts": 100, "completed": 98, "request_throughput": 4.2, "output_throughput": 512.0, "mean_ttft_ms": 40.0, "median_ttft_ms": 35.0, "std_ttft_ms": 5.0, "mean_tpot_ms": 9.0}"#
        let e = try extract(json, "vllm.json")
        #expect(e.shape == .vllmServe)
        #expect(e.measurements.contains { $0.name == "Qwen/Qwen2.5-0.5B TTFT" && $0.median == 35 })
        #expect(e.measurements.contains { $0.unit == "tok/s" && $0.higherIsBetter })
        #expect(e.notes == ["2 of 100 requests did not complete"])
        #expect(e.measuredAt == 1_794_794_400, "its date, 2026-11-16 02:00:00 taken as UTC")
        #expect(TimestampParsing.toolDate("2026-11-16T02:00:00Z") == 1_794_794_400)
        #expect(TimestampParsing.toolDate("20261116-02000x") == nil && TimestampParsing.toolDate("") == nil)
    }

    /// A server's error saved where its reply would be is a failed run with
    /// the server's words, never a file of no data.
    @Test func anErrorReplyIsAFailedRun() throws {
        let ollama = try extract(#"{"error":"model \"llama9:8b\" not found, try pulling it first"}"#, "run.json")
        #expect(ollama.shape == .ollamaRuns)
        #expect(ollama.runSets.map(\.model) == ["llama9:8b"], "the model it says it lacks")
        #expect(ollama.runSets.first?.runs.map(\.failureReason) == [#"model "llama9:8b" not found, try pulling it first"#])
        let memory = try extract(#"{"error":"model requires more system memory (9.2 GiB) than is available (7.5 GiB)"}"#, "gen3.json")
        #expect(memory.runSets.map(\.model) == [nil] && memory.runSets.first?.runs.count == 1)
        let openAI = try extract(#"{"error": {"code": 500, "message": "context size exceeded", "type": "server_error"}}"#, "c.json")
        #expect(openAI.runSets.first?.runs.first?.error == "context size exceeded")
        let vllm = try extract(#"{"object": "error", "message": "The model `x` does not exist.", "type": "NotFoundError", "code": 404}"#, "v.json")
        #expect(vllm.runSets.first?.runs.first?.error == "The model `x` does not exist.")
        // Figures beside an "error" key make it something else; so does a status file saying there was none.
        #expect(try extract(#"{"error": "partial", "loss": 0.5}"#, "t.json").shape == .genericJSON)
        #expect(ParsedText.skipReason(#"{"status": "done", "error": "none", "model": "x"}"#, "s.json") != nil)
        #expect(ParsedText.skipReason(#"{"error": "none", "model": "x"}"#, "s.json") != nil)
    }

    /// An error reply among replies: its run is of the model it lacks, not of the file's name.
    @Test func anErrorReplyAmongRepliesNamesTheModelItLacks() throws {
        let replies =
            #"[{"model": "llama3.2:3b", "created_at": "2026-10-01T02:00:10Z", "eval_count": 100, "eval_duration": 2000000000, "prompt_eval_count": 5}, "#
            + #"{"error": "model \"llama3.2:1b\" not found, try pulling it first"}]"#
        let e = try extract(replies, "runs.json")
        #expect(Set(e.runSets.map(\.model)) == ["llama3.2:3b", "llama3.2:1b"], "\(e.runSets.map(\.model))")
    }

    @Test func aStreamEndingInAnErrorIsOneFailedRun() throws {
        let chunk = #"{"model": "llama3.2:3b", "created_at": "2026-10-01T02:00:10Z", "response": "tok", "done": false}"#
        let text = [chunk, chunk, #"{"error": "an error was encountered while running the model: unexpected EOF"}"#].joined(separator: "\n") + "\n"
        let e = try extract(text, "stream.ndjson")
        #expect(e.runSets.map(\.model) == ["llama3.2:3b"])
        let run = try #require(e.runSets.first?.runs.first)
        #expect(run.error == "an error was encountered while running the model: unexpected EOF" && run.timestamp == 1_790_820_010)
        #expect(e.notes == ["2 streamed chunks (done: false) before the error: parts of a reply, not runs"])
    }

    @Test func aPytestBenchmarkFileWithoutBenchmarksSaysSo() throws {
        let e = try extract(
            #"{"machine_info": {"node": "x", "cpu": {"brand_raw": "AMD"}}, "benchmarks": [], "datetime": "2026-10-01T02:03:00"}"#, "0001.json")
        #expect(e.shape == .pytestBenchmark && e.measurements.isEmpty)
        #expect(e.notes == ["no benchmarks: the run saved none (its tests skipped, deselected or run with --benchmark-disable?)"])
    }

    /// llama-server's replies (`/completion`, `/v1/chat/completions`) saved by
    /// a script are runs: decode from `predicted_per_second`, prefill from
    /// the prompt's tokens and milliseconds, keyed on the llama.cpp backend.
    @Test func llamaServerRepliesAreRuns() throws {
        let timings = #""timings": {"prompt_n": 31, "prompt_ms": 52.3, "predicted_n": 256, "predicted_ms": 4011.2, "predicted_per_second": 63.82}"#
        let chat = try extract(
            #"{"choices": [{"message": {"content": "hi"}}], "created": 1764000000, "model": "qwen2.5-0.5b-instruct-q4_k_m.gguf", "#
                + #""object": "chat.completion", "usage": {"completion_tokens": 256}, "# + timings + "}", "chat.json")
        #expect(chat.shape == .ollamaRuns && chat.series.isEmpty)
        let set = try #require(chat.runSets.first)
        #expect(set.model == "qwen2.5-0.5b-instruct-q4_k_m.gguf" && set.configuration == [Parameter("backend", "llama.cpp")])
        let run = try #require(set.runs.first)
        #expect(run.tokensPerSecond == 63.82 && run.evalCount == 256 && run.promptEvalCount == 31 && run.timestamp == 1_764_000_000)
        #expect(run.promptEvalSeconds == 0.0523 && run.ttftSeconds == nil && run.failureReason == nil)
        // Without the server's own rate, tokens over time; the placeholder
        // name llama-server gives without --alias is no model's.
        let replies = try extract(
            #"[{"model": "gpt-3.5-turbo", "content": "a", "timings": {"predicted_n": 100, "predicted_ms": 2000}}, "#
                + #"{"model": "gpt-3.5-turbo", "content": "b", "timings": {"predicted_n": 120, "predicted_ms": 2000}}]"#, "completion.json")
        #expect(replies.runSets.map(\.model) == ["llama-server"])
        #expect(replies.runSets.first?.runs.map(\.tokensPerSecond) == [50, 60])
        #expect(replies.notes.count == 1 && replies.notes[0].contains("'gpt-3.5-turbo'"))
        // A model file named among the settings, or as a path: by its file name.
        let named = try extract(
            #"{"model": "gpt-3.5-turbo", "generation_settings": {"model": "/models/qwen2.5-0.5b-instruct-q4_k_m.gguf"}, "#
                + #""timings": {"predicted_n": 100, "predicted_ms": 2000}}"#, "reply.json")
        #expect(named.runSets.map(\.model) == ["qwen2.5-0.5b-instruct-q4_k_m.gguf"] && named.notes.isEmpty)
    }

    /// vLLM's `.pytorch.json` beside its saved result holds the same
    /// figures a metric an entry: skipped for the result, where every
    /// metric's value was pooled into one series (campaign s32, F3).
    @Test func vllmsPyTorchFormatCopyIsSkippedForItsResult() throws {
        func entry(_ metric: String, _ value: Double) -> String {
            #"{"benchmark": {"name": "vLLM benchmark", "extra_info": {"args": {"model": "m", "request_rate": "inf", "max_concurrency": 16}}}, "#
                + #""model": {"name": "m"}, "metric": {"name": "\#(metric)", "benchmark_values": [\#(value)], "extra_info": {}}}"#
        }
        let copy = "[" + entry("median_ttft_ms", 231.8) + ", " + entry("mean_tpot_ms", 21.0) + "]"
        #expect(reason(Array(copy.utf8), "run-20250612-101500.pytorch.json") == "no benchmark data (\(VLLMServeFormat.pyTorchCopyReason))")
        // Another project's results in that format have no result beside them: read for their numbers.
        let torchAO = copy.replacingOccurrences(of: "vLLM benchmark", with: "TorchAO benchmark")
        #expect(reason(Array(torchAO.utf8), "torchao.json") == nil)
        // A list of other objects with a `metric` is still read for its numbers.
        #expect(try extract(#"[{"metric": {"name": "a", "value": 1.5}}, {"metric": {"name": "b", "value": 2.5}}]"#, "m.json").shape == .genericJSON)
    }

    /// Ollama's and vLLM's `/v1/chat/completions` replies carry token counts
    /// and no time: skipped with what would time them, where their `created`
    /// time and `choices[].index` were listed as measurements (campaign s32, F5).
    @Test func openAIStyleRepliesWithoutTimingsSaySoRatherThanListNumbers() throws {
        let reply =
            #"{"id":"chatcmpl-512","object":"chat.completion","created":1754012345,"model":"llama3.2:3b","system_fingerprint":"fp_ollama","#
            + #""choices":[{"index":0,"message":{"role":"assistant","content":"Rayleigh scattering."},"finish_reason":"stop"}],"#
            + #""usage":{"prompt_tokens":31,"completion_tokens":5,"total_tokens":36}}"#
        let expected = "no benchmark data (\(LlamaServerReplyFormat.untimedReason))"
        #expect(reason(Array(reply.utf8), "ollama-openai.json") == expected)
        #expect(reason(Array("[\(reply), \(reply)]".utf8), "replies.json") == expected)
        #expect(reason(Array("\(reply)\n\(reply)\n".utf8), "replies.jsonl") == expected)
        // A completion (`text_completion`) likewise; one with llama-server's timings is a run.
        let completion = reply.replacingOccurrences(of: "\"chat.completion\"", with: "\"text_completion\"")
        #expect(reason(Array(completion.utf8), "completion.json") == expected)
        let timed = String(reply.dropLast()) + #", "timings": {"predicted_n": 5, "predicted_ms": 100}}"#
        #expect(try extract(timed, "timed.json").runSets.first?.runs.first?.tokensPerSecond == 50)
        // A reply holding a time of any other kind is read as before: Groq's `usage.completion_time`,
        // a script's own rate beside the reply.
        let groq = reply.replacingOccurrences(of: #""total_tokens":36}"#, with: #""total_tokens":36,"completion_time":0.021}"#)
        #expect(reason(Array(groq.utf8), "groq.json") == nil)
        #expect(try extract(groq, "groq.json").series.contains { $0.name == "usage.completion_time" })
        let annotated = String(reply.dropLast()) + #", "tokens_per_second": 48.2, "ttft_s": 0.12}"#
        #expect(reason(Array(annotated.utf8), "annotated.json") == nil)
    }

    /// `perf stat -x, -r 3 -o perf.csv` and `perf stat -j -o perf.json` as
    /// perf 6.1 wrote them on a VM without CPU counters: each event a
    /// benchmark, the uncounted ones noted, never zeros.
    @Test func perfStatOutputIsItsEvents() throws {
        let csv = """
            # started on Fri Dec  4 11:54:43 2026

            0.56,msec,task-clock,3.28%,559474,100.00,0.049,CPUs utilized
            1,,context-switches,0.00%,559474,100.00,1.740,K/sec
            0,,cpu-migrations,0.00%,559474,100.00,0.000,/sec
            77,,page-faults,1.15%,559474,100.00,133.986,K/sec
            <not supported>,,cycles,0.00%,0,100.00,,
            <not supported>,,instructions,0.00%,0,100.00,,
            <not supported>,,branches,0.00%,0,100.00,,
            <not supported>,,branch-misses,0.00%,0,100.00,,
            """
        let e = try extract(csv, "perf.csv")
        #expect(e.shape == .perfStat && e.series.isEmpty)
        #expect(e.measurements.map(\.name) == ["task-clock", "context-switches", "cpu-migrations", "page-faults"])
        #expect(e.measurements.first.map { [$0.unit, $0.tool] } == ["ms", "perf stat"] && e.measurements.first?.mean == 0.56)
        #expect(e.notes.count == 2 && e.notes[1].hasPrefix("not counted: cycles (<not supported>), instructions"), "\(e.notes)")
        // `-r 3` is in the variance column, never in `-x`'s output: n unknown, not 1 (it was `n = 1` without a spread).
        #expect(e.measurements.allSatisfy { $0.count == nil && $0.stddev == nil }, "\(e.measurements)")
        #expect(e.notes.first?.contains("n unknown") == true && e.notes.first?.contains("task-clock ±3.28%") == true, "\(e.notes)")
        let json = """
            # started on Fri Dec  4 11:54:43 2026

            {"counter-value" : "0.594537", "unit" : "msec", "event" : "task-clock", "event-runtime" : 594537, "pcnt-running" : 100.00, "metric-value" : 0.053967, "metric-unit" : "CPUs utilized"}
            {"counter-value" : "2.000000", "unit" : "", "event" : "context-switches", "event-runtime" : 594537, "pcnt-running" : 100.00, "metric-value" : 3.363962, "metric-unit" : "K/sec"}
            {"counter-value" : "0.000000", "unit" : "", "event" : "cpu-migrations", "event-runtime" : 594537, "pcnt-running" : 100.00, "metric-value" : 0.000000, "metric-unit" : "/sec"}
            {"counter-value" : "75.000000", "unit" : "", "event" : "page-faults", "event-runtime" : 594537, "pcnt-running" : 100.00, "metric-value" : 126.148583, "metric-unit" : "K/sec"}
            {"counter-value" : "<not supported>", "unit" : "", "event" : "cycles", "event-runtime" : 0, "pcnt-running" : 100.00, "metric-value" : 0.000000, "metric-unit" : ""}
            {"counter-value" : "<not supported>", "unit" : "", "event" : "instructions", "event-runtime" : 0, "pcnt-running" : 100.00, "metric-value" : 0.000000, "metric-unit" : ""}
            {"counter-value" : "<not supported>", "unit" : "", "event" : "branches", "event-runtime" : 0, "pcnt-running" : 100.00, "metric-value" : 0.000000, "metric-unit" : ""}
            {"counter-value" : "<not supported>", "unit" : "", "event" : "branch-misses", "event-runtime" : 0, "pcnt-running" : 100.00, "metric-value" : 0.000000, "metric-unit" : ""}
            """
        let j = try extract(json, "perf.json")
        #expect(j.shape == .perfStat && j.measurements.map(\.name) == e.measurements.map(\.name))
        #expect(j.measurements.first?.mean == 0.594537 && j.measurements.last?.unit == "count")
        // `-x';'`: the same events, its decimal mark a comma (the locale it is for) or a point.
        let semicolons = try extract(csv.replacingOccurrences(of: ",", with: ";"), "perf.csv")
        #expect(semicolons.shape == .perfStat && semicolons.measurements == e.measurements)
        let german = try extract("1234,56;msec;task-clock;1234560123;100,00;0,999;CPUs utilized\n", "de.csv")
        #expect(german.shape == .perfStat && german.measurements.first?.mean == 1234.56)
        let germanRepeated = try extract("0,56;msec;task-clock;3,28%;559474;100,00;0,049;CPUs utilized\n", "de-r.csv")
        #expect(germanRepeated.notes.first?.contains("task-clock ±3.28%") == true, "\(germanRepeated.notes)")
        // A CSV that only looks alike stays what it is.
        #expect(try extract("1,2,3,4,5\n6,7,8,9,10\n", "n.csv").shape == .genericCSV)
        // Lines without a count of their own (perf 6.5's TopdownL1 metrics and their group's line on Intel,
        // a hybrid CPU's `cpu_atom` metrics with a run time, per CPU, per interval) are passed over, where
        // the file was read as a table of numbers headed by its first event (campaign s32, F1).
        let topdown = try extract(
            """
            # started on Sat Jun 14 02:00:01 2025

            8123.45,msec,task-clock,8123450000,100.00,7.621,CPUs utilized
            9222630,,cpu_core/instructions/,16067506390,100.00,1.07,insn per cycle
            ,16067501860,100.00,,,,TopdownL1 (cpu_core)
            ,,,,,30.6,%  tma_backend_bound
            ,10160989992,63.00,,,,TopdownL1 (cpu_atom)
            ,10188319019,63.00,,,41.3,%  tma_frontend_bound
            ,,,,,,%  tma_retiring

            """, "perf.csv")
        #expect(topdown.shape == .perfStat && topdown.measurements.map(\.name) == ["task-clock", "cpu_core/instructions/"], "\(topdown)")
        #expect(topdown.measurements.first?.mean == 8123.45)
        let perCPUMetrics = try extract(
            "CPU0,104.77,msec,cpu-clock,104770029,100.00,1.000,CPUs utilized\nCPU0,,,,,,12.5,%  tma_retiring\n", "a.csv")
        #expect(perCPUMetrics.shape == .perfStat && perCPUMetrics.measurements.map(\.name) == ["cpu-clock"])
        let intervalMetrics = try extract(
            "     0.100139289,0.63,msec,task-clock,626344,100.00,0.006,CPUs utilized\n     0.100139289,,,,,,25.3,%  tma_retiring\n", "i.csv")
        #expect(intervalMetrics.shape == .perfStat && intervalMetrics.measurements.map(\.name) == ["task-clock"])
        // A raw event keeps its commas; only the clock is tested, counts are listed.
        let raw = try extract(
            "1203.45,msec,task-clock,1203450000,100.00,0.998,CPUs utilized\n3912345678,,cpu/event=0x3c,umask=0x0/,1203450000,100.00,,\n", "r.csv")
        #expect(raw.measurements.map(\.name) == ["task-clock", "cpu/event=0x3c,umask=0x0/"])
        #expect(raw.measurements.map(\.isRegressionTested) == [true, false])
        // Per CPU (`-A`), per core, and per interval (`-I`: one benchmark an event, its intervals its samples).
        let perCPU = try extract(
            "CPU0,104.77,msec,cpu-clock,104770029,100.00,1.000,CPUs utilized\nCPU1,104.78,msec,cpu-clock,104779182,100.00,1.000,CPUs utilized\n",
            "a.csv")
        #expect(perCPU.measurements.map(\.parameters) == [[Parameter("cpu", "CPU0")], [Parameter("cpu", "CPU1")]])
        let perCore = try extract("S0-D0-C0,1,102.01,msec,cpu-clock,102008179,100.00,1.000,CPUs utilized\n", "c.csv")
        #expect(perCore.measurements.first?.parameters == [Parameter("core", "S0-D0-C0")] && perCore.measurements.first?.mean == 102.01)
        let intervals = try extract(
            "     0.100139289,0.63,msec,task-clock,626344,100.00,0.006,CPUs utilized\n     0.200282051,0.45,msec,task-clock,450000,100.00,0.004,CPUs utilized\n",
            "i.csv")
        #expect(intervals.measurements.count == 1 && intervals.measurements.first?.samples == [0.63, 0.45])
        #expect(intervals.measurements.first?.count == 2 && intervals.measurements.first?.isRegressionTested == false)
        // Two runs appended to one file (`--append`): one benchmark, each run a sample.
        let appended = try extract(
            "# started on a\n0.55,msec,task-clock,550140,100.00,0.011,CPUs utilized\n# started on b\n0.58,msec,task-clock,580856,100.00,0.009,CPUs utilized\n",
            "p.csv")
        #expect(appended.measurements.count == 1 && appended.measurements.first?.samples == [0.55, 0.58])
        #expect(appended.measurements.first?.count == 2 && appended.measurements.first?.isRegressionTested == true)
        // Runs dated apart (`-o perf.csv --append` each night): each a measurement, measured when it started.
        let nights = try extract(
            "# started on Thu Dec  3 02:00:01 2026\n0.55,msec,task-clock,550140,100.00,0.011,CPUs utilized\n"
                + "# started on Fri Dec  4 02:00:01 2026\n0.58,msec,task-clock,580856,100.00,0.009,CPUs utilized\n", "n.csv")
        let third = try Date("2026-12-03T02:00:01Z", strategy: .iso8601).timeIntervalSince1970
        #expect(nights.measurements.map(\.mean) == [0.55, 0.58] && nights.measurements.map(\.measuredAt) == [third, third + 86_400])
        // `-x` names no command: runs less than an hour apart may be two commands of one night, and are pooled, with a note.
        let hourly = try extract(
            "# started on Thu Dec  3 02:00:01 2026\n0.55,msec,task-clock,550140,100.00,0.011,CPUs utilized\n"
                + "# started on Thu Dec  3 02:10:01 2026\n2.58,msec,task-clock,580856,100.00,0.009,CPUs utilized\n", "two.csv")
        #expect(hourly.measurements.count == 1 && hourly.measurements.first?.samples == [0.55, 2.58] && hourly.measurements.first?.measuredAt == nil)
        #expect(hourly.notes.contains { $0.hasPrefix("runs less than an hour apart in `perf stat -x` output") }, "\(hourly.notes)")
        // A run appended undated after a dated one (the same event again, no date line between) is one of its own.
        let undatedAfter = try extract(
            "# started on Thu Dec  3 02:00:01 2026\n0.55,msec,task-clock,550140,100.00,0.011,CPUs utilized\n"
                + "0.69,msec,task-clock,690856,100.00,0.009,CPUs utilized\n", "u.csv")
        #expect(undatedAfter.measurements.map(\.mean) == [0.55, 0.69] && undatedAfter.measurements.map(\.measuredAt) == [third, third + 1])
        // A file of more nights than a file's entries: the oldest are left out, never the night just appended.
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let many = (0..<10_050).map { night in
            let date = calendar.dateComponents(
                [.year, .month, .day], from: Date(timeIntervalSince1970: 1_700_006_400 + Double(night) * 86_400))
            let line = "# started on Mon \(months[(date.month ?? 1) - 1]) \(date.day ?? 1) 00:00:00 \(date.year ?? 2000)\n"
            return line + "\(night == 10_049 ? "9.99" : "0.55"),msec,task-clock,550140,100.00,0.011,CPUs utilized\n"
        }.joined()
        let bounded = try extract(many, "many.csv")
        #expect(bounded.measurements.count == IngestLimits.maximumEntries && bounded.measurements.last?.mean == 9.99)
        #expect(bounded.measurements.last?.measuredAt == Double(1_700_006_400 + 10_049 * 86_400))
        #expect(bounded.notes.first?.contains("from the newest run (older runs left out)") == true, "\(bounded.notes)")
    }

    /// A measurement's start, its failures by message and whether its
    /// samples are appended runs survive the store's encoding, and formats
    /// 9 (10 without the appended runs), 8 (9 without the failures) and 7
    /// (8 without the start) are still read: the earlier versions a store
    /// keeps of rewritten files are history no re-read brings back.
    @Test func measurementTimeInTheStoresEncoding() throws {
        var dated = Measurement(tool: "perf stat", name: "task-clock", unit: "ms", mean: 0.55)
        dated.measuredAt = 1_796_263_201
        let e = Extraction(shape: .perfStat, measurements: [dated])
        #expect(try Extraction(decoding: e.encoded()) == e)
        // In format 7 the measurement ends at its `isRegressionTested`; then come
        // the series' and notes' counts (a byte each) and the file's time (8 bytes).
        var failing = Measurement(tool: "vllm", name: "m requests", unit: "requests", failure: "a", failedRuns: 3)
        failing.failuresByMessage = [FailureCount(message: "a", count: 2), FailureCount(message: "b", count: 1)]
        let failures = Extraction(shape: .vllmServe, measurements: [failing])
        #expect(try Extraction(decoding: failures.encoded()) == failures)
        var appended = Measurement(tool: "time", name: "make", unit: "s", mean: 2, count: 2, samples: [1, 3])
        appended.appendedRuns = .durations
        let log = Extraction(shape: .timeReport, measurements: [appended])
        #expect(try Extraction(decoding: log.encoded()) == log)
        var unknown = log.encoded()
        unknown[unknown.count - 11] = 9
        #expect(throws: BinaryReader.Failure.self) { try Extraction(decoding: unknown) }
        let undated = Extraction(shape: .perfStat, measurements: [Measurement(tool: "perf stat", name: "task-clock", unit: "ms", mean: 0.55)])
        // Format 9 is format 10 without the kind of appended runs (a byte, here 0), before the series' count.
        var older = undated.encoded()
        older.remove(at: older.count - 11)
        older[0] = 9
        #expect(try Extraction(decoding: older) == undated)
        // Format 8 is format 9 without the failures by message (a count, here 0).
        older.remove(at: older.count - 11)
        older[0] = 8
        #expect(try Extraction(decoding: older) == undated)
        older.removeSubrange((older.count - 18)..<(older.count - 10))
        older[0] = 7
        #expect(try Extraction(decoding: older) == undated)
        older[0] = 6
        #expect(throws: BinaryReader.Failure.self) { try Extraction(decoding: older) }
    }

    /// perf's `# started on` line is C's `ctime`: English whatever the
    /// locale, the day padded with a space; a local time, taken as UTC as
    /// other tools' local times are.
    @Test func perfStartedOnLines() throws {
        let expected = try Date("2026-12-03T02:00:01Z", strategy: .iso8601).timeIntervalSince1970
        #expect(PerfStatFormat.startedOn("# started on Thu Dec  3 02:00:01 2026") == expected)
        #expect(PerfStatFormat.startedOn("# started on Thu Dec 13 02:00:01 2026") == expected + 10 * 86_400)
        #expect(
            PerfStatFormat.startedOn("# started on Mon Feb 29 23:59:59 2028")
                == (try Date("2028-02-29T23:59:59Z", strategy: .iso8601)).timeIntervalSince1970)
        for line in [
            "# started on a", "# started on Mon Feb 29 02:00:01 2027", "# started on Thu Jan  1 00:00:00 1970",
            "# started on Thu Dez  3 02:00:01 2026", "# started on Thu Dec 32 02:00:01 2026",
            "# started on Thu Dec  3 2:00:01 2026", "# started on Thu Dec  3 02:00:01", "# started at Thu Dec  3 02:00:01 2026",
        ] {
            #expect(PerfStatFormat.startedOn(line) == nil, "\(line)")
        }
    }

    /// `perf stat -o run.txt` and `perf stat -r 5 ... 2> run.log` as perf
    /// 6.1 wrote them on a VM without CPU counters, and a count as bare
    /// metal writes it (its thousands grouped): the same events as `-x`
    /// gives, the command a setting, `-r`'s spread kept.
    @Test func perfStatReportSavedAsText() throws {
        let once = """
            # started on Fri Dec  4 15:10:22 2026


             Performance counter stats for 'ls /':

                          1.43 msec task-clock                       #    0.587 CPUs utilized
                             1      context-switches                 #  700.762 /sec
                           100      page-faults                      #   70.076 K/sec
                 4,123,456,789      cycles                           #    3.412 GHz                      (83.31%)
               <not supported>      instructions

                   0.002432745 seconds time elapsed

                   0.000000000 seconds user
                   0.002611000 seconds sys


            """
        let e = try extract(once, "run.txt")
        #expect(e.shape == .perfStat)
        #expect(e.measurements.map(\.name) == ["task-clock", "context-switches", "page-faults", "cycles", "time elapsed", "user time", "sys time"])
        #expect(e.measurements.allSatisfy { $0.parameters == [Parameter("command", "ls /")] })
        #expect(e.measurements.first { $0.name == "cycles" }?.mean == 4_123_456_789)
        #expect(e.measurements.filter(\.isRegressionTested).map(\.name) == ["task-clock", "time elapsed"])
        #expect(e.measurements.first { $0.name == "time elapsed" }.map { [$0.unit, "\($0.mean ?? 0)"] } == ["s", "0.002432745"])
        #expect(e.notes.count == 1 && e.notes[0].hasPrefix("not counted: instructions (<not supported>)"))
        let repeated = """
             Performance counter stats for 'sleep 0.01' (5 runs):

                          0.99 msec task-clock                       #    0.084 CPUs utilized            ( +-  5.86% )
                             0      cpu-migrations                   #    0.000 /sec
               <not supported>      cycles

                      0.011768 +- 0.000114 seconds time elapsed  ( +-  0.97% )

            """
        let r = try extract(repeated, "run.log")
        let clock = try #require(r.measurements.first { $0.name == "task-clock" })
        // perf's `+-` is the standard error of the mean: the runs' spread is it times the root of their number.
        #expect(clock.count == 5 && clock.mean == 0.99 && abs((clock.stddev ?? 0) - 0.99 * 0.0586 * 5.0.squareRoot()) < 1e-12)
        let elapsed = try #require(r.measurements.first { $0.name == "time elapsed" })
        #expect(elapsed.count == 5 && abs((elapsed.stddev ?? 0) - 0.000114 * 5.0.squareRoot()) < 1e-12)
        #expect(r.measurements.first { $0.name == "cpu-migrations" }?.stddev == nil, "no +- printed: no spread")
        // Two commands' reports appended to one file stay two benchmarks an event.
        let two = try extract(once + once.replacingOccurrences(of: "'ls /'", with: "'ls /tmp'"), "both.out")
        #expect(
            two.measurements.filter { $0.name == "task-clock" }.map(\.parameters) == [
                [Parameter("command", "ls /")], [Parameter("command", "ls /tmp")],
            ])
        // The same command's reports appended in one second: each a run of its own, a second apart.
        let fourth = try Date("2026-12-04T15:10:22Z", strategy: .iso8601).timeIntervalSince1970
        let again = try extract(once + once + once, "again.txt").measurements.filter { $0.name == "task-clock" }
        #expect(again.map(\.measuredAt) == [fourth, fourth + 1, fourth + 2] && again.map(\.count) == [1, 1, 1])
        // Its nights appended (`-o run.txt --append`), each dated by its `# started on` line: each a
        // measurement of its own, whether the next report follows at once or after other output.
        let nextDay = once.replacingOccurrences(of: "Fri Dec  4 15:10:22", with: "Sat Dec  5 15:10:22")
        for text in [once + nextDay, once + "make: Nothing to be done for 'all'.\n" + nextDay] {
            let nights = try extract(text, "nights.txt").measurements.filter { $0.name == "task-clock" }
            #expect(nights.map(\.measuredAt) == [fourth, fourth + 86_400] && nights.map(\.count) == [1, 1], "\(nights)")
        }
        // Undated reports of one command (`2>> run.log`) stay one benchmark, each a run.
        let undated = once.replacingOccurrences(of: "# started on Fri Dec  4 15:10:22 2026\n", with: "")
        let log = try extract(undated + undated, "run.log").measurements.filter { $0.name == "task-clock" }
        #expect(log.count == 1 && log.first?.samples.count == 2 && log.first?.measuredAt == nil)
        // Among dated nights, a report without a readable date (none, or `Dec 32`) is a night of its own,
        // a second after the one before it (or before the first dated one), with a note.
        let unreadable = once.replacingOccurrences(of: "Fri Dec  4", with: "Fri Dec 32")
        for text in [once + undated + nextDay, once + unreadable + nextDay] {
            let mixed = try extract(text, "mixed.txt")
            let nights = mixed.measurements.filter { $0.name == "task-clock" }
            #expect(nights.map(\.measuredAt) == [fourth, fourth + 1, fourth + 86_400], "\(nights)")
            #expect(mixed.notes.contains { $0.hasPrefix("1 run without a readable `# started on` line among dated ones") }, "\(mixed.notes)")
        }
        let leading = try extract(undated + undated + nextDay, "leading.txt").measurements.filter { $0.name == "task-clock" }
        #expect(leading.map(\.measuredAt) == [fourth + 86_400 - 2, fourth + 86_400 - 1, fourth + 86_400], "\(leading)")
        // Under de_DE perf writes `123,28 msec` and groups thousands with a point: read in that locale.
        let german = try extract(
            """
             Performance counter stats for 'sha256sum blob.bin' (3 runs):

                        1.273,75 msec task-clock                       #    0,788 CPUs utilized            ( +-  2,93% )
                         107.434      page-faults                      #  698,305 /sec                     ( +-  0,63% )

                       0,15646 +- 0,00560 seconds time elapsed  ( +-  3,58% )

            """, "de.txt")
        #expect(german.measurements.map(\.mean) == [1273.75, 107_434, 0.15646])
        #expect(abs((german.measurements[0].stddev ?? 0) - 1273.75 * 0.0293 * 3.0.squareRoot()) < 1e-9)
        #expect(abs((german.measurements[2].stddev ?? 0) - 0.0056 * 3.0.squareRoot()) < 1e-12)
        // A report ends at its times: the next command's own output (`5000 iterations`) is no event of it.
        let followed = try extract(repeated + "\n5000 iterations\n3.2 msec p99\n12 passed, 3 failed\n", "ci.log")
        #expect(followed.measurements.map(\.name) == r.measurements.map(\.name))
        // A count's spread printed on the comment line under it (bare metal's `stalled cycles per insn`) is its own.
        let insn = try extract(
            " Performance counter stats for './bench' (10 runs):\n\n  25,123,456,789      instructions   #    1.38  insn per cycle\n"
                + "                                                  #    0.39  stalled cycles per insn  ( +-  0.16% )\n", "b.txt")
        #expect(insn.measurements.first?.mean == 25_123_456_789 && insn.measurements.first?.stddev != nil)
        // `-I`'s intervals under their heading, with `-A`'s CPUs; `--per-node`; `--per-thread` (ids new each run: listed).
        let intervals = try extract(
            """
            #           time CPU                    counts unit events
                 0.100152058 CPU0                   100.32 msec cpu-clock                        #    1.003 CPUs utilized
                 0.100152058 CPU1                   100.33 msec cpu-clock                        #    1.003 CPUs utilized
                 0.200321307 CPU0                    99.91 msec cpu-clock                        #    0.999 CPUs utilized

            """, "i.txt")
        #expect(intervals.measurements.map(\.parameters) == [[Parameter("cpu", "CPU0")], [Parameter("cpu", "CPU1")]])
        #expect(intervals.measurements.first?.samples == [100.32, 99.91] && intervals.measurements.allSatisfy { !$0.isRegressionTested })
        let scoped = try extract(
            " Performance counter stats for 'system wide':\n\nN0        2             149.67 msec cpu-clock    #    2.000 CPUs utilized\n"
                + "          make-4242              61.57 msec cpu-clock    #    0.610 CPUs utilized\n", "n.txt")
        #expect(
            scoped.measurements.map { $0.parameters.filter { $0.name != "command" } } == [
                [Parameter("node", "N0")], [Parameter("thread", "make-4242")],
            ])
        #expect(scoped.measurements.map(\.isRegressionTested) == [true, false])
        // A CI service's log: a time before each line.
        let stamped = once.split(separator: "\n", omittingEmptySubsequences: false).map { "2026-12-04T10:00:05.1234567Z \($0)" }.joined(
            separator: "\n")
        let stampedNights = try extract(
            stamped + "\n"
                + nextDay.split(separator: "\n", omittingEmptySubsequences: false).map { "2026-12-05T10:00:05.1234567Z \($0)" }.joined(
                    separator: "\n"), "job.log")
        #expect(
            stampedNights.measurements.filter { $0.name == "task-clock" }.map(\.measuredAt) == [fourth, fourth + 86_400]
                && stampedNights.notes.count == 1, "\(stampedNights.notes)")
        // fr_FR groups thousands with a narrow no-break space.
        let french = try extract(
            " Performance counter stats for 'x':\n\n      1\u{202F}273,75 msec task-clock\n     107\u{202F}434      page-faults\n", "fr.txt")
        #expect(french.measurements.map(\.mean) == [1273.75, 107_434])
        // `-I` prints no times to end on: its block ends at the first line that is no interval's.
        let tailed = try extract(
            "#           time             counts unit events\n     0.100153341               1.01 msec task-clock\n5000 requests\n12 passed\n",
            "i.log")
        #expect(tailed.measurements.map(\.name) == ["task-clock"])
        // The heading's words inside another line start no report.
        #expect(
            reason(Array("see Performance counter stats for details\n   1.23 msec task-clock\n".utf8), "n.txt")?.hasPrefix("no benchmark data")
                == true)
        // `perf stat -x, -o perf.txt`: its own output under a text name.
        #expect(try extract("# started on x\n\n0.56,msec,task-clock,559474,100.00,0.049,CPUs utilized\n", "perf.txt").shape == .perfStat)
        // `(0 runs)` is no count of runs.
        #expect(try extract(" Performance counter stats for './x' (0 runs):\n\n   1.23 msec task-clock\n", "z.txt").measurements.first?.count == 1)
        // Text that only mentions perf is no report.
        #expect(reason(Array("ran perf stat, see Performance counter stats for details\n".utf8), "notes.txt")?.hasPrefix("no benchmark data") == true)
    }

    /// llama-bench's default output (its table) and a server's JSON reply,
    /// captured to `.txt` and `.log` files; a log whose lines start `[` is text.
    @Test func consoleOutputSavedAsText() throws {
        let llamaBench = """
            ggml_cuda_init: GGML_CUDA_FORCE_MMQ:    no
            ggml_cuda_init: found 1 CUDA devices:
              Device 0: NVIDIA GeForce RTX 4090, compute capability 8.9, VMM: yes
            | model                          |       size |     params | backend    | ngl |          test |                  t/s |
            | ------------------------------ | ---------: | ---------: | ---------- | --: | ------------: | -------------------: |
            | llama 7B Q4_0                  |   3.56 GiB |     6.74 B | CUDA       |  99 |         pp512 |      4120.35 ± 21.08 |
            | llama 7B Q4_0                  |   3.56 GiB |     6.74 B | CUDA       |  99 |         tg128 |        143.25 ± 0.39 |

            build: 8e672efe (3061)
            """
        let bench = try extract(llamaBench, "bench.txt")
        #expect(bench.shape == .llamaBenchMarkdown)
        #expect(bench.llamaBench.map(\.test) == ["pp512", "tg128"] && bench.llamaBench.last?.tokensPerSecond == 143.25)
        #expect(bench.llamaBench.first?.environment.contains(Parameter("build_commit", "8e672efe")) == true)
        // hyperfine 1.18 piped to tee: a command a benchmark, in seconds; the summary is no benchmark.
        let hyperfine = try extract(
            """
            Benchmark 1: sleep 0.01
              Time (mean ± σ):      11.3 ms ±   0.2 ms    [User: 0.6 ms, System: 0.7 ms]
              Range (min … max):    11.1 ms …  11.6 ms    5 runs

            Benchmark 2: gzip -9 big.tar
              Time (mean ± σ):      1.523 s ±  0.012 s    [User: 1.498 s, System: 0.021 s]
              Range (min … max):    1.510 s …  1.541 s    10 runs

            Benchmark 3: true
              Time (abs ≡):          0.1 ms               [User: 0.0 ms, System: 0.8 ms]

              Warning: Command took less than 5 ms to complete.

            Summary
              'true' ran
              113.00 ± 2.00 times faster than 'sleep 0.01'
            """, "hyperfine.log")
        #expect(hyperfine.shape == .hyperfine && hyperfine.measurements.map(\.name) == ["sleep 0.01", "gzip -9 big.tar", "true"])
        let sleep = try #require(hyperfine.measurements.first)
        #expect(sleep.unit == "s" && sleep.count == 5)
        #expect([sleep.mean, sleep.stddev, sleep.min, sleep.max] == [0.0113, 0.0002, 0.0111, 0.0116])
        #expect(hyperfine.measurements[1].mean == 1.523 && hyperfine.measurements[1].count == 10)
        #expect(hyperfine.measurements[2].count == 1 && hyperfine.measurements[2].stddev == nil)
        // Captured with `script` (or `--style color`): the terminal's colour codes are no part of the text.
        let coloured = try extract(
            "\u{1B}[1mBenchmark 1\u{1B}[0m: sleep 0.01\n  Time (\u{1B}[32;1mmean\u{1B}[0m ± \u{1B}[32mσ\u{1B}[0m):     "
                + "\u{1B}[32;1m 11.3 ms\u{1B}[0m ± \u{1B}[32m  0.2 ms\u{1B}[0m    [User: 0.6 ms, System: 0.7 ms]\n"
                + "  Range (\u{1B}[36mmin\u{1B}[0m … \u{1B}[35mmax\u{1B}[0m):   \u{1B}[36m 11.1 ms\u{1B}[0m … \u{1B}[35m 11.6 ms\u{1B}[0m    \u{1B}[2m5 runs\u{1B}[0m\n",
            "coloured.log")
        #expect(coloured.measurements.map(\.name) == ["sleep 0.01"] && coloured.measurements.first?.mean == 0.0113)
        #expect(coloured.measurements.first?.count == 5 && coloured.measurements.first?.max == 0.0116)
        // A progress bar redrawn with carriage returns (a `script` capture): the line as last written.
        let redrawn = try extract(
            "Benchmark 1: sleep 0.01\n ⠋ Current estimate: 11.2 ms  ░░░░░░░ ETA 00:00:01\r\u{1B}[2K  Time (mean ± σ):      11.3 ms ±   0.2 ms    [User: 0.6 ms, System: 0.7 ms]\r\n"
                + "  Range (min … max):    11.1 ms …  11.6 ms    5 runs\r\n", "typescript.log")
        #expect(redrawn.measurements.first?.mean == 0.0113 && redrawn.measurements.first?.count == 5)
        // `-i`: a command's runs exited non-zero; the console does not say how many.
        let ignored = try extract(
            "Benchmark 1: false\n  Time (mean ± σ):       0.2 ms ±   0.4 ms    [User: 0.0 ms, System: 0.3 ms]\n"
                + "  Range (min … max):     0.0 ms …   0.7 ms    3 runs\n\n  Warning: Ignoring non-zero exit code.\n", "fail.log")
        #expect(ignored.measurements.first?.failure?.hasPrefix("command exited non-zero") == true && ignored.measurements.first?.failedRuns == 1)
        // Without `-i`, hyperfine stops at the failing command: a failure, where it was only a note (campaign s36c #6).
        let stopped = try extract(
            "Benchmark 1: sleep 0.01\n  Time (mean ± σ):      12.3 ms ±   1.8 ms\n  Range (min … max):    11.1 ms …  14.4 ms    3 runs\n \n"
                + "Benchmark 2: false\nError: Command terminated with non-zero exit code: 1. Use the '-i'/'--ignore-failure' option if you want to ignore this.\n",
            "bench.txt")
        #expect(stopped.measurements.map(\.name) == ["sleep 0.01", "false"] && stopped.notes.isEmpty, "\(stopped.notes)")
        #expect(stopped.measurements.last?.failure == "Command terminated with non-zero exit code: 1" && stopped.measurements.last?.failedRuns == 1)
        // `--show-output`: the command's own output between its line and its time; a build log
        // of thousands of lines before the next command. Each command keeps its own figures.
        let shown = try extract(
            "Benchmark 1: make -j8\n" + (1...300).map { "cc -c src/file\($0).c\n" }.joined()
                + "  Time (mean ± σ):      2.310 s ±  0.020 s    [User: 8.1 s, System: 0.9 s]\n"
                + "  Range (min … max):    2.290 s …  2.340 s    3 runs\n\n" + (1...5000).map { "log line \($0)\n" }.joined()
                + "Benchmark 2: make -j2\n  Time (mean ± σ):      5.120 s ±  0.030 s\n  Range (min … max):    5.090 s …  5.150 s    3 runs\n",
            "build.log")
        #expect(
            shown.measurements.map(\.name) == ["make -j8", "make -j2"] && shown.measurements.map(\.mean) == [2.31, 5.12], "\(shown.measurements)")
        #expect(shown.measurements.map(\.count) == [3, 3] && shown.notes.isEmpty)
        // `--show-output` of a Google Benchmark (its `Benchmark   Time   CPU` header) and of a program
        // printing `Time (s):` lines: neither is hyperfine's, and each command keeps its own figures.
        let gbench =
            "Benchmark 1: ./gbench\n"
            + (1...10).map { _ in "Benchmark      Time      CPU   Iterations\nBM_Parse   1021 ns   1019 ns   685231\nTime (s): 0.011\n" }.joined()
            + "  Time (mean ± σ):     812.3 ms ±   4.1 ms    [User: 790.1 ms, System: 20.3 ms]\n"
            + "  Range (min … max):   806.0 ms … 819.9 ms    10 runs\n"
            + String(repeating: "Benchmark ", count: 2_000) + "\nBenchmark 2: ./gbench --fast\n  Time (abs ≡):        1.0 ms\n"
        // The benchmark's own tables are Google Benchmark's output, read as such beside hyperfine's.
        let outputs = try extract(gbench, "gbench.log")
        let commands = outputs.measurements.filter { $0.tool == "hyperfine" }
        #expect(commands.map(\.name) == ["./gbench", "./gbench --fast"] && commands.map(\.mean) == [0.8123, 0.001])
        #expect(commands.first?.count == 10, "\(outputs.measurements)")
        #expect(outputs.measurements.filter { $0.tool != "hyperfine" }.map(\.name) == ["BM_Parse"])
        #expect(outputs.measurements.first { $0.name == "BM_Parse" }?.samples == Array(repeating: 1021, count: 10))
        #expect(outputs.notes == ["10 runs' tables in one file, not each dated: a benchmark's rows in them are read as its repetitions"])
        // A command that failed (no time before the next command) lends the next one none of its figures.
        let failedFirst = try extract(
            "Benchmark 1: ./missing\nError: Command terminated with non-zero exit code 127.\n"
                + "Benchmark 2: true\n  Time (abs ≡):        1.0 ms\n", "mixed.log")
        #expect(failedFirst.measurements.map(\.name) == ["./missing", "true"] && failedFirst.measurements.first?.mean == nil)
        #expect(failedFirst.measurements.first?.failure == "Command terminated with non-zero exit code 127")
        // One cut before its time says so.
        let cut = try extract("Benchmark 1: ./slow\nBenchmark 2: true\n  Time (abs ≡):        1.0 ms\n", "cut.log")
        #expect(cut.measurements.map(\.name) == ["true"] && cut.notes.first?.hasPrefix("1 command without a time") == true)
        // `tree`'s lines (`|-- src`, `|   |`) have bars beside dashes, and no table's delimiter row: no table is looked for.
        let tree = ".\n|-- Makefile\n|-- src\n|   |-- main.c\n|   `-- util.c\n|   |\n`-- results\n    |-- 12 | 34\n"
        #expect(reason(Array(tree.utf8), "tree.log")?.hasPrefix("no benchmark data") == true)
        // A table in a log with carriage returns alone for line ends is read.
        let classicMac = try extract("run done\r| model | tok/s |\r|---|---|\r| m1 | 41.5 |\r", "mac.log")
        #expect(classicMac.shape == .markdownTables && !classicMac.series.isEmpty)
        // A table indented in a log, its delimiter row aligned with colons, is read.
        let indented = try extract("run 3 done\n  | model | tok/s |\n  |:------|------:|\n  | m1    | 41.5  |\n", "table.log")
        #expect(indented.shape == .markdownTables && !indented.series.isEmpty)
        // An application's JSON log is no benchmark, though it has numbers.
        #expect(
            reason(
                Array("{\"level\":\"info\",\"status\":200,\"latency_ms\":12.3}\n{\"level\":\"info\",\"status\":404,\"latency_ms\":2.5}\n".utf8),
                "app.log")?.hasPrefix("no benchmark data") == true)
        // perf stat of llama-bench: its table and perf's report both kept.
        let measured = try extract(
            llamaBench + "\n\n Performance counter stats for 'llama-bench -m m.gguf':\n\n   1.23 msec task-clock\n", "bench.log")
        #expect(measured.llamaBench.count == 2 && measured.measurements.map(\.name) == ["task-clock"])
        // perf stat and hyperfine in one log: both kept.
        let both = try extract(
            " Performance counter stats for 'make':\n\n   1.23 msec task-clock\n\n   0.01 seconds time elapsed\n\n"
                + "Benchmark 1: ./app\n  Time (mean ± σ):      11.3 ms ±   0.2 ms\n  Range (min … max):    11.1 ms …  11.6 ms    5 runs\n", "ci.log")
        #expect(both.measurements.map(\.tool) == ["perf stat", "perf stat", "hyperfine"])
        let reply = try extract(
            #"{"model": "gpt-3.5-turbo", "timings": {"predicted_n": 100, "predicted_ms": 2000}}"#, "reply.log")
        #expect(reply.shape == .ollamaRuns && reply.runSets.first?.model == "llama-server")
        #expect(
            reason(Array("[2026-12-04 10:00:01] INFO server listening on :8080\n[2026-12-04 10:00:02] INFO ready\n".utf8), "server.log")
                == "no benchmark data (text without perf stat's report, hyperfine's output, ollama run --verbose timings, time's report, vllm bench serve's results, Google Benchmark's table, go test -bench's or sysbench's results or a table of results)"
        )
    }

    @Test func vllmTailPercentilesAreBenchmarksOfTheirOwn() throws {
        let json =
            #"{"model_id": "m", "num_prompts": 10, "completed": 10, "request_throughput": 4.2, "mean_ttft_ms": 40.0, "#
            + #""median_ttft_ms": 35.0, "p99_ttft_ms": 91.5, "p90_ttft_ms": 70.0, "p50_ttft_ms": 35.0, "p99.9_ttft_ms": 120.0, "#
            + #""mean_itl_ms": 9.0, "p99_itl_ms": null, "p99_tpot_ms": 12.0}"#
        let e = try extract(json, "vllm.json")
        #expect(
            e.measurements.map(\.name) == [
                "m request_throughput", "m TTFT", "m TTFT p90", "m TTFT p99", "m TTFT p99.9", "m ITL",
            ])
        let p99 = try #require(e.measurements.first { $0.name == "m TTFT p99" })
        #expect(p99.mean == 91.5 && p99.unit == "ms" && !p99.higherIsBetter && p99.count == 10)
        // Figures that move with others are listed, not tested: one slowdown, one regression a kind.
        #expect(e.measurements.filter(\.isRegressionTested).map(\.name) == ["m TTFT"])
    }

    @Test("one vLLM benchmark keeps one key across releases: the 2024 misspellings, endpoint_type for backend, settings at their defaults")
    func vllmReleasesKeyOneBenchmark() throws {
        let old =
            #"{"date": "20240601-020000", "backend": "openai-chat", "model_id": "m", "best_of": 1, "use_beam_search": false, "#
            + #""request_rate": "inf", "num_prompts": 100, "completed": 100, "request_inthroughput": 4.2, "request_goodput:": null, "#
            + #""output_throughput": 512.0, "mean_ttft_ms": 40.0, "median_ttft_ms": 35.0}"#
        let new =
            #"{"date": "20261116-020000", "endpoint_type": "openai-chat", "label": null, "model_id": "m", "burstiness": 1.0, "#
            + #""max_concurrency": null, "request_rate": "inf", "num_prompts": 100, "completed": 100, "request_throughput": 3.9, "#
            + #""request_goodput": null, "output_throughput": 498.0, "mean_ttft_ms": 41.0, "median_ttft_ms": 36.0}"#
        let before = try extract(old, "old.json")
        let after = try extract(new, "new.json")
        let expected = [Parameter("backend", "openai-chat"), Parameter("num_prompts", "100"), Parameter("request_rate", "inf")]
        #expect(before.measurements.map(\.parameters) == Array(repeating: expected, count: before.measurements.count))
        #expect(after.measurements.map(\.parameters) == Array(repeating: expected, count: after.measurements.count))
        #expect(before.measurements.map(\.name) == after.measurements.map(\.name))
        #expect(before.measurements.first { $0.name == "m request_throughput" }?.mean == 4.2)
        // benchmark_serving.py's default backend, vllm, is bench serve's default endpoint, openai.
        let oldDefault = try extract(old.replacingOccurrences(of: #""backend": "openai-chat""#, with: #""backend": "vllm""#), "d.json")
        let newDefault = try extract(new.replacingOccurrences(of: #""endpoint_type": "openai-chat""#, with: #""endpoint_type": "openai""#), "e.json")
        #expect(oldDefault.measurements.first?.parameters == newDefault.measurements.first?.parameters)
        #expect(newDefault.measurements.first?.parameters.contains(Parameter("backend", "openai")) == true)
        // A current release writes backend and endpoint_type both, the
        // real-time factor and speculative decoding's figures: results, and
        // one setting, so the benchmark keeps its history across the upgrade.
        let current = try extract(
            new.replacingOccurrences(
                of: #""endpoint_type": "openai-chat","#,
                with: #""backend": "openai-chat", "endpoint_type": "openai-chat", "rtfx": 0.0, "spec_decode_acceptance_rate": 62.3, "#
                    + #""spec_decode_num_drafts": 4100, "spec_decode_accepted_tokens": 9570,"#), "current.json")
        #expect(current.measurements.map(\.parameters) == Array(repeating: expected, count: current.measurements.count))
        // An endpoint other than the backend's is another benchmark: kept.
        let chat = try extract(
            new.replacingOccurrences(of: #""endpoint_type": "openai-chat","#, with: #""backend": "openai", "endpoint_type": "openai-chat","#),
            "chat.json")
        #expect(chat.measurements.first?.parameters.contains(Parameter("endpoint_type", "openai-chat")) == true)
        // Settings away from their defaults still key the benchmark.
        let bursty = try extract(new.replacingOccurrences(of: #""burstiness": 1.0"#, with: #""burstiness": 0.5"#), "b.json")
        #expect(bursty.measurements.first?.parameters.contains(Parameter("burstiness", "0.5")) == true)
    }

    @Test("a JSON file that is no benchmark gives the machine it names as environment: its host, GPU, CPU, driver")
    func machineDescriptionsAreEnvironment() throws {
        let monitor = try extract(
            #"{"metrics": [{"system": {"cpu_percent": 12.3}, "gpu": [{"gpu_id": 0, "name": "NVIDIA GeForce RTX 4080 Laptop GPU", "#
                + #""temperature": 48}], "ollama": {"ollama_processes": [{"name": "ollama.exe", "memory_mb": 154.1}]}}]}"#, "system_metrics.json")
        #expect(
            monitor.shape == .genericJSON && monitor.environment == [Parameter("gpu", "NVIDIA GeForce RTX 4080 Laptop GPU")], "\(monitor.environment)"
        )
        let sidecar = try extract(#"{"hostname": "lab-2", "cpu": {"brand_raw": "AMD Ryzen 9 7950X"}, "driver_version": "550.54"}"#, "env.json")
        #expect(
            Set(sidecar.environment) == [
                Parameter("hostname", "lab-2"), Parameter("cpu", "AMD Ryzen 9 7950X"), Parameter("driver_version", "550.54"),
            ])
        #expect(sidecar.series.isEmpty, "names only: analysed for its machine")
        // Names of other things are no machine.
        #expect(try extract(#"{"label": "run", "ollama_host": "http://localhost:11434", "n": 3}"#, "other.json").environment.isEmpty)
    }

    @Test func unknownShapesKeepTheirNumbers() throws {
        let json = try extract(#"{"metrics": [{"cpu": 10}, {"cpu": 20}], "label": "x", "ok": 1}"#, "diag.json")
        #expect(json.shape == .genericJSON)
        #expect(json.series.contains(Series(name: "metrics[].cpu", values: [10, 20])))
        let csv = try extract("step,loss,phase\n1,0.5,a\n2,0.25,b\n", "train.csv")
        #expect(csv.series.map(\.name) == ["step", "loss"])
        let md = try extract("# Results\n\n| Case | Time (ms) |\n| --- | ---: |\n| a | **1,250.5** |\n| b | 3 ms |\n", "notes.md")
        #expect(md.shape == .markdownTables)
        // `Case` names the benchmark, as in a CSV: each case its own series.
        #expect(
            md.series == [Series(name: "Results › Time (ms) (Case=a)", values: [1250.5]), Series(name: "Results › Time (ms) (Case=b)", values: [3])])
    }

    /// A Markdown table is read as a CSV of the same columns (campaign: a
    /// note's table pooled two models into one series, `parse` and `render`
    /// into one median, and `12.3 ms` beside `1.2 s` as 12.3 and 1.2).
    @Test func markdownTablesAreReadAsCSVTablesAre() throws {
        let runs = try extract(
            "# Results\n\n| model | ttft_s | tokens_s |\n|---|---|---|\n| llama3:8b | 0.12 | 50.5 |\n| llama3:8b | 0.13 | 51.5 |\n"
                + "| qwen2:0.5b | 0.05 | 200.5 |\n| qwen2:0.5b | 0.06 | 201.5 |\n", "notes.md")
        #expect(runs.shape.carriesRuns)
        #expect(Set(runs.runSets.compactMap(\.model)) == ["llama3:8b", "qwen2:0.5b"])
        #expect(runs.runSets.reduce(0) { $0 + $1.columns.count } == 4)
        let units = try extract(
            "| Benchmark | Time | Throughput |\n|---|---:|---:|\n| parse | 12.3 ms | 1,234 ops/s |\n| parse | 12.5 ms | 1,200 ops/s |\n"
                + "| render | 1.2 s | 80 ops/s |\n| render | 1.3 s | 77 ops/s |\n", "results.md")
        #expect(units.shape == .markdownTables)
        #expect(
            units.series.sorted { $0.name < $1.name } == [
                Series(name: "Throughput (Benchmark=parse)", values: [1234, 1200]), Series(name: "Throughput (Benchmark=render)", values: [80, 77]),
                Series(name: "Time (ms) (Benchmark=parse)", values: [12.3, 12.5]),
                Series(name: "Time (ms) (Benchmark=render)", values: [1200, 1300]),
            ])
        #expect(units.notes.contains("table at line 1: Time: times written in ms and s, read in ms"))
        // A table of a report's runs that names no model, or each model once (its means), stays numbers.
        let summary = try extract("| Prompt | TTFT (s) | Tokens/s |\n|---|---|---|\n| a | 0.3 | 102.3 |\n| b | 0.1 | 103.5 |\n", "report.md")
        #expect(summary.shape == .markdownTables && summary.runSets.isEmpty)
        let means = try extract(
            "| Model | tokens/s | TTFT (s) |\n|---|---|---|\n| **gemma3:latest** | 102.3 | 0.12 |\n| `llama3` | 77 | 0.1 |\n", "NOTES.md")
        #expect(means.shape == .markdownTables && means.runSets.isEmpty)
        // A unit in a run table's cell is read as a run CSV reads it (`200 ms` under `ttft_s` is 0.2 s), and emphasis is no part of a name.
        let timed = try extract(
            "| model | ttft_s | tokens_s |\n|---|---|---|\n| **m:1b** | 200 ms | 40 |\n| **m:1b** | 0.25 s | 41 |\n| **m:1b** | 220 ms | 42 |\n",
            "runs.md")
        #expect(timed.runSets.map(\.model) == ["m:1b"])
        #expect(timed.runSets.first?.columns.ttftSeconds.sorted() == [0.2, 0.22, 0.25])
        // A header's unit is the unit of its bare cells; minutes are times.
        let header = try extract("| Case | Latency (ms) | Wall |\n|---|---|---|\n| a | 12.1 | 2 min |\n| a | 1.2 s | 30 s |\n", "h.md")
        #expect(header.series == [Series(name: "Latency (ms)", values: [12.1, 1200]), Series(name: "Wall (min)", values: [2, 0.5])])
        // Units of different quantities in one column are no one quantity: the reason says so.
        #expect(
            reason(Array("| Benchmark | Rate |\n|---|---|\n| a | 10 ops/s |\n| a | 3 MB/s |\n".utf8), "mixed.md")
                == "no benchmark data (Markdown tables without numbers; table at line 1: Rate mixes units (ops/s and MB/s): read as text)")
    }

    /// Runs of models with their figures a level down (input campaign:
    /// `runs[].results.tokens_s` pooled every model's runs into one series).
    @Test func nestedRunsAreRuns() throws {
        let nested = try extract(
            #"{"harness": "h", "runs": [{"model": "a:1b", "prompt": "p", "results": {"tokens_s": 50.1, "ttft_s": 0.12}}, "#
                + #"{"model": "a:1b", "prompt": "q", "results": {"tokens_s": 51.3, "ttft_s": 0.13}}, "#
                + #"{"model": "b:7b", "prompt": "p", "results": {"tokens_s": 20.5, "ttft_s": 0.3}}]}"#, "bench.json")
        #expect(nested.shape.carriesRuns)
        #expect(Set(nested.runSets.compactMap(\.model)) == ["a:1b", "b:7b"])
        #expect(nested.runSets.reduce(0) { $0 + $1.columns.count } == 3)
        // A nested name that is also a column keeps its path.
        let flat = try #require(JSONRows.flattened(.array([.object([("x", .number(1)), ("m", .object([("x", .number(2)), ("y", .number(3))]))])])))
        #expect(JSONRows(flat)?.header == ["x", "m.x", "y"])
    }

    /// An array of JSON objects labelled by a setting is split by it, as a CSV
    /// is (campaign: `[{"backend": "cuda", "seconds": 1.0}, ...]` gave one
    /// `[].seconds` of every backend); one labelled by nothing keeps its paths.
    @Test func jsonRowsSplitBySettings() throws {
        let split = try extract(
            #"[{"backend": "cuda", "seconds": 1.0}, {"backend": "cuda", "seconds": 1.1}, {"backend": "cpu", "seconds": 9.0}, {"backend": "cpu", "seconds": 9.5}]"#,
            "bench.json")
        #expect(
            split.series == [Series(name: "seconds (backend=cuda)", values: [1.0, 1.1]), Series(name: "seconds (backend=cpu)", values: [9.0, 9.5])])
        // A list in a member, labelled by the benchmark's name: named after its key; the rest by path.
        let member = try extract(
            #"{"suite": "x", "cases": [{"name": "fast", "ms": 1.0}, {"name": "fast", "ms": 1.2}, {"name": "slow", "ms": 100}], "total_s": 3}"#,
            "suite.json")
        #expect(
            member.series == [
                Series(name: "cases › ms (name=fast)", values: [1.0, 1.2]), Series(name: "cases › ms (name=slow)", values: [100]),
                Series(name: "total_s", values: [3]),
            ])
        let plain = try extract(#"[{"seconds": 1.0, "extra": {"rss": 5}}, {"seconds": 1.1, "extra": {"rss": 6}}]"#, "plain.json")
        #expect(plain.series.contains(Series(name: "[].seconds", values: [1.0, 1.1])))
        #expect(plain.series.contains(Series(name: "[].extra.rss", values: [5, 6])))
    }

    @Test func skipReasonsAreSpecific() {
        #expect(reason([], "a.csv") == "empty file")
        #expect(reason(Array("  \n\n".utf8), "a.json") == "empty file (only whitespace)")
        #expect(reason(Array("x".utf8), "a.xml") == "unsupported type (.xml)")
        #expect(
            reason(Array("x".utf8), "a.txt")
                == "no benchmark data (text without perf stat's report, hyperfine's output, ollama run --verbose timings, time's report, vllm bench serve's results, Google Benchmark's table, go test -bench's or sysbench's results or a table of results)"
        )
        #expect(reason(Array("a,b\n".utf8), "a.csv") == "no data rows (header only)")
        #expect(reason(Array("a,b\nx,y\n".utf8), "a.csv") == "no benchmark data (CSV without numeric columns)")
        #expect(reason(Array("# Notes\n\nJust prose.\n".utf8), "a.md") == "no benchmark data (Markdown without tables)")
        #expect(reason(Array(#"{"a": "b"}"#.utf8), "a.json") == "no benchmark data (JSON without numbers)")
        #expect(reason(Array("{\n\"a\": [1,".utf8), "a.json") == "malformed JSON at line 2, column 9: unexpected end of file (truncated JSON?)")
        #expect(reason(Array("a,b\n\"x,1\n".utf8), "a.csv") == "malformed CSV at line 2: unterminated quoted field")
    }

    /// A file's type is its last suffix, whatever came before it.
    @Test func aFilesTypeIsItsLastSuffix() {
        #expect(ContentParser.fileExtension("runs.csv.1") == "1")
        #expect(ContentParser.fileExtension("hf.json.old") == "old")
        #expect(ContentParser.fileExtension("Results.JSON") == "json")
        #expect(reason(Array("model,tokens_s\nm,10\n".utf8), "runs.csv.1") == "unsupported type (.1)")
    }

    @Test func aFileWithoutExtensionIsSniffed() throws {
        #expect(try extract(#"{"results": [{"command": "sleep 1", "mean": 1.0}]}"#, "export").shape == .hyperfine)
    }

    @Test func outOfRangeNumbersNeverTrap() throws {
        let bench = try extract("model_type,n_prompt,n_gen,avg_ts,stddev_ts\nllama 7B,1e19,0,100.5,1.0\n", "b.csv")
        #expect(bench.llamaBench.count == 1)
        let vllm = try extract(#"{"request_throughput": 1, "mean_ttft_ms": 2, "num_prompts": 1e300, "completed": 1}"#, "v.json")
        #expect(vllm.notes.count == 1)
    }

    @Test func anEmptyModelNameIsNoName() throws {
        let e = try extract(#"{"model": "", "results": [{"prompt": "p", "ttft_s": 0.1, "tokens_s": 10, "eval_count": 5}]}"#, "x.json")
        #expect(e.runSets.first?.model == nil && e.modelHint == nil)
    }

    @Test func runsWithoutAThroughputColumnAreComputedFromEvalCounts() throws {
        let e = try extract("model,prompt_text,ttft_s,eval_s,eval_count,error\nm,p,0.1,2.0,100,\n", "r.csv")
        #expect(e.runSets.first?.runs.first?.tokensPerSecond == 50)
    }

    @Test func readsCROnlyLineEnds() throws {
        let e = try extract("model,prompt_text,tokens_s,ttft_s,error\rm,\"p\",10,0.1,\rm,q,12,0.2,\r", "mac.csv")
        #expect(e.runSets.count == 1)
        #expect(e.runSets.first?.runs.map(\.tokensPerSecond) == [10, 12])
    }

    @Test func keepsATooLargeJSONNumberAsSuchWithAReason() throws {
        let e = try extract("{\"n\": 1\(String(repeating: "0", count: 4999)), \"x\": [1, 2]}", "big.json")
        #expect(e.shape == .genericJSON)
        #expect(e.series == [Series(name: "x[]", values: [1, 2])])
        #expect(e.notes == ["1 number too large for a 64-bit float was left out (5000 digits, at line 1, column 7)"])
    }

    /// Series past the limit are left out with a note saying how many, never silently.
    @Test func seriesPastTheLimitAreLeftOutWithANote() throws {
        let keys = (0..<500).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let json = try extract("{\(keys), \"k0\": 7}", "many.json")
        #expect(json.series.count == GenericSeriesFormat.maximumSeries)
        // A key written twice is its last value (as Python's json reads it).
        #expect(json.series.first == Series(name: "k0", values: [7]))
        #expect(json.notes == ["numbers under more than 200 paths: the first 200 paths are kept as series, 300 numbers under further paths left out"])
        let header = (0..<250).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<250).map { "\($0)" }.joined(separator: ",")
        let csv = try extract(header + "\n" + row + "\n", "wide.csv")
        #expect(csv.series.count == 200 && csv.series.last?.name == "c199")
        #expect(csv.notes == ["250 numeric columns: the first 200 are kept as series, 50 left out"])
    }

    @Test func aFiftyMebibyteModelNameIsCutWithAReason() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-cell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("runs.csv").path
        var text = Data("model,prompt_text,tokens_s,ttft_s,error\n\"".utf8)
        text.append(Data(repeating: UInt8(ascii: "m"), count: 50 << 20))
        text.append(Data("\",p,12.5,0.2,\ngemma3:270m,p,13.5,0.3,\n".utf8))
        try text.write(to: URL(fileURLWithPath: path))
        guard case .contents(let bytes, _) = FileReader.read(path, limit: 256 << 20) else {
            Issue.record("not read")
            return
        }
        guard case .extracted(let e) = ContentParser.parse(bytes, fileName: "runs.csv") else {
            Issue.record("not extracted")
            return
        }
        let models = e.runSets.map { $0.model ?? "" }
        #expect(models == [String(repeating: "m", count: 4096) + "…", "gemma3:270m"])
        #expect(e.runSets.map { $0.runs.map(\.tokensPerSecond) } == [[12.5], [13.5]])
        #expect(e.notes == ["1 text longer than 4 KiB was cut to its first 4 KiB (50 MiB, at line 2, column model)"])
        #expect(e.encoded().count < 64 << 10)
    }

    @Test func aLongJSONNameIsCutAndNotedButALongResponseIsNoMatter() throws {
        let name = String(repeating: "n", count: 5000)
        let response = String(repeating: "r", count: 9000)
        let json = #"{"model": "\#(name)", "results": [{"prompt": "p", "response": "\#(response)", "ttft_s": 0.1, "tokens_s": 10, "eval_count": 5}]}"#
        let e = try extract(json, "x.json")
        #expect(e.runSets.first?.model == String(repeating: "n", count: 4096) + "…")
        #expect(e.notes == ["1 text longer than 4 KiB was cut to its first 4 KiB"])
        let plain = #"{"model": "m", "results": [{"prompt": "p", "response": "\#(response)", "ttft_s": 0.1, "tokens_s": 10, "eval_count": 5}]}"#
        #expect(try extract(plain, "y.json").notes.isEmpty)
    }

    @Test func aFileKeepsAtMostItsShareOfNumbersAndSaysWhereItStopped() throws {
        var text = "value\n"
        text.reserveCapacity(5 << 20)
        for index in 0..<(IngestLimits.maximumNumbers + 100) { text += index % 2 == 0 ? "1\n" : "2\n" }
        let e = try extract(text, "many.csv")
        #expect(e.series.map(\.values.count) == [IngestLimits.maximumNumbers])
        #expect(
            e.notes == [
                "reading stopped at line \(IngestLimits.maximumNumbers + 2): a file's records hold at most 2,000,000 numbers, 10,000 entries and 4 MiB of text (README, \"Memory\")"
            ])
    }

    @Test func configurationsStopWhenTheirTextPassesTheBudget() throws {
        // Every configuration's text is written out in several report sections:
        // thousands of 3 KiB ones would make a report of hundreds of megabytes.
        // Two runs a configuration: a setting, not text of each run's own (`perRunColumns`).
        var text = "model,num_ctx,note,ttft_s,tokens_s,eval_count,error\n"
        for index in 0..<4000 {
            text += "m,2048,\(index / 2)\(String(repeating: "x", count: 3000)),0.1,10,100,\n"
        }
        let e = try extract(text, "sweep.csv")
        let kept = e.runSets.reduce(0) { total, set in total + set.configuration.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 32 } }
        #expect(e.runSets.count > 1000 && e.runSets.count < 2000)
        #expect(kept <= IngestLimits.maximumTextTotalBytes + 4096)
        #expect(e.notes.first?.hasPrefix("reading stopped at line \(2 * e.runSets.count + 1): ") == true, "\(e.notes)")
    }

    @Test func absurdlyWideOrLargeDocumentsAreRefusedNotLoaded() {
        let wide = String(repeating: ",", count: 20_000) + "\n1\n"
        #expect(reason(Array(wide.utf8), "w.csv") == "malformed CSV at line 1: more than 10000 fields in one row")
        let many = "[" + String(repeating: "{},", count: JSONParser.maximumValues) + "{}]"
        #expect(reason(Array(many.utf8), "m.json")?.contains("more than 4000000 values") == true)
    }
}
