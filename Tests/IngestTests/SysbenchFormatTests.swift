import Foundation
import Records
import Testing

@testable import Ingest

/// sysbench's report kept as text: it was "no benchmark data", and no
/// night of a CPU, memory or file benchmark was tested (campaign s36c #7).
@Suite struct SysbenchFormatTests {
    private func cpu(_ rate: Double) -> String {
        """
        sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)

        Running the test with following options:
        Number of threads: 8
        Initializing random number generator from current time


        Prime numbers limit: 10000

        Initializing worker threads...

        Threads started!

        CPU speed:
            events per second: \(rate)

        General statistics:
            total time:                          10.0005s
            total number of events:              102366

        Latency (ms):
                 min:                                    0.74
                 avg:                                    0.78
                 max:                                    5.12
                 95th percentile:                        0.83
                 sum:                                79912.34


        """
    }

    @Test func aCPURunIsItsEventRateUnderItsSettings() throws {
        let e = try ParsedText.extract(cpu(10234.56), "cpu.txt")
        #expect(e.shape == .sysbenchText)
        let rate = try #require(e.measurements.first { $0.name == "sysbench cpu events/s" })
        #expect(rate.mean == 10234.56 && rate.higherIsBetter && rate.isRegressionTested)
        #expect(rate.parameters.map { "\($0.name)=\($0.value)" } == ["cpu_max_prime=10000", "threads=8"])
        let latency = try #require(e.measurements.first { $0.name == "sysbench cpu latency" })
        #expect(latency.mean == 0.78 && latency.unit == "ms" && !latency.higherIsBetter && !latency.isRegressionTested)
        // Runs appended to one file (`tee -a`) are its samples.
        let appended = try ParsedText.extract(cpu(10000) + cpu(11000), "cpu.txt")
        #expect(appended.measurements.first { $0.name == "sysbench cpu events/s" }?.samples == [10000, 11000])
    }

    @Test func fileAndDatabaseAndThreadsRunsHaveTheirRates() throws {
        let fileio = """
            sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)
            Number of threads: 4
            Doing random r/w test
            Threads started!

            File operations:
                reads/s:                      2845.18
                writes/s:                     1896.79
                fsyncs/s:                     6070.48

            Throughput:
                read, MiB/s:                  44.46
                written, MiB/s:               29.64

            General statistics:
                total time:                          10.0234s
                total number of events:              108062

            """
        let f = try ParsedText.extract(fileio, "fileio.txt")
        #expect(
            f.measurements.map(\.name) == [
                "sysbench fileio reads/s", "sysbench fileio writes/s", "sysbench fileio read MiB/s", "sysbench fileio written MiB/s",
            ])
        #expect(f.measurements.first?.parameters.contains { $0.name == "mode" && $0.value == "random r/w" } == true)
        let oltp = """
            sysbench 1.0.20 (using bundled LuaJIT 2.1.0-beta2)
            Number of threads: 16
            Threads started!

            SQL statistics:
                queries performed:
                    read:                            140000
                    write:                           0
                    other:                           20000
                transactions:                        10000  (998.21 per sec.)
                queries:                             200000 (19964.20 per sec.)

            General statistics:
                total time:                          10.0178s
                total number of events:              10000

            """
        let o = try ParsedText.extract(oltp, "oltp.log")
        #expect(o.measurements.first { $0.name == "sysbench oltp transactions/s" }?.isRegressionTested == true)
        #expect(o.measurements.first { $0.name == "sysbench oltp queries/s" }?.mean == 19964.2)
        // Its script, told by its queries: a read-only run is no sample of a read/write one.
        #expect(o.measurements.first?.parameters.contains { $0.name == "queries" && $0.value == "read only" } == true)
        let threads =
            "sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)\nNumber of threads: 64\nThreads started!\nGeneral statistics:\n    total time:  10.0000s\n    total number of events:  5000\n"
        #expect(try ParsedText.extract(threads, "threads.txt").measurements.first?.mean == 500)
    }

    /// A run cut off before its statistics is no sample; an install log
    /// naming sysbench is no run (review s36d).
    @Test func aCutRunAndAnInstallLogAreNoRuns() throws {
        let cut = cpu(10000) + "sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)\nThreads started!\nCPU speed:\n    events per second: 10\n"
        let e = try ParsedText.extract(cut, "cpu.txt")
        #expect(e.measurements.first { $0.name == "sysbench cpu events/s" }?.samples == [10000])
        #expect(e.notes == ["1 sysbench run(s) without their General statistics (cut off) left out"])
        // One that says why it stopped is a failure, with sysbench's words.
        let down =
            cpu(10000) + "sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)\nNumber of threads: 16\n"
            + "FATAL: error 2002: Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)\n"
            + "FATAL: `thread_init' function failed: /usr/share/sysbench/oltp_common.lua:349: can't connect to the database\n"
        let failed = try #require(try ParsedText.extract(down, "oltp.log").measurements.first { $0.failure != nil })
        #expect(failed.failedRuns == 1 && failed.failure?.hasPrefix("error 2002: Can't connect") == true, "\(failed)")
        // A `prepare` step before the run starts no threads: no run, and nothing said of it.
        let prepared =
            "sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)\n\n128 files, 16384Kb each, 2048Mb total\nCreating files for the test...\n"
            + cpu(10000)
        #expect(try ParsedText.extract(prepared, "fileio.log").notes.isEmpty)
        let install = "Setting up sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3) installed OK\nGeneral statistics:\n    total time: 3.2s\n"
        #expect(ParsedText.skipReason(install, "apt.log") != nil)
    }
}
