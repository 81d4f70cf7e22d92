import Foundation
import Testing

@testable import Reporting

#if canImport(Glibc)
import Glibc
#endif

/// A report's charts: `charts/<report>/*.svg`, published with the report or
/// not at all, pruned and cleaned up with it, never written through a link.
@Suite("ReportWriter with charts")
struct ReportWriterChartsTests {
    static let date = Date(timeIntervalSince1970: 1_763_840_701)  // 2025-11-22 19:45:01 UTC
    static let charts = [ReportWriter.Chart(name: "leaderboard.svg", svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")]

    func withFolder<T>(_ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-charts-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try body(directory)
    }

    func names(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    @discardableResult
    func publish(_ writer: ReportWriter, at date: Date = Self.date) throws -> (base: String, written: ReportWriter.Written) {
        let base = writer.freeBase(at: date)
        return (base, try writer.write(base: base, markdown: "# r\n", json: "{}\n", html: "<p>r</p>\n", charts: Self.charts))
    }

    @Test("the charts land in charts/<report>/ beside the report's three files, and no temporary stays")
    func chartsBesideTheReport() throws {
        try withFolder { directory in
            let writer = ReportWriter(directory: directory, retain: 0)
            try writer.prepare()
            let (base, written) = try publish(writer)
            #expect(base == "chimera-report-20251122T194501Z")
            #expect(name(written.markdownPath) == base + ".md")
            #expect(names(directory + "/charts") == [base])
            #expect(names(directory + "/charts/" + base) == ["leaderboard.svg"])
            #expect(try String(contentsOfFile: directory + "/charts/\(base)/leaderboard.svg", encoding: .utf8) == Self.charts[0].svg)
            // The next report of the same second gets the next name, its charts too.
            #expect(writer.freeBase(at: Self.date) == base + "-2")
            let (second, _) = try publish(writer)
            #expect(names(directory + "/charts") == [base, second])
            #expect(!names(directory).contains { $0.hasPrefix(".") } && !names(directory + "/charts").contains { $0.hasPrefix(".") })
        }
    }

    @Test("a report of many charts, more than it writes at once, lands whole: every chart and file with its own text")
    func manyChartsLandWhole() throws {
        try withFolder { directory in
            let writer = ReportWriter(directory: directory, retain: 0)
            try writer.prepare()
            let charts = (0..<50).map { index in
                ReportWriter.Chart(name: "runs-\(index).svg", svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"><!-- \(index) --></svg>\n")
            }
            let json = "{\"runs\": [" + (0..<20_000).map(String.init).joined(separator: ", ") + "]}\n"
            let base = writer.freeBase(at: Self.date)
            let written = try writer.write(base: base, markdown: "# r\n", json: json, html: "<p>r</p>\n", charts: charts)
            #expect(try String(contentsOfFile: written.jsonPath, encoding: .utf8) == json)
            #expect(names(directory + "/charts/" + base) == charts.map(\.name).sorted())
            for chart in charts {
                #expect(try String(contentsOfFile: directory + "/charts/\(base)/\(chart.name)", encoding: .utf8) == chart.svg)
            }
            #expect(!names(directory).contains { $0.hasPrefix(".") } && !names(directory + "/charts").contains { $0.hasPrefix(".") })

            // One write of many failing (two charts of one name) fails the report, and nothing of it stays.
            let clash = charts + [ReportWriter.Chart(name: "runs-7.svg", svg: "<svg/>\n")]
            let next = writer.freeBase(at: Self.date)
            #expect(throws: ReportWriter.Failure.self) {
                try writer.write(base: next, markdown: "# s\n", json: "{}\n", html: "<p>s</p>\n", charts: clash)
            }
            #expect(!names(directory).contains { $0.hasPrefix(next) || $0.hasPrefix(".") })
            #expect(names(directory + "/charts") == [base])
        }
    }

    @Test("a chart drawn the same as in the newest report is linked from it, not written again; a changed one is written")
    func unchangedChartsAreReused() throws {
        try withFolder { directory in
            let writer = ReportWriter(directory: directory, retain: 1)
            try writer.prepare()
            func inode(_ path: String) throws -> UInt64 {
                try #require(FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64)
            }
            let first = writer.freeBase(at: Self.date)
            _ = try writer.write(
                base: first, markdown: "# 1\n", json: "{}\n", html: "<p>1</p>\n",
                charts: Self.charts + [ReportWriter.Chart(name: "history-a.svg", svg: "<svg>a</svg>\n")])
            let second = writer.freeBase(at: Self.date.addingTimeInterval(60))
            _ = try writer.write(
                base: second, markdown: "# 2\n", json: "{}\n", html: "<p>2</p>\n",
                charts: Self.charts + [ReportWriter.Chart(name: "history-a.svg", svg: "<svg>a, one more session</svg>\n")])
            // Retention 1: the first report is gone, and its folder with it; the linked file stays.
            #expect(names(directory + "/charts") == [second])
            let kept = directory + "/charts/" + second
            #expect(try String(contentsOfFile: kept + "/leaderboard.svg", encoding: .utf8) == Self.charts[0].svg)
            #expect(try String(contentsOfFile: kept + "/history-a.svg", encoding: .utf8) == "<svg>a, one more session</svg>\n")
            let before = try inode(kept + "/leaderboard.svg")
            let third = writer.freeBase(at: Self.date.addingTimeInterval(120))
            _ = try writer.write(base: third, markdown: "# 3\n", json: "{}\n", html: "<p>3</p>\n", charts: Self.charts)
            #expect(try inode(directory + "/charts/\(third)/leaderboard.svg") == before)
        }
    }

    @Test("retention removes a report's charts with it")
    func prunedWithTheReport() throws {
        try withFolder { directory in
            let writer = ReportWriter(directory: directory, retain: 2)
            try writer.prepare()
            var bases: [String] = []
            for minute in 0..<4 { bases.append(try publish(writer, at: Self.date.addingTimeInterval(Double(minute) * 60)).base) }
            #expect(names(directory + "/charts") == Array(bases.suffix(2)))
        }
    }

    @Test("a name taken after the report was rendered with it fails the report, and nothing of it stays")
    func aTakenNameFailsWhole() throws {
        try withFolder { directory in
            let writer = ReportWriter(directory: directory, retain: 0)
            try writer.prepare()
            let base = writer.freeBase(at: Self.date)
            // Another writer (or anyone) takes the JSON's name meanwhile.
            try "planted".write(toFile: directory + "/" + base + ".json", atomically: false, encoding: .utf8)
            #expect {
                try writer.write(base: base, markdown: "# r\n", json: "{}\n", html: "<p>r</p>\n", charts: Self.charts)
            } throws: { ($0 as? ReportWriter.Failure)?.kind == .nameTaken }
            #expect(names(directory) == [base + ".json"])
            #expect(try String(contentsOfFile: directory + "/" + base + ".json", encoding: .utf8) == "planted")
        }
    }

    @Test("a symbolic link planted at charts/ is refused with the reason, and nothing is written where it points")
    func aLinkAtChartsIsRefused() throws {
        try withFolder { directory in
            let elsewhere = directory + "-elsewhere"
            try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: elsewhere) }
            let writer = ReportWriter(directory: directory, retain: 0)
            try writer.prepare()
            try FileManager.default.createSymbolicLink(atPath: directory + "/charts", withDestinationPath: elsewhere)
            #expect {
                try publish(writer)
            } throws: { error in
                (error as? ReportWriter.Failure)?.reason.contains("symbolic link") == true
            }
            #expect(names(elsewhere).isEmpty)
            #expect(names(directory) == ["charts"])
        }
    }

    @Test("at start: charts without their report's .md, and charts staged by a writer that is gone, are removed")
    func orphanChartsAreRemoved() throws {
        try withFolder { directory in
            let writer = ReportWriter(directory: directory, retain: 0)
            try writer.prepare()
            let (kept, _) = try publish(writer)
            let charts = directory + "/charts/"
            try FileManager.default.createDirectory(atPath: charts + "chimera-report-20200101T000000Z", withIntermediateDirectories: true)
            try "x".write(toFile: charts + "chimera-report-20200101T000000Z/leaderboard.svg", atomically: false, encoding: .utf8)
            // Staged by a process that no longer runs (pid 1 is init's: alive; use a pid far past pid_max).
            let stale = charts + ".chimera-report-20200101T000001Z\(ReportWriter.temporaryMarker)2147483646-ab"
            try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
            // Young, the unfinished report's charts may be another writer's at work: they stay.
            try writer.prepare()
            #expect(names(directory + "/charts") == ["chimera-report-20200101T000000Z", kept])
            var patient = writer
            patient.orphanAge = 0
            try patient.prepare()
            #expect(names(directory + "/charts") == [kept])
        }
    }
}

private func name(_ path: String) -> String {
    URL(fileURLWithPath: path).lastPathComponent
}
