import Records
import Testing

@testable import Ingest

/// hyperfine's CSV and Markdown exports (real output of
/// `hyperfine --parameter-scan n 1 2 'sleep 0.0{n}'`): a benchmark a command,
/// never one figure pooled over the commands.
@Suite struct HyperfineTablesTests {
    private func measurements(_ text: String, _ name: String) throws -> [Measurement] {
        let extraction = try ParsedText.extract(text, name)
        #expect(extraction.shape == .hyperfine)
        #expect(extraction.series.isEmpty, "nothing averaged over the commands")
        return extraction.measurements
    }

    @Test func csvExport() throws {
        let csv = """
            command,mean,stddev,median,user,system,min,max,parameter_n
            sleep 0.01,0.010991057799999999,0.00005593139305166665,0.011026837000000001,0.000685,0.000158,0.010919526,0.011039591000000001,1
            sleep 0.02,0.0210011258,0.00009512300558855333,0.020984508000000002,0.0004882,0.0003664,0.020900190000000003,0.021127036000000002,2

            """
        let found = try measurements(csv, "scan.csv")
        #expect(found.map(\.name) == ["sleep 0.01", "sleep 0.02"])
        #expect(found.map(\.parameters) == [[Parameter("n", "1")], [Parameter("n", "2")]])
        #expect(found[1].mean == 0.0210011258 && found[1].median == 0.020984508000000002 && found[1].unit == "s")
        #expect(found[1].min == 0.020900190000000003 && found[1].max == 0.021127036000000002)
    }

    @Test func markdownExport() throws {
        let markdown = """
            | Command | Mean [ms] | Min [ms] | Max [ms] | Relative |
            |:---|---:|---:|---:|---:|
            | `sleep 0.01` | 11.0 ± 0.1 | 10.9 | 11.0 | 1.00 |
            | `sleep 0.02` | 21.0 ± 0.1 | 20.9 | 21.1 | 1.91 ± 0.01 |

            """
        let found = try measurements(markdown, "scan.md")
        #expect(found.map(\.name) == ["sleep 0.01", "sleep 0.02"])
        #expect(found.map(\.unit) == ["ms", "ms"])
        #expect(found[1].mean == 21.0 && found[1].stddev == 0.1 && found[1].min == 20.9 && found[1].max == 21.1)
    }

    /// A command is named as its JSON export names it: in a code span only
    /// `\|` is an escape (hyperfine writes the rest as typed); outside one a
    /// backslash escapes punctuation, and before a letter is itself.
    @Test func markdownCommandsKeepTheirBackslashes() throws {
        let markdown = #"""
            | Command | Mean [ms] | Min [ms] | Max [ms] | Relative |
            |:---|---:|---:|---:|---:|
            | `sh -c "test \$RANDOM -gt 1"` | 11.0 ± 0.1 | 10.9 | 11.0 | 1.00 |
            | `grep "a\.b" f \| wc -l` | 21.0 ± 0.1 | 20.9 | 21.1 | 1.91 ± 0.01 |
            | C:\tmp\run \*fast\* | 21.0 ± 0.1 | 20.9 | 21.1 | 1.91 ± 0.01 |
            | ``echo ` \$HOME`` | 21.0 ± 0.1 | 20.9 | 21.1 | 1.91 ± 0.01 |

            """#
        let found = try measurements(markdown, "scan.md")
        #expect(found.map(\.name).prefix(3) == [#"sh -c "test \$RANDOM -gt 1""#, #"grep "a\.b" f | wc -l"#, #"C:\tmp\run *fast*"#])
        // A lone backtick inside a double-backtick span closes nothing.
        #expect(found.last?.name == #"echo ` \$HOME"#, "\(found.last?.name ?? "")")
    }

    /// A scan named with `-n` writes its rows under one name and without
    /// their parameters: told apart by their order, never one benchmark.
    @Test func markdownRowsOfOneNameAreToldApartByOrder() throws {
        let markdown = """
            | Command | Mean [ms] | Min [ms] | Max [ms] | Relative |
            |:---|---:|---:|---:|---:|
            | `work` | 11.0 ± 0.1 | 10.9 | 11.0 | 1.00 |
            | `work` | 21.0 ± 0.1 | 20.9 | 21.1 | 1.91 ± 0.01 |
            | `other` | 31.0 ± 0.1 | 30.9 | 31.1 | 2.82 ± 0.01 |

            """
        let found = try measurements(markdown, "scan.md")
        #expect(found.map(\.name) == ["work", "work", "other"])
        #expect(found.map(\.parameters) == [[Parameter("row", "1")], [Parameter("row", "2")], []])
    }

    /// `pytest-benchmark compare --csv` (real 5.2.3 output): a row a benchmark and run compared.
    @Test func pytestBenchmarkCompareCSV() throws {
        let csv = """
            name,param:n,min,max,mean,stddev,median,iqr,outliers,ops,rounds,iterations
            test_b.py::test_assert_after,,2.924375621660147e-07,0.0011756783128475945,3.2587373029891064e-07,3.0335349558076685e-06,3.055624802072998e-07,8.812548912828788e-09,15;3318,3068673.2529275706,199641,16
            test_b.py::test_sum[1000],1000,1.2923999747727066e-05,0.0017546099988976493,1.4816018801585004e-05,1.0843893066298872e-05,1.4337005268316716e-05,4.0003214962780476e-08,521;16060,67494.51478105717,52674,1

            """
        let e = try ParsedText.extract(csv, "cmp.csv")
        #expect(e.shape == .pytestBenchmark && e.series.isEmpty)
        #expect(e.measurements.map(\.name) == ["test_b.py::test_assert_after", "test_b.py::test_sum[1000]"])
        #expect(e.measurements.map(\.parameters) == [[], [Parameter("n", "1000")]])
        #expect(e.measurements[1].mean == 1.4816018801585004e-05 && e.measurements[1].count == 52674)
        #expect(e.notes.isEmpty)
    }

    /// Two saves compared (`--benchmark-autosave` twice, then `compare
    /// --csv`): a row a benchmark and save, the save unnamed and the rows
    /// sorted by their time. They were two rows under one label; they are
    /// told apart and listed, not tested (numbered by a sort, their
    /// histories would swap whenever the saves' speeds crossed), with a note.
    @Test func pytestBenchmarkCompareOfTwoSavesListsTheirRows() throws {
        let csv = """
            name,param:kind,param:n,min,max,mean,stddev,median,iqr,outliers,ops,rounds,iterations
            test_b.py::test_sum[list-100],list,100,2.5e-06,0.024,2.6e-05,0.0006,4.52e-06,2.2e-07,7;554,38502.7,4212,1
            test_b.py::test_sum[list-100],list,100,2.6e-06,0.006,7.6e-06,0.0001,2.64e-06,4.0e-08,5;332,131175.9,3064,1
            test_b.py::test_sum[gen-100],gen,100,3.0e-06,0.036,2.7e-05,0.0008,3.21e-06,3.8e-07,4;861,37066.2,3965,1

            """
        let e = try ParsedText.extract(csv, "cmp.csv")
        #expect(
            e.measurements.map(\.parameters) == [
                [Parameter("kind", "list"), Parameter("n", "100"), Parameter("row", "1")],
                [Parameter("kind", "list"), Parameter("n", "100"), Parameter("row", "2")],
                [Parameter("kind", "gen"), Parameter("n", "100")],
            ])
        #expect(e.measurements.map(\.isRegressionTested) == [false, false, true])
        #expect(e.notes.count == 1 && e.notes[0].hasPrefix("1 benchmark with several rows"), "\(e.notes)")
        // hyperfine's CSV numbers a command named twice as its Markdown does, and tests both.
        let hyperfine = try ParsedText.extract(
            "command,mean,stddev,median,user,system,min,max\nwork,1.0,0.1,1.0,0.5,0.1,0.9,1.1\nwork,2.0,0.1,2.0,1.0,0.1,1.9,2.1\n", "h.csv")
        #expect(hyperfine.measurements.map(\.parameters) == [[Parameter("row", "1")], [Parameter("row", "2")]] && hyperfine.notes.isEmpty)
        #expect(hyperfine.measurements.allSatisfy { $0.isRegressionTested })
    }
}
