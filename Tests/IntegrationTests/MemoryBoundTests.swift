import Foundation
import Testing

/// Peak memory of `chimerad report` over inputs that used to take gigabytes
/// (issue 9): a property of the design (README, "Memory"), measured on the
/// built binary by the kernel's count, not a timing.
@Suite(.serialized) struct MemoryBoundTests {
    /// The bound for an input of `bytes`: 192 MiB and 1.6 times the input,
    /// which is 512 MiB for the 200 MiB CSV of the issue.
    private static func bound(_ bytes: Int) -> Int {
        (192 << 20) + bytes * 8 / 5
    }

    /// Writes `mebibytes` MiB of CSV: a header of 26 columns and rows of
    /// two-byte numbers (`12,34,...`), the shape that took 4.9 GiB at 200 MiB.
    private static func writeNumericCSV(mebibytes: Int, to path: String) throws -> Int {
        var block = ""
        for row in 0..<1000 {
            block += (0..<26).map { String(10 + (row * 7 + $0 * 13) % 90) }.joined(separator: ",") + "\n"
        }
        let header = Data(((0..<26).map { String(UnicodeScalar(UInt8(97 + $0))) }.joined(separator: ",") + "\n").utf8)
        let blockData = Data(block.utf8)
        _ = FileManager.default.createFile(atPath: path, contents: header)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        var written = header.count
        while written + blockData.count <= mebibytes << 20 {
            try handle.write(contentsOf: blockData)
            written += blockData.count
        }
        return written
    }

    private func folders() throws -> (input: String, out: String, state: String) {
        (try Chimerad.temporaryFolder("input"), try Chimerad.temporaryFolder("out"), try Chimerad.temporaryFolder("state"))
    }

    private func remove(_ paths: String...) {
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func aLargeNumericCSVStaysWithinTheBound() async throws {
        let (input, out, state) = try folders()
        defer { remove(input, out, state) }
        // 48 MiB, 17 million fields: the old parser peaked at about 1.3 GiB here.
        let bytes = try MemoryBoundTests.writeNumericCSV(mebibytes: 48, to: input + "/numbers.csv")
        let run = try await Chimerad.runMeasuringPeakMemory(
            ["report", "--input", input, "--output", out, "--state", state, "--model", "none"])
        #expect(run.status == 0, "\(run.stderr)")
        let bound = MemoryBoundTests.bound(bytes)
        #expect(run.peakBytes < bound, "peak RSS \(run.peakBytes >> 20) MiB, bound \(bound >> 20) MiB")
        let report = try Chimerad.json(out + "/latest.json")
        #expect(report.object("inputs").int("files_analyzed") == 1)
        #expect(report.list("series").count == 26)
        let notes = report.list("notes").flatMap { ($0["items"] as? [String]) ?? [] }
        #expect(notes.contains { $0.hasPrefix("reading stopped at line ") })
    }

    @Test func aFiftyMebibyteModelNameIsCutAndTheReportStaysSmall() async throws {
        let (input, out, state) = try folders()
        defer { remove(input, out, state) }
        var text = Data("model,prompt_text,tokens_s,ttft_s,error\n\"".utf8)
        text.append(Data(repeating: UInt8(ascii: "m"), count: 50 << 20))
        text.append(Data("\",p,12.5,0.2,\ngemma3:270m,p,13.5,0.3,\n".utf8))
        try text.write(to: URL(fileURLWithPath: input + "/runs.csv"))
        let run = try await Chimerad.runMeasuringPeakMemory(
            ["report", "--input", input, "--output", out, "--state", state, "--model", "none"])
        #expect(run.status == 0, "\(run.stderr)")
        let bound = MemoryBoundTests.bound(text.count)
        #expect(run.peakBytes < bound, "peak RSS \(run.peakBytes >> 20) MiB, bound \(bound >> 20) MiB")
        // It wrote 350 MB; a report naming a 4 KiB name a few times is small.
        for name in ["latest.md", "latest.json"] {
            // `latest.*` are links: the size is the report's.
            let report = URL(fileURLWithPath: out + "/" + name).resolvingSymlinksInPath().path
            let size = try FileManager.default.attributesOfItem(atPath: report)[.size] as? Int ?? .max
            #expect(size < 1 << 20, "\(name): \(size) bytes")
        }
        let report = try Chimerad.json(out + "/latest.json")
        // Compared by length: a failure must not print a 50 MiB name.
        let lengths = report.list("llm_runs").compactMap { ($0["model"] as? String)?.utf8.count }.sorted()
        #expect(lengths == [11, 4096 + "…".utf8.count], "model name lengths \(lengths)")
        // The cut is explained where the report lists what ingest noticed.
        let notes = report.list("notes").flatMap { ($0["items"] as? [String]) ?? [] }
        #expect(notes.contains("1 text longer than 4 KiB was cut to its first 4 KiB (50 MiB, at line 2, column model)"))
    }
}
