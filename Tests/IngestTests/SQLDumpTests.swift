import Records
import Testing

@testable import Ingest

/// SQL dumps: llama-bench `-o sql` and a results database's `sqlite3 .dump`.
@Suite struct SQLDumpTests {
    /// What llama-bench (llama.cpp's `llama-bench -m gemma-3-270m-q4_k_m.gguf
    /// -p 64 -n 16 -r 2 -t 1 -o sql`, CPU only) wrote, whole.
    static let llamaBench = #"""
        CREATE TABLE IF NOT EXISTS llama_bench (
          build_commit TEXT,
          build_number INTEGER,
          cpu_info TEXT,
          gpu_info TEXT,
          backends TEXT,
          model_filename TEXT,
          model_type TEXT,
          model_size INTEGER,
          model_n_params INTEGER,
          n_batch INTEGER,
          n_ubatch INTEGER,
          n_threads INTEGER,
          cpu_mask TEXT,
          cpu_strict INTEGER,
          poll INTEGER,
          type_k TEXT,
          type_v TEXT,
          n_gpu_layers INTEGER,
          n_cpu_moe INTEGER,
          split_mode TEXT,
          main_gpu INTEGER,
          no_kv_offload INTEGER,
          flash_attn INTEGER,
          devices TEXT,
          tensor_split TEXT,
          tensor_buft_overrides TEXT,
          load_mode TEXT,
          lazy_mode TEXT,
          embeddings INTEGER,
          no_op_offload INTEGER,
          no_host INTEGER,
          repack INTEGER,
          fit_target INTEGER,
          fit_min_ctx INTEGER,
          n_prompt INTEGER,
          n_gen INTEGER,
          n_depth INTEGER,
          test_time TEXT,
          avg_ns INTEGER,
          stddev_ns INTEGER,
          avg_ts REAL,
          stddev_ts REAL
        );

        INSERT INTO llama_bench (build_commit, build_number, cpu_info, gpu_info, backends, model_filename, model_type, model_size, model_n_params, n_batch, n_ubatch, n_threads, cpu_mask, cpu_strict, poll, type_k, type_v, n_gpu_layers, n_cpu_moe, split_mode, main_gpu, no_kv_offload, flash_attn, devices, tensor_split, tensor_buft_overrides, load_mode, lazy_mode, embeddings, no_op_offload, no_host, repack, fit_target, fit_min_ctx, n_prompt, n_gen, n_depth, test_time, avg_ns, stddev_ns, avg_ts, stddev_ts) VALUES ('unknown', '0', 'AMD EPYC', '', 'CPU', 'gemma-3-270m-q4_k_m.gguf', 'gemma3 270M Q4_K - Medium', '246587904', '268098176', '2048', '512', '1', '0x0', '0', '50', 'f16', 'f16', '-1', '0', 'layer', '0', '0', '-1', 'auto', '0.00', 'none', 'auto', 'auto', '0', '0', '0', '1', '0', '0', '64', '0', '0', '2026-12-03T15:33:59Z', '876763212', '58668642', '73.159554', '4.895474');
        INSERT INTO llama_bench (build_commit, build_number, cpu_info, gpu_info, backends, model_filename, model_type, model_size, model_n_params, n_batch, n_ubatch, n_threads, cpu_mask, cpu_strict, poll, type_k, type_v, n_gpu_layers, n_cpu_moe, split_mode, main_gpu, no_kv_offload, flash_attn, devices, tensor_split, tensor_buft_overrides, load_mode, lazy_mode, embeddings, no_op_offload, no_host, repack, fit_target, fit_min_ctx, n_prompt, n_gen, n_depth, test_time, avg_ns, stddev_ns, avg_ts, stddev_ts) VALUES ('unknown', '0', 'AMD EPYC', '', 'CPU', 'gemma-3-270m-q4_k_m.gguf', 'gemma3 270M Q4_K - Medium', '246587904', '268098176', '2048', '512', '1', '0x0', '0', '50', 'f16', 'f16', '-1', '0', 'layer', '0', '0', '-1', 'auto', '0.00', 'none', 'auto', 'auto', '0', '0', '0', '1', '0', '0', '0', '16', '0', '2026-12-03T15:34:01Z', '1157780041', '39710597', '13.827684', '0.474275');
        """#

    @Test func llamaBenchSQLIsItsResults() throws {
        let e = try ParsedText.extract(Self.llamaBench, "gemma3.sql")
        #expect(e.shape == .llamaBenchSQL)
        #expect(e.llamaBench.map(\.test) == ["pp64", "tg16"])
        #expect(e.llamaBench.map(\.tokensPerSecond) == [73.159554, 13.827684])
        #expect(e.llamaBench.map(\.stddevTokensPerSecond) == [4.895474, 0.474275])
        #expect(e.llamaBench.allSatisfy { $0.model == "gemma3 270M Q4_K - Medium" })
        #expect(e.llamaBench.first?.testTime == "2026-12-03T15:33:59Z")
        #expect(e.llamaBench.first?.environment.contains(Parameter("backends", "CPU")) == true)
        #expect(e.notes.isEmpty, "\(e.notes)")
    }

    @Test func aSQLiteDumpOfRunsIsARunTable() throws {
        // `.dump` names no columns in its INSERTs: the CREATE TABLE above does.
        let text = """
            PRAGMA foreign_keys=OFF;
            BEGIN TRANSACTION;
            CREATE TABLE runs (timestamp text, model text, prompt_index integer, tokens_s real, ttft_s real, error text,
              PRIMARY KEY (timestamp, prompt_index));
            INSERT INTO runs VALUES('2025-01-01T10:00:00Z','llama3.1:8b',0,40.5,0.21,NULL);
            INSERT INTO "runs" VALUES('2025-01-01T10:00:01Z','llama3.1:8b',1,41.5,0.22,NULL);
            INSERT INTO runs VALUES('2025-01-01T10:00:02Z','llama3.1:8b',2,NULL,NULL,'it''s broken; a ( in it');
            CREATE TABLE meta (k text, v text);
            INSERT INTO meta VALUES('host','box');
            COMMIT;

            """
        let e = try ParsedText.extract(text, "results.sql")
        let runs = try #require(e.runSets.first).runs
        #expect(runs.map(\.tokensPerSecond) == [40.5, 41.5, nil])
        #expect(runs.last?.error == "it's broken; a ( in it")
        #expect(e.notes == ["rows of the first table, 'runs', are read; other tables are left out: 'meta' (1 row)"])
    }

    @Test func rowsAndStatementsThatCannotBeReadAreLeftOutAndNamed() throws {
        // llama-bench does not escape quotes: a model file named with one
        // breaks its line; a row of the wrong width; a statement cut short.
        let text = """
            -- a comment; with a semicolon
            INSERT INTO t (model_type, n_prompt, n_gen, avg_ts) VALUES ('m', '512', '0', '900.5');
            INSERT INTO t (model_type, n_prompt, n_gen, avg_ts) VALUES ('Bob's m', '0', '128', '50');
            /* several rows in one statement, one of them short */
            insert into `t` (model_type, n_prompt, n_gen, avg_ts) values ('m', '0', '128', '60.25'), ('m', '0');
            REPLACE INTO [t] (model_type, n_prompt, n_gen, avg_ts) VALUES ('m', '0', '64', 70);
            INSERT INTO t (model_type, n_prompt, n_gen, avg_ts) VALUES ('m', '0', '32', '
            """
        let e = try ParsedText.extract(text, "bench.sql")
        #expect(e.shape == .llamaBenchSQL)
        #expect(e.llamaBench.map(\.test) == ["pp512", "tg128", "tg64"])
        #expect(
            e.notes == [
                "1 row(s) with a wrong number of values were left out (line 5)",
                "2 statement(s) not understood were left out (lines 3, 7; the first: 's' where a row's next value or its end belongs (a quote inside a value?))",
            ])
    }

    @Test func whatHoldsNoRowsSaysWhy() {
        #expect(ParsedText.skipReason("CREATE TABLE t (a int);\n-- nothing yet\n", "x.sql") == "no benchmark data (SQL without INSERT statements)")
        #expect(
            ParsedText.skipReason("INSERT INTO t VALUES (1, 2);\n", "x.sql")
                == "SQL whose INSERT statements yield no row: 1 statement(s) not understood were left out (line 1; the first: an INSERT without column names into a table no CREATE TABLE above names)"
        )
        #expect(ParsedText.skipReason("INSERT INTO t (name) VALUES ('a');\n", "x.sql") == "no benchmark data (SQL rows without numbers)")
        #expect(
            ParsedText.skipReason("INSERT INTO t (x) VALUES ('cut short", "x.sql")
                == "SQL whose INSERT statements yield no row: 1 statement(s) not understood were left out (line 1; the first: a quoted text that never ends (truncated?))"
        )
    }

    @Test("a dump is held to a JSON document's ceiling on what its values take in memory")
    func theMemoryCeilingApplies() {
        // 2,800,000 numbers, each a value of a row object: past 160 MiB before 4,000,000 values.
        let row = "(1,2,3,4,5,6,7,8)"
        let text = "INSERT INTO t (a,b,c,d,e,f,g,h) VALUES " + Array(repeating: row, count: 350_000).joined(separator: ",") + ";\n"
        let reason = ParsedText.skipReason(text, "big.sql")
        #expect(reason?.contains("values past 160 MiB in memory (a dump's rows are held whole while read), at line 1") == true, "\(reason ?? "read")")
    }
}
