import Foundation
import Records
import Testing

@testable import Ingest

/// fio's `--output-format=json`: each job and direction a benchmark, keyed
/// by the job's settings. Read as numbers by path, a random read's IOPS and
/// a write job's zero were one pool, and no night was tested (campaign s36c #5).
@Suite struct FioFormatTests {
    private func side(iops: Double, bandwidth: Double, latencyNanoseconds: Double) -> String {
        let ios = Int(iops * 60)
        return
            #"{"io_bytes": \#(Int(bandwidth) * 61440), "bw": \#(Int(bandwidth)), "iops": \#(iops), "total_ios": \#(ios), "iops_stddev": 100.0, "bw_dev": 10.0, "#
            + #""clat_ns": {"min": 50000, "max": 9000000, "mean": \#(latencyNanoseconds), "percentile": {"99.000000": 602112, "99.900000": 1531904}}}"#
    }

    private let idle = #"{"io_bytes": 0, "bw": 0, "iops": 0.0, "total_ios": 0, "clat_ns": {"min": 0, "max": 0, "mean": 0.0}}"#

    private func job(_ name: String, rw: String, read: String, write: String, error: Int = 0) -> String {
        #"{"jobname": "\#(name)", "groupid": 0, "error": \#(error), "job options": {"name": "\#(name)", "rw": "\#(rw)", "bs": "4k", "iodepth": "32"}, "#
            + #""read": \#(read), "write": \#(write), "trim": \#(idle)}"#
    }

    private func document(_ jobs: [String]) -> String {
        #"{"fio version": "fio-3.33", "timestamp": 1796608801, "global options": {"ioengine": "libaio", "direct": "1"}, "jobs": ["#
            + jobs.joined(separator: ", ") + "]}"
    }

    @Test func eachJobAndDirectionIsABenchmarkKeyedByItsSettings() throws {
        let text = document([
            job("randread", rw: "randread", read: side(iops: 128000.5, bandwidth: 512000, latencyNanoseconds: 250000), write: idle),
            job("randwrite", rw: "randwrite", read: idle, write: side(iops: 102400, bandwidth: 409600, latencyNanoseconds: 310000)),
        ])
        let e = try ParsedText.extract(text, "nvme.json")
        #expect(e.shape == .fio && e.series.isEmpty && e.measuredAt == 1_796_608_801)
        let iops = try #require(e.measurements.first { $0.name == "randread read IOPS" })
        #expect(iops.mean == 128000.5 && iops.higherIsBetter && iops.isRegressionTested && iops.unit == "IOPS")
        #expect(iops.parameters.map { "\($0.name)=\($0.value)" } == ["bs=4k", "direct=1", "iodepth=32", "ioengine=libaio", "rw=randread"])
        let latency = try #require(e.measurements.first { $0.name == "randwrite write completion latency" })
        #expect(latency.mean == 310 && latency.unit == "µs" && !latency.higherIsBetter && latency.isRegressionTested)
        #expect(e.measurements.first { $0.name == "randread read completion latency p99" }?.mean == 602.112)
        #expect(e.measurements.first { $0.name == "randread read bandwidth" }?.isRegressionTested == false)
        // No direction without I/O: a read job has no write figures, and no zeros pooled.
        #expect(!e.measurements.contains { $0.name.hasPrefix("randread write") || $0.name.contains("trim") })
    }

    /// `numjobs=2` without `group_reporting`: two jobs of one name, summed;
    /// a job that failed (`error` 5, EIO) is a failure, not a zero.
    @Test func jobsOfOneNameAreSummedAndAFailedJobIsAFailure() throws {
        let read = side(iops: 1000, bandwidth: 4000, latencyNanoseconds: 100000)
        let text = document([
            job("mixed", rw: "randread", read: read, write: idle), job("mixed", rw: "randread", read: read, write: idle),
            job("broken", rw: "randread", read: idle, write: idle, error: 5),
        ])
        let e = try ParsedText.extract(text, "fio.json")
        #expect(e.measurements.first { $0.name == "mixed read IOPS" }?.mean == 2000)
        #expect(e.measurements.first { $0.name == "mixed read completion latency" }?.mean == 100)
        #expect(!e.measurements.contains { $0.name.hasPrefix("mixed read completion latency p") })
        let failed = try #require(e.measurements.first { $0.name == "broken" })
        #expect(failed.failedRuns == 1 && failed.failure?.hasPrefix("fio job error 5") == true, "\(failed)")
        #expect(e.notes.first?.hasPrefix("1 job name written by several jobs") == true, "\(e.notes)")
    }

    /// What no fio writes is read without a trap: an error code past any
    /// integer (it stopped the process), figures near the largest double that
    /// sum past it, a latency below zero, a job name holding control characters.
    @Test func hostileFiguresAreNoCrash() throws {
        let huge =
            #"{"fio version": "fio-3.33", "jobs": [{"jobname": "a", "error": 1e19, "read": {"iops": 1, "total_ios": 1}}, "#
            + #"{"jobname": "b\u0001read", "error": 0, "read": {"iops": 1e308, "total_ios": 1, "clat_ns": {"mean": 5, "min": -5}}}, "#
            + #"{"jobname": "b\u0001read", "error": 0, "read": {"iops": 1e308, "total_ios": 1}}]}"#
        let e = try ParsedText.extract(huge, "fio.json")
        #expect(e.measurements.first { $0.name == "a" }?.failure == "fio job error 1e+19" || e.measurements.contains { $0.failure != nil })
        #expect(!e.measurements.contains { $0.mean.map { !$0.isFinite } ?? false })
        #expect(FioFormat.errorText(5) == "5 (EIO)" && FioFormat.errorText(4000) == "4000")
    }
}
